"""Contract: the real descope SDK's auth calls (key path, access-key exchange, logout) against the provider.

Cases that take ``contract`` also run against a real Descope project (``[live]``, skipped by name without
``DESCOPE_PROJECT_ID`` and ``DESCOPE_MANAGEMENT_KEY``; tests/local/idp/contract.py); the others use the local seed.
"""

import httpx
import pytest
from descope import AccessKeyLoginOptions, AssociatedTenant, AuthException

from tests.fixtures.idp import LocalIdp
from tests.local.idp.contract import ContractTarget


def test_access_key_exchange_of_new_key_gives_session_token_for_selected_tenant(contract: ContractTarget) -> None:
    sdk = contract.sdk
    tenant_id = sdk.mgmt.tenant.create(contract.unique("Exchange"))["id"]
    contract.on_teardown(sdk.mgmt.tenant.delete, tenant_id, True)
    created = sdk.mgmt.access_key.create("exchange", key_tenants=[AssociatedTenant(tenant_id, ["viewer"])])
    contract.on_teardown(sdk.mgmt.access_key.delete, created["key"]["id"])

    result = sdk.exchange_access_key(
        created["cleartext"], login_options=AccessKeyLoginOptions(selected_tenant=tenant_id)
    )
    claims = sdk.validate_session(result["sessionToken"]["jwt"])

    assert result["keyId"] == created["key"]["id"]
    assert claims["sub"] == created["key"]["id"]
    assert "aud" not in claims
    assert claims["dct"] == tenant_id
    assert claims["tenants"][tenant_id]["roles"] == ["viewer"]


def test_access_key_exchange_gives_session_form_token(idp: LocalIdp) -> None:
    key = idp.seed.access_keys["acme_api"]
    acme = idp.seed.tenant_ids["acme"]

    jwt = idp.access_key_token(key.key_id, key.secret, tenant=acme)
    claims = idp.descope_client().validate_session(jwt)

    assert claims["iss"] == idp.issuer
    assert "aud" not in claims
    assert claims["sub"] == key.key_id
    assert claims["dct"] == acme
    assert claims["tenants"] == {acme: {"roles": ["viewer"], "permissions": ["documents.read", "projects.read"]}}
    assert claims["projectId"] == idp.project_id
    assert claims["exp"] - claims["iat"] == 180


def test_access_key_exchange_without_tenant_has_no_dct_and_carries_login_claims(idp: LocalIdp) -> None:
    key = idp.seed.access_keys["integration_tests"]

    result = idp.descope_client().exchange_access_key(
        key.secret, login_options=AccessKeyLoginOptions(custom_claims={"run": "ci-42"})
    )

    assert result["keyId"] == key.key_id
    assert "dct" not in result["sessionToken"]
    assert result["sessionToken"]["nsec"] == {"run": "ci-42"}


def test_access_key_exchange_tenant_not_of_key_is_refused(idp: LocalIdp) -> None:
    key = idp.seed.access_keys["acme_api"]

    with pytest.raises(AuthException) as refused:
        idp.access_key_token(key.key_id, key.secret, tenant=idp.seed.tenant_ids["globex"])

    assert refused.value.status_code == 400


@pytest.mark.parametrize("change", ["deactivate", "delete", "rotate"])
def test_access_key_exchange_after_change_is_401(idp: LocalIdp, change: str) -> None:
    key = idp.seed.access_keys["acme_api"]
    try:
        if change == "rotate":
            idp.descope_client().mgmt.access_key.rotate(key.key_id)
        else:
            getattr(idp.descope_client().mgmt.access_key, change)(key.key_id)

        with pytest.raises(AuthException) as refused:
            idp.access_key_token(key.key_id, key.secret)
    finally:
        idp.reset()

    assert refused.value.status_code == 401


def test_access_key_exchange_wrong_secret_is_401(contract: ContractTarget) -> None:
    with pytest.raises(AuthException) as refused:
        contract.sdk.exchange_access_key("not-a-key")

    assert refused.value.status_code == 401


def test_sdk_validate_session_fetches_keys_from_v2_path(idp: LocalIdp) -> None:
    before = idp.requests.count(f"/v2/keys/{idp.project_id}")
    from descope import DescopeClient

    fresh = DescopeClient(idp.project_id, base_url=idp.base_url)
    claims = fresh.validate_session(idp.token_for("owner@acme.test").access_token)

    assert claims["userId"].startswith("U2")
    assert idp.requests.count(f"/v2/keys/{idp.project_id}") == before + 1


@pytest.mark.parametrize("method", ["logout", "logout_all"])
def test_sdk_logout_revokes_refresh_token(idp: LocalIdp, method: str) -> None:
    tokens = idp.token_for("member@acme.test")

    getattr(idp.descope_client(), method)(tokens.refresh_token)
    refresh = httpx.post(
        f"{idp.base_url}/oauth2/v1/token",
        data={"grant_type": "refresh_token", "refresh_token": tokens.refresh_token, "client_id": idp.project_id},
    )

    assert refresh.json()["error"] == "invalid_grant"
    with pytest.raises(AuthException) as again:
        idp.descope_client().logout(tokens.refresh_token)
    assert again.value.status_code == 401
