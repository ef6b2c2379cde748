"""functions/members through the local API Gateway, the local identity provider and moto.

The whole member life cycle by an Acme admin; suspension in one tenant leaves the others working; owner and
last-owner rules; provider and DynamoDB faults leave nothing changed.
"""

from typing import Any

import httpx
import pytest

from tests.fixtures.gateway import GatewayClient
from tests.fixtures.idp import LocalIdp

ACME_OWNER = "owner@acme.test"
ACME_ADMIN = "admin@acme.test"
ACME_MEMBER = "member@acme.test"
CONSULTANT = "consultant@example.test"  # admin of Globex, viewer of Acme
NEWCOMER = "newcomer@example.test"  # a user of no tenant
DISABLED = "disabled@acme.test"
GLOBEX_OWNER = "owner@globex.test"
ROLE_REMOVE = "/v1/mgmt/user/update/role/remove"
ROLE_ADD = "/v2/mgmt/user/update/role/add"
USER_LOGOUT = "/v1/mgmt/user/logout"
TENANT_REMOVE = "/v1/mgmt/user/update/tenant/remove"
USER_CREATE = "/v1/mgmt/user/create"
PROVIDER_BROKEN = 500


@pytest.fixture
def acme(fresh_idp: LocalIdp) -> str:
    return fresh_idp.seed.tenant_ids["acme"]


@pytest.fixture
def globex(fresh_idp: LocalIdp) -> str:
    return fresh_idp.seed.tenant_ids["globex"]


def token(idp: LocalIdp, login_id: str, tenant: str) -> str:
    return idp.token_for(login_id, tenant=tenant).access_token


def user(idp: LocalIdp, login_id: str) -> dict[str, Any]:
    return idp.descope_client().mgmt.user.load(login_id)["user"]


def tenant_roles(idp: LocalIdp, login_id: str) -> dict[str, list[str]]:
    return {entry["tenantId"]: entry["roleNames"] for entry in user(idp, login_id)["userTenants"]}


def refresh(idp: LocalIdp, refresh_token: str) -> httpx.Response:
    endpoint = httpx.get(idp.discovery_url, trust_env=False).json()["token_endpoint"]
    return httpx.post(
        endpoint,
        data={"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": idp.project_id},
        trust_env=False,
    )


def all_members(gateway: GatewayClient, admin: str, limit: int = 2) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    query = f"limit={limit}"
    while True:
        page = gateway.request("GET", f"/api/members?{query}", token=admin)
        assert page.status_code == 200
        items.extend(page.json()["items"])
        if page.json()["next_cursor"] is None:
            return items
        query = f"limit={limit}&cursor={page.json()['next_cursor']}"


def test_member_life_cycle_by_acme_admin_through_gateway(
    gateway: GatewayClient, fresh_idp: LocalIdp, acme: str
) -> None:
    admin = token(fresh_idp, ACME_ADMIN, acme)

    invited = gateway.request("POST", "/api/members/invite", token=admin, json={"email": "New.Hire@Example.COM"})
    user_id = invited.json()["user_id"]
    listed = {m["user_id"]: m for m in all_members(gateway, admin)}
    suspended = gateway.request("POST", f"/api/members/{user_id}/deactivate", token=admin)
    status_while_suspended = {m["user_id"]: m["status"] for m in all_members(gateway, admin)}[user_id]
    reinstated = gateway.request("POST", f"/api/members/{user_id}/activate", token=admin)
    removed = gateway.request("DELETE", f"/api/members/{user_id}", token=admin)
    after_removal = {m["user_id"] for m in all_members(gateway, admin)}

    assert invited.status_code == 201
    assert invited.json() | {"user_id": "-"} == {
        "user_id": "-",
        "email": "new.hire@example.com",
        "name": "",
        "roles": ["member"],
        "status": "invited",
    }
    assert listed[user_id]["status"] == "invited"
    assert {m["email"]: m["status"] for m in listed.values()}[DISABLED] == "disabled"
    assert {m["email"]: m["roles"] for m in listed.values()}[CONSULTANT] == ["viewer"]
    assert (suspended.status_code, suspended.json()["status"], suspended.json()["roles"]) == (200, "suspended", [])
    assert status_while_suspended == "suspended"
    assert (reinstated.status_code, reinstated.json()["roles"]) == (200, ["member"])
    assert removed.status_code == 204
    assert user_id not in after_removal


