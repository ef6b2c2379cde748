"""Shared layer of the identity-stack Lambdas: ``auth`` (tokens, principal, RBAC), ``web``, ``domain``, ``adapters``."""

from importlib import import_module
from typing import Any

# Public name -> defining module. Imported on first access so a function pays only for what it uses (health never
# loads py-identity-model; nothing loads the descope SDK until a management call).
_EXPORTS: dict[str, str] = {
    "Settings": "config",
    "get_settings": "config",
    "ProblemError": "errors",
    "AuthenticationError": "errors",
    "PermissionDeniedError": "errors",
    "TenantAccessError": "errors",
    "ActiveTenantRequiredError": "errors",
    "NotFoundError": "errors",
    "ConflictError": "errors",
    "RoleChangeDeniedError": "errors",
    "LastOwnerError": "errors",
    "MemberSuspendedError": "errors",
    "InvalidRequestError": "errors",
    "UpstreamError": "errors",
    "UpstreamUnavailableError": "errors",
    "add_problem_handlers": "web.problems",
    "validate_access_token": "auth.tokens",
    "validate_id_token": "auth.tokens",
    "prime_token_validation": "auth.tokens",
    "Principal": "auth.principal",
    "TenantGrant": "auth.principal",
    "Permission": "auth.rbac",
    "Role": "auth.rbac",
    "ROLE_RANK": "auth.rbac",
    "require_permission": "web.guards",
    "require_project_permission": "web.guards",
    "can_grant": "auth.rbac",
    "ActiveTenantId": "web.dependencies",
    "require_path_tenant": "web.guards",
    "SECURITY_HEADERS": "web.headers",
    "security_headers": "web.headers",
    "make_handler": "web.handler",
    "IdentityProviderClient": "adapters.descope.client",
}

__all__ = [
    "ROLE_RANK",
    "SECURITY_HEADERS",
    "ActiveTenantId",
    "ActiveTenantRequiredError",
    "AuthenticationError",
    "ConflictError",
    "IdentityProviderClient",
    "InvalidRequestError",
    "LastOwnerError",
    "MemberSuspendedError",
    "NotFoundError",
    "Permission",
    "PermissionDeniedError",
    "Principal",
    "ProblemError",
    "Role",
    "RoleChangeDeniedError",
    "Settings",
    "TenantAccessError",
    "TenantGrant",
    "UpstreamError",
    "UpstreamUnavailableError",
    "add_problem_handlers",
    "can_grant",
    "get_settings",
    "make_handler",
    "prime_token_validation",
    "require_path_tenant",
    "require_permission",
    "require_project_permission",
    "security_headers",
    "validate_access_token",
    "validate_id_token",
]


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first access (PEP 562)."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'identity_stack' has no attribute {name!r}")
    value = getattr(import_module(f"identity_stack.{module}"), name)
    globals()[name] = value
    return value
