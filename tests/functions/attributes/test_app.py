"""functions/attributes through the local gateway against the local identity provider.

Every value rule of the profile and tenant-settings attributes, the permissions of the settings PATCH, and provider
faults, each followed by a look at the provider's state: a refused or failed call changes nothing.
"""

from typing import Any

import pytest

from tests.fixtures.gateway import GatewayClient
from tests.fixtures.idp import LocalIdp

OWNER, ADMIN, MEMBER, VIEWER = "owner@acme.test", "admin@acme.test", "member@acme.test", "viewer@acme.test"
CONSULTANT = "consultant@example.test"
PLATFORM = "platform@identity-stack.test"
USER_LOAD = "/v1/mgmt/user"
USER_ATTRIBUTE = "/v1/mgmt/user/update/customAttribute"
TENANT_SEARCH = "/v1/mgmt/tenant/search"
TENANT_PATCH = "/v1/mgmt/tenant/patch"
PROBLEM_TYPE = "urn:identity-stack:problem:"
LONG_URL = "https://cdn.example/" + "a" * (2048 - len("https://cdn.example/"))
# (fault kind, status armed) -> expected status; Descope's 503 is retried for 10 s by the SDK, 500 is not.
FAULTS = {
    "refused": ("error", 400, 502),
    "broken": ("error", 500, 503),
    "unreadable": ("malformed", 500, 502),
    "rate-limited": ("rate_limit", 500, 503),
}


def token(idp: LocalIdp, login_id: str, tenant: str | None = None) -> str:
    return idp.token_for(login_id, tenant=idp.seed.tenant_ids[tenant] if tenant else None).access_token


def key_token(idp: LocalIdp) -> str:
    key = idp.seed.access_keys["integration_tests"]
    return idp.access_key_token(key.key_id, key.secret, idp.seed.tenant_ids["acme"])


def stored_user(idp: LocalIdp, login_id: str) -> dict[str, Any]:
    return idp.descope_client().mgmt.user.load(login_id)["user"]


def stored_settings(idp: LocalIdp, tenant: str = "acme") -> dict[str, Any]:
    tenant_id = idp.seed.tenant_ids[tenant]
    return idp.descope_client().mgmt.tenant.search_all(ids=[tenant_id])["tenants"][0]["customAttributes"]


