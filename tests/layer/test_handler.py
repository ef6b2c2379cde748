"""make_handler, the security-headers middleware and problem details, through a probe app's Lambda handler."""

from typing import Any

import pytest
from fastapi import Depends, FastAPI, Response
from pydantic import BaseModel

from identity_stack.auth.rbac import Permission
from identity_stack.errors import UpstreamUnavailableError
from identity_stack.web.guards import require_path_tenant, require_permission
from identity_stack.web.headers import DEFAULT_CSP, HSTS_VALUE, SECURITY_HEADERS, LambdaHandler
from identity_stack.web.services import ActiveTenant, CurrentPrincipal
from tests.builders import make_event, response_json, user_claims
from tests.fixtures.jwks import JwksServer
from tests.fixtures.lambda_runtime import LambdaRuntime


class Item(BaseModel):
    name: str
    quantity: int


def make_probe_app() -> FastAPI:
    """An app with one route per kind of response the handler can produce."""
    app = FastAPI()

    @app.get("/api/probe/ok")
    async def read_ok(principal: CurrentPrincipal) -> dict[str, str]:
        return {"sub": principal.sub}

    @app.get("/api/probe/billing", dependencies=[require_permission(Permission.BILLING_MANAGE)])
    async def read_billing() -> dict[str, bool]:
        return {"ok": True}

    @app.post("/api/probe/items")
    async def create_item(item: Item) -> Item:
        return item

    @app.get("/api/probe/crash")
    async def crash() -> None:
        raise RuntimeError("database password is hunter2")

    @app.get("/api/probe/upstream")
    async def read_upstream() -> None:
        raise UpstreamUnavailableError("The identity provider is unavailable.", retry_after_s=7)

    @app.get("/api/probe/cookies")
    async def set_cookies(response: Response) -> dict[str, bool]:
        response.set_cookie("a", "1")
        response.set_cookie("b", "2")
        return {"ok": True}

    @app.get("/api/probe/csp")
    async def read_own_csp(response: Response) -> dict[str, bool]:
        response.headers["Content-Security-Policy"] = "default-src 'none'"
        return {"ok": True}

    @app.get("/api/probe/tenants/{tenant_id}", dependencies=[Depends(require_path_tenant)])
    async def read_tenant(tenant_id: str, active: ActiveTenant) -> dict[str, str]:
        return {"tenant_id": tenant_id, "active": active}

    return app


@pytest.fixture
def probe(lambda_runtime: LambdaRuntime, oidc_env: JwksServer) -> LambdaHandler:
    return lambda_runtime.cold_start_app(make_probe_app())


@pytest.fixture
def claims(oidc_env: JwksServer) -> dict[str, Any]:
    """Validated claims of a user's access token: the authorizer's context of each authenticated event."""
    return user_claims(oidc_env.issuer, oidc_env.project_id)


RESPONSE_KINDS: dict[str, tuple[dict[str, Any], int]] = {
    "200": ({"method": "GET", "path": "/api/probe/ok"}, 200),
    "401": ({"method": "GET", "path": "/api/probe/ok", "authenticated": False}, 401),
    "403": ({"method": "GET", "path": "/api/probe/billing"}, 403),
    "404": ({"method": "GET", "path": "/api/probe/nowhere"}, 404),
    "405": ({"method": "DELETE", "path": "/api/probe/ok"}, 405),
    "422": ({"method": "POST", "path": "/api/probe/items", "body": {"name": "x", "quantity": "many"}}, 422),
    "500": ({"method": "GET", "path": "/api/probe/crash"}, 500),
    "503": ({"method": "GET", "path": "/api/probe/upstream"}, 503),
}


