"""functions/tenants through its Lambda handler: resource routes on moto, input validation, store faults, events.

Routes that call the identity provider, and the persona matrices, run through the gateway in test_gateway.py and
tests/attacks/test_tenant_isolation.py.
"""

from collections.abc import Iterator
from types import ModuleType
from typing import Any

import boto3
import pytest
from moto import mock_aws

from identity_stack.adapters.aws import get_dynamodb_client
from identity_stack.web.headers import SECURITY_HEADERS
from local.aws.tables import create_table, load_table_block
from tests.builders import (
    access_key_claims,
    make_event,
    response_json,
    user_claims,
)
from tests.fixtures.jwks import JwksServer
from tests.fixtures.lambda_runtime import LambdaRuntime, unused_port_url

TABLE = "tenants-test-table"
ACME = "T2acmeTenantForHandlerTests0"
GLOBEX = "T2globexTenantForHandlerTest"
WRITER_PERMISSIONS = ["documents.read", "documents.write", "documents.delete"]


@pytest.fixture
def table(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """An in-process moto DynamoDB holding the tenant table of infra/aws_dynamodb.tf, named by ``TABLE_NAME``."""
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "TABLE_NAME": TABLE,
        "USAGE_PLAN_NAMES": '{"free": "plan-free"}',  # required at init; no route here assigns a plan
    }.items():
        monkeypatch.setenv(name, value)
    get_dynamodb_client.cache_clear()
    with mock_aws():
        client = boto3.client("dynamodb")
        create_table(client, load_table_block(), TABLE)
        yield client
    get_dynamodb_client.cache_clear()


@pytest.fixture
def tenants(lambda_runtime: LambdaRuntime, oidc_env: JwksServer, table: Any) -> ModuleType:
    """functions/tenants after a cold start against the test IdP and the moto table."""
    return lambda_runtime.cold_start("tenants")


def claims_for(server: JwksServer, *, tenant: str = ACME, permissions: list[str] | None = None) -> dict[str, Any]:
    """Verified claims of a user with ``permissions`` in ``tenant``: the authorizer context of the request."""
    grants = {tenant: {"roles": ["custom"], "permissions": WRITER_PERMISSIONS if permissions is None else permissions}}
    return user_claims(server.issuer, server.project_id, dct=tenant, tenants=grants)


def call(runtime: LambdaRuntime, module: ModuleType, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
    return runtime.invoke(module, make_event(method, path, **kwargs))


def item_count(client: Any) -> int:
    return len(client.scan(TableName=TABLE)["Items"])


def test_create_resource_with_write_permission_returns_201_and_stores_it(
    lambda_runtime: LambdaRuntime, tenants: ModuleType, oidc_env: JwksServer, table: Any
) -> None:
    claims = claims_for(oidc_env)

    created = call(
        lambda_runtime,
        tenants,
        "POST",
        f"/api/tenants/{ACME}/resources",
        principal_claims=claims,
        body={"name": "  Plan  "},
    )
    body = response_json(created)
    fetched = call(
        lambda_runtime, tenants, "GET", f"/api/tenants/{ACME}/resources/{body['id']}", principal_claims=claims
    )

    assert created["statusCode"] == 201
    assert (body["tenant_id"], body["name"], body["description"], body["created_by"]) == (
        ACME,
        "Plan",
        "",
        "U2userAcmeAdmin",
    )
    assert body["created_at"].endswith("Z")
    assert response_json(fetched) == body
    for name, value in SECURITY_HEADERS.items():
        assert created["headers"][name] == value


def test_list_resources_pages_newest_first_through_handler(
    lambda_runtime: LambdaRuntime, tenants: ModuleType, oidc_env: JwksServer
) -> None:
    claims = claims_for(oidc_env)
    for index in range(3):
        call(
            lambda_runtime,
            tenants,
            "POST",
            f"/api/tenants/{ACME}/resources",
            principal_claims=claims,
            body={"name": f"d{index}"},
        )

    first = response_json(
        call(
            lambda_runtime,
            tenants,
            "GET",
            f"/api/tenants/{ACME}/resources",
            principal_claims=claims,
            query={"limit": "2"},
        )
    )
    second = response_json(
        call(
            lambda_runtime,
            tenants,
            "GET",
            f"/api/tenants/{ACME}/resources",
            principal_claims=claims,
            query={"limit": "2", "cursor": first["next_cursor"]},
        )
    )

    assert [item["name"] for item in first["items"] + second["items"]] == ["d2", "d1", "d0"]
    assert second["next_cursor"] is None


def test_delete_resource_returns_204_and_then_404(
    lambda_runtime: LambdaRuntime, tenants: ModuleType, oidc_env: JwksServer, table: Any
) -> None:
    claims = claims_for(oidc_env)
    created = response_json(
        call(
            lambda_runtime,
            tenants,
            "POST",
            f"/api/tenants/{ACME}/resources",
            principal_claims=claims,
            body={"name": "x"},
        )
    )
    path = f"/api/tenants/{ACME}/resources/{created['id']}"

    deleted = call(lambda_runtime, tenants, "DELETE", path, principal_claims=claims)
    again = call(lambda_runtime, tenants, "DELETE", path, principal_claims=claims)

    assert deleted["statusCode"] == 204
    assert again["statusCode"] == 404
    assert item_count(table) == 0


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"name": ""},
        {"name": "   "},
        {"name": "x" * 256},
        {"name": 42},
        {"name": None},
        {"name": "ok", "description": "d" * 1001},
        {"name": "ok", "tenant_id": GLOBEX},
        {"name": "ok", "created_by": "U2someoneElse"},
        ["name"],
        "not json",
        {"name": "Roadmap\u202e3202"},
        {"name": "Road\x00map"},
        {"name": "Road\nmap"},
        {"name": "ok", "description": "esc\x1b[2J"},
    ],
    ids=[
        "missing-name",
        "empty-name",
        "blank-name",
        "name-256",
        "name-number",
        "name-null",
        "description-1001",
        "extra-tenant-id",
        "extra-created-by",
        "array",
        "not-json",
        "name-bidi-override",
        "name-nul",
        "name-line-break",
        "description-escape",
    ],
)
def test_create_resource_bad_body_returns_422_and_writes_nothing(
    lambda_runtime: LambdaRuntime, tenants: ModuleType, oidc_env: JwksServer, table: Any, body: Any
) -> None:
    response = call(
        lambda_runtime,
        tenants,
        "POST",
        f"/api/tenants/{ACME}/resources",
        principal_claims=claims_for(oidc_env),
        body=body,
        headers={"Content-Type": "application/json"},
    )

    assert response["statusCode"] == 422
    assert response["headers"]["content-type"] == "application/problem+json"
    assert item_count(table) == 0


