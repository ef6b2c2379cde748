"""Role escalation through the local gateway: no persona can raise anyone's privilege beyond the rules.

The rules (issue 5; identity_stack.auth.rbac and identity_stack.domain.roles), restated here as the oracle:
only callers holding ``members.update_role`` (owner, admin in infra/rbac.tf) change roles; nobody grants or removes a
role ranked above their own (owner > admin > member > viewer), so only an owner touches ``owner``; nobody changes the
roles of someone who outranks them; the last enabled owner keeps ``owner``; the target must be a member of the
active tenant; a body ``tenant_id`` must be the active tenant. Every refusal leaves the provider's state unchanged.
"""

import itertools
from typing import Any

import pytest

from tests.fixtures.gateway import GatewayClient
from tests.fixtures.idp import LocalIdp

ROLES_BY_RANK = ["viewer", "member", "admin", "owner"]  # the order, lowest first
RANK = {role: rank for rank, role in enumerate(ROLES_BY_RANK, start=1)}
ROLE_MANAGERS = {"owner", "admin"}  # roles holding members.update_role in infra/rbac.tf
# One acme persona per role (local/idp/seed_users.json); acme has exactly one owner.
ACME_PERSONAS = {role: f"{role}@acme.test" for role in ROLES_BY_RANK}
GLOBEX_OWNER = "owner@globex.test"
CONSULTANT = "consultant@example.test"  # admin in globex, viewer in acme
ACTIONS = ["assign", "remove"]
PROBLEM_TYPE = "urn:identity-stack:problem:"


@pytest.fixture(scope="module")
def tokens(idp: LocalIdp) -> dict[tuple[str, str | None], str]:
    """Access tokens by (login id, tenant name), signed in once per module (re-seeding keeps the signing keys)."""
    return {}


def token(idp: LocalIdp, cache: dict[tuple[str, str | None], str], login_id: str, tenant: str | None = None) -> str:
    key = (login_id, tenant)
    if key not in cache:
        tenant_id = idp.seed.tenant_ids[tenant] if tenant else None
        cache[key] = idp.token_for(login_id, tenant=tenant_id).access_token
    return cache[key]


def user_id(idp: LocalIdp, login_id: str) -> str:
    return idp.descope_client().mgmt.user.load(login_id)["user"]["userId"]


def role_map(idp: LocalIdp) -> dict[str, dict[str, list[str]]]:
    """Every user's tenant roles, as the provider holds them (the state a refused call must leave alone)."""
    users = idp.descope_client().mgmt.user.search_all(limit=1000)["users"]
    return {user["userId"]: {t["tenantId"]: sorted(t["roleNames"]) for t in user["userTenants"]} for user in users}


def expected_outcome(caller: str, target: str, role: str, action: str) -> tuple[int, str | None]:
    """What the rules say about ``caller`` changing ``role`` of ``target`` in acme (each named by its one role)."""
    if caller not in ROLE_MANAGERS:
        return 403, "permission-denied"
    if RANK[role] > RANK[caller] or RANK[target] > RANK[caller]:
        return 403, "role-change-denied"
    if action == "remove" and role == "owner" and target == "owner":
        return 409, "last-owner"
    return 200, None


MATRIX = list(itertools.product(ROLES_BY_RANK, ROLES_BY_RANK, ROLES_BY_RANK, ACTIONS))


@pytest.mark.parametrize(
    ("caller", "target", "role", "action"),
    MATRIX,
    ids=[f"{caller}-{action}-{role}-on-{target}" for caller, target, role, action in MATRIX],
)
def test_role_change_matrix_follows_rank_rules_and_refusals_change_nothing(
    gateway: GatewayClient,
    fresh_idp: LocalIdp,
    tokens: dict[tuple[str, str | None], str],
    caller: str,
    target: str,
    role: str,
    action: str,
) -> None:
    acme = fresh_idp.seed.tenant_ids["acme"]
    target_id = user_id(fresh_idp, ACME_PERSONAS[target])
    before = role_map(fresh_idp)
    status, problem = expected_outcome(caller, target, role, action)

    response = gateway.request(
        "POST",
        f"/api/roles/{action}",
        token=token(fresh_idp, tokens, ACME_PERSONAS[caller]),
        json={"user_id": target_id, "role_names": [role], "tenant_id": acme},
    )

    after = role_map(fresh_idp)
    assert response.status_code == status, response.text
    if problem is None:
        held = set(before[target_id][acme])
        wanted = sorted(held | {role} if action == "assign" else held - {role})
        assert sorted(response.json()["roles"]) == wanted
        assert after[target_id][acme] == wanted
        assert {uid: roles for uid, roles in after.items() if uid != target_id} == {
            uid: roles for uid, roles in before.items() if uid != target_id
        }
    else:
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"] == PROBLEM_TYPE + problem
        assert after == before


