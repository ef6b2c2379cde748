"""Contract: the real descope SDK (2.16.1) drives every management call the functions use and gets its shapes.

Cases that take ``contract`` run against the local provider and, with ``DESCOPE_PROJECT_ID`` and
``DESCOPE_MANAGEMENT_KEY`` set, against a real Descope project (``[live]``, skipped by name otherwise; see
tests/local/idp/contract.py). The others read the local seed (personas, Acme and Globex) and stay local.
"""

from collections.abc import Iterator

import pytest
from descope import AssociatedTenant, AuthException, DescopeClient

from tests.fixtures.idp import LocalIdp
from tests.local.idp.contract import ContractTarget

TENANT_ROLES = {"owner", "admin", "member", "viewer"}


@pytest.fixture
def sdk(idp: LocalIdp) -> Iterator[DescopeClient]:
    idp.reset()
    yield idp.descope_client()
    idp.reset()


def _error_code(exc: AuthException) -> str:
    import json

    return json.loads(exc.error_message)["errorCode"]


def test_sdk_construction_performs_license_handshake(contract: ContractTarget) -> None:
    assert contract.sdk.mgmt.license.get()["rateLimitTier"].startswith("tier")


def test_sdk_license_tier_of_local_provider_is_tier2(sdk: DescopeClient) -> None:
    assert sdk.mgmt.license.get()["rateLimitTier"] == "tier2"


def create_tenant(contract: ContractTarget, name: str, **options: object) -> str:
    """A tenant of the target, deleted after the test."""
    tenant_id = contract.sdk.mgmt.tenant.create(name, **options)["id"]
    contract.on_teardown(contract.sdk.mgmt.tenant.delete, tenant_id, True)
    return tenant_id


def test_tenant_create_load_search_update_delete_round_trip(contract: ContractTarget) -> None:
    tenants = contract.sdk.mgmt.tenant
    name = contract.unique("Initech")
    tenant_id = tenants.create(name, custom_attributes={"plan_tier": "free", "max_members": 5})["id"]
    contract.on_teardown(tenants.delete, tenant_id, True)

    loaded = tenants.load(tenant_id)
    tenants.update(tenant_id, f"{name} LLC", custom_attributes={"plan_tier": "pro", "max_members": 20})
    searched = tenants.search_all(ids=[tenant_id])["tenants"]
    every = tenants.load_all()["tenants"]
    tenants.delete(tenant_id)

    assert tenant_id.startswith("T2")
    assert loaded["name"] == name
    assert loaded["customAttributes"] == {"plan_tier": "free", "max_members": 5}
    assert isinstance(loaded["createdTime"], int)
    assert searched[0]["name"] == f"{name} LLC"
    assert searched[0]["customAttributes"]["max_members"] == 20
    assert tenant_id in {t["id"] for t in every}
    with pytest.raises(AuthException) as missing:
        tenants.load(tenant_id)
    assert missing.value.status_code == 400


def test_tenant_load_after_delete_is_local_tenant_not_found(idp: LocalIdp, sdk: DescopeClient) -> None:
    tenant_id = sdk.mgmt.tenant.create("Initech")["id"]
    sdk.mgmt.tenant.delete(tenant_id)

    with pytest.raises(AuthException) as missing:
        sdk.mgmt.tenant.load(tenant_id)

    assert _error_code(missing.value) == "E114102"
    assert {t["id"] for t in sdk.mgmt.tenant.load_all()["tenants"]} >= set(idp.seed.tenant_ids.values())


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


def create_user(contract: ContractTarget, login_id: str, **options: object) -> dict[str, object]:
    """A user of the target, deleted after the test."""
    user = contract.sdk.mgmt.user.create(login_id, **options)["user"]
    contract.on_teardown(contract.sdk.mgmt.user.delete, login_id)
    return user