def test_list_members_shows_only_active_tenant_with_its_roles(
    gateway: GatewayClient, fresh_idp: LocalIdp, acme: str, globex: str
) -> None:
    acme_members = all_members(gateway, token(fresh_idp, ACME_ADMIN, acme), limit=100)
    globex_members = all_members(gateway, token(fresh_idp, GLOBEX_OWNER, globex), limit=100)

    assert {m["email"] for m in acme_members} == {
        ACME_OWNER,
        ACME_ADMIN,
        ACME_MEMBER,
        "viewer@acme.test",
        CONSULTANT,
        DISABLED,
    }
    assert {m["email"]: m["roles"] for m in globex_members} == {GLOBEX_OWNER: ["owner"], CONSULTANT: ["admin"]}


def test_list_members_cursor_with_other_limit_returns_422(
    gateway: GatewayClient, fresh_idp: LocalIdp, acme: str
) -> None:
    admin = token(fresh_idp, ACME_ADMIN, acme)
    first = gateway.request("GET", "/api/members?limit=2", token=admin).json()

    response = gateway.request("GET", f"/api/members?limit=3&cursor={first['next_cursor']}", token=admin)

    assert response.status_code == 422


def test_invite_existing_user_adds_to_tenant_and_member_again_returns_409(
    gateway: GatewayClient, fresh_idp: LocalIdp, acme: str
) -> None:
    admin = token(fresh_idp, ACME_ADMIN, acme)

    added = gateway.request(
        "POST", "/api/members/invite", token=admin, json={"email": NEWCOMER, "role_names": ["viewer"]}
    )
    again = gateway.request("POST", "/api/members/invite", token=admin, json={"email": NEWCOMER})
    existing = gateway.request("POST", "/api/members/invite", token=admin, json={"email": ACME_MEMBER})

    assert (added.status_code, added.json()["status"], added.json()["roles"]) == (201, "active", ["viewer"])
    assert tenant_roles(fresh_idp, NEWCOMER) == {acme: ["viewer"]}
    assert [again.status_code, existing.status_code] == [409, 409]
    assert fresh_idp.requests.count(USER_CREATE) == 0


def test_invite_by_member_is_allowed_up_to_member_rank(gateway: GatewayClient, fresh_idp: LocalIdp, acme: str) -> None:
    member = token(fresh_idp, ACME_MEMBER, acme)

    allowed = gateway.request("POST", "/api/members/invite", token=member, json={"email": "a@example.com"})
    refused = gateway.request(
        "POST", "/api/members/invite", token=member, json={"email": "b@example.com", "role_names": ["admin"]}
    )

    assert allowed.status_code == 201
    assert refused.status_code == 403
    assert fresh_idp.descope_client().mgmt.user.search_all(emails=["b@example.com"])["users"] == []


def test_suspension_in_acme_leaves_globex_working(
    gateway: GatewayClient, fresh_idp: LocalIdp, acme: str, globex: str
) -> None:
    consultant = user(fresh_idp, CONSULTANT)
    globex_session = fresh_idp.token_for(CONSULTANT, tenant=globex)

    suspended = gateway.request(
        "POST", f"/api/members/{consultant['userId']}/deactivate", token=token(fresh_idp, ACME_ADMIN, acme)
    )
    refreshed = refresh(fresh_idp, globex_session.refresh_token)
    globex_again = fresh_idp.token_for(CONSULTANT, tenant=globex)
    acme_again = fresh_idp.token_for(CONSULTANT, tenant=acme)

    assert suspended.status_code == 200
    assert user(fresh_idp, CONSULTANT)["status"] == "enabled"  # never disabled project-wide
    assert refreshed.status_code == 200  # a member of Globex too: Acme cannot sign them out of Globex
    assert gateway.request("GET", "/api/members", token=globex_again.access_token).status_code == 200
    assert globex_again.claims["tenants"][globex]["roles"] == ["admin"]
    assert acme_again.claims["tenants"][acme]["roles"] == []
    assert gateway.request("GET", f"/api/tenants/{acme}/resources", token=acme_again.access_token).status_code == 403


