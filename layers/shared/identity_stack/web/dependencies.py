"""FastAPI dependencies that authenticate the caller from the authorizer's context: principal, claims, tenant.

The functions trust ``requestContext.authorizer``: only API Gateway can invoke them, and it sets that context from the
authorizer's answer (docs/ARCHITECTURE.md, "Trust boundary"). Nothing here imports py-identity-model.
"""

from typing import Annotated, Any

from fastapi import Depends, Request

from identity_stack.auth.context import decode_context
from identity_stack.auth.principal import Principal
from identity_stack.config import get_settings
from identity_stack.errors import ActiveTenantRequiredError

# Mangum puts the Lambda event into the ASGI scope under this key.
AWS_EVENT_SCOPE_KEY = "aws.event"


async def get_current_principal(request: Request) -> Principal:
    """The :class:`~identity_stack.auth.principal.Principal` the authorizer verified (once per request).

    Raises
    ------
    AuthenticationError
        No or a malformed ``requestContext.authorizer``, or the token expired since the authorizer's answer was
        cached (see :func:`~identity_stack.auth.context.decode_context`).
    """
    event = request.scope.get(AWS_EVENT_SCOPE_KEY)
    request_context = event.get("requestContext") if isinstance(event, dict) else None
    authorizer = request_context.get("authorizer") if isinstance(request_context, dict) else None
    return decode_context(authorizer, leeway_s=get_settings().oidc_leeway_s)


CurrentPrincipal = Annotated[Principal, Depends(get_current_principal)]


async def get_validated_claims(principal: CurrentPrincipal) -> dict[str, Any]:
    """The claims the authorizer validated (``/api/claims``)."""
    return principal.claims


ValidatedClaims = Annotated[dict[str, Any], Depends(get_validated_claims)]


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
