"""RBAC: the permission and role names mirror infra/rbac.tf; guards check permissions in the active tenant."""

import re
from itertools import pairwise
from pathlib import Path
from typing import Any

import hcl2
import pytest
from fastapi import Depends, FastAPI

from identity_stack.auth.rbac import (
    ROLE_RANK,
    Permission,
    Role,
    can_grant,
    has_permissions,
)
from identity_stack.web.guards import require_path_tenant, require_permission, require_project_permission
from identity_stack.web.headers import LambdaHandler
from identity_stack.web.services import ActiveTenant
from tests.builders import REPO_ROOT, make_event, response_json, user_claims
from tests.fixtures.jwks import JwksServer
from tests.fixtures.lambda_runtime import LambdaRuntime

RBAC_TF = REPO_ROOT / "infra" / "rbac.tf"
REFERENCE = re.compile(r"^\$\{descope_permission\.(\w+)\.name\}$")


def _unquote(value: str) -> str:
    # python-hcl2 v8 keeps the quotes of string literals.
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] == '"' else value


def load_rbac(path: Path = RBAC_TF) -> tuple[dict[str, str], dict[str, set[str]]]:
    """Permission resource name -> permission name, and role name -> its permission names, from the Terraform."""
    with path.open() as handle:
        resources: list[dict[str, Any]] = hcl2.load(handle)["resource"]
    permissions: dict[str, str] = {}
    roles_raw: dict[str, list[str]] = {}
    for resource in resources:
        for kind, blocks in resource.items():
            for label, block in blocks.items():
                if _unquote(kind) == "descope_permission":
                    permissions[_unquote(label)] = _unquote(block["name"])
                elif _unquote(kind) == "descope_role":
                    roles_raw[_unquote(block["name"])] = block.get("permission_names", [])

    def resolve(entry: str) -> str:
        match = REFERENCE.match(entry)
        return permissions[match.group(1)] if match else _unquote(entry)

    return permissions, {role: {resolve(entry) for entry in entries} for role, entries in roles_raw.items()}


def test_permission_enum_matches_rbac_tf() -> None:
    permissions, _ = load_rbac()

    assert {p.value for p in Permission} == set(permissions.values())


def test_role_enum_and_rank_match_rbac_tf_roles() -> None:
    _, roles = load_rbac()

    assert {r.value for r in Role} == set(roles)
    assert set(ROLE_RANK) == set(Role)


def test_role_rank_orders_roles_by_strict_permission_inclusion() -> None:
    # A higher rank must hold strictly more: otherwise "who may grant what" would let a role grant powers it lacks.
    _, roles = load_rbac()
    by_rank = sorted(ROLE_RANK, key=ROLE_RANK.__getitem__)

    for lower, higher in pairwise(by_rank):
        assert roles[lower.value] < roles[higher.value], f"{higher} must hold everything {lower} holds, and more"


@pytest.mark.parametrize(
    ("granter_roles", "role", "allowed"),
    [
        (["owner"], "owner", True),
        (["admin"], "owner", False),
        (["admin"], "admin", True),
        (["admin"], "viewer", True),
        (["member"], "admin", False),
        (["viewer", "admin"], "member", True),
        ([], "viewer", False),
        (["owner"], "superuser", False),
        (["root"], "viewer", False),
    ],
    ids=[
        "owner-grants-owner",
        "admin-cannot-grant-owner",
        "admin-grants-admin",
        "admin-grants-viewer",
        "member-cannot-grant-admin",
        "highest-role-counts",
        "no-roles",
        "unknown-target-role",
        "unknown-granter-role",
    ],
)
def test_can_grant_matrix(granter_roles: list[str], role: str, allowed: bool) -> None:
    assert can_grant(granter_roles, role) is allowed


def test_has_permissions_empty_requirement_raises() -> None:
    with pytest.raises(ValueError, match="at least one permission"):
        has_permissions(["documents.read"], [])