def test_suspend_member_of_other_tenant_keeps_their_sessions(
    gateway: GatewayClient, fresh_idp: LocalIdp, acme: str, globex: str
) -> None:
    # Regression (review F1): suspension revoked sessions project-wide, so an Acme admin looping deactivate and
    # activate kept a Globex admin signed out of Globex.
    consultant_id = user(fresh_idp, CONSULTANT)["userId"]
    globex_session = fresh_idp.token_for(CONSULTANT, tenant=globex)
    admin = token(fresh_idp, ACME_ADMIN, acme)

    cycles = [
        gateway.request("POST", f"/api/members/{consultant_id}/{action}", token=admin).status_code
        for action in ("deactivate", "activate", "deactivate")
    ]
    refreshed = refresh(fresh_idp, globex_session.refresh_token)

    assert cycles == [200, 200, 200]
    assert fresh_idp.requests.count(USER_LOGOUT) == 0
    assert refreshed.status_code == 200
    refreshed_token = refreshed.json()["access_token"]
    assert gateway.request("GET", "/api/members", token=refreshed_token).status_code == 200
    assert gateway.request("GET", "/api/roles/me", token=refreshed_token).json()["roles"] == ["admin"]


def test_suspend_member_of_no_other_tenant_revokes_their_sessions(
    gateway: GatewayClient, fresh_idp: LocalIdp, acme: str
) -> None:
    session = fresh_idp.token_for(ACME_MEMBER, tenant=acme)
    member_id = user(fresh_idp, ACME_MEMBER)["userId"]

    suspended = gateway.request(
        "POST", f"/api/members/{member_id}/deactivate", token=token(fresh_idp, ACME_ADMIN, acme)
    )
    refreshed = refresh(fresh_idp, session.refresh_token)

    assert suspended.status_code == 200
    assert fresh_idp.requests.count(USER_LOGOUT) == 1
    assert refreshed.status_code == 400
    assert refreshed.json()["error"] == "invalid_grant"


def test_reinstate_restores_roles_and_not_suspended_returns_409(
    gateway: GatewayClient, fresh_idp: LocalIdp, acme: str
) -> None:
    admin = token(fresh_idp, ACME_ADMIN, acme)
    member_id = user(fresh_idp, ACME_MEMBER)["userId"]

    not_suspended = gateway.request("POST", f"/api/members/{member_id}/activate", token=admin)
    gateway.request("POST", f"/api/members/{member_id}/deactivate", token=admin)
    twice = gateway.request("POST", f"/api/members/{member_id}/deactivate", token=admin)
    gateway.request("POST", f"/api/members/{member_id}/activate", token=admin)

    assert [not_suspended.status_code, twice.status_code] == [409, 409]
    assert tenant_roles(fresh_idp, ACME_MEMBER) == {acme: ["member"]}
    assert fresh_idp.token_for(ACME_MEMBER, tenant=acme).claims["tenants"][acme]["roles"] == ["member"]


def test_remove_member_leaves_other_tenants(
    gateway: GatewayClient, fresh_idp: LocalIdp, acme: str, globex: str
) -> None:
    consultant = user(fresh_idp, CONSULTANT)

    removed = gateway.request(
        "DELETE", f"/api/members/{consultant['userId']}", token=token(fresh_idp, ACME_ADMIN, acme)
    )

    assert removed.status_code == 204
    assert tenant_roles(fresh_idp, CONSULTANT) == {globex: ["admin"]}


@pytest.mark.parametrize(
    ("method", "suffix"),
    [("POST", "/deactivate"), ("DELETE", "")],
    ids=["suspend", "remove"],
)
def test_admin_acting_on_owner_returns_403_and_changes_nothing(
    gateway: GatewayClient, fresh_idp: LocalIdp, acme: str, method: str, suffix: str
) -> None:
    owner_id = user(fresh_idp, ACME_OWNER)["userId"]

    response = gateway.request(method, f"/api/members/{owner_id}{suffix}", token=token(fresh_idp, ACME_ADMIN, acme))

    assert response.status_code == 403
    assert response.json()["type"] == "urn:identity-stack:problem:role-change-denied"
    assert tenant_roles(fresh_idp, ACME_OWNER) == {acme: ["owner"]}


