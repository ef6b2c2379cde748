"""identity_stack.domain.pagination: the one cursor codec (round trip, opacity, every forged form refused)."""

import base64
import json
from collections.abc import Mapping

import pytest

from identity_stack.domain.pagination import CURSOR_VERSION, INVALID_CURSOR_DETAIL, decode_cursor, encode_cursor
from identity_stack.errors import InvalidRequestError


def page_of(position: Mapping[str, object]) -> int:
    page = position["page"]
    if not isinstance(page, int) or page <= 0:
        raise ValueError("not a page")
    return page


def b64(payload: object, *, padded: bool = False) -> str:
    encoded = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()
    return encoded if padded else encoded.rstrip("=")


@pytest.mark.parametrize("position", [{"page": 1}, {"page": 7, "limit": 20}, {"after": "0190-abc"}])
def test_encode_then_decode_returns_the_position(position: dict[str, str | int]) -> None:
    cursor = encode_cursor(position)
    assert decode_cursor(cursor, dict) == {"v": CURSOR_VERSION, **position}


def test_cursor_is_unpadded_base64url_json_with_version() -> None:
    cursor = encode_cursor({"after": "x" * 40})

    assert set(cursor) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))) == {"v": 1, "after": "x" * 40}


def test_decode_accepts_a_padded_cursor() -> None:
    assert decode_cursor(b64({"v": CURSOR_VERSION, "page": 3}, padded=True), page_of) == 3


@pytest.mark.parametrize(
    "cursor",
    [
        "!!!",
        "",
        "é",
        b64(["page", 1]),
        b64("page"),
        b64({"page": 2}),
        b64({"v": CURSOR_VERSION + 1, "page": 2}),
        b64({"v": str(CURSOR_VERSION), "page": 2}),
        b64({"v": CURSOR_VERSION}),
        b64({"v": CURSOR_VERSION, "page": 0}),
        b64({"v": CURSOR_VERSION, "page": "2"}),
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
    ],
    ids=[
        "not-base64",
        "empty",
        "not-ascii",
        "list",
        "string",
        "no-version",
        "next-version",
        "version-as-text",
        "no-position",
        "refused-by-parse",
        "wrong-type",
        "not-utf8",
    ],
)
def test_decode_forged_cursor_raises_invalid_request_422(cursor: str) -> None:
    with pytest.raises(InvalidRequestError) as raised:
        decode_cursor(cursor, page_of)

    assert raised.value.status_code == 422
    assert raised.value.to_problem()["detail"] == INVALID_CURSOR_DETAIL


def test_decode_names_the_callers_detail() -> None:
    with pytest.raises(InvalidRequestError) as raised:
        decode_cursor("!!!", page_of, detail="cursor is not valid for this limit.")

    assert raised.value.to_problem()["detail"] == "cursor is not valid for this limit."
