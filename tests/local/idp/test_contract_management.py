"""Contract: the real descope SDK (2.16.1) drives every management call the functions use and gets its shapes."""

from collections.abc import Iterator

import pytest
from descope import AssociatedTenant, AuthException, DescopeClient

from tests.fixtures.idp import LocalIdp


@pytest.fixture
def sdk(idp: LocalIdp) -> Iterator[DescopeClient]:
    idp.reset()
    yield idp.descope_client()
    idp.reset()


def _error_code(exc: AuthException) -> str:
    import json

    return json.loads(exc.error_message)["errorCode"]


def test_sdk_construction_performs_license_handshake(idp: LocalIdp, sdk: DescopeClient) -> None:
    assert sdk.mgmt.license.get()["rateLimitTier"] == "tier2"


def test_tenant_create_load_search_update_delete_round_trip(idp: LocalIdp, sdk: DescopeClient) -> None:
    created = sdk.mgmt.tenant.create("Initech", custom_attributes={"plan_tier": "free", "max_members": 5})
    tenant_id = created["id"]

    loaded = sdk.mgmt.tenant.load(tenant_id)
    sdk.mgmt.tenant.update(tenant_id, "Initech LLC", custom_attributes={"plan_tier": "pro", "max_members": 20})
    searched = sdk.mgmt.tenant.search_all(ids=[tenant_id])["tenants"]
    every = sdk.mgmt.tenant.load_all()["tenants"]
    sdk.mgmt.tenant.delete(tenant_id)

    assert tenant_id.startswith("T2")
    assert loaded["name"] == "Initech"
    assert loaded["customAttributes"] == {"plan_tier": "free", "max_members": 5}
    assert isinstance(loaded["createdTime"], int)
    assert searched[0]["name"] == "Initech LLC"
    assert searched[0]["customAttributes"]["max_members"] == 20
    assert {t["id"] for t in every} >= {tenant_id, *idp.seed.tenant_ids.values()}
    with pytest.raises(AuthException) as missing:
        sdk.mgmt.tenant.load(tenant_id)
    assert missing.value.status_code == 400
    assert _error_code(missing.value) == "E114102"


def test_tenant_create_duplicate_name_is_refused(sdk: DescopeClient) -> None:
    with pytest.raises(AuthException) as duplicate:
        sdk.mgmt.tenant.create("Acme Corp")

    assert _error_code(duplicate.value) == "E114107"


def test_tenant_delete_cascade_removes_only_single_tenant_members(idp: LocalIdp, sdk: DescopeClient) -> None:
    sdk.mgmt.tenant.delete(idp.seed.tenant_ids["acme"], cascade=True)

    remaining = {u["loginIds"][0] for u in sdk.mgmt.user.search_all()["users"]}

    assert "owner@acme.test" not in remaining
    assert "consultant@example.test" in remaining
    assert sdk.mgmt.access_key.search_all_access_keys()["keys"] == []


def test_user_create_invite_load_and_search(idp: LocalIdp, sdk: DescopeClient) -> None:
    acme = idp.seed.tenant_ids["acme"]

    created = sdk.mgmt.user.create(
        "new.hire@acme.test", display_name="New Hire", user_tenants=[AssociatedTenant(acme, ["member"])]
    )["user"]
    invited = sdk.mgmt.user.invite("guest@acme.test", user_tenants=[AssociatedTenant(acme, ["viewer"])])["user"]
    by_login = sdk.mgmt.user.load("new.hire@acme.test")["user"]
    by_id = sdk.mgmt.user.load_by_user_id(created["userId"])["user"]
    in_acme = sdk.mgmt.user.search_all(tenant_ids=[acme])
    by_ids = sdk.mgmt.user.search_all(user_ids=[created["userId"], invited["userId"]])["users"]
    by_login_ids = sdk.mgmt.user.search_all(login_ids=["guest@acme.test"])["users"]

    assert created["status"] == "invited"
    assert created["name"] == "New Hire"
    assert created["email"] == "new.hire@acme.test"
    assert created["verifiedEmail"] is True
    assert created["userTenants"] == [
        {
            "tenantId": acme,
            "tenantName": "Acme Corp",
            "roleNames": ["member"],
            "permissions": sorted(
                ["projects.read", "projects.update", "members.invite", "documents.read", "documents.write"]
            ),
        }
    ]
    assert by_login["userId"] == by_id["userId"] == created["userId"]
    acme_logins = {u["loginIds"][0] for u in in_acme["users"]}
    assert in_acme["total"] == len(in_acme["users"])
    assert {"new.hire@acme.test", "guest@acme.test", "consultant@example.test"} <= acme_logins
    assert "owner@globex.test" not in acme_logins
    assert {u["loginIds"][0] for u in by_ids} == {"new.hire@acme.test", "guest@acme.test"}
    assert [u["userId"] for u in by_login_ids] == [invited["userId"]]