def make_guarded_app() -> FastAPI:
    app = FastAPI()

    @app.get("/api/any", dependencies=[require_permission(Permission.BILLING_MANAGE, Permission.MEMBERS_INVITE)])
    async def read_any() -> dict[str, bool]:
        return {"ok": True}

    @app.get(
        "/api/all",
        dependencies=[require_permission(Permission.MEMBERS_INVITE, Permission.BILLING_MANAGE, match="all")],
    )
    async def read_all() -> dict[str, bool]:
        return {"ok": True}

    @app.get("/api/project", dependencies=[require_project_permission(Permission.PROJECTS_CREATE)])
    async def read_project() -> dict[str, bool]:
        return {"ok": True}

    @app.get("/api/tenants/{tenant_id}", dependencies=[Depends(require_path_tenant)])
    async def read_tenant(tenant_id: str, active: ActiveTenant) -> dict[str, str]:
        return {"tenant_id": tenant_id, "active": active}

    return app


@pytest.fixture
def guarded(lambda_runtime: LambdaRuntime, oidc_env: JwksServer) -> LambdaHandler:
    return lambda_runtime.cold_start_app(make_guarded_app())


def call(runtime: LambdaRuntime, handler: LambdaHandler, server: JwksServer, path: str, **claims: Any) -> dict:
    principal_claims = user_claims(server.issuer, server.project_id, **claims)
    return runtime.invoke(handler, make_event("GET", path, principal_claims=principal_claims))


TWO_TENANTS = {
    "T-acme": {"roles": ["admin"], "permissions": ["members.invite"]},
    "T-globex": {"roles": ["owner"], "permissions": ["billing.manage", "members.invite"]},
}

GUARD_CASES: dict[str, tuple[str, dict[str, Any], int]] = {
    "any-of-holds-one": ("/api/any", {}, 200),
    "all-of-holds-one": ("/api/all", {}, 403),
    "all-of-holds-all-in-active-tenant": ("/api/all", {"tenants": TWO_TENANTS, "dct": "T-globex"}, 200),
    "grant-of-other-tenant-does-not-count": ("/api/all", {"tenants": TWO_TENANTS, "dct": "T-acme"}, 403),
    "no-active-tenant": ("/api/any", {"tenants": TWO_TENANTS, "dct": None}, 403),
    "dct-without-tenant-entry": ("/api/any", {"dct": "T-unknown"}, 403),
    "tenants-claim-not-an-object": ("/api/any", {"tenants": ["T-acme"], "dct": "T-acme"}, 403),
    "project-permission-held": ("/api/project", {"permissions": ["projects.create"]}, 200),
    "project-permission-only-in-tenant": (
        "/api/project",
        {"tenants": {"T-acme": {"roles": ["owner"], "permissions": ["projects.create"]}}},
        403,
    ),
    "path-tenant-is-active": ("/api/tenants/T-acme", {}, 200),
    "path-tenant-is-other-membership": ("/api/tenants/T-globex", {"tenants": TWO_TENANTS, "dct": "T-acme"}, 403),
}


@pytest.mark.parametrize("case", list(GUARD_CASES), ids=list(GUARD_CASES))
def test_guards_through_handler(
    lambda_runtime: LambdaRuntime, guarded: LambdaHandler, oidc_env: JwksServer, case: str
) -> None:
    path, claims, status = GUARD_CASES[case]

    response = call(lambda_runtime, guarded, oidc_env, path, **claims)

    assert response["statusCode"] == status
    if status == 403:
        assert response["headers"]["content-type"] == "application/problem+json"


def test_permission_denied_names_required_permissions(
    lambda_runtime: LambdaRuntime, guarded: LambdaHandler, oidc_env: JwksServer
) -> None:
    body = response_json(call(lambda_runtime, guarded, oidc_env, "/api/all"))

    assert body["type"] == "urn:identity-stack:problem:permission-denied"
    assert body["required_permissions"] == ["members.invite", "billing.manage"]
    assert body["match"] == "all"


def test_missing_active_tenant_is_its_own_problem(
    lambda_runtime: LambdaRuntime, guarded: LambdaHandler, oidc_env: JwksServer
) -> None:
    body = response_json(call(lambda_runtime, guarded, oidc_env, "/api/any", tenants=TWO_TENANTS, dct=None))

    assert body["type"] == "urn:identity-stack:problem:active-tenant-required"
