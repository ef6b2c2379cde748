"""functions/tenants through the local API Gateway against the local identity provider and moto.

Creating, listing and reading tenants with the personas' real tokens; provider faults and what they leave behind.
"""

from collections.abc import Callable
from typing import Any

import pytest

from tests.fixtures.gateway import GatewayClient
from tests.fixtures.idp import LocalIdp
from tests.fixtures.lambda_runtime import unused_port_url

PLATFORM = "platform@identity-stack.test"
ACME_OWNER = "owner@acme.test"
CONSULTANT = "consultant@example.test"
NEWCOMER = "newcomer@example.test"
TENANT_SEARCH = "/v1/mgmt/tenant/search"
TENANT_CREATE = "/v1/mgmt/tenant/create"
TENANT_DELETE = "/v1/mgmt/tenant/delete"
ROLE_ADD = "/v2/mgmt/user/update/role/add"
# Descope answers client errors with 400 and an errorCode body; 500 is its fast-failing server error (the SDK
# retries 503 only).
PROVIDER_REFUSED = 400
PROVIDER_BROKEN = 500


def token(idp: LocalIdp, login_id: str, tenant: str | None = None) -> str:
    return idp.token_for(login_id, tenant=tenant).access_token


def tenants_named(idp: LocalIdp, name: str) -> list[dict[str, Any]]:
    return idp.descope_client().mgmt.tenant.search_all(names=[name])["tenants"]


def user_tenants(idp: LocalIdp, login_id: str) -> dict[str, list[str]]:
    user = idp.descope_client().mgmt.user.load(login_id)["user"]
    return {entry["tenantId"]: entry["roleNames"] for entry in user["userTenants"]}


def test_create_tenant_by_platform_admin_returns_201_and_creator_is_owner_in_next_token(
    gateway: GatewayClient, fresh_idp: LocalIdp
) -> None:
    response = gateway.request(
        "POST",
        "/api/tenants",
        token=token(fresh_idp, PLATFORM),
        json={"name": "  Initech  ", "self_provisioning_domains": ["Initech.EXAMPLE", "bücher.example"]},
    )
    tenant = response.json()
    next_token = fresh_idp.token_for(PLATFORM, tenant=tenant["id"])

    assert response.status_code == 201
    assert tenant["name"] == "Initech"
    assert tenant["custom_attributes"] == {"plan_tier": "free", "max_members": 10}
    assert tenant["self_provisioning_domains"] == ["initech.example", "xn--bcher-kva.example"]
    assert next_token.claims["tenants"][tenant["id"]]["roles"] == ["owner"]
    assert next_token.claims["dct"] == tenant["id"]
    stored = tenants_named(fresh_idp, "Initech")
    assert [(t["id"], t["customAttributes"]) for t in stored] == [(tenant["id"], tenant["custom_attributes"])]


def test_create_tenant_duplicate_name_returns_409_and_creates_nothing(
    gateway: GatewayClient, fresh_idp: LocalIdp
) -> None:
    response = gateway.request("POST", "/api/tenants", token=token(fresh_idp, PLATFORM), json={"name": "Acme Corp"})

    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert len(tenants_named(fresh_idp, "Acme Corp")) == 1
    assert fresh_idp.requests.count(TENANT_CREATE) == 0


@pytest.mark.parametrize(
    "name",
    ["acme corp", "ACME CORP", "Acme\u00a0Corp", "Acme   Corp", "\uff21cme Corp"],
    ids=["lower-case", "upper-case", "no-break-space", "whitespace-run", "fullwidth"],
)
def test_create_tenant_name_differing_only_in_case_or_form_returns_409(
    gateway: GatewayClient, fresh_idp: LocalIdp, name: str
) -> None:
    before = len(fresh_idp.descope_client().mgmt.tenant.load_all()["tenants"])

    response = gateway.request("POST", "/api/tenants", token=token(fresh_idp, PLATFORM), json={"name": name})

    assert response.status_code == 409
    assert response.json()["detail"] == "A tenant with this name already exists."
    assert fresh_idp.requests.count(TENANT_CREATE) == 0
    assert len(fresh_idp.descope_client().mgmt.tenant.load_all()["tenants"]) == before


@pytest.mark.parametrize("domain", ["initech.example", "INITECH.example"], ids=["same-form", "other-case"])
def test_create_tenant_domain_claimed_by_another_tenant_returns_409(
    gateway: GatewayClient, fresh_idp: LocalIdp, domain: str
) -> None:
    platform = token(fresh_idp, PLATFORM)
    first = gateway.request(
        "POST",
        "/api/tenants",
        token=platform,
        json={"name": "Initech", "self_provisioning_domains": ["initech.example"]},
    )

    second = gateway.request(
        "POST",
        "/api/tenants",
        token=platform,
        json={"name": "Initrode", "self_provisioning_domains": ["initrode.example", domain]},
    )

    assert first.status_code == 201
    assert second.status_code == 409
    assert second.json()["claimed_domains"] == ["initech.example"]
    assert "Initech" not in second.text  # which tenant claims it stays unsaid
    assert tenants_named(fresh_idp, "Initrode") == []
    assert fresh_idp.requests.count(TENANT_CREATE) == 1


