"""functions/keys through the local API Gateway, the local identity provider and moto: the whole key life cycle.

An Acme admin creates, lists, reads, deactivates, activates and deletes keys; the key's tokens (the SDK's access-key
exchange and the OIDC client-credentials grant) call the API; provider faults leave nothing changed.
"""

from typing import Any

import httpx
import pytest
from descope import AuthException

from tests.fixtures.gateway import GatewayClient
from tests.fixtures.idp import LocalIdp

ACME_ADMIN = "admin@acme.test"
ACME_OWNER = "owner@acme.test"
KEY_CREATE = "/v1/mgmt/accesskey/create"
KEY_ACTIVATE = "/v1/mgmt/accesskey/activate"
KEY_DEACTIVATE = "/v1/mgmt/accesskey/deactivate"
KEY_DELETE = "/v1/mgmt/accesskey/delete"
KEY_SEARCH = "/v1/mgmt/accesskey/search"
# Descope answers client errors with 400 and an errorCode body; 500 is its fast-failing server error (the SDK
# retries 503 only).
PROVIDER_REFUSED = 400
PROVIDER_BROKEN = 500


@pytest.fixture
def acme(fresh_idp: LocalIdp) -> str:
    return fresh_idp.seed.tenant_ids["acme"]


def token(idp: LocalIdp, login_id: str, tenant: str) -> str:
    return idp.token_for(login_id, tenant=tenant).access_token


def provider_key(idp: LocalIdp, key_id: str) -> dict[str, Any]:
    return idp.descope_client().mgmt.access_key.load(key_id)["key"]


def client_credentials_token(idp: LocalIdp, client_id: str, secret: str) -> httpx.Response:
    endpoint = httpx.get(idp.discovery_url, trust_env=False).json()["token_endpoint"]
    return httpx.post(
        endpoint,
        data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
        trust_env=False,
    )


def key_writes(idp: LocalIdp) -> int:
    return sum(map(idp.requests.count, (KEY_ACTIVATE, KEY_DEACTIVATE, KEY_DELETE)))


def create_key(gateway: GatewayClient, admin: str, **body: Any) -> httpx.Response:
    return gateway.request("POST", "/api/keys", token=admin, json={"name": "ci", **body})


def test_key_life_cycle_by_acme_admin_through_gateway(gateway: GatewayClient, fresh_idp: LocalIdp, acme: str) -> None:
    admin = token(fresh_idp, ACME_ADMIN, acme)

    created = create_key(gateway, admin, description="deploys", role_names=["member"])
    key = created.json()["key"]
    path = f"/api/keys/{key['id']}"
    stored = provider_key(fresh_idp, key["id"])
    listed = gateway.request("GET", "/api/keys", token=admin)
    read = gateway.request("GET", path, token=admin)
    deactivated = gateway.request("POST", f"{path}/deactivate", token=admin)
    status_after_deactivate = provider_key(fresh_idp, key["id"])["status"]
    activated = gateway.request("POST", f"{path}/activate", token=admin)
    status_after_activate = provider_key(fresh_idp, key["id"])["status"]
    deleted = gateway.request("DELETE", path, token=admin)
    listed_after_delete = gateway.request("GET", "/api/keys", token=admin)
    read_after_delete = gateway.request("GET", path, token=admin)

    assert created.status_code == 201
    assert created.json()["cleartext"]
    assert (key["name"], key["description"], key["role_names"]) == ("ci", "deploys", ["member"])
    assert key["status"] == "active"
    assert (key["expire_time"], key["shared"]) == (None, False)
    assert [(t["tenantId"], t["roleNames"]) for t in stored["keyTenants"]] == [(acme, ["member"])]
    assert stored["roleNames"] == []
    assert key["id"] in [k["id"] for k in listed.json()["keys"]]
    assert read.status_code == 200
    assert read.json() == key
    assert (deactivated.status_code, deactivated.json()["status"]) == (200, "inactive")
    assert status_after_deactivate == "inactive"
    assert (activated.status_code, activated.json()["status"], status_after_activate) == (200, "active", "active")
    assert deleted.status_code == 204
    assert key["id"] not in [k["id"] for k in listed_after_delete.json()["keys"]]
    assert read_after_delete.status_code == 404


def test_create_key_default_role_is_viewer_and_expiry_is_kept(
    gateway: GatewayClient, fresh_idp: LocalIdp, acme: str
) -> None:
    expire_time = 4_102_444_800  # 2100-01-01

    created = create_key(gateway, token(fresh_idp, ACME_ADMIN, acme), expire_time=expire_time)

    assert created.status_code == 201
    assert created.json()["key"]["role_names"] == ["viewer"]
    assert created.json()["key"]["expire_time"] == expire_time
    assert provider_key(fresh_idp, created.json()["key"]["id"])["expireTime"] == expire_time


