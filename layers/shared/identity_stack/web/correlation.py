"""Correlation id of the current invocation: chosen once per request, logged and echoed back."""

import re
import uuid
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from typing import Any, TypeGuard

from aws_lambda_powertools import Logger
from aws_lambda_powertools.middleware_factory import lambda_handler_decorator
from aws_lambda_powertools.utilities.typing import LambdaContext

CORRELATION_ID_HEADER = "x-correlation-id"
# A client-chosen id is echoed into headers and logs, so only a short token-safe alphabet is accepted.
VALID_CORRELATION_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")

_current_correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)


def is_valid_correlation_id(value: object) -> TypeGuard[str]:
    """Whether ``value`` may be used as a correlation id: a string of 1-128 of ``A-Z a-z 0-9 . _ -``."""
    return isinstance(value, str) and VALID_CORRELATION_ID.fullmatch(value) is not None


def resolve_correlation_id(event: Mapping[str, Any]) -> str:
    """Pick the correlation id for an API Gateway REST (v1) proxy event.

    Parameters
    ----------
    event : Mapping
        The proxy event; header names may be in any case.

    Returns
    -------
    str
        The client's ``X-Correlation-ID`` when valid, else ``requestContext.requestId``, else a new UUID4.
    """
    headers = {name.lower(): value for name, value in (event.get("headers") or {}).items()}
    client_id = headers.get(CORRELATION_ID_HEADER)
    if is_valid_correlation_id(client_id):
        return client_id
    request_id = (event.get("requestContext") or {}).get("requestId")
    if is_valid_correlation_id(request_id):
        return request_id
    return str(uuid.uuid4())


def set_correlation_id(value: str) -> None:
    """Make ``value`` the correlation id of the current context (read by problem responses)."""
    _current_correlation_id.set(value)


def get_correlation_id() -> str | None:
    """Return the current context's correlation id, or ``None`` outside an invocation."""
    return _current_correlation_id.get()


@lambda_handler_decorator
def correlation_id(
    handler: Callable[[dict[str, Any], LambdaContext], dict[str, Any]],
    event: dict[str, Any],
    context: LambdaContext,
    logger: Logger | None = None,
) -> dict[str, Any]:
    """Choose the invocation's correlation id, put it on every log line and echo it as ``x-correlation-id``.

    Parameters
    ----------
    handler : callable
        The wrapped Lambda handler.
    event : dict
        API Gateway REST (v1) proxy event; see :func:`resolve_correlation_id`.
    context : LambdaContext
        Lambda context.
    logger : Logger, optional
        Powertools logger whose records get the id.

    Returns
    -------
    dict
        The proxy response with the ``x-correlation-id`` header.
    """
    value = resolve_correlation_id(event)
    set_correlation_id(value)
    if logger is not None:
        logger.set_correlation_id(value)
    response = handler(event, context)
    response.setdefault("headers", {})[CORRELATION_ID_HEADER] = value
    return response