def test_user_create_duplicate_login_id_is_refused(sdk: DescopeClient) -> None:
    with pytest.raises(AuthException) as duplicate:
        sdk.mgmt.user.create("owner@acme.test")

    assert _error_code(duplicate.value) == "E062107"


def test_user_load_unknown_is_user_not_found(sdk: DescopeClient) -> None:
    with pytest.raises(AuthException) as missing:
        sdk.mgmt.user.load("nobody@nowhere.test")

    assert missing.value.status_code == 400
    assert _error_code(missing.value) == "E112102"


def test_user_status_tenants_roles_and_attributes_updates(idp: LocalIdp, sdk: DescopeClient) -> None:
    acme, globex = idp.seed.tenant_ids["acme"], idp.seed.tenant_ids["globex"]
    users = sdk.mgmt.user

    assert users.deactivate("member@acme.test")["user"]["status"] == "disabled"
    assert users.activate("member@acme.test")["user"]["status"] == "enabled"
    users.add_tenant("member@acme.test", globex)
    users.add_tenant_roles("member@acme.test", globex, ["viewer"])
    users.set_tenant_roles("member@acme.test", acme, ["admin", "member"])
    users.remove_tenant_roles("member@acme.test", acme, ["admin"])
    users.update_custom_attribute("member@acme.test", "job_title", "Staff engineer")
    user = users.load("member@acme.test")["user"]
    roles = {entry["tenantId"]: entry["roleNames"] for entry in user["userTenants"]}
    removed = users.remove_tenant("member@acme.test", globex)["user"]

    assert roles == {acme: ["member"], globex: ["viewer"]}
    assert user["customAttributes"]["job_title"] == "Staff engineer"
    assert [entry["tenantId"] for entry in removed["userTenants"]] == [acme]


def test_user_add_unknown_role_is_refused_and_changes_nothing(idp: LocalIdp, sdk: DescopeClient) -> None:
    acme = idp.seed.tenant_ids["acme"]

    with pytest.raises(AuthException) as refused:
        sdk.mgmt.user.add_tenant_roles("member@acme.test", acme, ["superuser"])

    assert _error_code(refused.value) == "E011003"
    assert sdk.mgmt.user.load("member@acme.test")["user"]["userTenants"][0]["roleNames"] == ["member"]


def test_user_logout_revokes_refresh_tokens(idp: LocalIdp, sdk: DescopeClient) -> None:
    import httpx

    tokens = idp.token_for("viewer@acme.test")

    sdk.mgmt.user.logout_user("viewer@acme.test")
    refresh = httpx.post(
        f"{idp.base_url}/oauth2/v1/token",
        data={"grant_type": "refresh_token", "refresh_token": tokens.refresh_token, "client_id": idp.project_id},
    )

    assert refresh.json()["error"] == "invalid_grant"


def test_access_key_create_load_search_update_status_delete(idp: LocalIdp, sdk: DescopeClient) -> None:
    globex = idp.seed.tenant_ids["globex"]
    keys = sdk.mgmt.access_key

    created = keys.create("globex-ci", key_tenants=[AssociatedTenant(globex, ["viewer"])], description="CI")
    key_id = created["key"]["id"]
    keys.update(key_id, "globex-ci-renamed")
    keys.deactivate(key_id)
    inactive = keys.load(key_id)["key"]
    keys.activate(key_id)
    in_globex = keys.search_all_access_keys(tenant_ids=[globex])["keys"]
    keys.delete(key_id)

    assert created["cleartext"]
    assert created["key"]["keyTenants"] == [{"tenantId": globex, "tenantName": "Globex Inc", "roleNames": ["viewer"]}]
    assert created["key"]["permittedIps"] == []
    assert "secretHash" not in created["key"]
    assert inactive["status"] == "inactive"
    assert inactive["name"] == "globex-ci-renamed"
    assert inactive["description"] == "CI"
    assert [k["id"] for k in in_globex] == [key_id]
    assert [k["status"] for k in in_globex] == ["active"]
    with pytest.raises(AuthException):
        keys.load(key_id)


def test_roles_and_permissions_load_all_and_search(sdk: DescopeClient) -> None:
    roles = {role["name"]: role for role in sdk.mgmt.role.load_all()["roles"]}
    searched = sdk.mgmt.role.search(role_names=["viewer"])["roles"]
    permissions = {p["name"] for p in sdk.mgmt.permission.load_all()["permissions"]}

    assert set(roles) == {"owner", "admin", "member", "viewer"}
    assert "billing.manage" not in roles["admin"]["permissionNames"]
    assert [role["name"] for role in searched] == ["viewer"]
    assert "keys.manage" in permissions