def test_admin_cannot_reinstate_suspended_owner(gateway: GatewayClient, fresh_idp: LocalIdp, acme: str) -> None:
    fresh_idp.descope_client().mgmt.user.add_tenant_roles(ACME_ADMIN, acme, ["owner"])
    owner_id = user(fresh_idp, ACME_OWNER)["userId"]
    suspended = gateway.request("POST", f"/api/members/{owner_id}/deactivate", token=token(fresh_idp, ACME_ADMIN, acme))
    fresh_idp.descope_client().mgmt.user.remove_tenant_roles(ACME_ADMIN, acme, ["owner"])

    response = gateway.request("POST", f"/api/members/{owner_id}/activate", token=token(fresh_idp, ACME_ADMIN, acme))

    assert suspended.status_code == 200  # by an owner: two owners, so not the last
    assert response.status_code == 403
    assert tenant_roles(fresh_idp, ACME_OWNER) == {acme: []}


@pytest.mark.parametrize(
    ("method", "suffix"),
    [("POST", "/deactivate"), ("DELETE", "")],
    ids=["suspend", "remove"],
)
def test_last_owner_cannot_be_suspended_or_removed(
    gateway: GatewayClient, fresh_idp: LocalIdp, acme: str, method: str, suffix: str
) -> None:
    owner_id = user(fresh_idp, ACME_OWNER)["userId"]

    response = gateway.request(method, f"/api/members/{owner_id}{suffix}", token=token(fresh_idp, ACME_OWNER, acme))

    assert response.status_code == 409
    assert response.json()["type"] == "urn:identity-stack:problem:last-owner"
    assert tenant_roles(fresh_idp, ACME_OWNER) == {acme: ["owner"]}


def test_owner_with_second_owner_may_remove_first(gateway: GatewayClient, fresh_idp: LocalIdp, acme: str) -> None:
    owner = token(fresh_idp, ACME_OWNER, acme)
    admin_id = user(fresh_idp, ACME_ADMIN)["userId"]
    fresh_idp.descope_client().mgmt.user.add_tenant_roles(ACME_ADMIN, acme, ["owner"])
    second_owner = token(fresh_idp, ACME_ADMIN, acme)

    removed = gateway.request("DELETE", f"/api/members/{user(fresh_idp, ACME_OWNER)['userId']}", token=second_owner)
    last = gateway.request("DELETE", f"/api/members/{admin_id}", token=owner)

    assert removed.status_code == 204
    assert acme not in tenant_roles(fresh_idp, ACME_OWNER)
    assert last.status_code == 403  # the removed owner's token is still valid, but the provider's roles decide
    assert tenant_roles(fresh_idp, ACME_ADMIN) == {acme: ["admin", "owner"]}


@pytest.mark.parametrize("fault_path", [USER_LOGOUT, ROLE_REMOVE], ids=["logout-fails", "role-removal-fails"])
def test_suspend_provider_fault_returns_503_and_leaves_member_unchanged(
    gateway: GatewayClient, fresh_idp: LocalIdp, acme: str, fault_path: str
) -> None:
    admin = token(fresh_idp, ACME_ADMIN, acme)
    member_id = user(fresh_idp, ACME_MEMBER)["userId"]
    fresh_idp.faults.add(fault_path, "error", status=PROVIDER_BROKEN)

    response = gateway.request("POST", f"/api/members/{member_id}/deactivate", token=admin)
    statuses = {m["user_id"]: m["status"] for m in all_members(gateway, admin, limit=100)}

    assert response.status_code == 503
    assert tenant_roles(fresh_idp, ACME_MEMBER) == {acme: ["member"]}
    assert statuses[member_id] == "active"


def test_reinstate_provider_fault_returns_503_and_member_stays_suspended(
    gateway: GatewayClient, fresh_idp: LocalIdp, acme: str
) -> None:
    admin = token(fresh_idp, ACME_ADMIN, acme)
    member_id = user(fresh_idp, ACME_MEMBER)["userId"]
    gateway.request("POST", f"/api/members/{member_id}/deactivate", token=admin)
    fresh_idp.faults.add(ROLE_ADD, "error", status=PROVIDER_BROKEN)

    response = gateway.request("POST", f"/api/members/{member_id}/activate", token=admin)
    statuses = {m["user_id"]: m["status"] for m in all_members(gateway, admin, limit=100)}
    retried = gateway.request("POST", f"/api/members/{member_id}/activate", token=admin)

    assert response.status_code == 503
    assert statuses[member_id] == "suspended"
    assert (retried.status_code, retried.json()["roles"]) == (200, ["member"])


