"""Descope management API: roles, permissions and the licence handshake."""

from typing import Any

from fastapi import APIRouter

from local.idp.rbac import permission_view, role_id, role_view
from local.idp.routes.deps import ManagementAuth, RuntimeDep, WireModel

router = APIRouter(prefix="/v1/mgmt", tags=["rbac"], dependencies=ManagementAuth)
# Descope's plan tiers are tier1 (free) to tier4 (enterprise); the SDK sends it back as x-descope-license.
LICENSE_TIER = "tier2"


class RoleSearch(WireModel):
    tenant_ids: list[str] | None = None
    role_names: list[str] | None = None
    role_name_like: str | None = None
    permission_names: list[str] | None = None
    include_project_roles: bool | None = None
    role_ids: list[str] | None = None


@router.get("/license")
async def read_license() -> dict[str, str]:
    """The project's rate-limit tier (the SDK's construction-time handshake)."""
    return {"rateLimitTier": LICENSE_TIER}


@router.get("/role/all")
async def load_all_roles(runtime: RuntimeDep) -> dict[str, Any]:
    """Every role with its permission names."""
    with runtime.store.read() as state:
        return {"roles": [role_view(role) for role in state["roles"].values()]}


@router.post("/role/search")
async def search_roles(body: RoleSearch, runtime: RuntimeDep) -> dict[str, Any]:
    """Roles matching every given filter; all roles here are project roles (no tenant-scoped roles)."""
    with runtime.store.read() as state:
        roles = list(state["roles"].values())
    if body.tenant_ids and not body.include_project_roles:
        roles = []
    if body.role_names:
        roles = [r for r in roles if r["name"] in body.role_names]
    if body.role_ids:
        roles = [r for r in roles if role_id(r["name"]) in body.role_ids]
    if body.role_name_like:
        roles = [r for r in roles if body.role_name_like.lower() in r["name"].lower()]
    if body.permission_names:
        roles = [r for r in roles if set(body.permission_names) & set(r["permissionNames"])]
    return {"roles": [role_view(role) for role in roles]}


@router.get("/permission/all")
async def load_all_permissions(runtime: RuntimeDep) -> dict[str, Any]:
    """Every permission."""
    with runtime.store.read() as state:
        return {"permissions": [permission_view(p) for p in state["permissions"].values()]}