@pytest.mark.parametrize("action", ACTIONS, ids=ACTIONS)
def test_role_change_grant_above_own_in_a_list_refuses_the_whole_list(
    gateway: GatewayClient, fresh_idp: LocalIdp, tokens: dict[tuple[str, str | None], str], action: str
) -> None:
    before = role_map(fresh_idp)

    response = gateway.request(
        "POST",
        f"/api/roles/{action}",
        token=token(fresh_idp, tokens, ACME_PERSONAS["admin"]),
        json={"user_id": user_id(fresh_idp, ACME_PERSONAS["member"]), "role_names": ["viewer", "owner"]},
    )

    assert response.status_code == 403
    assert response.json()["type"] == PROBLEM_TYPE + "role-change-denied"
    assert role_map(fresh_idp) == before


def test_remove_owner_with_second_owner_returns_200_and_the_other_owner_remains(
    gateway: GatewayClient, fresh_idp: LocalIdp, tokens: dict[tuple[str, str | None], str]
) -> None:
    acme = fresh_idp.seed.tenant_ids["acme"]
    owner_id, admin_id = user_id(fresh_idp, ACME_PERSONAS["owner"]), user_id(fresh_idp, ACME_PERSONAS["admin"])
    fresh_idp.descope_client().mgmt.user.add_tenant_roles(ACME_PERSONAS["admin"], acme, ["owner"])

    response = gateway.request(
        "POST",
        "/api/roles/remove",
        token=token(fresh_idp, tokens, ACME_PERSONAS["owner"]),
        json={"user_id": owner_id, "role_names": ["owner"]},
    )

    after = role_map(fresh_idp)
    assert response.status_code == 200
    assert after[owner_id][acme] == []
    assert after[admin_id][acme] == ["admin", "owner"]


def test_remove_owner_when_other_owner_is_disabled_returns_409(
    gateway: GatewayClient, fresh_idp: LocalIdp, tokens: dict[tuple[str, str | None], str]
) -> None:
    acme = fresh_idp.seed.tenant_ids["acme"]
    client = fresh_idp.descope_client()
    client.mgmt.user.add_tenant_roles(ACME_PERSONAS["admin"], acme, ["owner"])
    client.mgmt.user.deactivate(ACME_PERSONAS["admin"])
    before = role_map(fresh_idp)

    response = gateway.request(
        "POST",
        "/api/roles/remove",
        token=token(fresh_idp, tokens, ACME_PERSONAS["owner"]),
        json={"user_id": user_id(fresh_idp, ACME_PERSONAS["owner"]), "role_names": ["owner"]},
    )

    assert response.status_code == 409
    assert response.json()["type"] == PROBLEM_TYPE + "last-owner"
    assert role_map(fresh_idp) == before


def test_demoted_owner_with_stale_owner_token_cannot_grant_owner(
    gateway: GatewayClient, fresh_idp: LocalIdp, tokens: dict[tuple[str, str | None], str]
) -> None:
    acme = fresh_idp.seed.tenant_ids["acme"]
    stale = token(fresh_idp, tokens, ACME_PERSONAS["owner"])
    client = fresh_idp.descope_client()
    client.mgmt.user.add_tenant_roles(ACME_PERSONAS["admin"], acme, ["owner"])  # a second owner demotes the first
    client.mgmt.user.set_tenant_roles(ACME_PERSONAS["owner"], acme, ["admin"])
    before = role_map(fresh_idp)

    response = gateway.request(
        "POST",
        "/api/roles/assign",
        token=stale,
        json={"user_id": user_id(fresh_idp, ACME_PERSONAS["member"]), "role_names": ["owner"]},
    )

    assert response.status_code == 403
    assert response.json()["type"] == PROBLEM_TYPE + "role-change-denied"
    assert role_map(fresh_idp) == before


def not_found_problem(response: Any) -> dict[str, Any]:
    body = response.json()
    return {key: value for key, value in body.items() if key not in {"correlation_id"}}


