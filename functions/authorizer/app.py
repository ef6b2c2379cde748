"""REQUEST authorizer of the API: authenticates the bearer token and names the usage-plan key of the caller's tenant.

API Gateway caches the result per ``Authorization`` header for ``ReauthorizeEvery`` seconds and applies it to every
route, so an access token gets a wildcard Allow. The answer's ``context`` carries the verified claims
(:mod:`identity_stack.auth.context`): the functions build the principal from it, check ``exp`` again and check
permissions themselves, with no signature work of their own. The returned ``usageIdentifierKey``
(``ApiKeySourceType: AUTHORIZER``) selects the usage plan that throttles the request: the active tenant's key, or
the shared default key (docs/rate-limits.md).
"""

import asyncio
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.data_classes.api_gateway_authorizer_event import (
    APIGatewayAuthorizerRequestEvent,
    APIGatewayAuthorizerResponse,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from identity_stack import AuthenticationError, Principal, get_settings, prime_token_validation
from identity_stack.adapters.rate_limits import TenantUsageKeys
from identity_stack.auth.bearer import bearer_token
from identity_stack.auth.context import ID_TOKEN_KIND, encode_context
from identity_stack.auth.tokens import validate_access_token, validate_id_token
from identity_stack.config import Requirement
from identity_stack.web.snapstart import register_hooks
from identity_stack.web.tracing import xray_sdk_tracing

# The one route an ID token may call: the SPA sends its ID token there as the bearer (functions/auth).
ID_TOKEN_ROUTE = ("POST", "/api/validate-id-token")


class UnauthorizedError(Exception):
    """Raised to reject the token: API Gateway answers 401 (UNAUTHORIZED) when the error message is exactly this."""

    def __init__(self) -> None:
        super().__init__("Unauthorized")


logger = Logger()


def _event_loop() -> asyncio.AbstractEventLoop:
    # One loop per container, reused by every invocation: py-identity-model binds its HTTP client to it.
    try:
        return asyncio.get_event_loop()
    except RuntimeError:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        return loop


_event_loop()  # Lambda init runs on the invocation thread: the loop that priming and every invocation use
_settings = get_settings()
_settings.require_for(Requirement.OIDC, Requirement.ID_TOKENS, Requirement.TABLE, Requirement.DEFAULT_API_KEY)
usage_keys = TenantUsageKeys(_settings.default_api_key_required())
prime_token_validation()
register_hooks(validates_tokens=True, preload=("boto3",))  # SnapStart: renew clients and JWKS in each restored copy


async def authorize(event: APIGatewayAuthorizerRequestEvent) -> dict[str, Any]:
    """Decide one request: Allow with context and usage key, or raise.

    Parameters
    ----------
    event : APIGatewayAuthorizerRequestEvent
        REST API REQUEST authorizer input (``methodArn``, headers).

    Returns
    -------
    dict
        The authorizer output: ``principalId``, ``policyDocument`` (every route for an access token, only
        ``POST /api/validate-id-token`` for an ID token), ``context`` (the verified claims,
        :func:`~identity_stack.auth.context.encode_context`; ``kind`` ``id_token`` for an ID token) and
        ``usageIdentifierKey``.

    Raises
    ------
    UnauthorizedError
        No bearer token, or neither a valid access token nor a valid ID token (API Gateway: 401).
    UpstreamUnavailableError
        The identity provider is unreachable (API Gateway: 500 AUTHORIZER_FAILURE; never cached).
    """
    token = bearer_token(_authorization(event))
    if token is None:
        raise UnauthorizedError
    try:
        principal = Principal.from_claims(await validate_access_token(token))
        kind: str | None = None
    except AuthenticationError:
        principal = await _id_token_principal(token)
        kind = ID_TOKEN_KIND
    response = APIGatewayAuthorizerResponse.from_route_arn(
        event.method_arn,
        principal_id=principal.sub,
        context=encode_context(principal, kind=kind),
        usage_identifier_key=await usage_keys.key_for(principal.active_tenant_id),
    )
    if kind == ID_TOKEN_KIND:
        response.allow_route(*ID_TOKEN_ROUTE)
    else:
        response.allow_all_routes()
    return response.asdict()


def _authorization(event: APIGatewayAuthorizerRequestEvent) -> str | None:
    """The one ``Authorization`` value of the request, or None when it is absent or there are several.

    API Gateway caches the answer under the identity source's value; with several ``Authorization`` headers (RFC
    9110 §11.6.2: a singleton field), differing perhaps only in the name's case, the value it caches under need not
    be the one validated here, so another token could reuse this answer. Several distinct values are refused.
    """
    values: list[object] = []
    for name, value in (event.get("headers") or {}).items():
        if name.lower() == "authorization":
            values.append(value)
    for name, listed in (event.get("multiValueHeaders") or {}).items():
        if name.lower() == "authorization":
            values.extend(listed if isinstance(listed, list) else [listed])
    if not all(isinstance(value, str) for value in values) or len(set(values)) != 1:
        return None
    return str(values[0])


async def _id_token_principal(token: str) -> Principal:
    try:
        return Principal.from_claims(await validate_id_token(token))
    except AuthenticationError as exc:
        raise UnauthorizedError from exc


def _handle(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return _event_loop().run_until_complete(authorize(APIGatewayAuthorizerRequestEvent(event)))


def _wrap(decorators: list[Callable[..., Any]]) -> Callable[[dict[str, Any], LambdaContext], dict[str, Any]]:
    # Powertools types its decorators as returning Callable[..., Any]; each keeps the handler's signature.
    wrapped: Callable[[dict[str, Any], LambdaContext], dict[str, Any]] = _handle
    for decorate in decorators:
        wrapped = decorate(wrapped)
    return wrapped


# Lambda entry point (the event carries the token: it is never logged). Innermost first.
handler = _wrap([*xray_sdk_tracing(), logger.inject_lambda_context])