@pytest.mark.parametrize("login_id", [ACME_OWNER, "admin@acme.test", "member@acme.test", "viewer@acme.test", NEWCOMER])
def test_create_tenant_without_project_permission_returns_403(
    gateway: GatewayClient, fresh_idp: LocalIdp, login_id: str
) -> None:
    response = gateway.request("POST", "/api/tenants", token=token(fresh_idp, login_id), json={"name": "Initech"})

    assert response.status_code == 403
    assert response.json()["required_permissions"] == ["projects.create"]
    # The owner holds projects.create in its tenant grant: the refusal must say a project-level grant is needed.
    assert response.json()["detail"] == "Requires the project-level permission projects.create."
    assert tenants_named(fresh_idp, "Initech") == []


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"name": ""},
        {"name": "  "},
        {"name": "x" * 256},
        {"name": "Initech", "self_provisioning_domains": ["not a domain"]},
        {"name": "Initech", "self_provisioning_domains": ["localhost"]},
        {"name": "Initech", "self_provisioning_domains": ["10.0.0.1"]},
        {"name": "Initech", "self_provisioning_domains": [f"d{i}.example" for i in range(101)]},
        {"name": "Initech", "self_provisioning_domains": "initech.example"},
        {"name": "Initech", "id": "T2chosenByTheCaller"},
        {"name": "Acme Corp\u202e"},
        {"name": "Ini\x07tech"},
        {"name": "Ini\u2066tech"},
    ],
    ids=[
        "missing-name",
        "empty-name",
        "blank-name",
        "name-256",
        "domain-with-space",
        "single-label-domain",
        "ip-address",
        "101-domains",
        "domains-not-a-list",
        "caller-chosen-id",
        "name-bidi-override",
        "name-control-character",
        "name-bidi-isolate",
    ],
)
def test_create_tenant_bad_body_returns_422_and_calls_no_provider_write(
    gateway: GatewayClient, fresh_idp: LocalIdp, body: dict[str, Any]
) -> None:
    before = len(fresh_idp.descope_client().mgmt.tenant.load_all()["tenants"])

    response = gateway.request("POST", "/api/tenants", token=token(fresh_idp, PLATFORM), json=body)

    assert response.status_code == 422
    assert response.json()["errors"]
    assert fresh_idp.requests.count(TENANT_CREATE) == 0
    assert len(fresh_idp.descope_client().mgmt.tenant.load_all()["tenants"]) == before


@pytest.mark.parametrize(
    ("status", "expected"),
    [(PROVIDER_REFUSED, 502), (PROVIDER_BROKEN, 503)],
    ids=["refused-502", "broken-503"],
)
def test_create_tenant_provider_fails_at_create_leaves_nothing(
    gateway: GatewayClient, fresh_idp: LocalIdp, status: int, expected: int
) -> None:
    fresh_idp.faults.add(TENANT_CREATE, "error", status=status)

    response = gateway.request("POST", "/api/tenants", token=token(fresh_idp, PLATFORM), json={"name": "Initech"})

    assert response.status_code == expected
    assert "tenant_state" not in response.json()
    assert tenants_named(fresh_idp, "Initech") == []


def test_create_tenant_owner_grant_fails_undoes_tenant_and_returns_502(
    gateway: GatewayClient, fresh_idp: LocalIdp
) -> None:
    before = user_tenants(fresh_idp, PLATFORM)
    fresh_idp.faults.add(ROLE_ADD, "error", status=PROVIDER_REFUSED)

    response = gateway.request("POST", "/api/tenants", token=token(fresh_idp, PLATFORM), json={"name": "Initech"})

    assert response.status_code == 502
    assert fresh_idp.requests.count(TENANT_DELETE) == 1
    assert tenants_named(fresh_idp, "Initech") == []
    assert user_tenants(fresh_idp, PLATFORM) == before


def test_create_tenant_owner_grant_and_undo_fail_returns_502_naming_the_orphan(
    gateway: GatewayClient, fresh_idp: LocalIdp
) -> None:
    fresh_idp.faults.add(ROLE_ADD, "error", status=PROVIDER_REFUSED)
    fresh_idp.faults.add(TENANT_DELETE, "error", status=PROVIDER_REFUSED)

    response = gateway.request("POST", "/api/tenants", token=token(fresh_idp, PLATFORM), json={"name": "Initech"})
    problem = response.json()

    assert response.status_code == 502
    assert problem["tenant_state"] == "created_without_owner"
    assert [t["id"] for t in tenants_named(fresh_idp, "Initech")] == [problem["tenant_id"]]
    assert "exists without an owner" in problem["detail"]


