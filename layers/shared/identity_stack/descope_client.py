"""Facade over the Descope management API: the SDK calls the functions use, with SDK faults as problems.

The SDK costs ~0.3 s to import, so it is imported on first use, never at module import. Methods are grouped by
resource; later functions add theirs (tenants, users, access keys) next to :meth:`IdentityProviderClient.logout_user`.
"""

import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from http import HTTPStatus
from typing import TYPE_CHECKING

import httpx

from identity_stack.errors import ConflictError, NotFoundError, ProblemError, UpstreamError, UpstreamUnavailableError
from identity_stack.settings import Settings, get_settings

if TYPE_CHECKING:
    from descope import DescopeClientAsync

# Descope's SDK default is 60 s per phase; a Lambda behind API Gateway (29 s) must give up much sooner.
DESCOPE_TIMEOUT_S = 5.0
MANAGEMENT_KEY_MAX_AGE_S = 300
DEFAULT_RETRY_AFTER_S = 5
# Descope error codes (descope-wire-contract §5; Go/Node SDK error tables).
USER_NOT_FOUND_CODES = frozenset({"E112102", "E062108"})
ALREADY_EXISTS_CODES = frozenset({"E062107"})

logger = logging.getLogger(__name__)


def _error_code(error_message: str | None) -> str | None:
    # AuthException carries the raw response text; Descope bodies are {"errorCode", "errorDescription", ...}.
    try:
        body = json.loads(error_message or "")
    except ValueError:
        return None
    return body.get("errorCode") if isinstance(body, dict) else None


def _retry_after_s(rate_limit_parameters: dict[str, object]) -> int:
    value = rate_limit_parameters.get("Retry-After")
    return value if isinstance(value, int) and value > 0 else DEFAULT_RETRY_AFTER_S


@asynccontextmanager
async def translate_sdk_faults(operation: str) -> AsyncIterator[None]:
    """Turn descope SDK and transport faults into problems; upstream text is logged by code only, never returned.

    Parameters
    ----------
    operation : str
        What was attempted, for the log line (e.g. ``"logout user"``).

    Raises
    ------
    UpstreamUnavailableError
        Rate limited (``Retry-After`` from Descope), 5xx, timeout or network failure (503).
    NotFoundError
        Descope says the user does not exist (404).
    ConflictError
        Descope says the user already exists (409).
    UpstreamError
        Any other Descope 4xx, or a 2xx whose body is not JSON (502).
    ProblemError
        The SDK refused locally for lack of configuration, e.g. no management key (500).
    """
    from descope import AuthException, RateLimitException

    try:
        yield
    except RateLimitException as exc:
        logger.warning("descope %s rate limited", operation)
        raise UpstreamUnavailableError(
            "The identity provider is busy.", retry_after_s=_retry_after_s(exc.rate_limit_parameters)
        ) from exc
    except AuthException as exc:
        code = _error_code(exc.error_message)
        logger.warning("descope %s failed: status=%s code=%s", operation, exc.status_code, code)
        if exc.status_code is None:
            raise ProblemError() from exc
        if code in USER_NOT_FOUND_CODES:
            raise NotFoundError("The user does not exist.") from exc
        if code in ALREADY_EXISTS_CODES:
            raise ConflictError("The user already exists.") from exc
        if exc.status_code >= HTTPStatus.INTERNAL_SERVER_ERROR:
            raise UpstreamUnavailableError("The identity provider is unavailable.") from exc
        raise UpstreamError("The identity provider rejected the request.") from exc
    except httpx.HTTPError as exc:
        logger.warning("descope %s unreachable: %s", operation, type(exc).__name__)
        raise UpstreamUnavailableError("The identity provider is unavailable.") from exc
    except json.JSONDecodeError as exc:
        logger.warning("descope %s returned an unreadable body", operation)
        raise UpstreamError("The identity provider sent an unreadable answer.") from exc


def read_management_key(settings: Settings) -> str | None:
    """The management key: ``DESCOPE_MANAGEMENT_KEY`` locally, else the Secrets Manager secret (cached 5 min).

    Raises
    ------
    aws_lambda_powertools.utilities.parameters.exceptions.GetParameterError
        The secret cannot be read.
    """
    if settings.descope_management_key is not None:
        return settings.descope_management_key.get_secret_value()
    if settings.descope_management_key_secret_arn:
        from aws_lambda_powertools.utilities import parameters

        return parameters.get_secret(settings.descope_management_key_secret_arn, max_age=MANAGEMENT_KEY_MAX_AGE_S)
    return None


class IdentityProviderClient:
    """The Descope management calls the functions make, each returning plain data or raising a problem.

    Parameters
    ----------
    settings : Settings
        ``DESCOPE_PROJECT_ID`` (required), ``DESCOPE_BASE_URL`` and the management key source.

    Notes
    -----
    Uses ``DescopeClientAsync``: its one pooled ``httpx.AsyncClient`` lives on Mangum's event loop, so warm calls
    skip the TCP/TLS set-up the sync client pays per call. Built on first use.
    """

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._sdk: DescopeClientAsync | None = None

    def _client(self) -> "DescopeClientAsync":
        if self._sdk is None:
            from descope import DescopeClientAsync

            settings = self._settings
            settings.require("descope_project_id")
            # Everything explicit: no reliance on the SDK's own env fallbacks (DESCOPE_BASE_URI, wire contract §1.2).
            self._sdk = DescopeClientAsync(
                settings.descope_project_id or "",
                management_key=read_management_key(settings),
                timeout_seconds=DESCOPE_TIMEOUT_S,
                base_url=settings.descope_base_url,
            )
        return self._sdk

    async def logout_user(self, user_id: str) -> None:
        """Revoke every session (refresh token) of a user on every device.

        Access tokens already issued stay valid until they expire; revocation stops them being refreshed.

        Parameters
        ----------
        user_id : str
            Descope user id.

        Raises
        ------
        NotFoundError, UpstreamError, UpstreamUnavailableError
            See :func:`translate_sdk_faults`.
        """
        client = self._client()
        async with translate_sdk_faults("logout user"):
            await client.mgmt.user.logout_user_by_user_id(user_id)


@cache
def get_identity_provider() -> IdentityProviderClient:
    """The container's :class:`IdentityProviderClient` (a FastAPI dependency; ``cache_clear()`` in tests)."""
    return IdentityProviderClient(get_settings())
