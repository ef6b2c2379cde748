"""Descope management API: access keys (``client.mgmt.access_key``)."""

from typing import Any

from fastapi import APIRouter

from local.idp.access_keys import (
    access_key_view,
    create_access_key,
    get_access_key,
    normalise_key_tenants,
    rotate_secret,
    search_access_keys,
)
from local.idp.errors import MissingArgumentError
from local.idp.rbac import require_roles_exist
from local.idp.routes.deps import AssociatedTenant, ManagementAuth, RuntimeDep, WireModel

router = APIRouter(prefix="/v1/mgmt/accesskey", tags=["access keys"], dependencies=ManagementAuth)


class AccessKeyCreate(WireModel):
    name: str | None = None
    expire_time: int | None = None
    role_names: list[str] | None = None
    key_tenants: list[AssociatedTenant] | None = None
    user_id: str | None = None
    custom_claims: dict[str, Any] | None = None
    description: str | None = None
    permitted_ips: list[str] | None = None
    custom_attributes: dict[str, Any] | None = None


class AccessKeyRef(WireModel):
    id: str | None = None


class AccessKeyUpdate(AccessKeyRef):
    name: str | None = None
    description: str | None = None
    custom_claims: dict[str, Any] | None = None
    permitted_ips: list[str] | None = None
    custom_attributes: dict[str, Any] | None = None
    role_names: list[str] | None = None
    key_tenants: list[AssociatedTenant] | None = None


class AccessKeySearch(WireModel):
    tenant_ids: list[str] | None = None
    bound_user_id: str | None = None


@router.post("/create")
async def create(body: AccessKeyCreate, runtime: RuntimeDep) -> dict[str, Any]:
    """Create a key; the cleartext secret is in this response only."""
    with runtime.store.write() as state:
        key, secret = create_access_key(state, body.wire())
        return {"key": access_key_view(state, key), "cleartext": secret}


@router.get("")
async def load(id: str, runtime: RuntimeDep) -> dict[str, Any]:
    """Load one key."""
    with runtime.store.read() as state:
        return {"key": access_key_view(state, get_access_key(state, id))}


@router.post("/search")
async def search(body: AccessKeySearch, runtime: RuntimeDep) -> dict[str, Any]:
    """Keys associated with any of the given tenants (all keys when none given)."""
    with runtime.store.read() as state:
        keys = search_access_keys(state, tenant_ids=body.tenant_ids or [], bound_user_id=body.bound_user_id)
    return {"keys": keys}


@router.post("/update")
async def update(body: AccessKeyUpdate, runtime: RuntimeDep) -> dict[str, Any]:
    """Rename a key; other fields change only when sent (roles and tenants too, as the API allows)."""
    if not body.name:
        raise MissingArgumentError("name is required")
    with runtime.store.write() as state:
        key = get_access_key(state, body.id)
        changes = body.wire()
        changes.pop("id", None)
        if body.role_names is not None:
            require_roles_exist(state, body.role_names)
        if body.key_tenants is not None:
            changes["keyTenants"] = normalise_key_tenants(state, changes["keyTenants"])
        key.update(changes)
        return {"key": access_key_view(state, key)}


async def _set_status(body: AccessKeyRef, runtime: RuntimeDep, status: str) -> dict[str, Any]:
    with runtime.store.write() as state:
        get_access_key(state, body.id)["status"] = status
    return {}


@router.post("/activate")
async def activate(body: AccessKeyRef, runtime: RuntimeDep) -> dict[str, Any]:
    """Let the key be exchanged again."""
    return await _set_status(body, runtime, "active")


@router.post("/deactivate")
async def deactivate(body: AccessKeyRef, runtime: RuntimeDep) -> dict[str, Any]:
    """Refuse every exchange of the key until it is activated."""
    return await _set_status(body, runtime, "inactive")


@router.post("/rotate")
async def rotate(body: AccessKeyRef, runtime: RuntimeDep) -> dict[str, Any]:
    """Give the key a new secret; the old one stops working at once."""
    with runtime.store.write() as state:
        key = get_access_key(state, body.id)
        secret = rotate_secret(key)
        return {"key": access_key_view(state, key), "cleartext": secret}


@router.post("/delete")
async def delete(body: AccessKeyRef, runtime: RuntimeDep) -> dict[str, Any]:
    """Delete the key."""
    with runtime.store.write() as state:
        del state["accessKeys"][get_access_key(state, body.id)["id"]]
    return {}
