"""functions/auth through its Lambda handler against the local identity provider (real OIDC flow, real SDK).

Each access token is first validated as the authorizer validates it (the layer's validator, against the local
identity provider); the function then gets the claims in its authorizer context, as API Gateway passes them.
"""

from types import ModuleType
from typing import Any

import httpx
import jwt
import pytest

from identity_stack import AuthenticationError
from identity_stack.auth.tokens import validate_access_token
from tests.builders import make_event, response_json
from tests.fixtures.idp import LocalIdp
from tests.fixtures.lambda_runtime import LambdaRuntime

ACME_API_KEY = "acme_api"


@pytest.fixture
def auth(lambda_runtime: LambdaRuntime, idp: LocalIdp, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """functions/auth configured as the template configures it, pointed at the local identity provider."""
    idp.reset()
    env = {
        "OIDC_DISCOVERY_URL": idp.discovery_url,
        "OIDC_AUDIENCE": idp.project_id,
        "OIDC_ALLOWED_ISSUERS": f"{idp.issuer},{idp.base_url}/v1/apps/{idp.project_id}",
        "SPA_CLIENT_ID": idp.project_id,
        "DESCOPE_PROJECT_ID": idp.project_id,
        "DESCOPE_BASE_URL": idp.base_url,
        "DESCOPE_MANAGEMENT_KEY": idp.management_key,
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return lambda_runtime.cold_start("auth")


def authorizer_claims(runtime: LambdaRuntime, token: str) -> dict[str, Any]:
    """The claims the authorizer verifies for ``token`` (raises ``AuthenticationError`` where it answers 401)."""
    return runtime.loop.run_until_complete(validate_access_token(token))


def call(runtime: LambdaRuntime, auth: ModuleType, method: str, path: str, token: str) -> dict[str, Any]:
    """The request after the authorizer allowed it: the bearer header, and the verified claims as its context."""
    return runtime.invoke(
        auth, make_event(method, path, token=token, principal_claims=authorizer_claims(runtime, token))
    )


def call_id_token_route(runtime: LambdaRuntime, auth: ModuleType, token: str) -> dict[str, Any]:
    """``POST /api/validate-id-token``: the route validates the bearer ID token itself."""
    return runtime.invoke(auth, make_event("POST", "/api/validate-id-token", token=token))


def token_endpoint(idp: LocalIdp) -> str:
    return httpx.get(idp.discovery_url).json()["token_endpoint"]


def test_read_me_persona_token_returns_principal(
    lambda_runtime: LambdaRuntime, auth: ModuleType, idp: LocalIdp
) -> None:
    tokens = idp.token_for("owner@acme.test")

    response = call(lambda_runtime, auth, "GET", "/api/me", tokens.access_token)

    assert response["statusCode"] == 200
    body = response_json(response)
    assert body["kind"] == "user"
    assert body["sub"] == tokens.claims["sub"]
    assert body["active_tenant_id"] in body["tenants"]
    assert "billing.manage" in body["tenants"][body["active_tenant_id"]]["permissions"]


def test_read_me_two_tenant_persona_without_selection_has_no_active_tenant(
    lambda_runtime: LambdaRuntime, auth: ModuleType, idp: LocalIdp
) -> None:
    tokens = idp.token_for("consultant@example.test")

    body = response_json(call(lambda_runtime, auth, "GET", "/api/me", tokens.access_token))

    assert len(body["tenants"]) == 2
    assert body["active_tenant_id"] == tokens.claims.get("dct")


def test_read_me_access_key_exchange_token_is_access_key(
    lambda_runtime: LambdaRuntime, auth: ModuleType, idp: LocalIdp
) -> None:
    key = idp.seed.access_keys[ACME_API_KEY]
    token = idp.access_key_token(key.key_id, key.secret)

    body = response_json(call(lambda_runtime, auth, "GET", "/api/me", token))

    assert body["kind"] == "access_key"
    assert body["sub"] == key.key_id


def test_read_me_client_credentials_token_is_access_key(
    lambda_runtime: LambdaRuntime, auth: ModuleType, idp: LocalIdp
) -> None:
    key = idp.seed.access_keys[ACME_API_KEY]
    reply = httpx.post(
        token_endpoint(idp),
        data={"grant_type": "client_credentials", "client_id": key.key_id, "client_secret": key.secret},
    )
    reply.raise_for_status()

    response = call(lambda_runtime, auth, "GET", "/api/me", reply.json()["access_token"])

    assert response["statusCode"] == 200
    assert response_json(response)["kind"] == "access_key"


@pytest.mark.parametrize("kind", ["refresh_token", "id_token"])
def test_authorizer_validation_rejects_refresh_and_id_token_as_access_token(
    lambda_runtime: LambdaRuntime, auth: ModuleType, idp: LocalIdp, kind: str
) -> None:
    token = getattr(idp.token_for("member@acme.test"), kind)

    with pytest.raises(AuthenticationError):
        authorizer_claims(lambda_runtime, token)


def test_check_id_token_persona_id_token_returns_claims(
    lambda_runtime: LambdaRuntime, auth: ModuleType, idp: LocalIdp
) -> None:
    tokens = idp.token_for("viewer@acme.test")

    response = call_id_token_route(lambda_runtime, auth, tokens.id_token)

    assert response["statusCode"] == 200
    assert response_json(response)["email"] == "viewer@acme.test"


def client_credentials_token(idp: LocalIdp) -> str:
    key = idp.seed.access_keys[ACME_API_KEY]
    reply = httpx.post(
        token_endpoint(idp),
        data={"grant_type": "client_credentials", "client_id": key.key_id, "client_secret": key.secret},
    )
    reply.raise_for_status()
    return reply.json()["access_token"]


def exchanged_key_token(idp: LocalIdp) -> str:
    key = idp.seed.access_keys[ACME_API_KEY]
    return idp.access_key_token(key.key_id, key.secret)


NOT_ID_TOKENS = {
    "access-token": lambda idp: idp.token_for("viewer@acme.test").access_token,
    "refresh-token": lambda idp: idp.token_for("viewer@acme.test").refresh_token,
    "client-credentials-token": client_credentials_token,
    "exchanged-access-key-token": exchanged_key_token,
}


@pytest.mark.parametrize("kind", list(NOT_ID_TOKENS), ids=list(NOT_ID_TOKENS))
def test_check_id_token_session_refresh_or_key_token_returns_401(
    lambda_runtime: LambdaRuntime, auth: ModuleType, idp: LocalIdp, kind: str
) -> None:
    # The SPA client id is the project id, the `aud` of access and refresh tokens too: only the token's kind
    # (`drn`, the access-key `amr`) tells them from an ID token (review F3).
    token = NOT_ID_TOKENS[kind](idp)

    response = call_id_token_route(lambda_runtime, auth, token)

    assert response["statusCode"] == 401
    assert response_json(response)["type"] == "urn:identity-stack:problem:unauthenticated"


def test_check_id_token_local_idp_id_token_carries_no_descope_session_markers(idp: LocalIdp) -> None:
    # What the ID-token check relies on (`drn` marks Descope session and refresh tokens only).
    id_claims = jwt.decode(idp.token_for("viewer@acme.test").id_token, options={"verify_signature": False})

    assert "drn" not in id_claims
    assert "accesskey" not in [str(method).lower() for method in id_claims.get("amr", [])]
    assert id_claims["aud"] == idp.project_id


def test_read_me_after_key_rotation_accepts_new_tokens(
    lambda_runtime: LambdaRuntime, auth: ModuleType, idp: LocalIdp
) -> None:
    before = call(lambda_runtime, auth, "GET", "/api/me", idp.token_for("admin@acme.test").access_token)
    idp.rotate_keys()

    after = call(lambda_runtime, auth, "GET", "/api/me", idp.token_for("admin@acme.test").access_token)

    assert (before["statusCode"], after["statusCode"]) == (200, 200)


def test_logout_revokes_the_users_refresh_token(lambda_runtime: LambdaRuntime, auth: ModuleType, idp: LocalIdp) -> None:
    tokens = idp.token_for("member@acme.test")

    response = call(lambda_runtime, auth, "POST", "/api/auth/logout", tokens.access_token)
    refresh = httpx.post(
        token_endpoint(idp),
        data={"grant_type": "refresh_token", "refresh_token": tokens.refresh_token, "client_id": idp.project_id},
    )

    assert response["statusCode"] == 200
    assert response_json(response)["sessions_revoked"] is True
    assert refresh.status_code == 400
    assert refresh.json()["error"] == "invalid_grant"


def test_logout_access_key_token_leaves_idp_untouched(
    lambda_runtime: LambdaRuntime, auth: ModuleType, idp: LocalIdp
) -> None:
    key = idp.seed.access_keys[ACME_API_KEY]

    response = call(lambda_runtime, auth, "POST", "/api/auth/logout", idp.access_key_token(key.key_id, key.secret))

    assert response_json(response)["sessions_revoked"] is False
