"""functions/roles through the local gateway against the local identity provider.

The escalation matrix lives in tests/attacks/test_role_escalation.py; here: the read routes, input validation,
provider faults (nothing changed after any of them); the shipped events are checked in tests/local/invoke.
"""

from types import SimpleNamespace as Fake
from typing import Any

import pytest

from identity_stack.adapters.descope.client import IdentityProviderClient
from identity_stack.config import Settings
from identity_stack.errors import UpstreamError
from tests.fixtures.gateway import GatewayClient
from tests.fixtures.idp import LocalIdp

OWNER, ADMIN, MEMBER, VIEWER = "owner@acme.test", "admin@acme.test", "member@acme.test", "viewer@acme.test"
PLATFORM = "platform@identity-stack.test"
USER_LOAD = "/v1/mgmt/user"
USER_SEARCH = "/v2/mgmt/user/search"
ROLE_ADD = "/v2/mgmt/user/update/role/add"
ROLE_REMOVE = "/v1/mgmt/user/update/role/remove"
ROLES_ALL = "/v1/mgmt/role/all"
PROBLEM_TYPE = "urn:identity-stack:problem:"


def token(idp: LocalIdp, login_id: str, tenant: str | None = None) -> str:
    return idp.token_for(login_id, tenant=idp.seed.tenant_ids[tenant] if tenant else None).access_token


def user_id(idp: LocalIdp, login_id: str) -> str:
    return idp.descope_client().mgmt.user.load(login_id)["user"]["userId"]


def acme_roles(idp: LocalIdp, login_id: str) -> list[str]:
    user = idp.descope_client().mgmt.user.load(login_id)["user"]
    acme = idp.seed.tenant_ids["acme"]
    return next(sorted(entry["roleNames"]) for entry in user["userTenants"] if entry["tenantId"] == acme)


# --- GET /api/roles/me -----------------------------------------------------------------------------------------


def test_read_my_roles_user_returns_token_grants_and_current_roles(gateway: GatewayClient, fresh_idp: LocalIdp) -> None:
    tokens = fresh_idp.token_for(ADMIN)
    acme = fresh_idp.seed.tenant_ids["acme"]

    response = gateway.request("GET", "/api/roles/me", token=tokens.access_token)

    body = response.json()
    assert response.status_code == 200
    assert body["tenant_id"] == acme
    assert body["roles"] == tokens.claims["tenants"][acme]["roles"] == ["admin"]
    assert sorted(body["permissions"]) == sorted(tokens.claims["tenants"][acme]["permissions"])
    assert body["current_roles"] == ["admin"]


def test_read_my_roles_after_provider_change_shows_stale_token(gateway: GatewayClient, fresh_idp: LocalIdp) -> None:
    stale = token(fresh_idp, MEMBER)
    fresh_idp.descope_client().mgmt.user.set_tenant_roles(MEMBER, fresh_idp.seed.tenant_ids["acme"], ["viewer"])

    body = gateway.request("GET", "/api/roles/me", token=stale).json()

    assert (body["roles"], body["current_roles"]) == (["member"], ["viewer"])


def test_read_my_roles_access_key_has_no_current_roles(gateway: GatewayClient, fresh_idp: LocalIdp) -> None:
    acme = fresh_idp.seed.tenant_ids["acme"]
    key = fresh_idp.seed.access_keys["acme_api"]

    response = gateway.request("GET", "/api/roles/me", token=fresh_idp.access_key_token(key.key_id, key.secret, acme))

    assert response.status_code == 200
    assert response.json()["current_roles"] is None
    assert fresh_idp.requests.count(USER_LOAD) == 0


def test_read_my_roles_without_active_tenant_returns_403(gateway: GatewayClient, fresh_idp: LocalIdp) -> None:
    response = gateway.request("GET", "/api/roles/me", token=token(fresh_idp, PLATFORM))

    assert response.status_code == 403
    assert response.json()["type"] == PROBLEM_TYPE + "active-tenant-required"


# --- GET /api/roles --------------------------------------------------------------------------------------------


def test_list_roles_returns_known_roles_highest_first_as_the_provider_defines_them(
    gateway: GatewayClient, fresh_idp: LocalIdp
) -> None:
    with fresh_idp.runtime.store.write() as state:  # a project role the API does not know must not be offered
        state["roles"]["auditor"] = {**state["roles"]["viewer"], "name": "auditor"}
    defined = {role["name"]: role for role in fresh_idp.descope_client().mgmt.role.load_all()["roles"]}

    response = gateway.request("GET", "/api/roles", token=token(fresh_idp, VIEWER))

    roles = response.json()["roles"]
    assert response.status_code == 200
    assert [role["name"] for role in roles] == ["owner", "admin", "member", "viewer"]
    for role in roles:
        assert role["permissions"] == defined[role["name"]]["permissionNames"]
        assert role["description"] == defined[role["name"]]["description"]


