"""The one parser of ``Authorization: Bearer <token>`` (RFC 6750 §2.1), shared by the authorizer and the functions."""

from fastapi.security.utils import get_authorization_scheme_param

BEARER_SCHEME = "bearer"


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization`` header value, or None when it is absent, another scheme or empty.

    The scheme is matched case-insensitively (RFC 9110 §11.1: auth schemes are case-insensitive); the token is
    everything after the first run of spaces (RFC 6750 §2.1 ``b64token``; its characters are the validator's job).
    """
    scheme, token = get_authorization_scheme_param(authorization)
    if scheme.lower() != BEARER_SCHEME or not token:
        return None
    return token
