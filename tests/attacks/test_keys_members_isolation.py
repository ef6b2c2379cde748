"""Attacks on the keys and members functions through the gateway with the personas' real tokens.

Cross-tenant matrix: every key and member route, aimed from Globex (or with no active tenant) at Acme's key or
member, answers as if it did not exist and changes nothing (the same 404 as a missing id, so another tenant's ids
cannot be probed). Escalation matrix: role names on keys and invitations never exceed the caller's rank (owner >
admin > member > viewer, identity_stack.auth.rbac). Permission matrix: roles without the permission get 403 on every
route.
"""

from collections.abc import Iterator
from typing import Any

import pytest

from tests.fixtures.gateway import GatewayClient
from tests.fixtures.idp import LocalIdp

ACME_OWNER = "owner@acme.test"
ACME_ADMIN = "admin@acme.test"
ACME_MEMBER = "member@acme.test"
ACME_VIEWER = "viewer@acme.test"
GLOBEX_OWNER = "owner@globex.test"
CONSULTANT = "consultant@example.test"  # admin of Globex, viewer of Acme

KEY_ROUTES = [("GET", ""), ("POST", "/deactivate"), ("POST", "/activate"), ("DELETE", "")]
MEMBER_ROUTES = [("POST", "/deactivate"), ("POST", "/activate"), ("DELETE", "")]
ROUTE_IDS = ["read", "deactivate", "activate", "delete"]


@pytest.fixture(scope="module")
def seeded(idp: LocalIdp) -> Iterator[LocalIdp]:
    """The seeded provider, re-seeded after the module (a failing attack must not leak into later tests)."""
    idp.reset()
    yield idp
    idp.reset()


def token(idp: LocalIdp, login_id: str, tenant: str | None = None) -> str:
    return idp.token_for(login_id, tenant=tenant).access_token


def acme_key(idp: LocalIdp) -> dict[str, Any]:
    return idp.descope_client().mgmt.access_key.load(idp.seed.access_keys["acme_api"].key_id)["key"]


def acme_member(idp: LocalIdp) -> dict[str, Any]:
    return idp.descope_client().mgmt.user.load(ACME_MEMBER)["user"]


@pytest.mark.parametrize(("method", "suffix"), KEY_ROUTES, ids=ROUTE_IDS)
@pytest.mark.parametrize("caller", [GLOBEX_OWNER, CONSULTANT], ids=["globex-owner", "consultant-in-globex"])
def test_key_route_on_other_tenants_key_returns_404_and_changes_nothing(
    gateway: GatewayClient, seeded: LocalIdp, caller: str, method: str, suffix: str
) -> None:
    before = acme_key(seeded)
    globex = seeded.seed.tenant_ids["globex"]

    response = gateway.request(method, f"/api/keys/{before['id']}{suffix}", token=token(seeded, caller, globex))

    assert response.status_code == 404
    assert response.json()["detail"] == "No access key of this tenant has this id."
    assert acme_key(seeded) == before


@pytest.mark.parametrize(("method", "suffix"), KEY_ROUTES, ids=ROUTE_IDS)
def test_key_route_on_unknown_key_returns_same_404(
    gateway: GatewayClient, seeded: LocalIdp, method: str, suffix: str
) -> None:
    acme = seeded.seed.tenant_ids["acme"]

    response = gateway.request(method, f"/api/keys/K2doesNotExist{suffix}", token=token(seeded, ACME_ADMIN, acme))

    assert response.status_code == 404
    assert response.json()["detail"] == "No access key of this tenant has this id."


@pytest.mark.parametrize(("method", "suffix"), MEMBER_ROUTES, ids=ROUTE_IDS[1:])
@pytest.mark.parametrize("caller", [GLOBEX_OWNER, CONSULTANT], ids=["globex-owner", "consultant-in-globex"])
def test_member_route_on_other_tenants_member_returns_404_and_changes_nothing(
    gateway: GatewayClient, seeded: LocalIdp, caller: str, method: str, suffix: str
) -> None:
    before = acme_member(seeded)
    globex = seeded.seed.tenant_ids["globex"]

    response = gateway.request(method, f"/api/members/{before['userId']}{suffix}", token=token(seeded, caller, globex))

    assert response.status_code == 404
    assert response.json()["detail"] == "No member of this tenant has this user id."
    assert acme_member(seeded) == before


def test_list_from_globex_shows_no_acme_key_or_member(gateway: GatewayClient, seeded: LocalIdp) -> None:
    globex_owner = token(seeded, GLOBEX_OWNER, seeded.seed.tenant_ids["globex"])

    keys = gateway.request("GET", "/api/keys", token=globex_owner).json()["keys"]
    members = gateway.request("GET", "/api/members?limit=100", token=globex_owner).json()["items"]

    assert acme_key(seeded)["id"] not in {key["id"] for key in keys}
    assert ACME_MEMBER not in {member["email"] for member in members}


