"""FastAPI dependencies that authenticate the caller: bearer token, validated claims, principal, active tenant."""

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security.utils import get_authorization_scheme_param

from identity_stack.auth.principal import Principal
from identity_stack.auth.tokens import validate_access_token
from identity_stack.errors import ActiveTenantRequiredError, AuthenticationError

BEARER_SCHEME = "bearer"


async def get_bearer_token(request: Request) -> str:
    """Read the token of ``Authorization: Bearer <token>`` (RFC 6750 §2.1; the scheme is case-insensitive).

    Raises
    ------
    AuthenticationError
        No ``Authorization`` header, another scheme, or an empty token (401, challenge without error code).
    """
    scheme, token = get_authorization_scheme_param(request.headers.get("authorization"))
    if scheme.lower() != BEARER_SCHEME or not token:
        raise AuthenticationError(token_presented=False)
    return token


BearerToken = Annotated[str, Depends(get_bearer_token)]


async def get_validated_claims(token: BearerToken) -> dict[str, Any]:
    """Validated access-token claims of the request (once per request: FastAPI caches dependencies).

    Raises
    ------
    AuthenticationError
        The token is malformed, invalid or expired.
    UpstreamUnavailableError
        The identity provider cannot be reached to validate it.
    """
    return await validate_access_token(token)


ValidatedClaims = Annotated[dict[str, Any], Depends(get_validated_claims)]


async def get_current_principal(claims: ValidatedClaims) -> Principal:
    """The authenticated :class:`~identity_stack.auth.principal.Principal` of the request."""
    return Principal.from_claims(claims)


CurrentPrincipal = Annotated[Principal, Depends(get_current_principal)]


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