def test_list_roles_without_token_returns_401(gateway: GatewayClient, fresh_idp: LocalIdp) -> None:
    response = gateway.request("GET", "/api/roles")

    assert response.status_code == 401
    assert fresh_idp.requests.count(ROLES_ALL) == 0


async def test_list_role_definitions_leaves_out_tenant_scoped_roles(monkeypatch: pytest.MonkeyPatch) -> None:
    async def load_all() -> dict[str, Any]:
        return {
            "roles": [
                {"name": "admin", "description": None, "permissionNames": ["a"], "tenantId": ""},
                {"name": "admin", "description": "globex's own", "permissionNames": ["b"], "tenantId": "T2globex"},
            ]
        }

    client = IdentityProviderClient(Settings(descope_project_id="P2Test"))
    monkeypatch.setattr(client, "_client", lambda: Fake(mgmt=Fake(role=Fake(load_all=load_all))))

    roles = await client.list_role_definitions()

    assert [(role.name, role.description, role.permissions) for role in roles] == [("admin", "", ["a"])]


async def test_list_role_definitions_unreadable_reply_raises_upstream_error(monkeypatch: pytest.MonkeyPatch) -> None:
    async def load_all() -> dict[str, Any]:
        return {"roles": [{"description": "no name"}]}

    client = IdentityProviderClient(Settings(descope_project_id="P2Test"))
    monkeypatch.setattr(client, "_client", lambda: Fake(mgmt=Fake(role=Fake(load_all=load_all))))

    with pytest.raises(UpstreamError):
        await client.list_role_definitions()


# --- POST /api/roles/assign and /remove: input ------------------------------------------------------------------

INVALID_BODIES = {
    "unknown-role": {"role_names": ["superuser"]},
    "unknown-among-known": {"role_names": ["viewer", "Owner"]},
    "empty-list": {"role_names": []},
    "eleven-roles": {"role_names": ["viewer"] * 11},
    "role-not-a-list": {"role_names": "viewer"},
    "missing-user": {"user_id": None, "role_names": ["viewer"]},
    "blank-user": {"user_id": "  ", "role_names": ["viewer"]},
    "long-user": {"user_id": "U" * 256, "role_names": ["viewer"]},
    "extra-field": {"role_names": ["viewer"], "tenant": "x"},
}


@pytest.mark.parametrize("action", ["assign", "remove"])
@pytest.mark.parametrize("case", sorted(INVALID_BODIES), ids=sorted(INVALID_BODIES))
def test_role_change_invalid_body_returns_422_and_calls_no_provider(
    gateway: GatewayClient, fresh_idp: LocalIdp, action: str, case: str
) -> None:
    body = {"user_id": user_id(fresh_idp, MEMBER), **INVALID_BODIES[case]}
    body = {key: value for key, value in body.items() if value is not None}
    calls_before = fresh_idp.requests.count(USER_LOAD)

    response = gateway.request("POST", f"/api/roles/{action}", token=token(fresh_idp, OWNER), json=body)

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"]
    assert fresh_idp.requests.count(USER_LOAD) == calls_before
    assert acme_roles(fresh_idp, MEMBER) == ["member"]


def test_assign_roles_duplicate_names_are_granted_once(gateway: GatewayClient, fresh_idp: LocalIdp) -> None:
    response = gateway.request(
        "POST",
        "/api/roles/assign",
        token=token(fresh_idp, ADMIN),
        json={"user_id": user_id(fresh_idp, MEMBER), "role_names": ["viewer", "viewer"]},
    )

    assert response.status_code == 200
    assert sorted(response.json()["roles"]) == acme_roles(fresh_idp, MEMBER) == ["member", "viewer"]


def test_assign_roles_by_member_returns_403_without_naming_a_role(gateway: GatewayClient, fresh_idp: LocalIdp) -> None:
    response = gateway.request(
        "POST",
        "/api/roles/assign",
        token=token(fresh_idp, MEMBER),
        json={"user_id": user_id(fresh_idp, VIEWER), "role_names": ["viewer"]},
    )

    assert response.status_code == 403
    assert response.json()["required_permissions"] == ["members.update_role"]
    assert not {"owner", "admin"} & set(response.text.split('"'))
    assert acme_roles(fresh_idp, VIEWER) == ["viewer"]


def test_assign_roles_resolves_user_id_to_login_id(gateway: GatewayClient, fresh_idp: LocalIdp) -> None:
    # The SDK sends only `loginId` on role changes; the provider looks it up among login ids, so a user id sent in
    # its place would answer "user not found" (404) instead of changing the roles.
    response = gateway.request(
        "POST",
        "/api/roles/assign",
        token=token(fresh_idp, ADMIN),
        json={"user_id": user_id(fresh_idp, VIEWER), "role_names": ["member"]},
    )

    assert response.status_code == 200
    assert response.json()["user_id"] == user_id(fresh_idp, VIEWER)
    assert acme_roles(fresh_idp, VIEWER) == ["member", "viewer"]


