"""``Annotated`` dependency aliases for route signatures (``principal: CurrentPrincipal``): the domain services, built
with the real adapters."""

from typing import Annotated

from fastapi import Depends

from identity_stack.adapters.descope.client import get_identity_provider
from identity_stack.adapters.dynamodb.recent_keys import RecentAccessKeys
from identity_stack.adapters.dynamodb.resources import TenantResources
from identity_stack.adapters.dynamodb.suspensions import SuspendedMembers
from identity_stack.domain.access_keys import TenantAccessKeys
from identity_stack.domain.members import TenantMembers
from identity_stack.domain.ports import IdentityProvider
from identity_stack.web.dependencies import ActiveTenantId, CurrentPrincipal, ValidatedClaims

ActiveTenant = ActiveTenantId
IdpDep = Annotated[IdentityProvider, Depends(get_identity_provider)]


async def get_tenant_resources(tenant_id: ActiveTenantId) -> TenantResources:
    """The resource repository of the active tenant: never of a tenant named by the request alone."""
    return TenantResources(tenant_id)


StoreDep = Annotated[TenantResources, Depends(get_tenant_resources)]


async def get_tenant_access_keys(tenant_id: ActiveTenantId, idp: IdpDep) -> TenantAccessKeys:
    """The access keys of the active tenant (functions/keys)."""
    return TenantAccessKeys(tenant_id, idp, RecentAccessKeys(tenant_id))


async def get_tenant_members(tenant_id: ActiveTenantId, idp: IdpDep) -> TenantMembers:
    """The members of the active tenant (functions/members)."""
    return TenantMembers(tenant_id, idp, SuspendedMembers(tenant_id))


async def get_suspended_members(tenant_id: ActiveTenantId) -> SuspendedMembers:
    """The suspended members of the active tenant (functions/roles: no grant undoes a suspension)."""
    return SuspendedMembers(tenant_id)


AccessKeysDep = Annotated[TenantAccessKeys, Depends(get_tenant_access_keys)]
MembersDep = Annotated[TenantMembers, Depends(get_tenant_members)]
SuspensionsDep = Annotated[SuspendedMembers, Depends(get_suspended_members)]

__all__ = [
    "AccessKeysDep",
    "ActiveTenant",
    "CurrentPrincipal",
    "IdpDep",
    "MembersDep",
    "StoreDep",
    "SuspensionsDep",
    "ValidatedClaims",
]
