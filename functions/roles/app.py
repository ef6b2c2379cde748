"""Roles: the caller's roles in the active tenant, the role definitions, and granting or removing members' roles."""

from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from identity_stack import Permission, Principal, Role, TenantAccessError, make_handler
from identity_stack.adapters.dynamodb.suspensions import SuspendedMembers
from identity_stack.auth.rbac import ROLE_RANK
from identity_stack.config import Requirement
from identity_stack.domain.models import RoleDefinition
from identity_stack.domain.ports import IdentityProvider
from identity_stack.domain.roles import RoleChange, change_tenant_roles, read_current_roles
from identity_stack.web.dependencies import get_current_principal
from identity_stack.web.guards import require_permission
from identity_stack.web.services import ActiveTenant, CurrentPrincipal, IdpDep, SuspensionsDep

MAX_ROLES_PER_CHANGE = 10
# Descope ids are opaque (`U2…` today); bounded so a request cannot carry an arbitrarily long one to the provider.
MAX_ID_CHARS = 255

OpaqueId = Annotated[str, StringConstraints(min_length=1, max_length=MAX_ID_CHARS, pattern=r"^\S+$")]


class MyRoles(BaseModel):
    tenant_id: str
    roles: list[str] = Field(description="Roles in the active tenant according to the token")
    permissions: list[str] = Field(description="Permissions in the active tenant according to the token")
    current_roles: list[str] | None = Field(
        description="Roles the identity provider holds for the caller now; None for an access key (no user record)"
    )


class RoleDefinitionList(BaseModel):
    roles: list[RoleDefinition]


class RoleChangeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_id: OpaqueId
    role_names: list[Role] = Field(min_length=1, max_length=MAX_ROLES_PER_CHANGE)
    tenant_id: OpaqueId | None = Field(default=None, description="If given, must be the active tenant")


class RoleChangeResult(BaseModel):
    user_id: str
    tenant_id: str
    roles: list[str] = Field(description="The user's roles in the tenant after the change")


router = APIRouter(prefix="/api/roles", tags=["roles"])


@router.get("/me")
async def read_my_roles(tenant_id: ActiveTenant, principal: CurrentPrincipal, idp: IdpDep) -> MyRoles:
    """The caller's roles and permissions in the active tenant, and the roles the provider holds now."""
    grant = principal.active_grant
    current = None if principal.kind != "user" else list(await read_current_roles(idp, principal, tenant_id))
    return MyRoles(
        tenant_id=tenant_id, roles=list(grant.roles), permissions=list(grant.permissions), current_roles=current
    )


# Any authenticated caller: the definitions are project-wide, and every role page shows them.
@router.get("", dependencies=[Depends(get_current_principal)])
async def list_roles(idp: IdpDep) -> RoleDefinitionList:
    """The tenant roles a member can hold, highest first, with their permissions (for the role picker)."""
    known = [role for role in await idp.list_role_definitions() if role.name in Role]
    return RoleDefinitionList(roles=sorted(known, key=lambda role: ROLE_RANK[Role(role.name)], reverse=True))


async def _change_roles(
    body: RoleChangeRequest,
    tenant_id: str,
    principal: Principal,
    idp: IdentityProvider,
    suspensions: SuspendedMembers,
    change: RoleChange,
) -> RoleChangeResult:
    if body.tenant_id is not None and body.tenant_id != tenant_id:
        raise TenantAccessError("The body names a tenant other than your active tenant.")
    roles = list(dict.fromkeys(body.role_names))
    user = await change_tenant_roles(idp, suspensions, principal, tenant_id, body.user_id, roles, change=change)
    return RoleChangeResult(user_id=user.user_id, tenant_id=tenant_id, roles=user.tenant_roles.get(tenant_id, []))


@router.post("/assign", dependencies=[require_permission(Permission.MEMBERS_UPDATE_ROLE)])
async def assign_roles(
    body: RoleChangeRequest,
    tenant_id: ActiveTenant,
    principal: CurrentPrincipal,
    idp: IdpDep,
    suspensions: SuspensionsDep,
) -> RoleChangeResult:
    """Grant roles to a member of the active tenant; never above the caller's own rank; 409 if suspended here."""
    return await _change_roles(body, tenant_id, principal, idp, suspensions, "assign")


@router.post("/remove", dependencies=[require_permission(Permission.MEMBERS_UPDATE_ROLE)])
async def remove_roles(
    body: RoleChangeRequest,
    tenant_id: ActiveTenant,
    principal: CurrentPrincipal,
    idp: IdpDep,
    suspensions: SuspensionsDep,
) -> RoleChangeResult:
    """Remove roles from a member of the active tenant; the last enabled owner keeps `owner`; 409 if suspended."""
    return await _change_roles(body, tenant_id, principal, idp, suspensions, "remove")


app = FastAPI(title="roles", docs_url=None, redoc_url=None, openapi_url=None)
app.include_router(router)
handler = make_handler(app, requires=(Requirement.DESCOPE, Requirement.TABLE), snapshot_preload=("descope", "boto3"))
