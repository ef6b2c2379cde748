"""functions/auth through its Lambda handler: the token matrix, cache behaviour, IdP outages, each route."""

import base64
import hashlib
import hmac
import json
import time
from datetime import datetime, timedelta, tzinfo
from types import ModuleType
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from identity_stack.web.headers import SECURITY_HEADERS
from tests.builders import (
    SigningKey,
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


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hs256_with_public_key(server: JwksServer, claims: dict[str, Any]) -> str:
    # The classic algorithm-confusion forgery: HMAC keyed with the RSA public key. PyJWT refuses to create it, so the
    # JWS is assembled by hand (test-only: this is the attack, not a signing path).
    pem = server.signing_key.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT", "kid": server.signing_key.kid}).encode())
    payload = b64url(json.dumps(claims).encode())
    signature = hmac.new(pem, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{b64url(signature)}"


def rejected_tokens(server: JwksServer) -> dict[str, str]:
    issuer, audience, key = server.issuer, server.project_id, server.signing_key
    now = int(time.time())
    return {
        "garbage": "garbage",
        "three-garbage-segments": "a.b.c",
        "expired": make_token(key, user_claims(issuer, audience, iat=now - 7200, exp=now - 3600)),
        "nbf-in-future": make_token(key, user_claims(issuer, audience, nbf=now + 3600)),
        "iat-in-future": make_token(key, user_claims(issuer, audience, iat=now + 3600)),
        "wrong-iss": make_token(key, user_claims("https://evil.example/P2TestProject000000000000000", audience)),
        "no-iss": make_token(key, user_claims(issuer, audience, iss=None)),
        "wrong-aud": make_token(key, user_claims(issuer, "P2OtherProject")),
        "other-project": make_token(key, user_claims(f"{server.base_url}/P2OtherProject", "P2OtherProject")),
        "alg-none": jwt.encode(user_claims(issuer, audience), key=None, algorithm="none", headers={"kid": key.kid}),
        "hs256-with-public-key": hs256_with_public_key(server, user_claims(issuer, audience)),
        "foreign-key-known-kid": make_token(SigningKey.rsa(key.kid), user_claims(issuer, audience)),
        "missing-sub": make_token(key, user_claims(issuer, audience, sub=None)),
        "missing-exp": make_token(key, user_claims(issuer, audience, exp=None)),
        "missing-iat": make_token(key, user_claims(issuer, audience, iat=None)),
        "no-aud-not-session-token": make_token(key, user_claims(issuer, audience, aud=None, drn=None)),
        "no-aud-refresh-token": make_token(key, access_key_claims(issuer, drn="DSR")),
        "refresh-token-with-aud": make_token(key, user_claims(issuer, audience, drn="DSR")),
        "id-token-as-access-token": make_token(key, user_claims(issuer, audience, nonce="n-0S6_WzA2Mj")),
    }


REJECTED_CASES = [
    "garbage",
    "three-garbage-segments",
    "expired",
    "nbf-in-future",
    "iat-in-future",
    "wrong-iss",
    "no-iss",
    "wrong-aud",
    "other-project",
    "alg-none",
    "hs256-with-public-key",
    "foreign-key-known-kid",
    "missing-sub",
    "missing-exp",
    "missing-iat",
    "no-aud-not-session-token",
    "no-aud-refresh-token",
    "refresh-token-with-aud",
    "id-token-as-access-token",
]


@pytest.mark.parametrize("case", REJECTED_CASES, ids=REJECTED_CASES)
def test_read_me_rejected_token_returns_uniform_401(
    lambda_runtime: LambdaRuntime, auth: ModuleType, oidc_env: JwksServer, case: str
) -> None:
    token = rejected_tokens(oidc_env)[case]

    response = invoke(lambda_runtime, auth, "GET", "/api/me", token=token)

    assert_uniform_401(response)


@pytest.mark.parametrize(
    "authorization",
    [None, "Basic dXNlcjpwYXNz", "Bearer", "Bearer "],
    ids=["no-header", "basic-scheme", "bearer-without-token", "bearer-empty-token"],
)
def test_read_me_without_bearer_token_returns_401_without_error_code(
    lambda_runtime: LambdaRuntime, auth: ModuleType, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization is not None else {}

    response = invoke(lambda_runtime, auth, "GET", "/api/me", headers=headers)

    assert_uniform_401(response, challenge="Bearer")


def test_read_me_unknown_kid_refetches_jwks_once_then_returns_401(
    lambda_runtime: LambdaRuntime, auth: ModuleType, oidc_env: JwksServer
) -> None:
    stranger = SigningKey.rsa("unknown-kid")
    claims = user_claims(oidc_env.issuer, oidc_env.project_id)
    jwks_fetches_after_init = oidc_env.jwks_fetches

    first = invoke(lambda_runtime, auth, "GET", "/api/me", token=make_token(stranger, claims))
    second = invoke(lambda_runtime, auth, "GET", "/api/me", token=make_token(SigningKey.rsa("another-kid"), claims))

    assert_uniform_401(first)
    assert_uniform_401(second)
    # One refetch for the first unknown kid; the second falls inside py-identity-model's refresh cooldown.
    assert oidc_env.jwks_fetches == jwks_fetches_after_init + 1


@pytest.mark.parametrize("key_name", ["signing_key", "ec_key"], ids=["rs256", "es256"])
def test_read_me_user_token_returns_principal(
    lambda_runtime: LambdaRuntime, auth: ModuleType, oidc_env: JwksServer, key_name: str
) -> None:
    token = make_token(getattr(oidc_env, key_name), user_claims(oidc_env.issuer, oidc_env.project_id))

    response = invoke(lambda_runtime, auth, "GET", "/api/me", token=token)

    assert response["statusCode"] == 200
    body = response_json(response)
    assert body["sub"] == "U2userAcmeAdmin"
    assert body["kind"] == "user"
    assert body["issuer"] == oidc_env.issuer
    assert body["active_tenant_id"] == "T-acme"
    assert body["tenants"] == {"T-acme": {"roles": ["admin"], "permissions": ["members.invite", "documents.read"]}}
    # Nested claims stay JSON objects (upstream serialised them as Python reprs).
    assert body["claims"]["tenants"]["T-acme"]["roles"] == ["admin"]


def test_read_me_access_key_token_infers_single_tenant(
    lambda_runtime: LambdaRuntime, auth: ModuleType, oidc_env: JwksServer
) -> None:
    token = make_token(oidc_env.signing_key, access_key_claims(oidc_env.issuer))

    response = invoke(lambda_runtime, auth, "GET", "/api/me", token=token)

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
    token = make_token(oidc_env.signing_key, user_claims(oidc_env.issuer, oidc_env.project_id, aud=None))

    response = invoke(lambda_runtime, auth, "GET", "/api/me", token=token)

    assert response["statusCode"] == 200
    assert response_json(response)["kind"] == "user"


def test_read_me_session_token_from_apps_issuer_returns_200(
    lambda_runtime: LambdaRuntime, auth: ModuleType, oidc_env: JwksServer
) -> None:
    apps_issuer = f"{oidc_env.base_url}/v1/apps/{oidc_env.project_id}"
    token = make_token(oidc_env.signing_key, access_key_claims(apps_issuer))

    response = invoke(lambda_runtime, auth, "GET", "/api/me", token=token)

    assert response["statusCode"] == 200
    assert response_json(response)["issuer"] == apps_issuer


def test_read_me_token_accepted_then_expired_is_rejected(
    lambda_runtime: LambdaRuntime, auth: ModuleType, oidc_env: JwksServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Regression (upstream §7.3 item 23): a token validated once must not stay valid past `exp` through a cache.
    token = make_token(
        oidc_env.signing_key, user_claims(oidc_env.issuer, oidc_env.project_id, exp=int(time.time()) + 60)
    )
    accepted = invoke(lambda_runtime, auth, "GET", "/api/me", token=token)

    class Later(datetime):
        """PyJWT's clock, moved past `exp` plus the 30 s leeway."""

        @classmethod
        def now(cls, tz: tzinfo | None = None) -> "Later":
            return super().now(tz) + timedelta(seconds=95)

    monkeypatch.setattr(jwt.api_jwt, "datetime", Later)
    rejected = invoke(lambda_runtime, auth, "GET", "/api/me", token=token)

    assert accepted["statusCode"] == 200
    assert_uniform_401(rejected)


def test_handler_warm_invocations_fetch_discovery_and_jwks_once(
    lambda_runtime: LambdaRuntime, auth: ModuleType, oidc_env: JwksServer
) -> None:
    token = make_token(oidc_env.signing_key, user_claims(oidc_env.issuer, oidc_env.project_id))

    statuses = {invoke(lambda_runtime, auth, "GET", "/api/me", token=token)["statusCode"] for _ in range(100)}

    assert statuses == {200}
    assert (oidc_env.discovery_fetches, oidc_env.jwks_fetches) == (1, 1)


def test_handler_key_rotation_costs_one_jwks_refetch(
    lambda_runtime: LambdaRuntime, auth: ModuleType, oidc_env: JwksServer
) -> None:
    rotated = SigningKey.rsa("rsa-2")
    oidc_env.publish(rotated)
    token = make_token(rotated, user_claims(oidc_env.issuer, oidc_env.project_id))

    statuses = [invoke(lambda_runtime, auth, "GET", "/api/me", token=token)["statusCode"] for _ in range(5)]

    assert statuses == [200] * 5
    assert (oidc_env.discovery_fetches, oidc_env.jwks_fetches) == (1, 2)


def test_handler_idp_down_at_cold_start_returns_503_then_recovers(
    lambda_runtime: LambdaRuntime, oidc_env: JwksServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    oidc_env.fail_with(503)
    auth = lambda_runtime.cold_start("auth")  # priming fails and is swallowed: the import must not crash
    token = make_token(oidc_env.signing_key, user_claims(oidc_env.issuer, oidc_env.project_id))

    down = invoke(lambda_runtime, auth, "GET", "/api/me", token=token)
    oidc_env.fail_with(None)
    back = invoke(lambda_runtime, auth, "GET", "/api/me", token=token)

    assert down["statusCode"] == 503
    assert down["headers"]["retry-after"] == "5"
    assert down["headers"]["content-type"] == "application/problem+json"
    assert response_json(down)["title"] == "Upstream service unavailable"
    assert "503" not in response_json(down).get("detail", "")
    for name, value in SECURITY_HEADERS.items():
        assert down["headers"][name] == value
    assert back["statusCode"] == 200


def test_handler_idp_unreachable_at_cold_start_returns_503(
    lambda_runtime: LambdaRuntime, oidc_env: JwksServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    down_base = unused_port_url()
    monkeypatch.setenv("OIDC_DISCOVERY_URL", f"{down_base}/{oidc_env.project_id}/.well-known/openid-configuration")
    auth = lambda_runtime.cold_start("auth")
    token = make_token(oidc_env.signing_key, user_claims(oidc_env.issuer, oidc_env.project_id))

    response = invoke(lambda_runtime, auth, "GET", "/api/me", token=token)

    assert response["statusCode"] == 503
    assert response["headers"]["retry-after"] == "5"


def test_read_claims_returns_validated_claims(
    lambda_runtime: LambdaRuntime, auth: ModuleType, oidc_env: JwksServer
) -> None:
    claims = user_claims(oidc_env.issuer, oidc_env.project_id)

    response = invoke(lambda_runtime, auth, "GET", "/api/claims", token=make_token(oidc_env.signing_key, claims))

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
    token = make_token(oidc_env.signing_key, access_key_claims(oidc_env.issuer))

    response = invoke(lambda_runtime, auth, "POST", "/api/auth/logout", token=token)

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
    token = make_token(oidc_env.signing_key, user_claims(oidc_env.issuer, oidc_env.project_id))

    response = invoke(lambda_runtime, auth, "POST", "/api/auth/logout", token=token)

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
    token = make_token(oidc_env.signing_key, user_claims(oidc_env.issuer, oidc_env.project_id))

    response = invoke(lambda_runtime, auth, "POST", "/api/auth/logout", token=token)

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
    token = make_token(oidc_env.signing_key, user_claims(oidc_env.issuer, oidc_env.project_id))

    response = invoke(lambda_runtime, auth, "POST", "/api/auth/logout", token=token)

    assert response["statusCode"] == 503
    assert response_json(response)["detail"] == "The identity provider is unavailable."
