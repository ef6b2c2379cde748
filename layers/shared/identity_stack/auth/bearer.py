"""The one parser of ``Authorization: Bearer <token>`` (RFC 6750 §2.1), shared by the authorizer and the functions."""

BEARER_SCHEME = "bearer"


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization`` header value, or None when it is absent, another scheme or empty.

    The scheme is matched case-insensitively (RFC 9110 §11.1: auth schemes are case-insensitive); the token is what
    follows the first space, surrounding whitespace removed (RFC 6750 §2.1 ``b64token``; its characters are the
    validator's job). The same split as FastAPI's ``get_authorization_scheme_param``, without importing FastAPI:
    the authorizer is no FastAPI app, and FastAPI's import is about a third of its cold start.
    """
    scheme, _, token = (authorization or "").partition(" ")
    token = token.strip()
    if scheme.lower() != BEARER_SCHEME or not token:
        return None
    return token
