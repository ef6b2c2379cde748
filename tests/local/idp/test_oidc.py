"""OIDC flow against the running provider: discovery policy, tokens per persona, tenant selection, userinfo."""

import time
import types

import httpx
import pytest
from py_identity_model import DiscoveryDocumentRequest, TokenValidationConfig, get_discovery_document
from py_identity_model.aio import validate_id_token, validate_token

from local.idp import SignInError
from local.idp.routes import oidc as oidc_routes
from tests.fixtures.idp import LocalIdp

PERSONA_GRANTS = {
    "platform@identity-stack.test": ({}, ["admin"]),
    "owner@acme.test": ({"acme": ["owner"]}, []),
    "admin@acme.test": ({"acme": ["admin"]}, []),
    "member@acme.test": ({"acme": ["member"]}, []),
    "viewer@acme.test": ({"acme": ["viewer"]}, []),
    "owner@globex.test": ({"globex": ["owner"]}, []),
    "consultant@example.test": ({"globex": ["admin"], "acme": ["viewer"]}, []),
    "newcomer@example.test": ({}, []),
}

pytestmark = pytest.mark.usefixtures("fresh_async_token_validation")


def _config(idp: LocalIdp, audience: str) -> TokenValidationConfig:
    return TokenValidationConfig(
        perform_disco=True, audience=audience, allowed_issuers=[idp.issuer], options={"require": ["exp", "iat", "sub"]}
    )


def test_discovery_default_policy_accepts_document(idp: LocalIdp) -> None:
    document = get_discovery_document(DiscoveryDocumentRequest(address=idp.discovery_url))

    assert document.is_successful, document.error
    assert document.issuer == idp.issuer
    assert document.jwks_uri == f"{idp.issuer}/.well-known/jwks.json"
    assert document.end_session_endpoint.startswith(idp.base_url)


@pytest.mark.parametrize(("login_id", "grants"), PERSONA_GRANTS.items(), ids=list(PERSONA_GRANTS))
async def test_token_for_persona_validates_with_descope_claims(
    idp: LocalIdp, login_id: str, grants: tuple[dict[str, list[str]], list[str]]
) -> None:
    tenant_roles, project_roles = grants

    tokens = idp.token_for(login_id)
    claims = await validate_token(tokens.access_token, _config(idp, idp.project_id), idp.discovery_url)

    assert claims["iss"] == idp.issuer
    assert claims["aud"] == idp.project_id
    assert claims["sub"].startswith("U2")
    assert claims["drn"] == "DS"
    expected_tenants = {idp.seed.tenant_ids[name]: roles for name, roles in tenant_roles.items()}
    assert {tid: grant["roles"] for tid, grant in claims["tenants"].items()} == expected_tenants
    assert claims["roles"] == project_roles


async def test_token_for_platform_carries_project_permission(idp: LocalIdp) -> None:
    claims = idp.token_for("platform@identity-stack.test").claims

    assert "projects.create" in claims["permissions"]
    assert claims["tenants"] == {}
    assert "dct" not in claims


def test_token_for_single_tenant_user_sets_dct(idp: LocalIdp) -> None:
    assert idp.token_for("viewer@acme.test").claims["dct"] == idp.seed.tenant_ids["acme"]


def test_token_for_two_tenant_user_without_tenant_has_no_dct(idp: LocalIdp) -> None:
    assert "dct" not in idp.token_for("consultant@example.test").claims


def test_token_for_requested_tenant_selects_dct(idp: LocalIdp) -> None:
    globex = idp.seed.tenant_ids["globex"]

    claims = idp.token_for("consultant@example.test", tenant=globex).claims

    assert claims["dct"] == globex
    assert "settings.manage" in claims["tenants"][globex]["permissions"]


def test_token_for_tenant_of_other_user_is_refused(idp: LocalIdp) -> None:
    with pytest.raises(SignInError) as refused:
        idp.token_for("owner@acme.test", tenant=idp.seed.tenant_ids["globex"])

    assert refused.value.error == "access_denied"


async def test_id_token_validates_with_spa_client_audience(idp: LocalIdp) -> None:
    tokens = idp.token_for("member@acme.test")

    claims = await validate_id_token(
        tokens.id_token, _config(idp, idp.project_id), idp.discovery_url, access_token=tokens.access_token
    )

    assert claims["email"] == "member@acme.test"
    assert claims["name"] == "Mia Member"
    assert claims["nonce"]


def test_userinfo_with_access_token_returns_profile(idp: LocalIdp) -> None:
    tokens = idp.token_for("admin@acme.test")

    answer = httpx.get(f"{idp.base_url}/oauth2/v1/userinfo", headers={"Authorization": f"Bearer {tokens.access_token}"})

    assert answer.status_code == 200
    assert answer.json()["email"] == "admin@acme.test"
    assert answer.json()["sub"] == tokens.claims["sub"]


def test_userinfo_with_refresh_token_is_401(idp: LocalIdp) -> None:
    tokens = idp.token_for("admin@acme.test")

    answer = httpx.get(
        f"{idp.base_url}/oauth2/v1/userinfo", headers={"Authorization": f"Bearer {tokens.refresh_token}"}
    )

    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == 'Bearer error="invalid_token"'