@pytest.mark.parametrize("kind", list(RESPONSE_KINDS), ids=list(RESPONSE_KINDS))
def test_security_headers_every_response_kind_carries_headers(
    lambda_runtime: LambdaRuntime, probe: LambdaHandler, claims: dict[str, Any], kind: str
) -> None:
    request, status = RESPONSE_KINDS[kind]
    event = make_event(
        request["method"],
        request["path"],
        principal_claims=claims if request.get("authenticated", True) else None,
        body=request.get("body"),
    )

    response = lambda_runtime.invoke(probe, event)

    assert response["statusCode"] == status
    for name, value in {**SECURITY_HEADERS, "content-security-policy": DEFAULT_CSP}.items():
        assert response["headers"][name] == value
    assert "strict-transport-security" not in response["headers"]
    if status >= 400:
        assert response["headers"]["content-type"] == "application/problem+json"
        body = response_json(response)
        assert body["status"] == status
        assert body["type"].startswith("urn:identity-stack:problem:")
        assert body["correlation_id"] == response["headers"]["x-correlation-id"]


def test_security_headers_event_mangum_cannot_handle_returns_problem_500(
    lambda_runtime: LambdaRuntime, probe: LambdaHandler
) -> None:
    response = lambda_runtime.invoke(probe, {"unexpected": "event shape"})

    assert response["statusCode"] == 500
    assert response["headers"]["content-type"] == "application/problem+json"
    assert response_json(response)["title"] == "Internal server error"
    for name, value in SECURITY_HEADERS.items():
        assert response["headers"][name] == value


def test_unhandled_error_returns_generic_500_without_internals(
    lambda_runtime: LambdaRuntime, probe: LambdaHandler, claims: dict[str, Any]
) -> None:
    response = lambda_runtime.invoke(probe, make_event("GET", "/api/probe/crash", principal_claims=claims))

    assert response["statusCode"] == 500
    assert "hunter2" not in response["body"]
    assert "RuntimeError" not in response["body"]


def test_validation_error_lists_fields_without_echoing_input(
    lambda_runtime: LambdaRuntime, probe: LambdaHandler, claims: dict[str, Any]
) -> None:
    event = make_event(
        "POST", "/api/probe/items", principal_claims=claims, body={"name": "x", "quantity": "s3cr3t-value"}
    )

    response = lambda_runtime.invoke(probe, event)

    body = response_json(response)
    assert body["errors"] == [
        {"loc": ["body", "quantity"], "msg": body["errors"][0]["msg"], "type": "int_parsing"},
    ]
    assert "s3cr3t-value" not in response["body"]


def test_upstream_unavailable_sets_retry_after(
    lambda_runtime: LambdaRuntime, probe: LambdaHandler, claims: dict[str, Any]
) -> None:
    response = lambda_runtime.invoke(probe, make_event("GET", "/api/probe/upstream", principal_claims=claims))

    assert response["statusCode"] == 503
    assert response["headers"]["retry-after"] == "7"


def test_security_headers_leave_multi_value_headers_alone(
    lambda_runtime: LambdaRuntime, probe: LambdaHandler, claims: dict[str, Any]
) -> None:
    response = lambda_runtime.invoke(probe, make_event("GET", "/api/probe/cookies", principal_claims=claims))

    assert len(response["multiValueHeaders"]["set-cookie"]) == 2
    assert "set-cookie" not in response["headers"]
    assert all(name == name.lower() for name in response["headers"])


def test_security_headers_keep_header_the_app_set(
    lambda_runtime: LambdaRuntime, probe: LambdaHandler, claims: dict[str, Any]
) -> None:
    response = lambda_runtime.invoke(probe, make_event("GET", "/api/probe/csp", principal_claims=claims))

    assert response["headers"]["content-security-policy"] == "default-src 'none'"


@pytest.mark.parametrize("environment", ["production", "prod"], ids=["production", "prod"])
def test_security_headers_production_adds_hsts(
    lambda_runtime: LambdaRuntime, oidc_env: JwksServer, monkeypatch: pytest.MonkeyPatch, environment: str
) -> None:
    monkeypatch.setenv("ENVIRONMENT", environment)
    handler = lambda_runtime.cold_start_app(make_probe_app())

    response = lambda_runtime.invoke(handler, make_event("GET", "/api/probe/ok"))

    assert response["headers"]["strict-transport-security"] == HSTS_VALUE


