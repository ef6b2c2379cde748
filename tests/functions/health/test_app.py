"""functions/health through its Lambda handler."""

from types import ModuleType

import pytest

from identity_stack.headers import SECURITY_HEADERS
from tests.builders import FUNCTIONS_PATH, load_event, make_event, response_json
from tests.fixtures.jwks import JwksServer
from tests.fixtures.lambda_runtime import LambdaRuntime

EVENTS_PATH = FUNCTIONS_PATH / "health" / "events"


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


@pytest.mark.parametrize(
    ("name", "status"), [("health_ok.json", 200), ("health_wrong_method.json", 405)], ids=["ok", "wrong-method"]
)
def test_sample_event_returns_expected_status(
    lambda_runtime: LambdaRuntime, health: ModuleType, name: str, status: int
) -> None:
    response = lambda_runtime.invoke(health, load_event("health", name))

    assert response["statusCode"] == status


def test_events_folder_lists_every_case() -> None:
    assert sorted(path.name for path in EVENTS_PATH.glob("*.json")) == ["health_ok.json", "health_wrong_method.json"]
