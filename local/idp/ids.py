"""Descope-style opaque identifiers: a type letter, ``2``, then 26 random letters and digits (28 characters)."""

import secrets
import string

_ALPHABET = string.ascii_letters + string.digits
_RANDOM_LENGTH = 26


def new_id(prefix: str) -> str:
    """A new id such as ``U2…`` (user), ``T2…`` (tenant), ``K2…`` (access key) or ``S2…`` (session)."""
    return f"{prefix}2" + "".join(secrets.choice(_ALPHABET) for _ in range(_RANDOM_LENGTH))


def new_secret() -> str:
    """A 256-bit URL-safe secret (access-key cleartext)."""
    return secrets.token_urlsafe(32)