def test_security_headers_csp_override_strips_line_breaks(
    lambda_runtime: LambdaRuntime, oidc_env: JwksServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSP_POLICY", "default-src 'self'\r\nX-Injected: yes")
    handler = lambda_runtime.cold_start_app(make_probe_app())

    response = lambda_runtime.invoke(handler, make_event("GET", "/api/probe/ok"))

    assert response["headers"]["content-security-policy"] == "default-src 'self'  X-Injected: yes"
    assert "x-injected" not in response["headers"]


def test_correlation_id_valid_header_is_echoed_and_in_problem(
    lambda_runtime: LambdaRuntime, probe: LambdaHandler
) -> None:
    event = make_event("GET", "/api/probe/ok", headers={"X-Correlation-ID": "trace-42.abc_DEF"})

    response = lambda_runtime.invoke(probe, event)

    assert response["headers"]["x-correlation-id"] == "trace-42.abc_DEF"
    assert response_json(response)["correlation_id"] == "trace-42.abc_DEF"


@pytest.mark.parametrize(
    "header", ["has space", "x" * 129, "semi;colon", ""], ids=["space", "too-long", "punctuation", "empty"]
)
def test_correlation_id_invalid_header_falls_back_to_request_id(
    lambda_runtime: LambdaRuntime, probe: LambdaHandler, header: str
) -> None:
    event = make_event("GET", "/api/probe/ok", headers={"X-Correlation-ID": header})

    response = lambda_runtime.invoke(probe, event)

    assert response["headers"]["x-correlation-id"] == event["requestContext"]["requestId"]


def test_make_handler_validates_no_token_at_init_or_per_request(
    lambda_runtime: LambdaRuntime, oidc_env: JwksServer, claims: dict[str, Any]
) -> None:
    handler = lambda_runtime.cold_start_app(make_probe_app())

    response = lambda_runtime.invoke(handler, make_event("GET", "/api/probe/ok", principal_claims=claims))

    assert response["statusCode"] == 200
    assert (oidc_env.discovery_fetches, oidc_env.jwks_fetches) == (0, 0)


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [("http://localhost:3000", True), ("https://evil.example", False), (None, False)],
    ids=["allowed-origin", "other-origin", "no-origin"],
)
def test_cors_headers_allow_only_configured_origins(
    lambda_runtime: LambdaRuntime,
    oidc_env: JwksServer,
    monkeypatch: pytest.MonkeyPatch,
    claims: dict[str, Any],
    origin: str | None,
    allowed: bool,
) -> None:
    monkeypatch.setenv("CORS_ALLOWED_ORIGINS", "http://localhost:3000,https://app.example")
    handler = lambda_runtime.cold_start_app(make_probe_app())
    headers = {"origin": origin} if origin else {}

    ok = lambda_runtime.invoke(handler, make_event("GET", "/api/probe/ok", principal_claims=claims, headers=headers))
    denied = lambda_runtime.invoke(handler, make_event("GET", "/api/probe/ok", headers=headers))

    for response in (ok, denied):
        assert response["headers"]["vary"] == "origin"
        assert response["headers"].get("access-control-allow-origin") == (origin if allowed else None)
    if allowed:
        assert "x-correlation-id" in ok["headers"]["access-control-expose-headers"]


@pytest.mark.parametrize(
    "headers",
    [{}, {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}],
    ids=["api-host", "attacker-host"],
)
def test_make_handler_trailing_slash_returns_404_problem_not_redirect(
    lambda_runtime: LambdaRuntime, probe: LambdaHandler, claims: dict[str, Any], headers: dict[str, str]
) -> None:
    response = lambda_runtime.invoke(
        probe, make_event("GET", "/api/probe/ok/", principal_claims=claims, headers=headers)
    )

    assert response["statusCode"] == 404
    assert response["headers"]["content-type"] == "application/problem+json"
    assert "location" not in {name.lower() for name in response["headers"]}
    assert response_json(response)["type"] == "urn:identity-stack:problem:not-found"
