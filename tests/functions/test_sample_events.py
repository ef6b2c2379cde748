"""The sample events every HTTP function ships in functions/<group>/events, checked through its Lambda handler.

They are what ``sam local invoke -e`` runs, so each must be a REST (v1) proxy event for one of the function's routes,
and together they must cover every route. The status each one's name promises (the authorizer's events included)
is checked by tests/local/invoke/test_sample_events.py, through ``python -m local invoke`` against a running stack.
"""

import pytest

from tests.builders import FUNCTIONS_PATH, load_event
from tests.fixtures.jwks import JwksServer
from tests.fixtures.lambda_runtime import LambdaRuntime

HTTP_GROUPS = ("attributes", "auth", "health", "keys", "members", "roles", "tenants")
PROXY_EVENT_KEYS = {"resource", "path", "httpMethod", "headers", "multiValueHeaders", "requestContext"}


def event_names(*groups: str) -> list[tuple[str, str]]:
    """(group, file name) of every shipped event of ``groups``."""
    return [
        (group, path.name) for group in groups for path in sorted((FUNCTIONS_PATH / group / "events").glob("*.json"))
    ]


def event_ids(cases: list[tuple[str, str]]) -> list[str]:
    return [f"{group}/{name.removesuffix('.json')}" for group, name in cases]


HTTP_EVENTS = event_names(*HTTP_GROUPS)


@pytest.fixture
def runtime(lambda_runtime: LambdaRuntime, oidc_env: JwksServer, monkeypatch: pytest.MonkeyPatch) -> LambdaRuntime:
    """The Lambda runtime, with the environment every function needs to start; no AWS call precedes a token check."""
    monkeypatch.setenv("TABLE_NAME", "sample-events-test")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    return lambda_runtime


@pytest.mark.parametrize(("group", "name"), HTTP_EVENTS, ids=event_ids(HTTP_EVENTS))
def test_sample_event_is_a_rest_v1_proxy_event_for_its_resource(group: str, name: str) -> None:
    event = load_event(group, name)

    assert event.keys() >= PROXY_EVENT_KEYS
    assert event["requestContext"]["requestId"]
    assert event["requestContext"]["resourcePath"] == event["resource"]


@pytest.mark.parametrize("group", HTTP_GROUPS)
def test_sample_events_cover_every_route(runtime: LambdaRuntime, group: str) -> None:
    function = runtime.cold_start(group)
    routes = {
        (method, route.path)
        for route in function.app.routes
        for method in getattr(route, "methods", set())
        if route.path.startswith("/api/")
    }
    shipped = {(event["httpMethod"], event["resource"]) for event in (load_event(*case) for case in event_names(group))}

    assert routes <= shipped
