"""Route guards: permissions in the active tenant or project, user-only routes, and the path tenant rule."""

from typing import Any

from fastapi import Depends

from identity_stack.auth.rbac import Match, Permission, has_permissions
from identity_stack.errors import (
    PermissionDeniedError,
    TenantAccessError,
    UserPrincipalRequiredError,
)
from identity_stack.web.dependencies import ActiveTenantId, CurrentPrincipal


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


def require_permission(*permissions: Permission, match: Match = "any") -> Any:
    """Route guard: the caller's grants in the active tenant must include the permission(s).

    Parameters
    ----------
    *permissions : Permission
        One or more permissions.
    match : {"any", "all"}, default "any"
        Whether one of them suffices or all are needed; say ``"all"`` explicitly when it matters.

    Returns
    -------
    fastapi.params.Depends
        For ``dependencies=[...]`` of a route.

    Raises
    ------
    ActiveTenantRequiredError
        No active tenant (403).
    PermissionDeniedError
        The active tenant's permissions do not satisfy the guard (403).
    """
    required = list(permissions)
    has_permissions((), required, match=match)  # reject an empty guard when the route is declared

    async def check_tenant_permission(principal: CurrentPrincipal, active_tenant_id: ActiveTenantId) -> None:
        held = principal.tenants.get(active_tenant_id)
        if held is None or not has_permissions(held.permissions, required, match=match):
            raise PermissionDeniedError([p.value for p in required], match=match)

    return Depends(check_tenant_permission)


def require_user() -> Any:
    """Route guard: the caller must be a user, not an access key (which has no user record, profile or membership).

    Returns
    -------
    fastapi.params.Depends
        For ``dependencies=[...]`` of a route.

    Raises
    ------
    UserPrincipalRequiredError
        The token is an access key's (403 ``user-required``).
    """

    async def check_user(principal: CurrentPrincipal) -> None:
        if principal.kind != "user":
            raise UserPrincipalRequiredError("Only a user may do this; an access-key token has no user record.")

    return Depends(check_user)


def require_project_permission(permission: Permission) -> Any:
    """Route guard: the caller needs ``permission`` at project level (top-level ``permissions`` claim).

    Returns
    -------
    fastapi.params.Depends
        For ``dependencies=[...]`` of a route.

    Raises
    ------
    PermissionDeniedError
        The token's project-level permissions lack it (403).
    """

    async def check_project_permission(principal: CurrentPrincipal) -> None:
        if not has_permissions(principal.project_permissions, [permission]):
            raise PermissionDeniedError([permission.value], project_level=True)

    return Depends(check_project_permission)