@pytest.mark.parametrize(
    "query",
    [
        {"limit": "0"},
        {"limit": "101"},
        {"limit": "ten"},
        {"cursor": "%%%"},
        {"cursor": ""},
        {"cursor": "e" * 513},
        {"cursor": "eyJ2IjoxLCJhZnRlciI6IjEyMyJ9"},
    ],
    ids=["limit-0", "limit-101", "limit-text", "cursor-garbage", "cursor-empty", "cursor-long", "cursor-forged"],
)
def test_list_resources_bad_query_returns_422(
    lambda_runtime: LambdaRuntime, tenants: ModuleType, oidc_env: JwksServer, query: dict[str, str]
) -> None:
    response = call(
        lambda_runtime,
        tenants,
        "GET",
        f"/api/tenants/{ACME}/resources",
        principal_claims=claims_for(oidc_env),
        query=query,
    )

    assert response["statusCode"] == 422
    assert response_json(response)["status"] == 422


@pytest.mark.parametrize(
    ("method", "suffix", "permissions"),
    [
        ("GET", "", []),
        ("POST", "", ["documents.read"]),
        ("GET", "/0190a4b2-0000-7000-8000-000000000000", ["documents.write"]),
        ("DELETE", "/0190a4b2-0000-7000-8000-000000000000", ["documents.read", "documents.write"]),
    ],
    ids=["list-without-read", "create-without-write", "read-without-read", "delete-without-delete"],
)
def test_resource_route_without_permission_returns_403_and_writes_nothing(
    lambda_runtime: LambdaRuntime,
    tenants: ModuleType,
    oidc_env: JwksServer,
    table: Any,
    method: str,
    suffix: str,
    permissions: list[str],
) -> None:
    claims = claims_for(oidc_env, permissions=permissions)

    response = call(
        lambda_runtime,
        tenants,
        method,
        f"/api/tenants/{ACME}/resources{suffix}",
        principal_claims=claims,
        body={"name": "x"},
    )

    assert response["statusCode"] == 403
    assert response_json(response)["required_permissions"]
    assert item_count(table) == 0


def test_resource_route_naming_other_tenant_returns_403(
    lambda_runtime: LambdaRuntime, tenants: ModuleType, oidc_env: JwksServer, table: Any
) -> None:
    response = call(
        lambda_runtime,
        tenants,
        "POST",
        f"/api/tenants/{GLOBEX}/resources",
        principal_claims=claims_for(oidc_env, tenant=ACME),
        body={"name": "x"},
    )

    assert response["statusCode"] == 403
    assert response_json(response)["type"].endswith("tenant-access-denied")
    assert item_count(table) == 0


def test_create_resource_store_down_returns_503_with_retry_after(
    lambda_runtime: LambdaRuntime, oidc_env: JwksServer, table: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", unused_port_url())
    get_dynamodb_client.cache_clear()
    tenants = lambda_runtime.cold_start("tenants")

    response = call(
        lambda_runtime,
        tenants,
        "POST",
        f"/api/tenants/{ACME}/resources",
        principal_claims=claims_for(oidc_env),
        body={"name": "x"},
    )

    assert response["statusCode"] == 503
    assert int(response["headers"]["retry-after"]) > 0
    assert "endpoint" not in response["body"].lower()


def test_create_tenant_with_access_key_token_returns_403_user_required(
    lambda_runtime: LambdaRuntime, tenants: ModuleType, oidc_env: JwksServer
) -> None:
    # Even with the project-level permission, a machine identity cannot become a tenant's owner; refused before
    # any provider call (DESCOPE_MANAGEMENT_KEY is unset here, so a call would fail differently).
    claims = access_key_claims(oidc_env.issuer, permissions=["projects.create"])

    response = call(lambda_runtime, tenants, "POST", "/api/tenants", principal_claims=claims, body={"name": "Initech"})

    assert response["statusCode"] == 403
    assert response_json(response)["type"].endswith("user-required")
