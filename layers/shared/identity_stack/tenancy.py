"""The caller's active tenant, and the rule that a tenant in the path must be that tenant."""

from typing import Annotated

from fastapi import Depends

from identity_stack.authentication import CurrentPrincipal
from identity_stack.errors import ActiveTenantRequiredError, TenantAccessError


async def get_active_tenant_id(principal: CurrentPrincipal) -> str:
    """The active tenant (``dct``, or the token's only tenant).

    Raises
    ------
    ActiveTenantRequiredError
        The token names no active tenant (403).
    """
    if principal.active_tenant_id is None:
        raise ActiveTenantRequiredError()
    return principal.active_tenant_id


ActiveTenantId = Annotated[str, Depends(get_active_tenant_id)]


async def require_path_tenant(tenant_id: str, active_tenant_id: ActiveTenantId) -> str:
    """Check that the path's ``{tenant_id}`` is the caller's active tenant.

    A tenant id from the path alone is never trusted: membership of another tenant does not grant access to it
    until the caller switches the active tenant (upstream finding: members could read any tenant they belong to).

    Raises
    ------
    TenantAccessError
        The path names another tenant (403).
    """
    if tenant_id != active_tenant_id:
        raise TenantAccessError("The path names a tenant other than your active tenant.")
    return tenant_id
