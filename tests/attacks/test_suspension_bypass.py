"""Suspension bypasses through the local gateway: no other door hands a suspended member their grants back.

Review findings F2 (a role grant undid a suspension, even an owner's) and F6 (a ``dct`` naming a tenant where the
token grants nothing still selected it, so a suspended member signing in to that tenant read its settings).
"""

from typing import Any

import pytest

from tests.fixtures.gateway import GatewayClient
from tests.fixtures.idp import LocalIdp

ACME_OWNER = "owner@acme.test"
ACME_ADMIN = "admin@acme.test"
ACME_MEMBER = "member@acme.test"
PROBLEM_TYPE = "urn:identity-stack:problem:"


@pytest.fixture
def fresh_idp(fresh_idp: LocalIdp, no_suspensions: None) -> LocalIdp:
    """The provider re-seeded and no member suspended, before and after: these tests suspend members."""
    return fresh_idp


@pytest.fixture
def acme(fresh_idp: LocalIdp) -> str:
    return fresh_idp.seed.tenant_ids["acme"]


def token(idp: LocalIdp, login_id: str, tenant: str) -> str:
    return idp.token_for(login_id, tenant=tenant).access_token


def user(idp: LocalIdp, login_id: str) -> dict[str, Any]:
    return idp.descope_client().mgmt.user.load(login_id)["user"]


def roles_in(idp: LocalIdp, login_id: str, tenant_id: str) -> list[str]:
    return next(sorted(t["roleNames"]) for t in user(idp, login_id)["userTenants"] if t["tenantId"] == tenant_id)


@pytest.mark.parametrize(
    ("action", "role"),
    [("assign", "member"), ("assign", "viewer"), ("remove", "member")],
    ids=["assign-own-role-back", "assign-other-role", "remove"],
)
def test_role_change_on_suspended_member_returns_409_and_suspension_stands(
    gateway: GatewayClient, fresh_idp: LocalIdp, acme: str, action: str, role: str
) -> None:
    admin = token(fresh_idp, ACME_ADMIN, acme)
    member_id = user(fresh_idp, ACME_MEMBER)["userId"]
    suspended = gateway.request("POST", f"/api/members/{member_id}/deactivate", token=admin)

    response = gateway.request(
        "POST", f"/api/roles/{action}", token=admin, json={"user_id": member_id, "role_names": [role]}
    )
    reinstated = gateway.request("POST", f"/api/members/{member_id}/activate", token=admin)

    assert suspended.status_code == 200
    assert response.status_code == 409
    assert response.json()["type"] == PROBLEM_TYPE + "member-suspended"
    assert "suspended" in response.json()["detail"]
    # Nothing changed while suspended: reinstatement gives back exactly the roles held before.
    assert (reinstated.status_code, reinstated.json()["roles"]) == (200, ["member"])


@pytest.mark.parametrize("granter", [ACME_OWNER, ACME_ADMIN], ids=["by-owner", "by-admin"])
def test_assign_roles_to_suspended_owner_returns_409(
    gateway: GatewayClient, fresh_idp: LocalIdp, acme: str, granter: str
) -> None:
    # Two owners, so one may be suspended; the suspended owner's provider roles are empty, which once let an admin
    # pass the "target outranks you" rule and hand roles back.
    fresh_idp.descope_client().mgmt.user.add_tenant_roles(ACME_MEMBER, acme, ["owner"])
    second_owner_id = user(fresh_idp, ACME_MEMBER)["userId"]
    suspended = gateway.request(
        "POST", f"/api/members/{second_owner_id}/deactivate", token=token(fresh_idp, ACME_OWNER, acme)
    )
    role = "owner" if granter == ACME_OWNER else "admin"

    response = gateway.request(
        "POST",
        "/api/roles/assign",
        token=token(fresh_idp, granter, acme),
        json={"user_id": second_owner_id, "role_names": [role]},
    )

    assert suspended.status_code == 200
    assert response.status_code == 409
    assert response.json()["type"] == PROBLEM_TYPE + "member-suspended"
    assert roles_in(fresh_idp, ACME_MEMBER, acme) == []


def test_assign_roles_to_member_suspended_elsewhere_only_is_allowed(
    gateway: GatewayClient, fresh_idp: LocalIdp, acme: str
) -> None:
    # A suspension is scoped to its tenant: one in Globex does not block Acme's grants.
    globex = fresh_idp.seed.tenant_ids["globex"]
    consultant_id = user(fresh_idp, "consultant@example.test")["userId"]
    suspended = gateway.request(
        "POST", f"/api/members/{consultant_id}/deactivate", token=token(fresh_idp, "owner@globex.test", globex)
    )

    response = gateway.request(
        "POST",
        "/api/roles/assign",
        token=token(fresh_idp, ACME_ADMIN, acme),
        json={"user_id": consultant_id, "role_names": ["member"]},
    )

    assert suspended.status_code == 200
    assert response.status_code == 200
    assert response.json()["roles"] == ["viewer", "member"]


@pytest.mark.parametrize(
    "path",
    ["/api/tenants/current/settings", "/api/tenants/current", "/api/roles/me"],
    ids=["settings", "tenant", "roles"],
)
def test_suspended_member_signing_in_to_the_tenant_returns_403_active_tenant_required(
    gateway: GatewayClient, fresh_idp: LocalIdp, acme: str, path: str
) -> None:
    member_id = user(fresh_idp, ACME_MEMBER)["userId"]
    gateway.request("POST", f"/api/members/{member_id}/deactivate", token=token(fresh_idp, ACME_ADMIN, acme))
    signed_in = fresh_idp.token_for(ACME_MEMBER, tenant=acme)

    response = gateway.request("GET", path, token=signed_in.access_token)

    assert signed_in.claims["dct"] == acme  # the provider still selects the tenant: the API must not
    assert response.status_code == 403
    assert response.json()["type"] == PROBLEM_TYPE + "active-tenant-required"
    assert "Acme" not in response.text
