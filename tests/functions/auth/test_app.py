"""functions/auth through its Lambda handler: the token matrix, cache behaviour, IdP outages, each route."""

import time
from types import ModuleType
from typing import Any

import pytest

from identity_stack.web.headers import SECURITY_HEADERS
from tests.builders import (
    access_key_claims,
    id_token_claims,
    make_event,
    make_token,
    response_json,
    user_claims,
)
from tests.fixtures.jwks import MANAGEMENT_KEY, JwksServer
from tests.fixtures.lambda_runtime import LambdaRuntime, unused_port_url

UNIFORM_401_TITLE = "Authentication required"


@pytest.fixture
def auth(lambda_runtime: LambdaRuntime, oidc_env: JwksServer) -> ModuleType:
    """functions/auth after a cold start against the test IdP."""
    return lambda_runtime.cold_start("auth")


def invoke(runtime: LambdaRuntime, module: ModuleType, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
    return runtime.invoke(module, make_event(method, path, **kwargs))


def assert_uniform_401(response: dict[str, Any], challenge: str = 'Bearer error="invalid_token"') -> None:
    assert response["statusCode"] == 401
    assert response["headers"]["www-authenticate"] == challenge
    assert response["headers"]["content-type"] == "application/problem+json"
    body = response_json(response)
    assert body["title"] == UNIFORM_401_TITLE
    assert body["detail"] == "A valid bearer token is required."
    for name, value in SECURITY_HEADERS.items():
        assert response["headers"][name] == value


def test_read_me_without_authorizer_context_returns_401_without_error_code(
    lambda_runtime: LambdaRuntime, auth: ModuleType, oidc_env: JwksServer
) -> None:
    # A valid token alone is not trusted: the function reads only what the authorizer verified (a route without the
    # authorizer, or a direct invocation, fails closed).
    token = make_token(oidc_env.signing_key, user_claims(oidc_env.issuer, oidc_env.project_id))

    without_header = invoke(lambda_runtime, auth, "GET", "/api/me")
    with_token_only = invoke(lambda_runtime, auth, "GET", "/api/me", token=token)

    assert_uniform_401(without_header, challenge="Bearer")
    assert_uniform_401(with_token_only, challenge="Bearer")


@pytest.mark.parametrize(
    "change",
    [{"kind": "id_token"}, {"tenant": "T-globex"}, {"exp": "soon"}, {"tenants": "{T-acme"}, {"claims": "[]"}],
    ids=["id-token-kind", "tenant-not-granted", "exp-not-a-number", "tenants-not-json", "claims-not-an-object"],
)
def test_read_me_malformed_authorizer_context_returns_uniform_401(
    lambda_runtime: LambdaRuntime, auth: ModuleType, oidc_env: JwksServer, change: dict[str, str]
) -> None:
    event = make_event("GET", "/api/me", principal_claims=user_claims(oidc_env.issuer, oidc_env.project_id))
    event["requestContext"]["authorizer"] |= change

    assert_uniform_401(lambda_runtime.invoke(auth, event))


@pytest.mark.parametrize(("expired_s_ago", "status"), [(10, 200), (31, 401)], ids=["within-leeway", "past-leeway"])
def test_read_me_token_expired_inside_authorizer_cache_is_rejected(
    lambda_runtime: LambdaRuntime, auth: ModuleType, oidc_env: JwksServer, expired_s_ago: int, status: int
) -> None:
    # Regression (a token validated once must not stay valid past `exp`): API Gateway reuses the authorizer's
    # answer for ReauthorizeEvery seconds, so the function checks `exp` (with the 30 s leeway) on every request.
    now = int(time.time())
    claims = user_claims(oidc_env.issuer, oidc_env.project_id, iat=now - 600, exp=now - expired_s_ago)

    response = invoke(lambda_runtime, auth, "GET", "/api/me", principal_claims=claims)

    assert response["statusCode"] == status
    if status == 401:
        assert_uniform_401(response)


def test_read_me_user_context_returns_principal(
    lambda_runtime: LambdaRuntime, auth: ModuleType, oidc_env: JwksServer
) -> None:
    claims = user_claims(oidc_env.issuer, oidc_env.project_id)

    response = invoke(lambda_runtime, auth, "GET", "/api/me", principal_claims=claims)

    assert response["statusCode"] == 200
    body = response_json(response)
    assert body["sub"] == "U2userAcmeAdmin"
    assert body["kind"] == "user"
    assert body["issuer"] == oidc_env.issuer
    assert body["active_tenant_id"] == "T-acme"
    assert body["tenants"] == {"T-acme": {"roles": ["admin"], "permissions": ["members.invite", "documents.read"]}}
    # Nested claims stay JSON objects (upstream serialised them as Python reprs).
    assert body["claims"]["tenants"]["T-acme"]["roles"] == ["admin"]


def test_read_me_access_key_context_infers_single_tenant(
    lambda_runtime: LambdaRuntime, auth: ModuleType, oidc_env: JwksServer
) -> None:
    response = invoke(lambda_runtime, auth, "GET", "/api/me", principal_claims=access_key_claims(oidc_env.issuer))

    assert response["statusCode"] == 200
    body = response_json(response)
    assert body["kind"] == "access_key"
    assert body["sub"] == "K2accessKeyAcme"
    assert body["active_tenant_id"] == "T-acme"


def test_read_me_user_session_token_without_aud_is_user(
    lambda_runtime: LambdaRuntime, auth: ModuleType, oidc_env: JwksServer
) -> None:
    # Descope's default session token has no `aud`; it is still a user's (review F7), so what it may grant is
    # judged by the provider's records, never by its roles alone.
    claims = user_claims(oidc_env.issuer, oidc_env.project_id, aud=None)

    response = invoke(lambda_runtime, auth, "GET", "/api/me", principal_claims=claims)

    assert response["statusCode"] == 200
    assert response_json(response)["kind"] == "user"


def test_read_me_session_token_from_apps_issuer_returns_200(
    lambda_runtime: LambdaRuntime, auth: ModuleType, oidc_env: JwksServer
) -> None:
    apps_issuer = f"{oidc_env.base_url}/v1/apps/{oidc_env.project_id}"

    response = invoke(lambda_runtime, auth, "GET", "/api/me", principal_claims=access_key_claims(apps_issuer))

    assert response["statusCode"] == 200
    assert response_json(response)["issuer"] == apps_issuer


def test_handler_validates_no_token_at_cold_start_or_per_request(
    lambda_runtime: LambdaRuntime, auth: ModuleType, oidc_env: JwksServer
) -> None:
    claims = user_claims(oidc_env.issuer, oidc_env.project_id)

    statuses = {
        invoke(lambda_runtime, auth, "GET", "/api/me", principal_claims=claims)["statusCode"] for _ in range(100)
    }

    assert statuses == {200}
    assert (oidc_env.discovery_fetches, oidc_env.jwks_fetches) == (0, 0)


def test_check_id_token_idp_down_returns_503_then_recovers(
    lambda_runtime: LambdaRuntime, auth: ModuleType, oidc_env: JwksServer
) -> None:
    oidc_env.fail_with(503)
    token = make_token(oidc_env.signing_key, id_token_claims(oidc_env.issuer, oidc_env.project_id))

    down = invoke(lambda_runtime, auth, "POST", "/api/validate-id-token", token=token)
    oidc_env.fail_with(None)
    back = invoke(lambda_runtime, auth, "POST", "/api/validate-id-token", token=token)

    assert down["statusCode"] == 503
    assert down["headers"]["retry-after"] == "5"
    assert down["headers"]["content-type"] == "application/problem+json"
    assert response_json(down)["title"] == "Upstream service unavailable"
    assert "503" not in response_json(down).get("detail", "")
    for name, value in SECURITY_HEADERS.items():
        assert down["headers"][name] == value
    assert back["statusCode"] == 200


def test_check_id_token_idp_unreachable_returns_503(
    lambda_runtime: LambdaRuntime, oidc_env: JwksServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    down_base = unused_port_url()
    monkeypatch.setenv("OIDC_DISCOVERY_URL", f"{down_base}/{oidc_env.project_id}/.well-known/openid-configuration")
    auth = lambda_runtime.cold_start("auth")
    token = make_token(oidc_env.signing_key, id_token_claims(oidc_env.issuer, oidc_env.project_id))

    response = invoke(lambda_runtime, auth, "POST", "/api/validate-id-token", token=token)

    assert response["statusCode"] == 503
    assert response["headers"]["retry-after"] == "5"


def test_read_claims_returns_validated_claims(
    lambda_runtime: LambdaRuntime, auth: ModuleType, oidc_env: JwksServer
) -> None:
    claims = user_claims(oidc_env.issuer, oidc_env.project_id)

    response = invoke(lambda_runtime, auth, "GET", "/api/claims", principal_claims=claims)

    assert response["statusCode"] == 200
    assert response_json(response) == claims


def test_check_id_token_valid_returns_claims(
    lambda_runtime: LambdaRuntime, auth: ModuleType, oidc_env: JwksServer
) -> None:
    claims = id_token_claims(oidc_env.issuer, oidc_env.project_id)

    response = invoke(
        lambda_runtime, auth, "POST", "/api/validate-id-token", token=make_token(oidc_env.signing_key, claims)
    )

    assert response["statusCode"] == 200
    assert response_json(response)["email"] == "admin@acme.test"


@pytest.mark.parametrize(
    "overrides",
    [{"exp": 1_700_000_000, "iat": 1_699_999_000}, {"aud": "another-client"}, {"iss": "https://evil.example"}],
    ids=["expired", "wrong-aud", "wrong-iss"],
)
def test_check_id_token_invalid_returns_401(
    lambda_runtime: LambdaRuntime, auth: ModuleType, oidc_env: JwksServer, overrides: dict[str, Any]
) -> None:
    claims = id_token_claims(oidc_env.issuer, oidc_env.project_id, **overrides)

    response = invoke(
        lambda_runtime, auth, "POST", "/api/validate-id-token", token=make_token(oidc_env.signing_key, claims)
    )

    assert_uniform_401(response)


def test_check_id_token_non_bearer_header_returns_400(lambda_runtime: LambdaRuntime, auth: ModuleType) -> None:
    response = invoke(
        lambda_runtime, auth, "POST", "/api/validate-id-token", headers={"Authorization": "Basic dXNlcjpwYXNz"}
    )

    assert response["statusCode"] == 400
    assert response_json(response)["type"] == "urn:identity-stack:problem:invalid-request"


def test_check_id_token_missing_header_returns_401(lambda_runtime: LambdaRuntime, auth: ModuleType) -> None:
    response = invoke(lambda_runtime, auth, "POST", "/api/validate-id-token")

    assert_uniform_401(response, challenge="Bearer")


def test_logout_access_key_token_revokes_nothing(
    lambda_runtime: LambdaRuntime, auth: ModuleType, oidc_env: JwksServer
) -> None:
    claims = access_key_claims(oidc_env.issuer)

    response = invoke(lambda_runtime, auth, "POST", "/api/auth/logout", principal_claims=claims)

    assert response["statusCode"] == 200
    assert response_json(response) == {
        "status": "nothing_to_revoke",
        "sessions_revoked": False,
        "detail": "Access-key tokens have no sessions.",
    }


def test_logout_without_token_returns_401(lambda_runtime: LambdaRuntime, auth: ModuleType) -> None:
    assert_uniform_401(invoke(lambda_runtime, auth, "POST", "/api/auth/logout"), challenge="Bearer")


def test_logout_user_revokes_sessions_through_management_api(
    lambda_runtime: LambdaRuntime, auth: ModuleType, oidc_env: JwksServer
) -> None:
    claims = user_claims(oidc_env.issuer, oidc_env.project_id)

    response = invoke(lambda_runtime, auth, "POST", "/api/auth/logout", principal_claims=claims)

    assert response["statusCode"] == 200
    assert response_json(response)["sessions_revoked"] is True
    logout_calls = [r for r in oidc_env.management_requests if r.path == "/v1/mgmt/user/logout"]
    assert len(logout_calls) == 1
    assert logout_calls[0].body == {"userId": "U2userAcmeAdmin"}
    assert logout_calls[0].authorization == f"Bearer {oidc_env.project_id}:{MANAGEMENT_KEY}"


LOGOUT_FAULTS: dict[str, tuple[int, dict[str, Any], dict[str, str], int, str | None]] = {
    "user-not-found": (400, {"errorCode": "E112102", "errorDescription": "User not found"}, {}, 404, None),
    "other-client-error": (400, {"errorCode": "E011003", "errorDescription": "Request is invalid"}, {}, 502, None),
    "server-error": (500, {"errorCode": "E000000", "errorDescription": "Internal error"}, {}, 503, "5"),
    "rate-limited": (429, {"errorCode": "E130429", "errorDescription": "Too many"}, {"Retry-After": "17"}, 503, "17"),
}


@pytest.mark.parametrize("fault", list(LOGOUT_FAULTS), ids=list(LOGOUT_FAULTS))
def test_logout_descope_fault_maps_to_problem_without_upstream_text(
    lambda_runtime: LambdaRuntime, auth: ModuleType, oidc_env: JwksServer, fault: str
) -> None:
    upstream_status, upstream_body, upstream_headers, status, retry_after = LOGOUT_FAULTS[fault]
    oidc_env.reply_to_management(upstream_status, upstream_body, upstream_headers)
    claims = user_claims(oidc_env.issuer, oidc_env.project_id)

    response = invoke(lambda_runtime, auth, "POST", "/api/auth/logout", principal_claims=claims)

    assert response["statusCode"] == status
    assert response["headers"].get("retry-after") == retry_after
    assert upstream_body["errorDescription"] not in response["body"]
    assert upstream_body["errorCode"] not in response["body"]
    for name, value in SECURITY_HEADERS.items():
        assert response["headers"][name] == value


def test_logout_descope_unreachable_returns_503(
    lambda_runtime: LambdaRuntime, oidc_env: JwksServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DESCOPE_BASE_URL", unused_port_url())
    auth = lambda_runtime.cold_start("auth")
    claims = user_claims(oidc_env.issuer, oidc_env.project_id)

    response = invoke(lambda_runtime, auth, "POST", "/api/auth/logout", principal_claims=claims)

    assert response["statusCode"] == 503
    assert response_json(response)["detail"] == "The identity provider is unavailable."
