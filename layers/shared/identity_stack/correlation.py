"""Correlation id of the current invocation: chosen once per request, logged and echoed back."""

import re
import uuid
from collections.abc import Mapping
from contextvars import ContextVar
from typing import Any

CORRELATION_ID_HEADER = "x-correlation-id"
# A client-chosen id is echoed into headers and logs, so only a short token-safe alphabet is accepted.
VALID_CORRELATION_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")

_current_correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)


def is_valid_correlation_id(value: str | None) -> bool:
    """Whether ``value`` may be used as a correlation id (1-128 of ``A-Z a-z 0-9 . _ -``)."""
    return value is not None and VALID_CORRELATION_ID.fullmatch(value) is not None


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