def test_remove_suspended_member_provider_fault_keeps_suspension(
    gateway: GatewayClient, fresh_idp: LocalIdp, acme: str
) -> None:
    admin = token(fresh_idp, ACME_ADMIN, acme)
    member_id = user(fresh_idp, ACME_MEMBER)["userId"]
    gateway.request("POST", f"/api/members/{member_id}/deactivate", token=admin)
    fresh_idp.faults.add(TENANT_REMOVE, "error", status=PROVIDER_BROKEN)

    response = gateway.request("DELETE", f"/api/members/{member_id}", token=admin)
    reinstated = gateway.request("POST", f"/api/members/{member_id}/activate", token=admin)

    assert response.status_code == 503
    assert (reinstated.status_code, reinstated.json()["roles"]) == (200, ["member"])


def test_invite_provider_fault_returns_503_and_creates_nobody(
    gateway: GatewayClient, fresh_idp: LocalIdp, acme: str
) -> None:
    fresh_idp.faults.add(USER_CREATE, "error", status=PROVIDER_BROKEN)

    response = gateway.request(
        "POST", "/api/members/invite", token=token(fresh_idp, ACME_ADMIN, acme), json={"email": "c@example.com"}
    )

    assert response.status_code == 503
    assert "errorCode" not in response.text
    assert fresh_idp.descope_client().mgmt.user.search_all(emails=["c@example.com"])["users"] == []


def set_custom_attributes(idp: LocalIdp, tenant_id: str, **changes: object) -> None:
    sdk = idp.descope_client()
    tenant = sdk.mgmt.tenant.load(tenant_id)
    sdk.mgmt.tenant.update(tenant_id, tenant["name"], custom_attributes={**tenant["customAttributes"], **changes})


def member_count(idp: LocalIdp, tenant_id: str) -> int:
    return idp.descope_client().mgmt.user.search_all(tenant_ids=[tenant_id])["total"]


@pytest.mark.parametrize("email", [NEWCOMER, "brand-new@example.test"], ids=["existing-user", "new-user"])
def test_invite_tenant_at_max_members_returns_409_and_changes_nothing(
    gateway: GatewayClient, fresh_idp: LocalIdp, globex: str, email: str
) -> None:
    set_custom_attributes(fresh_idp, globex, max_members=member_count(fresh_idp, globex))
    members_before = member_count(fresh_idp, globex)

    response = gateway.request(
        "POST", "/api/members/invite", token=token(fresh_idp, GLOBEX_OWNER, globex), json={"email": email}
    )

    assert response.status_code == 409
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"].endswith(":member-limit-reached")
    assert response.json()["max_members"] == members_before
    assert member_count(fresh_idp, globex) == members_before
    assert tenant_roles(fresh_idp, NEWCOMER) == {}
    assert fresh_idp.descope_client().mgmt.user.search_all(emails=["brand-new@example.test"])["users"] == []


def test_invite_counts_suspended_members_towards_max_members(
    gateway: GatewayClient, fresh_idp: LocalIdp, globex: str
) -> None:
    owner = token(fresh_idp, GLOBEX_OWNER, globex)
    consultant = user(fresh_idp, CONSULTANT)
    suspended = gateway.request("POST", f"/api/members/{consultant['userId']}/deactivate", token=owner)
    set_custom_attributes(fresh_idp, globex, max_members=member_count(fresh_idp, globex))

    response = gateway.request("POST", "/api/members/invite", token=owner, json={"email": NEWCOMER})

    assert suspended.status_code == 200
    assert response.status_code == 409
    assert tenant_roles(fresh_idp, NEWCOMER) == {}


def test_invite_tenant_below_max_members_or_without_it_is_allowed(
    gateway: GatewayClient, fresh_idp: LocalIdp, globex: str
) -> None:
    owner = token(fresh_idp, GLOBEX_OWNER, globex)
    set_custom_attributes(fresh_idp, globex, max_members=member_count(fresh_idp, globex) + 1)
    below = gateway.request("POST", "/api/members/invite", token=owner, json={"email": NEWCOMER})
    sdk = fresh_idp.descope_client()
    tenant = sdk.mgmt.tenant.load(globex)
    without_limit = {key: value for key, value in tenant["customAttributes"].items() if key != "max_members"}
    sdk.mgmt.tenant.update(globex, tenant["name"], custom_attributes=without_limit)
    unlimited = gateway.request("POST", "/api/members/invite", token=owner, json={"email": "another@example.test"})

    assert [below.status_code, unlimited.status_code] == [201, 201]
