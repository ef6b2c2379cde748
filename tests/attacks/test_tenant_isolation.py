"""Tenant isolation and the permission matrix of functions/tenants, through the local API Gateway.

Every caller is a seeded persona (infra/tenants.tf, local/idp/seed_users.json) with a real token from the local
identity provider: users through the authorization code + PKCE flow, machine clients through the access-key
exchange. Data lives in moto's DynamoDB, created from template.yaml; "nothing written" is checked on the table.
"""

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from tests.fixtures.aws import LOCAL_TABLE, MotoProcess
from tests.fixtures.gateway import GatewayClient
from tests.fixtures.idp import LocalIdp

UNKNOWN_RESOURCE_ID = "01900000-0000-7000-8000-000000000000"
# Members that vary per request and say nothing about the resource.
PER_REQUEST_MEMBERS = ("correlation_id", "instance")


class Personas:
    """Tokens of the seeded personas, signed in once per module (tokens outlive a provider re-seed)."""

    def __init__(self, idp: LocalIdp) -> None:
        self._idp = idp
        self._tokens: dict[tuple[str, str | None], str] = {}

    def user(self, login_id: str, tenant: str | None = None) -> str:
        """Access token of a user, with ``tenant`` as the active tenant (``dct``) when given."""
        key = (login_id, tenant)
        if key not in self._tokens:
            self._tokens[key] = self._idp.token_for(login_id, tenant=tenant).access_token
        return self._tokens[key]

    def access_key(self, name: str) -> str:
        """Session token of a seeded access key (its one tenant is inferred as active)."""
        key = (f"key:{name}", None)
        if key not in self._tokens:
            seeded = self._idp.seed.access_keys[name]
            self._tokens[key] = self._idp.access_key_token(seeded.key_id, seeded.secret)
        return self._tokens[key]


@pytest.fixture(scope="module")
def personas(idp: LocalIdp) -> Personas:
    return Personas(idp)


@pytest.fixture(scope="module")
def acme(idp: LocalIdp) -> str:
    return idp.seed.tenant_ids["acme"]


@pytest.fixture(scope="module")
def globex(idp: LocalIdp) -> str:
    return idp.seed.tenant_ids["globex"]


@pytest.fixture(scope="module")
def partition(moto_server: MotoProcess) -> Callable[[str], list[tuple[str, str]]]:
    """Keys of every item in a tenant's partition, read straight from the table."""
    client = moto_server.client("dynamodb")
    table = LOCAL_TABLE

    def keys(tenant_id: str) -> list[tuple[str, str]]:
        items = client.query(
            TableName=table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": f"TENANT#{tenant_id}"}},
        )["Items"]
        return sorted((item["pk"]["S"], item["sk"]["S"]) for item in items)

    return keys


def create_resource(gateway: GatewayClient, token: str, tenant_id: str) -> dict[str, Any]:
    response = gateway.request(
        "POST", f"/api/tenants/{tenant_id}/resources", token=token, json={"name": f"doc-{uuid.uuid4().hex}"}
    )
    assert response.status_code == 201, response.text
    return response.json()


def stable_problem(response: httpx.Response) -> dict[str, Any]:
    problem = response.json()
    return {name: value for name, value in problem.items() if name not in PER_REQUEST_MEMBERS}


@pytest.fixture(scope="module")
def acme_resource(gateway: GatewayClient, personas: Personas, acme: str) -> dict[str, Any]:
    """A resource of Acme, created by its owner: the target of every cross-tenant attempt."""
    return create_resource(gateway, personas.user("owner@acme.test"), acme)


# --- isolation: a caller whose active tenant is Globex against Acme's data ---------------------------------------

GLOBEX_CALLERS = {
    "globex-owner": ("owner@globex.test", None),
    # Also a viewer of Acme: membership of Acme grants nothing while Globex is the active tenant.
    "consultant-active-globex": ("consultant@example.test", "globex"),
}


