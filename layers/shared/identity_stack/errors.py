"""Problem details (RFC 9457) for every error the functions return."""

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any, Literal

PROBLEM_CONTENT_TYPE = "application/problem+json"
# RFC 9457 §3.1.1: the type is a URI identifying the problem; it need not be dereferenceable.
PROBLEM_TYPE_PREFIX = "urn:identity-stack:problem:"
BEARER_CHALLENGE = "Bearer"
INVALID_TOKEN_CHALLENGE = 'Bearer error="invalid_token"'  # noqa: S105 (an RFC 6750 challenge, not a secret)
# Retry-After (seconds, RFC 9110 §10.2.3) of the 503 when the identity provider (discovery/JWKS, or the management
# API) is down, failing or throttling without a usable Retry-After of its own: long enough for a restart or failover
# to take, short enough for a user's retry. Token validation and the Descope adapter both answer with it.
IDP_RETRY_AFTER_S = 5
IDP_UNAVAILABLE_DETAIL = "The identity provider is unavailable."

logger = logging.getLogger(__name__)


class ProblemError(Exception):
    """Base of every error that becomes an ``application/problem+json`` response.

    Subclasses set ``status``, ``code`` (the last segment of the problem ``type`` URI) and ``title``.

    Parameters
    ----------
    detail : str, optional
        Explanation for the client; never upstream text or internals.
    headers : Mapping[str, str], optional
        Response headers (``WWW-Authenticate``, ``Retry-After``).
    status : int, optional
        Overrides the class status (e.g. 422 for :class:`InvalidRequestError`).
    **extensions : Any
        Extension members of the problem object (RFC 9457 §3.2), JSON-serialisable.
    """

    status: int = HTTPStatus.INTERNAL_SERVER_ERROR
    code: str = "internal-error"
    title: str = "Internal server error"

    def __init__(
        self,
        detail: str | None = None,
        *,
        headers: Mapping[str, str] | None = None,
        status: int | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        self.headers = dict(headers or {})
        self.extensions = extensions
        if status is not None:
            self.status = status

    @property
    def status_code(self) -> int:
        """HTTP status of the response."""
        return int(self.status)

    def to_problem(self, *, instance: str | None = None, correlation_id: str | None = None) -> dict[str, Any]:
        """Render the RFC 9457 problem object.

        Parameters
        ----------
        instance : str, optional
            Request path the problem occurred on.
        correlation_id : str, optional
            Added as the ``correlation_id`` extension member.

        Returns
        -------
        dict
            ``type``, ``title``, ``status``, optional ``detail``/``instance``, then extension members.
        """
        problem: dict[str, Any] = {
            "type": PROBLEM_TYPE_PREFIX + self.code,
            "title": self.title,
            "status": self.status_code,
        }
        if self.detail:
            problem["detail"] = self.detail
        if instance:
            problem["instance"] = instance
        problem.update(self.extensions)
        if correlation_id:
            problem["correlation_id"] = correlation_id
        return problem


class AuthenticationError(ProblemError):
    """Raised when the bearer token is missing, malformed, invalid or expired (one uniform body).

    The body never says which check failed (that would be an oracle); the cause is logged instead. The challenge
    follows RFC 6750 §3: no error code when no bearer token was presented, ``invalid_token`` otherwise.
    """

    status = HTTPStatus.UNAUTHORIZED
    code = "unauthenticated"
    title = "Authentication required"

    def __init__(self, *, token_presented: bool = True) -> None:
        challenge = INVALID_TOKEN_CHALLENGE if token_presented else BEARER_CHALLENGE
        super().__init__("A valid bearer token is required.", headers={"WWW-Authenticate": challenge})


class UserPrincipalRequiredError(ProblemError):
    """Raised when an access-key token calls a route that acts on a user record (a profile, a tenant's owner)."""

    status = HTTPStatus.FORBIDDEN
    code = "user-required"
    title = "A user is required"


class PermissionDeniedError(ProblemError):
    """Raised when the caller's token lacks the permission(s) a route requires."""

    status = HTTPStatus.FORBIDDEN
    code = "permission-denied"
    title = "Permission denied"

    def __init__(
        self, permissions: list[str], *, match: Literal["any", "all"] = "any", project_level: bool = False
    ) -> None:
        wanted = ", ".join(permissions)
        # A tenant grant of a project-level permission does not count; say so, or the refusal reads as a bug.
        scope = "the project-level permission " if project_level else ""
        detail = f"Requires {scope}{wanted}." if len(permissions) == 1 else f"Requires {match} of: {wanted}."
        super().__init__(detail, required_permissions=permissions, match=match)
        self.permissions = permissions


class TenantAccessError(ProblemError):
    """Raised when a request targets a tenant other than the caller's active tenant."""

    status = HTTPStatus.FORBIDDEN
    code = "tenant-access-denied"
    title = "Tenant access denied"


class ActiveTenantRequiredError(TenantAccessError):
    """Raised when a tenant-scoped route is called by a token without an active tenant (``dct``)."""

    code = "active-tenant-required"
    title = "Active tenant required"

    def __init__(self) -> None:
        super().__init__("Select a tenant first: the token names no active tenant.")


class NotFoundError(ProblemError):
    """Raised when the addressed resource does not exist (or is not visible to the caller)."""

    status = HTTPStatus.NOT_FOUND
    code = "not-found"
    title = "Not found"


class ConflictError(ProblemError):
    """Raised when the request conflicts with existing state (e.g. the user already exists)."""

    status = HTTPStatus.CONFLICT
    code = "conflict"
    title = "Conflict"


class RoleChangeDeniedError(ProblemError):
    """Raised when a role grant or removal would exceed the caller's own rank (see ``identity_stack.auth.rbac``)."""

    status = HTTPStatus.FORBIDDEN
    code = "role-change-denied"
    title = "Role change denied"


class LastOwnerError(ConflictError):
    """Raised when a change would leave a tenant without an enabled owner."""

    code = "last-owner"
    title = "Last owner"


class MemberLimitError(ConflictError):
    """Raised when one more member would exceed the tenant's ``max_members`` custom attribute."""

    code = "member-limit-reached"
    title = "Member limit reached"


class MemberSuspendedError(ConflictError):
    """Raised when a member's roles would change while they are suspended in the tenant (reinstate them first)."""

    code = "member-suspended"
    title = "Member suspended"


class InvalidRequestError(ProblemError):
    """Raised by our own input checks (400 by default, 422 when passed); pydantic's errors keep their handler."""

    status = HTTPStatus.BAD_REQUEST
    code = "invalid-request"
    title = "Invalid request"

    def __init__(self, detail: str, *, status: Literal[400, 422] = 400, **extensions: Any) -> None:
        super().__init__(detail, status=status, **extensions)


class UpstreamError(ProblemError):
    """Raised when the identity provider or AWS answered with an error we cannot pass on."""

    status = HTTPStatus.BAD_GATEWAY
    code = "upstream-error"
    title = "Upstream service error"


class UpstreamUnavailableError(UpstreamError):
    """Raised when an upstream timed out, failed with 5xx, or throttled us; retry after ``retry_after_s`` seconds.

    The default is the identity provider's (:data:`IDP_RETRY_AFTER_S`); the data store passes its own.
    """

    status = HTTPStatus.SERVICE_UNAVAILABLE
    code = "upstream-unavailable"
    title = "Upstream service unavailable"

    def __init__(self, detail: str | None = None, *, retry_after_s: int = IDP_RETRY_AFTER_S) -> None:
        super().__init__(detail, headers={"Retry-After": str(retry_after_s)})
        self.retry_after_s = retry_after_s
