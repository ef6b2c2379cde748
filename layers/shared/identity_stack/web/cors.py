"""CORS headers on actual (non-preflight) responses, as a Powertools middleware.

With a Lambda proxy integration API Gateway answers only the OPTIONS preflight; the function's own responses must
carry ``Access-Control-Allow-Origin`` for a browser to read them (AWS API Gateway docs, "Enabling CORS for a REST API
resource", proxy integrations).
"""

from typing import Any

from aws_lambda_powertools.middleware_factory import lambda_handler_decorator
from aws_lambda_powertools.utilities.typing import LambdaContext

from identity_stack.config import get_settings
from identity_stack.web.headers import LambdaHandler

# Response headers a browser script may read besides the CORS-safelisted ones (Fetch standard, §3.2.6).
EXPOSED_HEADERS = "retry-after, www-authenticate, x-correlation-id"


def request_origin(event: dict[str, Any]) -> str | None:
    """The request's ``Origin`` header, whatever case the client used."""
    for name, value in (event.get("headers") or {}).items():
        if name.lower() == "origin" and isinstance(value, str):
            return value
    return None


@lambda_handler_decorator
def cors_headers(handler: LambdaHandler, event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Allow the request's origin when it is one of ``CORS_ALLOWED_ORIGINS``; never echo any other.

    ``Vary: Origin`` is always set, so a shared cache never serves one origin's answer to another.

    Parameters
    ----------
    handler : callable
        The wrapped Lambda handler.
    event : dict
        API Gateway REST (v1) proxy event.
    context : LambdaContext
        Lambda context.

    Returns
    -------
    dict
        The proxy response with CORS headers added (lower-case names).
    """
    response = handler(event, context)
    headers = response.setdefault("headers", {})
    vary = headers.get("vary")
    if not vary:
        headers["vary"] = "origin"
    elif "origin" not in vary.lower():
        headers["vary"] = f"{vary}, origin"
    origin = request_origin(event)
    if origin is not None and origin in get_settings().cors_allowed_origins:
        headers["access-control-allow-origin"] = origin
        headers["access-control-expose-headers"] = EXPOSED_HEADERS
    return response