def test_list_tenants_names_every_tenant_with_one_provider_search(gateway: GatewayClient, fresh_idp: LocalIdp) -> None:
    acme, globex = fresh_idp.seed.tenant_ids["acme"], fresh_idp.seed.tenant_ids["globex"]
    caller = token(fresh_idp, CONSULTANT, tenant=acme)

    response = gateway.request("GET", "/api/tenants", token=caller)
    body = response.json()

    assert response.status_code == 200
    assert fresh_idp.requests.count(TENANT_SEARCH) == 1
    assert body["active_tenant_id"] == acme
    by_id = {entry["id"]: (entry["name"], entry["roles"], entry["is_active"]) for entry in body["tenants"]}
    assert by_id == {acme: ("Acme Corp", ["viewer"], True), globex: ("Globex Inc", ["admin"], False)}
    permissions = {entry["id"]: entry["permissions"] for entry in body["tenants"]}
    assert "documents.read" in permissions[acme]
    assert "documents.delete" not in permissions[acme]


def test_list_tenants_without_tenants_returns_empty_without_provider_call(
    gateway: GatewayClient, fresh_idp: LocalIdp
) -> None:
    response = gateway.request("GET", "/api/tenants", token=token(fresh_idp, NEWCOMER))

    assert response.status_code == 200
    assert response.json() == {"tenants": [], "active_tenant_id": None}
    assert fresh_idp.requests.count(TENANT_SEARCH) == 0


def test_list_tenants_provider_failure_returns_502(gateway: GatewayClient, fresh_idp: LocalIdp) -> None:
    fresh_idp.faults.add(TENANT_SEARCH, "error", status=PROVIDER_REFUSED)

    response = gateway.request("GET", "/api/tenants", token=token(fresh_idp, ACME_OWNER))

    assert response.status_code == 502
    assert "errorCode" not in response.text


def test_read_current_tenant_returns_name_and_custom_attributes(gateway: GatewayClient, fresh_idp: LocalIdp) -> None:
    response = gateway.request("GET", "/api/tenants/current", token=token(fresh_idp, ACME_OWNER))
    tenant = response.json()

    assert response.status_code == 200
    assert (tenant["id"], tenant["name"]) == (fresh_idp.seed.tenant_ids["acme"], "Acme Corp")
    assert tenant["custom_attributes"]["plan_tier"] == "pro"


def test_read_current_tenant_without_active_tenant_returns_403(gateway: GatewayClient, fresh_idp: LocalIdp) -> None:
    response = gateway.request("GET", "/api/tenants/current", token=token(fresh_idp, CONSULTANT))

    assert response.status_code == 403
    assert response.json()["type"].endswith("active-tenant-required")
    assert fresh_idp.requests.count(TENANT_SEARCH) == 0


def test_read_current_tenant_deleted_at_provider_returns_404(gateway: GatewayClient, fresh_idp: LocalIdp) -> None:
    caller = token(fresh_idp, ACME_OWNER)
    fresh_idp.descope_client().mgmt.tenant.delete(fresh_idp.seed.tenant_ids["acme"])

    response = gateway.request("GET", "/api/tenants/current", token=caller)

    assert response.status_code == 404


def test_read_current_tenant_provider_failure_returns_502(gateway: GatewayClient, fresh_idp: LocalIdp) -> None:
    fresh_idp.faults.add(TENANT_SEARCH, "malformed")

    response = gateway.request("GET", "/api/tenants/current", token=token(fresh_idp, ACME_OWNER))

    assert response.status_code == 502


def test_resource_routes_with_store_down_return_503_with_retry_after(
    gateway_factory: Callable[..., GatewayClient], fresh_idp: LocalIdp
) -> None:
    down = gateway_factory(environment={"AWS_ENDPOINT_URL": unused_port_url()})
    acme = fresh_idp.seed.tenant_ids["acme"]
    caller = token(fresh_idp, ACME_OWNER)
    base = f"/api/tenants/{acme}/resources"
    resource = f"{base}/01900000-0000-7000-8000-000000000000"

    responses = [
        down.request("GET", base, token=caller),
        down.request("POST", base, token=caller, json={"name": "Roadmap"}),
        down.request("GET", resource, token=caller),
        down.request("DELETE", resource, token=caller),
    ]

    assert [response.status_code for response in responses] == [503] * 4
    assert all(int(response.headers["retry-after"]) > 0 for response in responses)
    assert all(response.headers["content-type"] == "application/problem+json" for response in responses)