@pytest.mark.parametrize(
    "body",
    [
        {"name": ""},
        {"name": "x" * 101},
        {"name": "ci", "description": "d" * 1001},
        {"name": "ci", "expire_time": 1_000_000_000},
        {"name": "ci", "role_names": ["superuser"]},
        {"name": "ci", "role_names": []},
        {"name": "ci", "tenant_id": "T2other"},
        {"name": "ci\u202egnp.exe"},
        {"name": "ci\nbot"},
        {"name": "ci", "description": "bell\x07"},
    ],
    ids=[
        "empty-name",
        "long-name",
        "long-description",
        "past-expiry",
        "unknown-role",
        "no-role",
        "extra-field",
        "bidi-override-in-name",
        "line-break-in-name",
        "control-character-in-description",
    ],
)
def test_create_key_invalid_body_returns_422_and_creates_nothing(
    gateway: GatewayClient, fresh_idp: LocalIdp, acme: str, body: dict[str, Any]
) -> None:
    response = gateway.request("POST", "/api/keys", token=token(fresh_idp, ACME_ADMIN, acme), json=body)

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert fresh_idp.requests.count(KEY_CREATE) == 0


def test_exchanged_key_token_calls_api_with_inferred_tenant(
    gateway: GatewayClient, fresh_idp: LocalIdp, acme: str
) -> None:
    created = create_key(gateway, token(fresh_idp, ACME_ADMIN, acme), role_names=["admin"]).json()
    key_token = fresh_idp.access_key_token(created["key"]["id"], created["cleartext"])

    me = gateway.request("GET", "/api/me", token=key_token)
    current = gateway.request("GET", "/api/tenants/current", token=key_token)
    keys = gateway.request("GET", "/api/keys", token=key_token)

    assert me.status_code == 200
    assert (me.json()["kind"], me.json()["sub"]) == ("access_key", created["key"]["id"])
    assert me.json()["active_tenant_id"] == acme
    assert (current.status_code, current.json()["id"]) == (200, acme)
    assert keys.status_code == 200
    assert created["key"]["id"] in [k["id"] for k in keys.json()["keys"]]


def test_client_credentials_token_of_key_calls_api_with_inferred_tenant(
    gateway: GatewayClient, fresh_idp: LocalIdp, acme: str
) -> None:
    created = create_key(gateway, token(fresh_idp, ACME_ADMIN, acme), role_names=["member"]).json()
    grant = client_credentials_token(fresh_idp, created["key"]["client_id"], created["cleartext"])

    me = gateway.request("GET", "/api/me", token=grant.json()["access_token"])
    members = gateway.request("GET", "/api/members", token=grant.json()["access_token"])
    keys = gateway.request("GET", "/api/keys", token=grant.json()["access_token"])

    assert grant.status_code == 200
    assert (me.status_code, me.json()["kind"], me.json()["active_tenant_id"]) == (200, "access_key", acme)
    assert members.status_code == 200
    assert keys.status_code == 403  # a member key lacks keys.manage


def test_deactivated_key_cannot_be_exchanged_until_activated(
    gateway: GatewayClient, fresh_idp: LocalIdp, acme: str
) -> None:
    admin = token(fresh_idp, ACME_ADMIN, acme)
    created = create_key(gateway, admin).json()
    key_id = created["key"]["id"]

    gateway.request("POST", f"/api/keys/{key_id}/deactivate", token=admin)
    with pytest.raises(AuthException):
        fresh_idp.access_key_token(key_id, created["cleartext"])
    refused_grant = client_credentials_token(fresh_idp, key_id, created["cleartext"])
    gateway.request("POST", f"/api/keys/{key_id}/activate", token=admin)

    assert refused_grant.status_code in {400, 401}
    assert fresh_idp.access_key_token(key_id, created["cleartext"])


def test_key_bound_to_several_tenants_is_readable_but_not_changeable(
    gateway: GatewayClient, fresh_idp: LocalIdp, acme: str
) -> None:
    from descope import AssociatedTenant

    globex = fresh_idp.seed.tenant_ids["globex"]
    shared = fresh_idp.descope_client().mgmt.access_key.create(
        "shared", key_tenants=[AssociatedTenant(acme, ["viewer"]), AssociatedTenant(globex, ["admin"])]
    )["key"]
    admin = token(fresh_idp, ACME_ADMIN, acme)
    path = f"/api/keys/{shared['id']}"

    read = gateway.request("GET", path, token=admin)
    refused = [
        gateway.request("POST", f"{path}/deactivate", token=admin),
        gateway.request("POST", f"{path}/activate", token=admin),
        gateway.request("DELETE", path, token=admin),
    ]

    assert (read.status_code, read.json()["shared"], read.json()["role_names"]) == (200, True, ["viewer"])
    assert [r.status_code for r in refused] == [409, 409, 409]
    assert {r.json()["type"] for r in refused} == {"urn:identity-stack:problem:shared-access-key"}
    assert globex not in str([r.json() for r in refused])
    assert provider_key(fresh_idp, shared["id"])["status"] == "active"
    assert fresh_idp.requests.count(KEY_DEACTIVATE) == fresh_idp.requests.count(KEY_DELETE) == 0


