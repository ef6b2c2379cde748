"""Attribute tampering through the local gateway: settings of another tenant, other users' profiles, billing by admins.

A user who is admin in one tenant and viewer in another (the consultant persona) holds admin power only where it is
the active tenant; a profile is always the caller's own; an admin key or user never changes the plan tier.
"""

from typing import Any

import pytest

from tests.fixtures.gateway import GatewayClient
from tests.fixtures.idp import LocalIdp

CONSULTANT = "consultant@example.test"  # admin in globex, viewer in acme
MEMBER = "member@acme.test"
VIEWER = "viewer@acme.test"
SETTINGS = "/api/tenants/current/settings"


def settings_of_every_tenant(idp: LocalIdp) -> dict[str, dict[str, Any]]:
    tenants = idp.descope_client().mgmt.tenant.load_all()["tenants"]
    return {tenant["id"]: tenant["customAttributes"] for tenant in tenants}


def profiles_of_every_user(idp: LocalIdp) -> dict[str, dict[str, Any]]:
    users = idp.descope_client().mgmt.user.search_all(limit=1000)["users"]
    return {user["userId"]: user["customAttributes"] for user in users}


def test_update_settings_as_viewer_of_active_tenant_is_403_though_admin_elsewhere(
    gateway: GatewayClient, fresh_idp: LocalIdp
) -> None:
    before = settings_of_every_tenant(fresh_idp)
    caller = fresh_idp.token_for(CONSULTANT, tenant=fresh_idp.seed.tenant_ids["acme"]).access_token

    response = gateway.request("PATCH", SETTINGS, token=caller, json={"key": "max_members", "value": 10_000})

    assert response.status_code == 403
    assert settings_of_every_tenant(fresh_idp) == before


def test_update_settings_as_admin_of_active_tenant_changes_only_that_tenant(
    gateway: GatewayClient, fresh_idp: LocalIdp
) -> None:
    globex = fresh_idp.seed.tenant_ids["globex"]
    before = settings_of_every_tenant(fresh_idp)
    caller = fresh_idp.token_for(CONSULTANT, tenant=globex).access_token

    response = gateway.request("PATCH", SETTINGS, token=caller, json={"key": "max_members", "value": 77})

    after = settings_of_every_tenant(fresh_idp)
    assert response.status_code == 200
    assert response.json()["tenant_id"] == globex
    assert after[globex] == {**before[globex], "max_members": 77}
    assert {tid: attrs for tid, attrs in after.items() if tid != globex} == {
        tid: attrs for tid, attrs in before.items() if tid != globex
    }


@pytest.mark.parametrize("key", ["integration_tests", "acme_api"], ids=["admin-key", "viewer-key"])
def test_update_plan_tier_with_access_key_is_403(gateway: GatewayClient, fresh_idp: LocalIdp, key: str) -> None:
    credentials = fresh_idp.seed.access_keys[key]
    caller = fresh_idp.access_key_token(credentials.key_id, credentials.secret, fresh_idp.seed.tenant_ids["acme"])
    before = settings_of_every_tenant(fresh_idp)

    response = gateway.request("PATCH", SETTINGS, token=caller, json={"key": "plan_tier", "value": "enterprise"})

    assert response.status_code == 403
    assert settings_of_every_tenant(fresh_idp) == before


@pytest.mark.parametrize("field", ["user_id", "login_id", "tenant_id"])
def test_update_profile_naming_another_user_is_422_and_changes_no_profile(
    gateway: GatewayClient, fresh_idp: LocalIdp, field: str
) -> None:
    victim = fresh_idp.descope_client().mgmt.user.load(VIEWER)["user"]
    value = {"user_id": victim["userId"], "login_id": VIEWER, "tenant_id": fresh_idp.seed.tenant_ids["globex"]}[field]
    before = profiles_of_every_user(fresh_idp)

    response = gateway.request(
        "PATCH",
        "/api/profile",
        token=fresh_idp.token_for(MEMBER).access_token,
        json={"key": "job_title", "value": "Pwned", field: value},
    )

    assert response.status_code == 422
    assert profiles_of_every_user(fresh_idp) == before


def test_update_profile_changes_only_the_callers_own_profile(gateway: GatewayClient, fresh_idp: LocalIdp) -> None:
    member = fresh_idp.descope_client().mgmt.user.load(MEMBER)["user"]["userId"]
    before = profiles_of_every_user(fresh_idp)

    response = gateway.request(
        "PATCH",
        "/api/profile",
        token=fresh_idp.token_for(MEMBER).access_token,
        json={"key": "department", "value": "QA"},
    )

    after = profiles_of_every_user(fresh_idp)
    assert response.status_code == 200
    assert after[member] == {**before[member], "department": "QA"}
    assert {uid: attrs for uid, attrs in after.items() if uid != member} == {
        uid: attrs for uid, attrs in before.items() if uid != member
    }
