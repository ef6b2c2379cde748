"""Security headers on every Lambda response, as a Powertools middleware."""

import json
import logging
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.middleware_factory import lambda_handler_decorator
from aws_lambda_powertools.utilities.typing import LambdaContext

from identity_stack.config import Settings, get_settings
from identity_stack.errors import PROBLEM_CONTENT_TYPE, ProblemError
from identity_stack.web.correlation import get_correlation_id

# Lower-case names: Mangum lower-cases response headers, so a capitalised duplicate would become a second key.
SECURITY_HEADERS: dict[str, str] = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "strict-origin-when-cross-origin",
    # OWASP: disable the legacy XSS auditor, which itself enabled cross-site leaks.
    "x-xss-protection": "0",
}
DEFAULT_CSP = "default-src 'self'"
HSTS_VALUE = "max-age=31536000; includeSubDomains"

logger = logging.getLogger(__name__)

LambdaHandler = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]


def build_security_headers(settings: Settings) -> dict[str, str]:
    """Return the header set for this deployment.

    Parameters
    ----------
    settings : Settings
        ``csp_policy`` overrides the default CSP (CR and LF become spaces: a header-injection guard);
        ``Strict-Transport-Security`` is added only in production (RFC 6797 §7.2: never over plain HTTP locally).

    Returns
    -------
    dict[str, str]
        Lower-case header names to values.
    """
    csp = (settings.csp_policy or DEFAULT_CSP).replace("\r", " ").replace("\n", " ").strip() or DEFAULT_CSP
    headers = {**SECURITY_HEADERS, "content-security-policy": csp}
    if settings.is_production:
        headers["strict-transport-security"] = HSTS_VALUE
    return headers


def internal_error_response() -> dict[str, Any]:
    """A REST proxy response holding a generic RFC 9457 500 (for exceptions that escaped Mangum)."""
    body = ProblemError().to_problem(correlation_id=get_correlation_id())
    return {
        "statusCode": 500,
        "headers": {"content-type": PROBLEM_CONTENT_TYPE},
        "multiValueHeaders": {},
        "body": json.dumps(body),
        "isBase64Encoded": False,
    }


@lambda_handler_decorator
def security_headers(handler: LambdaHandler, event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Add :data:`SECURITY_HEADERS`, CSP and (in production) HSTS to the handler's proxy response.

    Header names are written in lower case; a name already present in ``multiValueHeaders`` is left alone, because
    API Gateway lets the multi-value list win when a key is in both. An exception that escapes the handler becomes a
    problem+json 500 that still carries the headers.

    Parameters
    ----------
    handler : callable
        The wrapped Lambda handler (Mangum).
    event : dict
        API Gateway REST (v1) proxy event.
    context : LambdaContext
        Lambda context.

    Returns
    -------
    dict
        The proxy response with ``headers`` completed.
    """
    try:
        response = handler(event, context)
    except Exception:
        logger.exception("unhandled error escaped the application")
        response = internal_error_response()
    headers = response.setdefault("headers", {}) or {}
    response["headers"] = headers
    taken = {name.lower() for name in headers} | {name.lower() for name in response.get("multiValueHeaders") or {}}
    for name, value in build_security_headers(get_settings()).items():
        if name not in taken:
            headers[name] = value
    return response