ALL_ROUTES = [
    ("GET", "/api/keys", None),
    ("POST", "/api/keys", {"name": "x"}),
    ("GET", "/api/keys/K2any", None),
    ("POST", "/api/keys/K2any/deactivate", None),
    ("POST", "/api/keys/K2any/activate", None),
    ("DELETE", "/api/keys/K2any", None),
    ("GET", "/api/members", None),
    ("POST", "/api/members/invite", {"email": "x@example.com"}),
    ("POST", "/api/members/U2any/deactivate", None),
    ("POST", "/api/members/U2any/activate", None),
    ("DELETE", "/api/members/U2any", None),
]
ALL_ROUTE_IDS = [f"{method} {path}" for method, path, _ in ALL_ROUTES]


@pytest.mark.parametrize(("method", "path", "body"), ALL_ROUTES, ids=ALL_ROUTE_IDS)
def test_route_without_active_tenant_returns_403(
    gateway: GatewayClient, seeded: LocalIdp, method: str, path: str, body: Any
) -> None:
    # Two memberships and no `dct`: no tenant can be inferred, and guessing one would act in the wrong tenant.
    response = gateway.request(method, path, token=token(seeded, CONSULTANT), json=body)

    assert response.status_code == 403
    assert response.json()["type"] == "urn:identity-stack:problem:active-tenant-required"


# Which routes each Acme role may use (infra/rbac.tf: keys.manage owner+admin, members.invite owner+admin+member,
# members.remove owner+admin).
ALLOWED = {
    ACME_VIEWER: set(),
    ACME_MEMBER: {"GET /api/members", "POST /api/members/invite"},
}


DENIED = [
    (caller, method, path, body)
    for caller, allowed in ALLOWED.items()
    for method, path, body in ALL_ROUTES
    if f"{method} {path}" not in allowed
]


@pytest.mark.parametrize(
    ("caller", "method", "path", "body"),
    DENIED,
    ids=[f"{caller.split('@')[0]}-{method} {path}" for caller, method, path, _ in DENIED],
)
def test_route_without_permission_returns_403(
    gateway: GatewayClient, seeded: LocalIdp, caller: str, method: str, path: str, body: Any
) -> None:
    response = gateway.request(method, path, token=token(seeded, caller, seeded.seed.tenant_ids["acme"]), json=body)

    assert response.status_code == 403
    assert response.json()["type"] == "urn:identity-stack:problem:permission-denied"


ESCALATION = [
    (ACME_OWNER, "owner", True),
    (ACME_OWNER, "admin", True),
    (ACME_ADMIN, "owner", False),
    (ACME_ADMIN, "admin", True),
    (ACME_ADMIN, "viewer", True),
]
ESCALATION_IDS = [f"{caller.split('@')[0]}-grants-{role}" for caller, role, _ in ESCALATION]


@pytest.mark.parametrize(("caller", "role", "allowed"), ESCALATION, ids=ESCALATION_IDS)
def test_create_key_role_above_own_rank_returns_403(
    gateway: GatewayClient, fresh_idp: LocalIdp, caller: str, role: str, allowed: bool
) -> None:
    acme = fresh_idp.seed.tenant_ids["acme"]
    before = fresh_idp.requests.count("/v1/mgmt/accesskey/create")

    response = gateway.request(
        "POST", "/api/keys", token=token(fresh_idp, caller, acme), json={"name": "k", "role_names": ["viewer", role]}
    )

    assert response.status_code == (201 if allowed else 403)
    created = fresh_idp.requests.count("/v1/mgmt/accesskey/create") - before
    assert created == (1 if allowed else 0)


INVITE_ESCALATION = [*ESCALATION, (ACME_MEMBER, "member", True), (ACME_MEMBER, "admin", False)]
INVITE_ESCALATION_IDS = [f"{caller.split('@')[0]}-grants-{role}" for caller, role, _ in INVITE_ESCALATION]


@pytest.mark.parametrize(("caller", "role", "allowed"), INVITE_ESCALATION, ids=INVITE_ESCALATION_IDS)
def test_invite_role_above_own_rank_returns_403(
    gateway: GatewayClient, fresh_idp: LocalIdp, caller: str, role: str, allowed: bool
) -> None:
    acme = fresh_idp.seed.tenant_ids["acme"]

    response = gateway.request(
        "POST",
        "/api/members/invite",
        token=token(fresh_idp, caller, acme),
        json={"email": "escalation@example.com", "role_names": [role]},
    )

    assert response.status_code == (201 if allowed else 403)
    users = fresh_idp.descope_client().mgmt.user.search_all(emails=["escalation@example.com"])["users"]
    assert len(users) == (1 if allowed else 0)


def test_admin_key_cannot_mint_owner_key(gateway: GatewayClient, fresh_idp: LocalIdp) -> None:
    seeded_admin_key = fresh_idp.seed.access_keys["integration_tests"]
    key_token = fresh_idp.access_key_token(seeded_admin_key.key_id, seeded_admin_key.secret)

    owner_key = gateway.request("POST", "/api/keys", token=key_token, json={"name": "k", "role_names": ["owner"]})
    admin_key = gateway.request("POST", "/api/keys", token=key_token, json={"name": "k", "role_names": ["admin"]})

    assert owner_key.status_code == 403
    assert owner_key.json()["type"] == "urn:identity-stack:problem:role-change-denied"
    assert admin_key.status_code == 201