def assert_problem(response: Any, status: int, problem: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == PROBLEM_TYPE + problem


# --- GET /api/profile -------------------------------------------------------------------------------------------


def test_read_profile_user_returns_provider_profile(gateway: GatewayClient, fresh_idp: LocalIdp) -> None:
    stored = stored_user(fresh_idp, MEMBER)

    response = gateway.request("GET", "/api/profile", token=token(fresh_idp, MEMBER))

    assert response.status_code == 200
    assert response.json() == {
        "user_id": stored["userId"],
        "name": stored["name"],
        "email": stored["email"],
        "custom_attributes": stored["customAttributes"],
    }


def test_read_profile_access_key_returns_empty_profile_without_provider_call(
    gateway: GatewayClient, fresh_idp: LocalIdp
) -> None:
    caller = key_token(fresh_idp)
    calls_before = fresh_idp.requests.count(USER_LOAD)

    response = gateway.request("GET", "/api/profile", token=caller)

    body = response.json()
    assert response.status_code == 200
    assert (body["name"], body["email"], body["custom_attributes"]) == ("", "", {})
    assert body["user_id"] == fresh_idp.seed.access_keys["integration_tests"].key_id
    assert fresh_idp.requests.count(USER_LOAD) == calls_before


def test_read_profile_of_deleted_user_returns_404(gateway: GatewayClient, fresh_idp: LocalIdp) -> None:
    caller = token(fresh_idp, MEMBER)
    fresh_idp.descope_client().mgmt.user.delete(MEMBER)

    assert_problem(gateway.request("GET", "/api/profile", token=caller), 404, "not-found")


def test_read_profile_without_token_returns_401(gateway: GatewayClient) -> None:
    assert_problem(gateway.request("GET", "/api/profile"), 401, "unauthenticated")


@pytest.mark.parametrize("fault", sorted(FAULTS), ids=sorted(FAULTS))
def test_read_profile_provider_fault_returns_generic_problem(
    gateway: GatewayClient, fresh_idp: LocalIdp, fault: str
) -> None:
    kind, status, expected = FAULTS[fault]
    caller = token(fresh_idp, MEMBER)
    fresh_idp.faults.add(USER_LOAD, kind, status=status)

    response = gateway.request("GET", "/api/profile", token=caller)

    assert response.status_code == expected
    assert response.json()["detail"].startswith("The identity provider")


# --- PATCH /api/profile -----------------------------------------------------------------------------------------

VALID_PROFILE_UPDATES = {
    "department": ("department", "Research", "Research"),
    "department-empty": ("department", "", ""),
    "department-100-chars": ("department", "d" * 100, "d" * 100),
    "job-title-unicode": ("job_title", "Ingénieure ✓", "Ingénieure ✓"),
    "avatar-https": ("avatar_url", "https://cdn.example/a.png", "https://cdn.example/a.png"),
    "avatar-normalised": ("avatar_url", "HTTPS://CDN.example", "https://cdn.example/"),
    "avatar-2048-chars": ("avatar_url", LONG_URL, LONG_URL),
}


@pytest.mark.parametrize("case", sorted(VALID_PROFILE_UPDATES), ids=sorted(VALID_PROFILE_UPDATES))
def test_update_profile_valid_value_returns_200_and_stores_it(
    gateway: GatewayClient, fresh_idp: LocalIdp, case: str
) -> None:
    key, value, stored = VALID_PROFILE_UPDATES[case]
    others = {k: v for k, v in stored_user(fresh_idp, MEMBER)["customAttributes"].items() if k != key}

    response = gateway.request(
        "PATCH", "/api/profile", token=token(fresh_idp, MEMBER), json={"key": key, "value": value}
    )

    assert response.status_code == 200
    assert response.json()["custom_attributes"][key] == stored
    assert stored_user(fresh_idp, MEMBER)["customAttributes"] == {**others, key: stored}


INVALID_PROFILE_UPDATES: dict[str, dict[str, Any]] = {
    "department-101-chars": {"key": "department", "value": "d" * 101},
    "department-number": {"key": "department", "value": 5},
    "department-bool": {"key": "department", "value": True},
    "department-null": {"key": "department", "value": None},
    "department-list": {"key": "department", "value": ["Research"]},
    "job-title-object": {"key": "job_title", "value": {"title": "CEO"}},
    "department-bidi-override": {"key": "department", "value": "Sales\u202eniF"},
    "department-line-break": {"key": "department", "value": "Sales\nFinance"},
    "job-title-escape": {"key": "job_title", "value": "\x1b[31mCEO"},
    "avatar-http": {"key": "avatar_url", "value": "http://cdn.example/a.png"},
    "avatar-javascript": {"key": "avatar_url", "value": "javascript:alert(document.cookie)"},
    "avatar-data": {"key": "avatar_url", "value": "data:image/svg+xml;base64,PHN2Zz48L3N2Zz4="},
    "avatar-credentials": {"key": "avatar_url", "value": "https://user:secret@cdn.example/a.png"},
    "avatar-scheme-relative": {"key": "avatar_url", "value": "//cdn.example/a.png"},
    "avatar-not-a-url": {"key": "avatar_url", "value": "a picture of me"},
    "avatar-2049-chars": {"key": "avatar_url", "value": LONG_URL + "a"},
    "avatar-number": {"key": "avatar_url", "value": 42},
    "missing-value": {"key": "department"},
    "extra-field": {"key": "department", "value": "x", "tenant_id": "T2"},
    "empty-key": {"key": "", "value": "x"},
    "long-key": {"key": "k" * 101, "value": "x"},
}


@pytest.mark.parametrize("case", sorted(INVALID_PROFILE_UPDATES), ids=sorted(INVALID_PROFILE_UPDATES))
def test_update_profile_invalid_value_returns_422_and_changes_nothing(
    gateway: GatewayClient, fresh_idp: LocalIdp, case: str
) -> None:
    before = stored_user(fresh_idp, MEMBER)["customAttributes"]

    response = gateway.request(
        "PATCH", "/api/profile", token=token(fresh_idp, MEMBER), json=INVALID_PROFILE_UPDATES[case]
    )

    assert_problem(response, 422, "invalid-request")
    assert response.json()["errors"]
    assert stored_user(fresh_idp, MEMBER)["customAttributes"] == before
    assert fresh_idp.requests.count(USER_ATTRIBUTE) == 0


@pytest.mark.parametrize("key", ["is_admin", "Department", "roles", "tenants"])
def test_update_profile_unknown_key_returns_422_naming_it_and_changes_nothing(
    gateway: GatewayClient, fresh_idp: LocalIdp, key: str
) -> None:
    before = stored_user(fresh_idp, MEMBER)["customAttributes"]

    response = gateway.request(
        "PATCH", "/api/profile", token=token(fresh_idp, MEMBER), json={"key": key, "value": "owner"}
    )

    assert_problem(response, 422, "invalid-request")
    assert response.json()["unknown_keys"] == [key]
    assert key in response.json()["detail"]
    assert stored_user(fresh_idp, MEMBER)["customAttributes"] == before


def test_update_profile_access_key_returns_403_user_required(gateway: GatewayClient, fresh_idp: LocalIdp) -> None:
    response = gateway.request(
        "PATCH", "/api/profile", token=key_token(fresh_idp), json={"key": "department", "value": "Bots"}
    )

    assert_problem(response, 403, "user-required")
    assert fresh_idp.requests.count(USER_ATTRIBUTE) == 0


@pytest.mark.parametrize("fault", sorted(FAULTS), ids=sorted(FAULTS))
@pytest.mark.parametrize("path", [USER_LOAD, USER_ATTRIBUTE], ids=["load", "update"])
def test_update_profile_provider_fault_returns_generic_problem_and_changes_nothing(
    gateway: GatewayClient, fresh_idp: LocalIdp, fault: str, path: str
) -> None:
    kind, status, expected = FAULTS[fault]
    caller = token(fresh_idp, MEMBER)
    before = stored_user(fresh_idp, MEMBER)["customAttributes"]
    fresh_idp.faults.add(path, kind, status=status)

    response = gateway.request("PATCH", "/api/profile", token=caller, json={"key": "department", "value": "Research"})

    assert response.status_code == expected
    assert "njected" not in response.text
    assert stored_user(fresh_idp, MEMBER)["customAttributes"] == before
    assert fresh_idp.faults.pending() == []


# --- GET /api/tenants/current/settings --------------------------------------------------------------------------


@pytest.mark.parametrize(("login_id", "tenant"), [(VIEWER, "acme"), (OWNER, "acme"), (CONSULTANT, "globex")])
def test_read_tenant_settings_any_member_returns_active_tenant(
    gateway: GatewayClient, fresh_idp: LocalIdp, login_id: str, tenant: str
) -> None:
    tenant_id = fresh_idp.seed.tenant_ids[tenant]
    stored = fresh_idp.descope_client().mgmt.tenant.search_all(ids=[tenant_id])["tenants"][0]

    response = gateway.request("GET", "/api/tenants/current/settings", token=token(fresh_idp, login_id, tenant))

    assert response.status_code == 200
    assert response.json() == {
        "tenant_id": tenant_id,
        "name": stored["name"],
        "custom_attributes": stored["customAttributes"],
    }


def test_read_tenant_settings_without_active_tenant_returns_403(gateway: GatewayClient, fresh_idp: LocalIdp) -> None:
    response = gateway.request("GET", "/api/tenants/current/settings", token=token(fresh_idp, PLATFORM))

    assert_problem(response, 403, "active-tenant-required")


def test_read_tenant_settings_of_deleted_tenant_returns_404(gateway: GatewayClient, fresh_idp: LocalIdp) -> None:
    caller = token(fresh_idp, OWNER)
    fresh_idp.descope_client().mgmt.tenant.delete(fresh_idp.seed.tenant_ids["acme"])

    assert_problem(gateway.request("GET", "/api/tenants/current/settings", token=caller), 404, "not-found")


@pytest.mark.parametrize("fault", sorted(FAULTS), ids=sorted(FAULTS))
def test_read_tenant_settings_provider_fault_returns_generic_problem(
    gateway: GatewayClient, fresh_idp: LocalIdp, fault: str
) -> None:
    kind, status, expected = FAULTS[fault]
    caller = token(fresh_idp, VIEWER)
    fresh_idp.faults.add(TENANT_SEARCH, kind, status=status)

    response = gateway.request("GET", "/api/tenants/current/settings", token=caller)

    assert response.status_code == expected
    assert response.json()["detail"].startswith("The identity provider")


# --- PATCH /api/tenants/current/settings ------------------------------------------------------------------------

VALID_SETTINGS_UPDATES: dict[str, dict[str, Any]] = {
    "max-members-1": {"custom_attributes": {"max_members": 1}},
    "max-members-10000": {"custom_attributes": {"max_members": 10_000}},
    "plan-free": {"custom_attributes": {"plan_tier": "free"}},
    "plan-enterprise": {"custom_attributes": {"plan_tier": "enterprise"}},
    "both": {"custom_attributes": {"plan_tier": "free", "max_members": 3}},
    "key-value-form": {"key": "max_members", "value": 42},
}


@pytest.mark.parametrize("case", sorted(VALID_SETTINGS_UPDATES), ids=sorted(VALID_SETTINGS_UPDATES))
def test_update_tenant_settings_owner_valid_values_returns_200_and_keeps_other_attributes(
    gateway: GatewayClient, fresh_idp: LocalIdp, case: str
) -> None:
    body = VALID_SETTINGS_UPDATES[case]
    changes = body.get("custom_attributes") or {body["key"]: body["value"]}
    expected = {**stored_settings(fresh_idp), **changes}

    response = gateway.request("PATCH", "/api/tenants/current/settings", token=token(fresh_idp, OWNER), json=body)

    assert response.status_code == 200
    assert response.json()["custom_attributes"] == expected
    assert stored_settings(fresh_idp) == expected


INVALID_SETTINGS_VALUES: dict[str, Any] = {
    "max-members-0": {"max_members": 0},
    "max-members-10001": {"max_members": 10_001},
    "max-members-negative": {"max_members": -5},
    "max-members-string": {"max_members": "50"},
    "max-members-float": {"max_members": 50.0},
    "max-members-bool": {"max_members": True},
    "max-members-null": {"max_members": None},
    "plan-unknown": {"plan_tier": "gold"},
    "plan-wrong-case": {"plan_tier": "Pro"},
    "plan-number": {"plan_tier": 1},
    "one-bad-among-good": {"max_members": 20, "plan_tier": "platinum"},
}


@pytest.mark.parametrize("case", sorted(INVALID_SETTINGS_VALUES), ids=sorted(INVALID_SETTINGS_VALUES))
def test_update_tenant_settings_invalid_value_returns_422_and_changes_nothing(
    gateway: GatewayClient, fresh_idp: LocalIdp, case: str
) -> None:
    before = stored_settings(fresh_idp)

    response = gateway.request(
        "PATCH",
        "/api/tenants/current/settings",
        token=token(fresh_idp, OWNER),
        json={"custom_attributes": INVALID_SETTINGS_VALUES[case]},
    )

    assert_problem(response, 422, "invalid-request")
    assert {tuple(error["loc"]) for error in response.json()["errors"]} <= {("max_members",), ("plan_tier",)}
    assert stored_settings(fresh_idp) == before
    assert fresh_idp.requests.count(TENANT_PATCH) == 0


def test_update_tenant_settings_unknown_keys_returns_422_listing_them_sorted_and_changes_nothing(
    gateway: GatewayClient, fresh_idp: LocalIdp
) -> None:
    before = stored_settings(fresh_idp)

    response = gateway.request(
        "PATCH",
        "/api/tenants/current/settings",
        token=token(fresh_idp, OWNER),
        json={"custom_attributes": {"zz_top": 1, "max_members": 20, "billing_email": "x@y.test"}},
    )

    assert_problem(response, 422, "invalid-request")
    assert response.json()["unknown_keys"] == ["billing_email", "zz_top"]
    assert "billing_email, zz_top" in response.json()["detail"]
    assert stored_settings(fresh_idp) == before


@pytest.mark.parametrize(
    "body",
    [{"custom_attributes": {}}, {"custom_attributes": {f"k{i}": 1 for i in range(11)}}, {}, {"key": "max_members"}],
    ids=["empty", "eleven-keys", "no-attributes", "key-without-value"],
)
def test_update_tenant_settings_malformed_body_returns_422(
    gateway: GatewayClient, fresh_idp: LocalIdp, body: dict[str, Any]
) -> None:
    before = stored_settings(fresh_idp)

    response = gateway.request("PATCH", "/api/tenants/current/settings", token=token(fresh_idp, OWNER), json=body)

    assert_problem(response, 422, "invalid-request")
    assert stored_settings(fresh_idp) == before


@pytest.mark.parametrize(
    ("login_id", "changes", "status", "problem"),
    [
        (ADMIN, {"max_members": 20}, 200, None),
        (ADMIN, {"plan_tier": "enterprise"}, 403, "permission-denied"),
        (ADMIN, {"plan_tier": "enterprise", "max_members": 20}, 403, "permission-denied"),
        (OWNER, {"plan_tier": "enterprise"}, 200, None),
        (MEMBER, {"max_members": 20}, 403, "permission-denied"),
        (VIEWER, {"max_members": 20}, 403, "permission-denied"),
    ],
    ids=["admin-max-members", "admin-plan", "admin-plan-and-max", "owner-plan", "member", "viewer"],
)
def test_update_tenant_settings_permissions(
    gateway: GatewayClient,
    fresh_idp: LocalIdp,
    login_id: str,
    changes: dict[str, Any],
    status: int,
    problem: str | None,
) -> None:
    before = stored_settings(fresh_idp)

    response = gateway.request(
        "PATCH", "/api/tenants/current/settings", token=token(fresh_idp, login_id), json={"custom_attributes": changes}
    )

    assert response.status_code == status
    if problem is None:
        assert stored_settings(fresh_idp) == {**before, **changes}
    else:
        assert_problem(response, status, problem)
        assert stored_settings(fresh_idp) == before


def test_update_tenant_settings_plan_by_admin_names_billing_permission(
    gateway: GatewayClient, fresh_idp: LocalIdp
) -> None:
    response = gateway.request(
        "PATCH",
        "/api/tenants/current/settings",
        token=token(fresh_idp, ADMIN),
        json={"key": "plan_tier", "value": "free"},
    )

    assert response.status_code == 403
    assert response.json()["required_permissions"] == ["billing.manage"]


def test_update_tenant_settings_of_deleted_tenant_returns_404(gateway: GatewayClient, fresh_idp: LocalIdp) -> None:
    caller = token(fresh_idp, OWNER)
    fresh_idp.descope_client().mgmt.tenant.delete(fresh_idp.seed.tenant_ids["acme"])

    response = gateway.request(
        "PATCH", "/api/tenants/current/settings", token=caller, json={"key": "max_members", "value": 20}
    )

    assert_problem(response, 404, "not-found")
    assert fresh_idp.requests.count(TENANT_PATCH) == 0


# The descope SDK does not read the reply body of a tenant patch, so an unreadable 200 there is a success.
SETTINGS_FAULTS = [
    (path, fault)
    for path in (TENANT_SEARCH, TENANT_PATCH)
    for fault in sorted(FAULTS)
    if (path, fault) != (TENANT_PATCH, "unreadable")
]


@pytest.mark.parametrize(
    ("path", "fault"), SETTINGS_FAULTS, ids=[f"{path.rsplit('/', 1)[1]}-{fault}" for path, fault in SETTINGS_FAULTS]
)
def test_update_tenant_settings_provider_fault_returns_generic_problem_and_changes_nothing(
    gateway: GatewayClient, fresh_idp: LocalIdp, fault: str, path: str
) -> None:
    kind, status, expected = FAULTS[fault]
    caller = token(fresh_idp, OWNER)
    before = stored_settings(fresh_idp)
    fresh_idp.faults.add(path, kind, status=status)

    response = gateway.request(
        "PATCH", "/api/tenants/current/settings", token=caller, json={"custom_attributes": {"max_members": 20}}
    )

    assert response.status_code == expected
    assert "njected" not in response.text
    assert stored_settings(fresh_idp) == before
    assert fresh_idp.faults.pending() == []