def test_refresh_token_grant_rotates_and_keeps_tenant(idp: LocalIdp) -> None:
    globex = idp.seed.tenant_ids["globex"]
    tokens = idp.token_for("consultant@example.test", tenant=globex)

    answer = httpx.post(
        f"{idp.base_url}/oauth2/v1/token",
        data={"grant_type": "refresh_token", "refresh_token": tokens.refresh_token, "client_id": idp.project_id},
    )

    body = answer.json()
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-store"
    assert body["refresh_token"] != tokens.refresh_token
    assert idp.runtime.tokens.verify(body["access_token"], drn="DS")["dct"] == globex


def test_refresh_token_grant_id_token_keeps_original_auth_time(idp: LocalIdp, monkeypatch: pytest.MonkeyPatch) -> None:
    # Regression (OIDC Core §12.2): a refreshed ID token carried auth_time = now, so oidc-client-ts rejected the
    # silent renew ("auth_time in id_token does not match original") whenever a second had passed since sign-in.
    tokens = idp.token_for("viewer@acme.test")
    original = idp.runtime.tokens.keys.verify(tokens.id_token)
    later = time.time() + 120
    monkeypatch.setattr(oidc_routes, "time", types.SimpleNamespace(time=lambda: later))

    answer = httpx.post(
        f"{idp.base_url}/oauth2/v1/token",
        data={"grant_type": "refresh_token", "refresh_token": tokens.refresh_token, "client_id": idp.project_id},
    )

    refreshed = idp.runtime.tokens.keys.verify(answer.json()["id_token"])
    assert answer.status_code == 200
    assert refreshed["iat"] == int(later)
    assert refreshed["auth_time"] == original["auth_time"]


def test_client_credentials_grant_issues_project_audience_token(idp: LocalIdp) -> None:
    key = idp.seed.access_keys["integration_tests"]

    answer = httpx.post(
        f"{idp.base_url}/oauth2/v1/token",
        data={"grant_type": "client_credentials"},
        auth=(key.key_id, key.secret),
    )

    claims = idp.runtime.tokens.verify(answer.json()["access_token"], drn="DS")
    assert answer.status_code == 200
    assert claims["aud"] == idp.project_id
    assert claims["sub"] == key.key_id
    assert claims["tenants"][idp.seed.tenant_ids["acme"]]["roles"] == ["admin"]


def test_authorize_without_login_hint_shows_escaped_persona_page(idp: LocalIdp) -> None:
    params = {
        "response_type": "code",
        "client_id": idp.project_id,
        "redirect_uri": "http://127.0.0.1:3000",
        "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        "code_challenge_method": "S256",
        "state": '"><script>alert(1)</script>',
    }

    answer = httpx.get(f"{idp.base_url}/oauth2/v1/authorize", params=params)

    assert answer.status_code == 200
    assert "owner@acme.test" in answer.text
    assert "<script>" not in answer.text
    assert "default-src 'none'" in answer.headers["content-security-policy"]


def test_end_session_revokes_session_and_redirects(idp: LocalIdp) -> None:
    tokens = idp.token_for("member@acme.test")

    answer = httpx.get(
        f"{idp.base_url}/oauth2/v1/logout",
        params={"id_token_hint": tokens.id_token, "post_logout_redirect_uri": "http://localhost:3000", "state": "s1"},
    )
    refresh = httpx.post(
        f"{idp.base_url}/oauth2/v1/token",
        data={"grant_type": "refresh_token", "refresh_token": tokens.refresh_token, "client_id": idp.project_id},
    )

    assert answer.status_code == 302
    assert answer.headers["location"] == "http://localhost:3000?state=s1"
    assert refresh.json()["error"] == "invalid_grant"


def test_revocation_of_refresh_token_ends_session(idp: LocalIdp) -> None:
    tokens = idp.token_for("viewer@acme.test")

    revoked = httpx.post(
        f"{idp.base_url}/oauth2/v1/revoke", data={"token": tokens.refresh_token, "client_id": idp.project_id}
    )
    refresh = httpx.post(
        f"{idp.base_url}/oauth2/v1/token",
        data={"grant_type": "refresh_token", "refresh_token": tokens.refresh_token, "client_id": idp.project_id},
    )

    assert revoked.status_code == 200
    assert refresh.status_code == 400
    assert refresh.json()["error"] == "invalid_grant"


def test_cors_preflight_from_spa_origin_is_allowed(idp: LocalIdp) -> None:
    answer = httpx.options(
        f"{idp.base_url}/oauth2/v1/token",
        headers={"Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST"},
    )

    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] == "http://localhost:3000"


def test_persona_page_choice_posts_back_and_redirects_with_code(idp: LocalIdp) -> None:
    params = {
        "response_type": "code",
        "client_id": idp.project_id,
        "redirect_uri": "http://localhost:3000",
        "scope": "openid",
        "state": "s-42",
        "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        "code_challenge_method": "S256",
    }

    answer = httpx.post(f"{idp.base_url}/oauth2/v1/authorize", data=params | {"login_id": "owner@globex.test"})

    assert answer.status_code == 302
    assert answer.headers["location"].startswith("http://localhost:3000?code=")
    assert answer.headers["location"].endswith("&state=s-42")
