"""Tenants: create one (the creator becomes owner), list the caller's, read the active one; its resources."""

from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Query, status
from pydantic import BaseModel, ConfigDict, Field

from identity_stack import Permission, Role, make_handler
from identity_stack.adapters.dynamodb.resources import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from identity_stack.adapters.rate_limits import assign_usage_plan
from identity_stack.config import Requirement
from identity_stack.domain.models import Resource, ResourcePage, Tenant
from identity_stack.domain.plans import DEFAULT_PLAN_TIER
from identity_stack.domain.tenants import create_tenant as create_owned_tenant
from identity_stack.domain.tenants import load_tenant
from identity_stack.domain.validators import DisplayName, DisplayText, DomainName
from identity_stack.web.guards import require_path_tenant, require_permission, require_project_permission, require_user
from identity_stack.web.services import ActiveTenant, CurrentPrincipal, IdpDep, StoreDep

# Custom attributes every new tenant starts with (defined in infra/descope_project.tf).
DEFAULT_TENANT_ATTRIBUTES: dict[str, object] = {"plan_tier": DEFAULT_PLAN_TIER, "max_members": 10}
MAX_SELF_PROVISIONING_DOMAINS = 100
MAX_CURSOR_CHARS = 512


class TenantCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: DisplayName = Field(min_length=1, max_length=255)
    self_provisioning_domains: list[DomainName] = Field(default_factory=list, max_length=MAX_SELF_PROVISIONING_DOMAINS)


class TenantMembership(BaseModel):
    id: str
    name: str | None = Field(description="None when the identity provider no longer has the tenant")
    roles: list[str]
    permissions: list[str]
    is_active: bool


class TenantList(BaseModel):
    tenants: list[TenantMembership]
    active_tenant_id: str | None


class ResourceCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: DisplayName = Field(min_length=1, max_length=255)
    description: DisplayText = Field(default="", max_length=1000)


tenants = APIRouter(prefix="/api/tenants", tags=["tenants"])


@tenants.post(
    "",
    status_code=status.HTTP_201_CREATED,
    dependencies=[require_project_permission(Permission.PROJECTS_CREATE), require_user()],
)
async def create_tenant(body: TenantCreate, principal: CurrentPrincipal, idp: IdpDep) -> Tenant:
    """Create a tenant with the caller as owner; 409 if the name (ignoring case) or a domain is taken."""
    tenant = await create_owned_tenant(
        idp,
        body.name,
        self_provisioning_domains=list(dict.fromkeys(body.self_provisioning_domains)),
        custom_attributes=DEFAULT_TENANT_ATTRIBUTES,
        owner_user_id=principal.user_id,
        owner_roles=[Role.OWNER],
    )
    # Its API key in its tier's usage plan; on failure it stays on the default key (logged), the creation stands.
    await assign_usage_plan(tenant.id, DEFAULT_PLAN_TIER)
    return tenant


@tenants.get("")
async def list_tenants(principal: CurrentPrincipal, idp: IdpDep) -> TenantList:
    """The caller's tenants from the token, named by one provider search, with the caller's roles in each."""
    found = await idp.search_tenants(ids=list(principal.tenants)) if principal.tenants else []
    names = {tenant.id: tenant.name for tenant in found}
    return TenantList(
        tenants=[
            TenantMembership(
                id=tenant_id,
                name=names.get(tenant_id),
                roles=list(grant.roles),
                permissions=list(grant.permissions),
                is_active=tenant_id == principal.active_tenant_id,
            )
            for tenant_id, grant in principal.tenants.items()
        ],
        active_tenant_id=principal.active_tenant_id,
    )


@tenants.get("/current")
async def read_current_tenant(tenant_id: ActiveTenant, idp: IdpDep) -> Tenant:
    """The active tenant: id, name and custom attributes; 404 if the provider no longer has it."""
    return await load_tenant(idp, tenant_id)


# `{tenant_id}` must be the caller's active tenant; the store is bound to that tenant either way.
resources = APIRouter(
    prefix="/api/tenants/{tenant_id}/resources", tags=["resources"], dependencies=[Depends(require_path_tenant)]
)


@resources.get("", dependencies=[require_permission(Permission.DOCUMENTS_READ)])
async def list_resources(
    store: StoreDep,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[str | None, Query(min_length=1, max_length=MAX_CURSOR_CHARS)] = None,
) -> ResourcePage:
    """The tenant's resources, newest first; pass `next_cursor` back as `cursor` for the next page."""
    return await store.list_page(limit=limit, cursor=cursor)


@resources.post("", status_code=status.HTTP_201_CREATED, dependencies=[require_permission(Permission.DOCUMENTS_WRITE)])
async def create_resource(body: ResourceCreate, store: StoreDep, principal: CurrentPrincipal) -> Resource:
    """Create a resource; 409 if the tenant already has one with this name."""
    return await store.create(name=body.name, description=body.description, created_by=principal.sub)


@resources.get("/{resource_id}", dependencies=[require_permission(Permission.DOCUMENTS_READ)])
async def read_resource(resource_id: str, store: StoreDep) -> Resource:
    """One resource of the tenant; 404 if the tenant has none with this id."""
    return await store.get(resource_id)


@resources.delete(
    "/{resource_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[require_permission(Permission.DOCUMENTS_DELETE)],
)
async def delete_resource(resource_id: str, store: StoreDep) -> None:
    """Delete a resource and free its name; 404 if the tenant has none with this id."""
    await store.delete(resource_id)


app = FastAPI(title="tenants", docs_url=None, redoc_url=None, openapi_url=None)
app.include_router(tenants)
app.include_router(resources)
handler = make_handler(
    app,
    requires=(Requirement.DESCOPE, Requirement.TABLE, Requirement.USAGE_PLANS),
    snapshot_preload=("descope",),  # imported on the first call: under SnapStart, before the snapshot
)
