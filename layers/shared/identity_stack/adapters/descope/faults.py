"""Descope SDK and transport faults as problems, in one place; upstream text is logged by code only, never returned.

Error codes: those of Descope's SDK error tables (e.g. https://github.com/descope/go-sdk, ``descope/errors.go``);
codes Descope does not publish are the local provider's (local/idp), named as such below. Rate limiting: Descope
answers 429 (https://docs.descope.com/rate-limiting), which the Python SDK raises as ``RateLimitException`` with the
``Retry-After`` header in ``rate_limit_parameters``.
"""

import json
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from http import HTTPStatus
from typing import TYPE_CHECKING

from identity_stack.errors import (
    IDP_RETRY_AFTER_S,
    IDP_UNAVAILABLE_DETAIL,
    ConflictError,
    NotFoundError,
    ProblemError,
    UpstreamError,
    UpstreamUnavailableError,
)

if TYPE_CHECKING:
    from descope import AuthException

# "User not found" (management and auth API forms) and "user already exists".
USER_NOT_FOUND_CODES = frozenset({"E112102", "E062108"})
ALREADY_EXISTS_CODES = frozenset({"E062107"})
# Descope publishes no "tenant exists" code: this is the local provider's. Real Descope's duplicate is caught earlier
# by the name check of domain.tenants.create_tenant, or ends as a 502.
TENANT_EXISTS_CODES = frozenset({"E114107"})
# Descope publishes no "access key not found" code: this is the local provider's; Descope's 404 is matched too.
ACCESS_KEY_NOT_FOUND_CODES = frozenset({"E115102"})

BUSY_DETAIL = "The identity provider is busy."

logger = logging.getLogger(__name__)

Refinement = Callable[["AuthException", str | None], ProblemError | None]


def error_code(error_message: str | None) -> str | None:
    """The ``errorCode`` of a Descope error body (``{"errorCode", "errorDescription", ...}``), or None."""
    try:
        body = json.loads(error_message or "")
    except ValueError:
        return None
    code = body.get("errorCode") if isinstance(body, dict) else None
    return code if isinstance(code, str) else None


def busy(rate_limit_parameters: dict[str, object]) -> UpstreamUnavailableError:
    """The 503 of a 429: Descope's ``Retry-After`` seconds when usable, else :data:`IDP_RETRY_AFTER_S`."""
    value = rate_limit_parameters.get("Retry-After")
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return UpstreamUnavailableError(BUSY_DETAIL, retry_after_s=value)
    return UpstreamUnavailableError(BUSY_DETAIL, retry_after_s=IDP_RETRY_AFTER_S)


@asynccontextmanager
async def translate_sdk_faults(operation: str, refine: Refinement | None = None) -> AsyncIterator[None]:
    """Turn descope SDK and transport faults raised inside the block into problems.

    Parameters
    ----------
    operation : str
        What was attempted, for the log line (e.g. ``"logout user"``).
    refine : callable, optional
        ``(exc, error_code) -> problem or None``: a call-specific reading of an ``AuthException`` (e.g. tenant
        exists → 409), tried before the general rules below.

    Raises
    ------
    UpstreamUnavailableError
        Rate limited (429 → 503 with Descope's ``Retry-After``), 5xx, timeout or network failure (503).
    NotFoundError
        Descope says the user does not exist (404).
    ConflictError
        Descope says the user already exists (409).
    UpstreamError
        Any other Descope 4xx, or a 2xx whose body is not JSON (502).
    ProblemError
        The SDK refused locally for lack of configuration, e.g. no management key (500).
    """
    # Both imported on the first management call: the SDK is built on httpx, and functions that never call it
    # (auth's /api/me) do not pay either import at init.
    import httpx
    from descope import AuthException, RateLimitException

    try:
        yield
    except RateLimitException as exc:
        logger.warning("descope %s rate limited", operation)
        raise busy(exc.rate_limit_parameters) from exc
    except AuthException as exc:
        code = error_code(exc.error_message)
        logger.warning("descope %s failed: status=%s code=%s", operation, exc.status_code, code)
        refined = refine(exc, code) if refine is not None else None
        if refined is not None:
            raise refined from exc
        raise _problem_of(exc.status_code, code) from exc
    except httpx.HTTPError as exc:
        logger.warning("descope %s unreachable: %s", operation, type(exc).__name__)
        raise UpstreamUnavailableError(IDP_UNAVAILABLE_DETAIL, retry_after_s=IDP_RETRY_AFTER_S) from exc
    except json.JSONDecodeError as exc:
        logger.warning("descope %s returned an unreadable body", operation)
        raise UpstreamError("The identity provider sent an unreadable answer.") from exc


def tenant_exists(_exc: "AuthException", code: str | None) -> ProblemError | None:
    """Refinement for tenant creation: the provider's "tenant exists" is a 409."""
    return ConflictError("A tenant with this name already exists.") if code in TENANT_EXISTS_CODES else None


def access_key_not_found(exc: "AuthException", code: str | None) -> ProblemError | None:
    """Refinement for calls addressing one access key: a 404 or the provider's not-found code is a 404 problem."""
    if exc.status_code == HTTPStatus.NOT_FOUND or code in ACCESS_KEY_NOT_FOUND_CODES:
        return NotFoundError("No such access key.")
    return None


def _problem_of(status: int | None, code: str | None) -> ProblemError:
    if status is None:
        return ProblemError()
    if code in USER_NOT_FOUND_CODES:
        return NotFoundError("The user does not exist.")
    if code in ALREADY_EXISTS_CODES:
        return ConflictError("The user already exists.")
    if status >= HTTPStatus.INTERNAL_SERVER_ERROR:
        return UpstreamUnavailableError(IDP_UNAVAILABLE_DETAIL, retry_after_s=IDP_RETRY_AFTER_S)
    return UpstreamError("The identity provider rejected the request.")
