"""The one cursor codec of every paged list: opaque to clients, versioned, base64url JSON.

A cursor is ``base64url(JSON {"v": CURSOR_VERSION, ...position})`` without padding (RFC 4648 §5). It carries only
a position inside what the caller may already see (the tenant always comes from the principal, never from the
cursor), so a forged cursor can at most point at another position of the caller's own list; a cursor that this
API did not issue is a 422 problem.
"""

import base64
import binascii
import json
from collections.abc import Callable, Mapping

from identity_stack.errors import InvalidRequestError

__all__ = ["CURSOR_VERSION", "INVALID_CURSOR_DETAIL", "decode_cursor", "encode_cursor"]

# Bumped when a list's position changes shape, so cursors of an older deployment fail as 422, not as wrong pages.
CURSOR_VERSION = 1
INVALID_CURSOR_DETAIL = "cursor is not valid; use next_cursor from the previous page."


def encode_cursor(position: Mapping[str, str | int]) -> str:
    """The opaque cursor of ``position`` (e.g. ``{"after": resource_id}``); its keys must not include ``v``."""
    payload = json.dumps({"v": CURSOR_VERSION, **position}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


def decode_cursor[T](
    cursor: str, parse: Callable[[Mapping[str, object]], T], *, detail: str = INVALID_CURSOR_DETAIL
) -> T:
    """The position a cursor carries, checked by ``parse``.

    Parameters
    ----------
    cursor : str
        A ``next_cursor`` as the client sent it back.
    parse : Callable[[Mapping[str, object]], T]
        Turns the decoded JSON object into the list's position; raises ``ValueError``, ``KeyError`` or
        ``TypeError`` for a position the list would never issue.
    detail : str
        The problem detail for a bad cursor.

    Raises
    ------
    InvalidRequestError
        Not base64url, not a JSON object, another version, or refused by ``parse`` (422).
    """
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        if not isinstance(payload, dict) or payload.get("v") != CURSOR_VERSION:
            raise ValueError("not a cursor of this version")
        return parse(payload)
    except (binascii.Error, UnicodeError, ValueError, KeyError, TypeError) as exc:
        raise InvalidRequestError(detail, status=422) from exc