@pytest.fixture(params=list(GLOBEX_CALLERS), ids=list(GLOBEX_CALLERS))
def globex_caller(request: pytest.FixtureRequest, personas: Personas, idp: LocalIdp) -> str:
    login_id, tenant = GLOBEX_CALLERS[request.param]
    return personas.user(login_id, idp.seed.tenant_ids[tenant] if tenant else None)


FOREIGN_PATH_ROUTES = [
    ("GET", "/api/tenants/{tenant}/resources"),
    ("POST", "/api/tenants/{tenant}/resources"),
    ("GET", "/api/tenants/{tenant}/resources/{resource}"),
    ("DELETE", "/api/tenants/{tenant}/resources/{resource}"),
]


@pytest.mark.parametrize(("method", "template"), FOREIGN_PATH_ROUTES, ids=["list", "create", "read", "delete"])
def test_route_naming_other_tenant_returns_403_whether_or_not_resource_exists(
    gateway: GatewayClient,
    globex_caller: str,
    acme: str,
    acme_resource: dict[str, Any],
    partition: Callable[[str], list[tuple[str, str]]],
    method: str,
    template: str,
) -> None:
    before = partition(acme)

    existing = gateway.request(
        method,
        template.format(tenant=acme, resource=acme_resource["id"]),
        token=globex_caller,
        json={"name": "planted"},
    )
    unknown = gateway.request(
        method, template.format(tenant=acme, resource=UNKNOWN_RESOURCE_ID), token=globex_caller, json={"name": "x"}
    )

    assert existing.status_code == 403
    assert stable_problem(existing)["type"].endswith("tenant-access-denied")
    assert stable_problem(existing) == stable_problem(unknown)
    assert partition(acme) == before


@pytest.mark.parametrize("method", ["GET", "DELETE"], ids=["read", "delete"])
def test_other_tenants_resource_id_under_own_tenant_is_404_like_unknown_id(
    gateway: GatewayClient,
    globex_caller: str,
    acme: str,
    globex: str,
    acme_resource: dict[str, Any],
    partition: Callable[[str], list[tuple[str, str]]],
    method: str,
) -> None:
    before = partition(acme)

    foreign = gateway.request(method, f"/api/tenants/{globex}/resources/{acme_resource['id']}", token=globex_caller)
    unknown = gateway.request(method, f"/api/tenants/{globex}/resources/{UNKNOWN_RESOURCE_ID}", token=globex_caller)

    assert foreign.status_code == unknown.status_code == 404
    assert stable_problem(foreign) == stable_problem(unknown)
    assert partition(acme) == before


def test_own_tenant_listing_never_contains_other_tenants_resources(
    gateway: GatewayClient, globex_caller: str, globex: str, acme_resource: dict[str, Any]
) -> None:
    response = gateway.request("GET", f"/api/tenants/{globex}/resources?limit=100", token=globex_caller)

    assert response.status_code == 200
    assert all(item["tenant_id"] == globex for item in response.json()["items"])
    assert acme_resource["id"] not in {item["id"] for item in response.json()["items"]}


def test_other_tenants_cursor_pages_only_own_tenant(
    gateway: GatewayClient, personas: Personas, globex_caller: str, acme: str, globex: str
) -> None:
    acme_owner = personas.user("owner@acme.test")
    for _ in range(2):
        create_resource(gateway, acme_owner, acme)
    acme_cursor = gateway.request("GET", f"/api/tenants/{acme}/resources?limit=1", token=acme_owner).json()[
        "next_cursor"
    ]
    assert acme_cursor

    response = gateway.request(
        "GET", f"/api/tenants/{globex}/resources?limit=100&cursor={acme_cursor}", token=globex_caller
    )

    assert response.status_code == 200
    assert all(item["tenant_id"] == globex for item in response.json()["items"])


def test_caller_without_any_tenant_gets_403_on_every_resource_route(
    gateway: GatewayClient, personas: Personas, acme: str, acme_resource: dict[str, Any]
) -> None:
    newcomer = personas.user("newcomer@example.test")

    statuses = {
        (method, template): gateway.request(
            method, template.format(tenant=acme, resource=acme_resource["id"]), token=newcomer, json={"name": "x"}
        ).status_code
        for method, template in FOREIGN_PATH_ROUTES
    }

    assert set(statuses.values()) == {403}