def test_user_create_duplicate_login_id_is_refused(contract: ContractTarget) -> None:
    login_id = f"{contract.unique('duplicate')}@example.com"
    create_user(contract, login_id)

    with pytest.raises(AuthException) as duplicate:
        contract.sdk.mgmt.user.create(login_id)

    assert _error_code(duplicate.value) == "E062107"


def test_user_load_unknown_is_user_not_found(contract: ContractTarget) -> None:
    with pytest.raises(AuthException) as missing:
        contract.sdk.mgmt.user.load(f"{contract.unique('nobody')}@example.com")

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


def test_user_add_unknown_role_is_refused_and_changes_nothing(contract: ContractTarget) -> None:
    tenant_id = create_tenant(contract, contract.unique("Roles"))
    login_id = f"{contract.unique('member')}@example.com"
    create_user(contract, login_id, user_tenants=[AssociatedTenant(tenant_id, ["member"])])

    with pytest.raises(AuthException) as refused:
        contract.sdk.mgmt.user.add_tenant_roles(login_id, tenant_id, ["superuser"])

    assert _error_code(refused.value) == "E011003"
    assert contract.sdk.mgmt.user.load(login_id)["user"]["userTenants"][0]["roleNames"] == ["member"]


def test_user_logout_revokes_refresh_tokens(idp: LocalIdp, sdk: DescopeClient) -> None:
    import httpx

    tokens = idp.token_for("viewer@acme.test")

    sdk.mgmt.user.logout_user("viewer@acme.test")
    refresh = httpx.post(
        f"{idp.base_url}/oauth2/v1/token",
        data={"grant_type": "refresh_token", "refresh_token": tokens.refresh_token, "client_id": idp.project_id},
    )

    assert refresh.json()["error"] == "invalid_grant"


def test_access_key_create_load_search_update_status_delete(contract: ContractTarget) -> None:
    tenant_name = contract.unique("Keys")
    tenant_id = create_tenant(contract, tenant_name)
    keys = contract.sdk.mgmt.access_key

    created = keys.create("tenant-ci", key_tenants=[AssociatedTenant(tenant_id, ["viewer"])], description="CI")
    key_id = created["key"]["id"]
    contract.on_teardown(keys.delete, key_id)
    keys.update(key_id, "tenant-ci-renamed")
    keys.deactivate(key_id)
    inactive = keys.load(key_id)["key"]
    keys.activate(key_id)
    in_tenant = keys.search_all_access_keys(tenant_ids=[tenant_id])["keys"]
    keys.delete(key_id)

    assert created["cleartext"]
    assert created["key"]["keyTenants"] == [{"tenantId": tenant_id, "tenantName": tenant_name, "roleNames": ["viewer"]}]
    assert created["key"]["permittedIps"] == []
    assert "secretHash" not in created["key"]
    assert inactive["status"] == "inactive"
    assert inactive["name"] == "tenant-ci-renamed"
    assert inactive["description"] == "CI"
    assert [k["id"] for k in in_tenant] == [key_id]
    assert [k["status"] for k in in_tenant] == ["active"]
    with pytest.raises(AuthException):
        keys.load(key_id)


def test_roles_of_local_provider_are_exactly_the_terraform_roles(sdk: DescopeClient) -> None:
    assert {role["name"] for role in sdk.mgmt.role.load_all()["roles"]} == TENANT_ROLES


def test_roles_and_permissions_load_all_and_search(contract: ContractTarget) -> None:
    sdk = contract.sdk
    roles = {role["name"]: role for role in sdk.mgmt.role.load_all()["roles"]}
    searched = sdk.mgmt.role.search(role_names=["viewer"])["roles"]
    permissions = {p["name"] for p in sdk.mgmt.permission.load_all()["permissions"]}

    # A real project also has Descope's built-in roles ("Tenant Admin"); infra/rbac.tf adds these four.
    assert set(roles) >= TENANT_ROLES
    assert "billing.manage" not in roles["admin"]["permissionNames"]
    assert [role["name"] for role in searched] == ["viewer"]
    assert "keys.manage" in permissions
