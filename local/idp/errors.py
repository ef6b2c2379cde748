"""Errors the provider answers with: Descope API errors and OAuth 2.0 / OIDC protocol errors.

Descope errors travel as ``{"errorCode", "errorDescription", "errorMessage"}`` (every Descope SDK reads these
three keys). Descope answers client errors with HTTP 400 and a specific code rather than 404/409; codes marked
*local* are not published by Descope and were chosen for this provider (see README.md).
"""

from typing import ClassVar


class DescopeApiError(Exception):
    """Base of every Descope API error; carries the HTTP status and the Descope error code."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "E011001"
    description: ClassVar[str] = "Bad request"

    def __init__(self, message: str = "") -> None:
        super().__init__(message or self.description)
        self.message = message

    def to_body(self) -> dict[str, str]:
        """Descope's error body."""
        return {"errorCode": self.code, "errorDescription": self.description, "errorMessage": self.message}


class BadRequestError(DescopeApiError):
    """The body is not JSON or not an object."""


class MissingArgumentError(DescopeApiError):
    """A required field is absent, null or empty."""

    code = "E011002"
    description = "Missing arguments"


class ValidationFailedError(DescopeApiError):
    """A field has the wrong type or an unknown value (unknown role, bad status)."""

    code = "E011003"
    description = "Request validation failed"


class UnauthorizedError(DescopeApiError):
    """Missing, malformed or wrong ``Authorization: Bearer <project id>:<secret>`` (local code)."""

    status = 401
    code = "E011401"
    description = "Unauthorized"


class UserExistsError(DescopeApiError):
    """A user with this login id already exists."""

    code = "E062107"
    description = "User already exists"


class UserNotFoundError(DescopeApiError):
    """No user has this login id or user id (management API code)."""

    code = "E112102"
    description = "User not found"


class TenantNotFoundError(DescopeApiError):
    """No tenant has this id (local code)."""

    code = "E114102"
    description = "Tenant not found"


class TenantExistsError(DescopeApiError):
    """Another tenant already has this id or name (local code)."""

    code = "E114107"
    description = "Tenant already exists"


class AccessKeyNotFoundError(DescopeApiError):
    """No access key has this id (local code)."""

    code = "E115102"
    description = "Access key not found"


class AccessKeyRejectedError(DescopeApiError):
    """The exchanged access key is unknown, inactive, expired or used from a non-permitted IP (local code)."""

    status = 401
    code = "E061401"
    description = "Access key is not valid"


class RefreshTokenRejectedError(DescopeApiError):
    """The refresh JWT of an auth call is invalid, expired or revoked (local code)."""

    status = 401
    code = "E061402"
    description = "Refresh token is not valid"


class RateLimitedError(DescopeApiError):
    """The project exceeded its request budget; ``Retry-After`` tells when to retry."""

    status = 429
    code = "E130429"
    description = "API rate limit exceeded"

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"retry after {retry_after_s} seconds")
        self.retry_after_s = retry_after_s


class OAuthError(Exception):
    """An OAuth 2.0 error response (RFC 6749 §5.2, §4.1.2.1; RFC 6750 §3.1).

    Parameters
    ----------
    error : str
        Registered error code, e.g. ``invalid_grant``.
    description : str
        Human-readable ``error_description``; never contains secrets.
    status : int
        HTTP status when answered directly (400, or 401 for ``invalid_client``/``invalid_token``).
    """

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description
        self.status = status

    def to_body(self) -> dict[str, str]:
        """The JSON error body."""
        return {"error": self.error, "error_description": self.description}