# --- permission matrix: each persona x each route, in the persona's active tenant --------------------------------

# (persona, how to get its token) -> expected status per route. Permissions come from infra/rbac.tf through the
# tokens: read for every role, write for owner/admin/member, delete for owner/admin only.
ROUTES = ("list", "create", "read", "delete", "list_tenants", "current_tenant", "create_tenant")
MATRIX: dict[str, tuple[Callable[[Personas, LocalIdp], str], dict[str, int]]] = {
    "acme-owner": (
        lambda p, idp: p.user("owner@acme.test"),
        {"list": 200, "create": 201, "read": 200, "delete": 204, "create_tenant": 403},
    ),
    "acme-admin": (
        lambda p, idp: p.user("admin@acme.test"),
        {"list": 200, "create": 201, "read": 200, "delete": 204, "create_tenant": 403},
    ),
    "acme-member": (
        lambda p, idp: p.user("member@acme.test"),
        {"list": 200, "create": 201, "read": 200, "delete": 403, "create_tenant": 403},
    ),
    "acme-viewer": (
        lambda p, idp: p.user("viewer@acme.test"),
        {"list": 200, "create": 403, "read": 200, "delete": 403, "create_tenant": 403},
    ),
    "consultant-viewer-in-acme": (
        lambda p, idp: p.user("consultant@example.test", idp.seed.tenant_ids["acme"]),
        {"list": 200, "create": 403, "read": 200, "delete": 403, "create_tenant": 403},
    ),
    "acme-api-key-viewer": (
        lambda p, idp: p.access_key("acme_api"),
        {"list": 200, "create": 403, "read": 200, "delete": 403, "create_tenant": 403},
    ),
    "integration-key-admin": (
        lambda p, idp: p.access_key("integration_tests"),
        {"list": 200, "create": 201, "read": 200, "delete": 204, "create_tenant": 403},
    ),
    "platform-admin-no-tenant": (
        lambda p, idp: p.user("platform@identity-stack.test"),
        {"list": 403, "create": 403, "read": 403, "delete": 403, "current_tenant": 403, "create_tenant": 201},
    ),
}
DEFAULT_EXPECTED = {"list_tenants": 200, "current_tenant": 200}
CASES = [(persona, route) for persona in MATRIX for route in ROUTES]


@pytest.fixture
def restore_idp(idp: LocalIdp) -> Iterator[None]:
    yield
    idp.reset()


@pytest.mark.parametrize(("persona", "route"), CASES, ids=[f"{persona}-{route}" for persona, route in CASES])
def test_permission_matrix(
    gateway: GatewayClient,
    idp: LocalIdp,
    personas: Personas,
    acme: str,
    partition: Callable[[str], list[tuple[str, str]]],
    restore_idp: None,
    persona: str,
    route: str,
) -> None:
    get_token, expected_by_route = MATRIX[persona]
    expected = {**DEFAULT_EXPECTED, **expected_by_route}[route]
    caller = get_token(personas, idp)
    target = create_resource(gateway, personas.user("owner@acme.test"), acme)
    base = f"/api/tenants/{acme}/resources"
    requests = {
        "list": ("GET", base, None),
        "create": ("POST", base, {"name": f"matrix-{uuid.uuid4().hex}"}),
        "read": ("GET", f"{base}/{target['id']}", None),
        "delete": ("DELETE", f"{base}/{target['id']}", None),
        "list_tenants": ("GET", "/api/tenants", None),
        "current_tenant": ("GET", "/api/tenants/current", None),
        "create_tenant": ("POST", "/api/tenants", {"name": f"Tenant {uuid.uuid4().hex[:12]}"}),
    }
    method, path, body = requests[route]
    before = partition(acme)

    response = gateway.request(method, path, token=caller, json=body)

    assert response.status_code == expected, response.text
    if expected >= 400:
        assert response.headers["content-type"] == "application/problem+json"
        assert partition(acme) == before
