"""functions/members through its Lambda handler: the shipped sample events reach their routes."""

import json
from pathlib import Path
from types import ModuleType

import pytest

from identity_stack.headers import SECURITY_HEADERS
from tests.builders import FUNCTIONS_PATH
from tests.fixtures.jwks import JwksServer
from tests.fixtures.lambda_runtime import LambdaRuntime

EVENT_FILES = sorted((FUNCTIONS_PATH / "members" / "events").glob("*.json"))


@pytest.fixture
def function(lambda_runtime: LambdaRuntime, oidc_env: JwksServer, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """functions/members after a cold start; no AWS call is made before the token is checked."""
    monkeypatch.setenv("TABLE_NAME", "members-handler-test")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    return lambda_runtime.cold_start("members")


@pytest.mark.parametrize("event_file", EVENT_FILES, ids=[path.stem for path in EVENT_FILES])
def test_sample_event_is_a_routed_rest_proxy_event(
    lambda_runtime: LambdaRuntime, function: ModuleType, event_file: Path
) -> None:
    event = json.loads(event_file.read_text())

    response = lambda_runtime.invoke(function, event)

    # The placeholder token (or none) fails authentication, so every shipped event reaches its route and is refused
    # there: 401, never a framework 404/405 (wrong path or method in the file).
    assert event["requestContext"]["resourcePath"] == event["resource"]
    assert response["statusCode"] == 401
    assert json.loads(response["body"])["type"] == "urn:identity-stack:problem:unauthenticated"
    for name, value in SECURITY_HEADERS.items():
        assert response["headers"][name] == value


def test_sample_events_cover_every_route(function: ModuleType) -> None:
    routes = {
        (method, route.path)
        for route in function.app.routes
        for method in getattr(route, "methods", set())
        if route.path.startswith("/api/")
    }
    shipped = {(event["httpMethod"], event["resource"]) for event in map(json.loads, map(Path.read_text, EVENT_FILES))}

    assert routes <= shipped
