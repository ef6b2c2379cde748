"""FastAPI dependencies that authenticate the caller: bearer token, then validated claims, then the principal."""

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security.utils import get_authorization_scheme_param

from identity_stack.errors import AuthenticationError
from identity_stack.principal import Principal
from identity_stack.tokens import validate_access_token

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
    """The authenticated :class:`~identity_stack.principal.Principal` of the request."""
    return Principal.from_claims(claims)


CurrentPrincipal = Annotated[Principal, Depends(get_current_principal)]
