"""``Annotated`` dependency aliases for route signatures (``principal: CurrentPrincipal``)."""

from typing import Annotated

from fastapi import Depends

from identity_stack.authentication import BearerToken, CurrentPrincipal, ValidatedClaims
from identity_stack.descope_client import IdentityProviderClient, get_identity_provider
from identity_stack.store import TenantResources
from identity_stack.tenancy import ActiveTenantId

ActiveTenant = ActiveTenantId
IdpDep = Annotated[IdentityProviderClient, Depends(get_identity_provider)]


async def get_tenant_resources(tenant_id: ActiveTenantId) -> TenantResources:
    """The resource repository of the active tenant: never of a tenant named by the request alone."""
    return TenantResources(tenant_id)


StoreDep = Annotated[TenantResources, Depends(get_tenant_resources)]

__all__ = ["ActiveTenant", "BearerToken", "CurrentPrincipal", "IdpDep", "StoreDep", "ValidatedClaims"]
