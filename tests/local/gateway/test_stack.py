"""template.yaml through the emulator: real functions, tokens from the local identity provider, moto."""

from collections.abc import Callable

import httpx
import pytest

from tests.fixtures.gateway import GatewayClient
from tests.fixtures.idp import LocalIdp

ALLOWED_ORIGIN = "http://localhost:3000"
SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "strict-origin-when-cross-origin",
    "x-xss-protection": "0",
    "content-security-policy": "default-src 'self'",
}
HSTS = "strict-transport-security"


def assert_security_headers(response: httpx.Response) -> None:
    assert {name: response.headers.get(name) for name in SECURITY_HEADERS} == SECURITY_HEADERS
    assert HSTS not in response.headers


def test_gateway_persona_token_me_returns_principal(gateway: GatewayClient, idp: LocalIdp) -> None:
    tokens = idp.token_for("owner@acme.test")
    response = gateway.request("GET", "/api/me", token=tokens.access_token)
    body = response.json()
    assert response.status_code == 200, response.text
    assert body["sub"] == tokens.claims["sub"]
    assert body["kind"] == "user"
    assert [grant["roles"] for grant in body["tenants"].values()] == [["owner"]]
    assert body["active_tenant_id"] in body["tenants"]
    assert_security_headers(response)


def test_gateway_access_key_token_me_returns_access_key_principal(gateway: GatewayClient, idp: LocalIdp) -> None:
    key = next(iter(idp.seed.access_keys.values()))
    response = gateway.request("GET", "/api/me", token=idp.access_key_token(key.key_id, key.secret))
    assert response.status_code == 200, response.text
    assert response.json()["kind"] == "access_key"


def test_gateway_me_without_token_returns_401_problem(gateway: GatewayClient) -> None:
    response = gateway.request("GET", "/api/me")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert_security_headers(response)


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/api/unknown"), ("DELETE", "/api/me"), ("GET", "/api"), ("GET", "/")],
    ids=["unknown-path", "method-not-declared", "api-root", "root"],
)
def test_gateway_undeclared_route_returns_403_with_security_and_cors_headers(
    gateway: GatewayClient, method: str, path: str
) -> None:
    response = gateway.request(method, path, headers={"Origin": ALLOWED_ORIGIN})
    assert response.status_code == 403
    assert response.json() == {"message": "Missing Authentication Token"}
    assert response.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    assert_security_headers(response)


def test_gateway_preflight_from_allowed_origin_passes_without_token(gateway: GatewayClient) -> None:
    headers = {
        "Origin": ALLOWED_ORIGIN,
        "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "authorization",
    }
    response = gateway.request("OPTIONS", "/api/me", headers=headers)
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    assert "GET" in response.headers["access-control-allow-methods"].split(",")
    assert "authorization" in response.headers["access-control-allow-headers"].lower().split(",")


def test_gateway_preflight_from_other_origin_does_not_allow_it(gateway: GatewayClient) -> None:
    headers = {"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}
    response = gateway.request("OPTIONS", "/api/me", headers=headers)
    # API Gateway's CORS mock answers a fixed origin; a browser then refuses any other.
    assert response.headers.get("access-control-allow-origin") in (None, ALLOWED_ORIGIN)


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [(ALLOWED_ORIGIN, ALLOWED_ORIGIN), ("https://evil.example", None)],
    ids=["allowed-origin", "other-origin"],
)
def test_gateway_function_response_allows_only_configured_origin(
    gateway: GatewayClient, origin: str, allowed: str | None
) -> None:
    response = gateway.request("GET", "/api/health", headers={"Origin": origin})
    assert response.status_code == 200
    assert response.headers.get("access-control-allow-origin") == allowed


def test_gateway_function_failing_returns_502_with_security_headers(
    gateway_factory: Callable[..., GatewayClient],
) -> None:
    broken = gateway_factory(environment={"OIDC_LEEWAY_S": "not-a-number"})
    response = broken.request("GET", "/api/health", headers={"Origin": ALLOWED_ORIGIN})
    assert response.status_code == 502
    assert response.json() == {"message": "Internal server error"}
    assert response.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    assert_security_headers(response)


def test_gateway_production_gateway_responses_add_hsts(gateway_factory: Callable[..., GatewayClient]) -> None:
    production = gateway_factory(parameter_overrides={"EnvironmentName": "production"})
    response = production.request("GET", "/api/unknown")
    assert response.status_code == 403
    assert response.headers[HSTS] == "max-age=31536000; includeSubDomains"
