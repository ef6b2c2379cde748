"""functions/health through its Lambda handler."""

from types import ModuleType

import pytest

from identity_stack.web.headers import SECURITY_HEADERS
from tests.builders import make_event, response_json
from tests.fixtures.jwks import JwksServer
from tests.fixtures.lambda_runtime import LambdaRuntime


@pytest.fixture
def health(lambda_runtime: LambdaRuntime, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """functions/health after a cold start with no OIDC settings at all: it must not need them."""
    for name in ("OIDC_DISCOVERY_URL", "OIDC_AUDIENCE", "OIDC_ALLOWED_ISSUERS", "SPA_CLIENT_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("APP_VERSION", "2026.11.29-abc123")
    return lambda_runtime.cold_start("health")


def test_read_health_returns_status_and_version_only(lambda_runtime: LambdaRuntime, health: ModuleType) -> None:
    response = lambda_runtime.invoke(health, make_event("GET", "/api/health"))

    assert response["statusCode"] == 200
    assert response_json(response) == {"status": "ok", "version": "2026.11.29-abc123"}
    for name, value in SECURITY_HEADERS.items():
        assert response["headers"][name] == value


def test_read_health_wrong_method_returns_405_problem(lambda_runtime: LambdaRuntime, health: ModuleType) -> None:
    response = lambda_runtime.invoke(health, make_event("POST", "/api/health"))

    assert response["statusCode"] == 405
    assert response["headers"]["content-type"] == "application/problem+json"
    assert response["headers"]["allow"] == "GET"
    assert response_json(response)["title"] == "Method Not Allowed"


def test_health_cold_start_never_contacts_identity_provider(
    lambda_runtime: LambdaRuntime, oidc_env: JwksServer
) -> None:
    health = lambda_runtime.cold_start("health")

    response = lambda_runtime.invoke(health, make_event("GET", "/api/health"))

    assert response["statusCode"] == 200
    assert (oidc_env.discovery_fetches, oidc_env.jwks_fetches) == (0, 0)