def test_assign_roles_to_user_without_login_id_returns_502_and_changes_nothing(
    gateway: GatewayClient, fresh_idp: LocalIdp
) -> None:
    viewer_id = user_id(fresh_idp, VIEWER)
    caller = token(fresh_idp, ADMIN)
    with fresh_idp.runtime.store.write() as state:
        state["users"][viewer_id]["loginIds"] = []
    calls_before = fresh_idp.requests.count(ROLE_ADD)

    response = gateway.request(
        "POST", "/api/roles/assign", token=caller, json={"user_id": viewer_id, "role_names": ["member"]}
    )

    assert response.status_code == 502
    assert response.json()["detail"] == "The identity provider returned a user without a login id."
    assert fresh_idp.requests.count(ROLE_ADD) == calls_before
    with fresh_idp.runtime.store.read() as state:
        assert state["users"][viewer_id]["tenants"][fresh_idp.seed.tenant_ids["acme"]] == ["viewer"]


# --- provider faults: 404 passes through, anything else is a generic 502/503, and nothing changes ---------------

FAULTS = {
    # (path armed, fault kind, status) -> expected status; Descope's 503 is retried for 10 s by the SDK, 500 is not.
    "refused": ("error", 400, 502),
    "broken": ("error", 500, 503),
    "unreadable": ("malformed", 500, 502),
    "rate-limited": ("rate_limit", 500, 503),
}
ROUTE_CALLS = {
    "assign-load-target": ("assign", USER_LOAD),
    "assign-mutation": ("assign", ROLE_ADD),
    "remove-owner-search": ("remove", USER_SEARCH),
    "remove-mutation": ("remove", ROLE_REMOVE),
}


@pytest.mark.parametrize("fault", sorted(FAULTS), ids=sorted(FAULTS))
@pytest.mark.parametrize("call", sorted(ROUTE_CALLS), ids=sorted(ROUTE_CALLS))
def test_role_change_provider_fault_returns_generic_problem_and_changes_nothing(
    gateway: GatewayClient, fresh_idp: LocalIdp, fault: str, call: str
) -> None:
    kind, status, expected = FAULTS[fault]
    action, path = ROUTE_CALLS[call]
    fresh_idp.descope_client().mgmt.user.add_tenant_roles(ADMIN, fresh_idp.seed.tenant_ids["acme"], ["owner"])
    caller = token(fresh_idp, OWNER)
    target = user_id(fresh_idp, ADMIN)
    before = (acme_roles(fresh_idp, OWNER), acme_roles(fresh_idp, ADMIN))
    # Two owners, so removing one passes every check and reaches the mutation; the admin has no member role yet.
    role = "member" if action == "assign" else "owner"
    fresh_idp.faults.add(path, kind, status=status)

    response = gateway.request(
        "POST", f"/api/roles/{action}", token=caller, json={"user_id": target, "role_names": [role]}
    )

    assert response.status_code == expected
    assert response.headers["content-type"] == "application/problem+json"
    assert "njected" not in response.text
    assert "E000500" not in response.text
    assert (acme_roles(fresh_idp, OWNER), acme_roles(fresh_idp, ADMIN)) == before
    assert fresh_idp.faults.pending() == []


READ_CALLS = {"read-my-roles": ("/api/roles/me", USER_LOAD), "list-roles": ("/api/roles", ROLES_ALL)}


@pytest.mark.parametrize("fault", sorted(FAULTS), ids=sorted(FAULTS))
@pytest.mark.parametrize("call", sorted(READ_CALLS), ids=sorted(READ_CALLS))
def test_read_route_provider_fault_returns_generic_problem(
    gateway: GatewayClient, fresh_idp: LocalIdp, fault: str, call: str
) -> None:
    kind, status, expected = FAULTS[fault]
    route, path = READ_CALLS[call]
    caller = token(fresh_idp, ADMIN)
    fresh_idp.faults.add(path, kind, status=status)

    response = gateway.request("GET", route, token=caller)

    assert response.status_code == expected
    assert response.json()["detail"].startswith("The identity provider")
    if expected == 503:
        assert int(response.headers["retry-after"]) > 0


def test_read_my_roles_of_deleted_user_returns_no_current_roles(gateway: GatewayClient, fresh_idp: LocalIdp) -> None:
    stale = token(fresh_idp, MEMBER)
    fresh_idp.descope_client().mgmt.user.delete(MEMBER)

    response = gateway.request("GET", "/api/roles/me", token=stale)

    assert response.status_code == 200
    assert response.json()["current_roles"] == []
