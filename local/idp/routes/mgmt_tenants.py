"""Descope management API: tenants (``client.mgmt.tenant``)."""

from typing import Any

from fastapi import APIRouter
from pydantic import Field

from local.idp.routes.deps import ManagementAuth, RuntimeDep, WireModel
from local.idp.tenants import create_tenant, delete_tenant, get_tenant, search_tenants, tenant_view, update_tenant

router = APIRouter(prefix="/v1/mgmt/tenant", tags=["tenants"], dependencies=ManagementAuth)


class TenantBody(WireModel):
    id: str | None = None
    name: str | None = None
    self_provisioning_domains: list[str] | None = None
    custom_attributes: dict[str, Any] | None = None
    enforce_sso: bool | None = Field(None, alias="enforceSSO")
    disabled: bool | None = None


class TenantSearch(WireModel):
    tenant_ids: list[str] | None = None
    tenant_names: list[str] | None = None
    tenant_self_provisioning_domains: list[str] | None = None
    custom_attributes: dict[str, Any] | None = None


class TenantDelete(WireModel):
    id: str | None = None
    cascade: bool = False


@router.post("/create")
async def create(body: TenantBody, runtime: RuntimeDep) -> dict[str, str]:
    """Create a tenant; answers its id."""
    with runtime.store.write() as state:
        tenant_id = create_tenant(
            state,
            name=body.name,
            tenant_id=body.id,
            self_provisioning_domains=body.self_provisioning_domains or [],
            custom_attributes=body.custom_attributes or {},
            enforce_sso=bool(body.enforce_sso),
            disabled=bool(body.disabled),
        )
    return {"id": tenant_id}


@router.get("")
async def load(id: str, runtime: RuntimeDep) -> dict[str, Any]:
    """Load one tenant (flat object, as the SDKs read it)."""
    with runtime.store.read() as state:
        return tenant_view(get_tenant(state, id))


@router.get("/all")
async def load_all(runtime: RuntimeDep) -> dict[str, Any]:
    """Every tenant."""
    with runtime.store.read() as state:
        return {"tenants": [tenant_view(tenant) for tenant in state["tenants"].values()]}


@router.post("/search")
async def search(body: TenantSearch, runtime: RuntimeDep) -> dict[str, Any]:
    """Tenants matching ids, names, domains and custom attributes."""
    with runtime.store.read() as state:
        tenants = search_tenants(
            state,
            tenant_ids=body.tenant_ids,
            names=body.tenant_names,
            custom_attributes=body.custom_attributes,
            self_provisioning_domains=body.tenant_self_provisioning_domains,
        )
    return {"tenants": tenants}


@router.post("/update")
async def update(body: TenantBody, runtime: RuntimeDep) -> dict[str, Any]:
    """Overwrite a tenant: omitted domains become empty and flags false; omitted custom attributes are kept."""
    changes: dict[str, Any] = {
        "name": body.name,
        "selfProvisioningDomains": body.self_provisioning_domains or [],
        "enforceSSO": bool(body.enforce_sso),
        "disabled": bool(body.disabled),
    }
    if body.custom_attributes is not None:
        changes["customAttributes"] = body.custom_attributes
    with runtime.store.write() as state:
        update_tenant(state, body.id, changes)
    return {}


@router.patch("/patch")
async def patch(body: TenantBody, runtime: RuntimeDep) -> dict[str, Any]:
    """Change only the fields that were sent."""
    changes = body.wire()
    changes.pop("id", None)
    with runtime.store.write() as state:
        update_tenant(state, body.id, changes)
    return {}


@router.post("/delete")
async def delete(body: TenantDelete, runtime: RuntimeDep) -> dict[str, Any]:
    """Delete a tenant; ``cascade`` also deletes users and keys that belonged only to it."""
    with runtime.store.write() as state:
        delete_tenant(state, body.id, cascade=body.cascade)
    return {}