@pytest.mark.parametrize("action", ACTIONS, ids=ACTIONS)
def test_role_change_on_user_of_other_tenant_is_404_identical_to_unknown_user(
    gateway: GatewayClient, fresh_idp: LocalIdp, tokens: dict[tuple[str, str | None], str], action: str
) -> None:
    admin_token = token(fresh_idp, tokens, ACME_PERSONAS["owner"])
    before = role_map(fresh_idp)

    elsewhere = gateway.request(
        "POST",
        f"/api/roles/{action}",
        token=admin_token,
        json={"user_id": user_id(fresh_idp, GLOBEX_OWNER), "role_names": ["viewer"]},
    )
    nowhere = gateway.request(
        "POST",
        f"/api/roles/{action}",
        token=admin_token,
        json={"user_id": "U2NoSuchUser000000000000000", "role_names": ["viewer"]},
    )

    assert (elsewhere.status_code, nowhere.status_code) == (404, 404)
    assert not_found_problem(elsewhere) == not_found_problem(nowhere)
    assert role_map(fresh_idp) == before


def test_admin_of_other_tenant_cannot_change_roles_of_shared_member_in_this_tenant(
    gateway: GatewayClient, fresh_idp: LocalIdp, tokens: dict[tuple[str, str | None], str]
) -> None:
    # The consultant is admin in globex and viewer in acme: globex admin power must not reach acme users.
    before = role_map(fresh_idp)

    as_globex_admin = gateway.request(
        "POST",
        "/api/roles/assign",
        token=token(fresh_idp, tokens, CONSULTANT, "globex"),
        json={"user_id": user_id(fresh_idp, ACME_PERSONAS["member"]), "role_names": ["admin"]},
    )
    as_acme_viewer = gateway.request(
        "POST",
        "/api/roles/assign",
        token=token(fresh_idp, tokens, CONSULTANT, "acme"),
        json={"user_id": user_id(fresh_idp, CONSULTANT), "role_names": ["admin"]},
    )

    assert as_globex_admin.status_code == 404
    assert as_acme_viewer.status_code == 403
    assert role_map(fresh_idp) == before


def test_role_change_body_naming_other_tenant_returns_403(
    gateway: GatewayClient, fresh_idp: LocalIdp, tokens: dict[tuple[str, str | None], str]
) -> None:
    before = role_map(fresh_idp)

    response = gateway.request(
        "POST",
        "/api/roles/assign",
        token=token(fresh_idp, tokens, CONSULTANT, "globex"),
        json={
            "user_id": user_id(fresh_idp, CONSULTANT),
            "role_names": ["admin"],
            "tenant_id": fresh_idp.seed.tenant_ids["acme"],
        },
    )

    assert response.status_code == 403
    assert response.json()["type"] == PROBLEM_TYPE + "tenant-access-denied"
    assert role_map(fresh_idp) == before


@pytest.mark.parametrize(
    ("key", "role", "status"),
    [("integration_tests", "owner", 403), ("integration_tests", "admin", 200), ("acme_api", "viewer", 403)],
    ids=["admin-key-grants-owner", "admin-key-grants-admin", "viewer-key-grants-viewer"],
)
def test_access_key_grants_follow_its_own_roles(
    gateway: GatewayClient, fresh_idp: LocalIdp, key: str, role: str, status: int
) -> None:
    acme = fresh_idp.seed.tenant_ids["acme"]
    credentials = fresh_idp.seed.access_keys[key]
    key_token = fresh_idp.access_key_token(credentials.key_id, credentials.secret, tenant=acme)
    member_id = user_id(fresh_idp, ACME_PERSONAS["member"])
    before = role_map(fresh_idp)

    response = gateway.request(
        "POST", "/api/roles/assign", token=key_token, json={"user_id": member_id, "role_names": [role]}
    )

    assert response.status_code == status
    if status == 200:
        assert role_map(fresh_idp)[member_id][acme] == sorted({"member", role})
    else:
        assert role_map(fresh_idp) == before


def test_role_change_without_active_tenant_returns_403(
    gateway: GatewayClient, fresh_idp: LocalIdp, tokens: dict[tuple[str, str | None], str]
) -> None:
    before = role_map(fresh_idp)

    response = gateway.request(
        "POST",
        "/api/roles/assign",
        token=token(fresh_idp, tokens, "platform@identity-stack.test"),
        json={"user_id": user_id(fresh_idp, ACME_PERSONAS["member"]), "role_names": ["owner"]},
    )

    assert response.status_code == 403
    assert response.json()["type"] == PROBLEM_TYPE + "active-tenant-required"
    assert role_map(fresh_idp) == before
