"""``Annotated`` dependency aliases for route signatures (``principal: CurrentPrincipal``)."""

from typing import Annotated

from fastapi import Depends

from identity_stack.authentication import BearerToken, CurrentPrincipal, ValidatedClaims
from identity_stack.descope_client import IdentityProviderClient, get_identity_provider
from identity_stack.tenancy import ActiveTenantId

ActiveTenant = ActiveTenantId
IdpDep = Annotated[IdentityProviderClient, Depends(get_identity_provider)]

__all__ = ["ActiveTenant", "BearerToken", "CurrentPrincipal", "IdpDep", "ValidatedClaims"]