@pytest.mark.parametrize(
    ("method", "suffix", "status_before"),
    [("POST", "/deactivate", "active"), ("POST", "/activate", "inactive"), ("DELETE", "", "active")],
    ids=["deactivate", "activate", "delete"],
)
def test_change_owner_key_by_admin_returns_403_and_key_unchanged(
    gateway: GatewayClient, fresh_idp: LocalIdp, acme: str, method: str, suffix: str, status_before: str
) -> None:
    created = create_key(gateway, token(fresh_idp, ACME_OWNER, acme), role_names=["owner"])
    key_id = created.json()["key"]["id"]
    if status_before == "inactive":
        fresh_idp.descope_client().mgmt.access_key.deactivate(key_id)
    admin = token(fresh_idp, ACME_ADMIN, acme)
    key_writes_before = key_writes(fresh_idp)

    response = gateway.request(method, f"/api/keys/{key_id}{suffix}", token=admin)

    assert created.status_code == 201
    assert response.status_code == 403
    assert response.json()["type"] == "urn:identity-stack:problem:role-change-denied"
    assert provider_key(fresh_idp, key_id)["status"] == status_before
    assert key_writes(fresh_idp) == key_writes_before


def test_change_owner_key_by_owner_is_allowed(gateway: GatewayClient, fresh_idp: LocalIdp, acme: str) -> None:
    owner = token(fresh_idp, ACME_OWNER, acme)
    key_id = create_key(gateway, owner, role_names=["owner"]).json()["key"]["id"]

    deactivated = gateway.request("POST", f"/api/keys/{key_id}/deactivate", token=owner)
    deleted = gateway.request("DELETE", f"/api/keys/{key_id}", token=owner)

    assert (deactivated.status_code, deactivated.json()["status"]) == (200, "inactive")
    assert deleted.status_code == 204


def test_change_key_by_demoted_admin_with_stale_token_returns_403(
    gateway: GatewayClient, fresh_idp: LocalIdp, acme: str
) -> None:
    # The rank is judged by the roles token and provider both hold: an admin demoted to member after signing in
    # cannot switch off an admin key with the admin token still in hand.
    admin = token(fresh_idp, ACME_ADMIN, acme)
    key_id = create_key(gateway, admin, role_names=["admin"]).json()["key"]["id"]
    fresh_idp.descope_client().mgmt.user.set_tenant_roles(ACME_ADMIN, acme, ["member"])

    response = gateway.request("POST", f"/api/keys/{key_id}/deactivate", token=admin)

    assert response.status_code == 403
    assert provider_key(fresh_idp, key_id)["status"] == "active"


@pytest.mark.parametrize(
    ("status", "expected"), [(PROVIDER_REFUSED, 502), (PROVIDER_BROKEN, 503)], ids=["provider-4xx", "provider-5xx"]
)
def test_create_key_provider_fault_returns_problem_and_creates_nothing(
    gateway: GatewayClient, fresh_idp: LocalIdp, acme: str, status: int, expected: int
) -> None:
    before = fresh_idp.descope_client().mgmt.access_key.search_all_access_keys(tenant_ids=[acme])["keys"]
    fresh_idp.faults.add(KEY_CREATE, "error", status=status)

    response = create_key(gateway, token(fresh_idp, ACME_ADMIN, acme))

    assert response.status_code == expected
    assert response.headers["content-type"] == "application/problem+json"
    assert "errorCode" not in response.text
    after = fresh_idp.descope_client().mgmt.access_key.search_all_access_keys(tenant_ids=[acme])["keys"]
    assert after == before


@pytest.mark.parametrize(
    ("path", "method", "fault_path"),
    [
        ("/deactivate", "POST", KEY_DEACTIVATE),
        ("", "DELETE", KEY_DELETE),
    ],
    ids=["deactivate", "delete"],
)
def test_change_key_provider_fault_returns_503_and_key_unchanged(
    gateway: GatewayClient, fresh_idp: LocalIdp, acme: str, path: str, method: str, fault_path: str
) -> None:
    key_id = fresh_idp.seed.access_keys["acme_api"].key_id
    fresh_idp.faults.add(fault_path, "error", status=PROVIDER_BROKEN)

    response = gateway.request(method, f"/api/keys/{key_id}{path}", token=token(fresh_idp, ACME_ADMIN, acme))

    assert response.status_code == 503
    assert provider_key(fresh_idp, key_id)["status"] == "active"


def test_list_keys_provider_unavailable_returns_503(gateway: GatewayClient, fresh_idp: LocalIdp, acme: str) -> None:
    fresh_idp.faults.add(KEY_SEARCH, "error", status=PROVIDER_BROKEN)

    response = gateway.request("GET", "/api/keys", token=token(fresh_idp, ACME_ADMIN, acme))

    assert response.status_code == 503
    assert response.headers["retry-after"]
