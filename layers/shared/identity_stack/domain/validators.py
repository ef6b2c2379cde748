"""Rules for the human-readable text the API stores: which characters it may hold, and when two names are the same.

Every name or free text a caller can store (tenant, resource and access-key names and descriptions, profile strings)
goes through :func:`check_display_text`; every "unique name" rule compares :func:`name_key` forms.
"""

import re
import unicodedata
from functools import partial
from typing import Annotated

import idna
from pydantic import AfterValidator, HttpUrl, TypeAdapter, ValidationError

__all__ = [
    "BIDI_CONTROLS",
    "INVISIBLE_FORMAT_CHARACTERS",
    "DisplayName",
    "DisplayText",
    "DomainName",
    "check_display_text",
    "is_opaque_id",
    "name_key",
    "to_domain_name",
    "to_https_url",
]

# Bidirectional embeddings and overrides (U+202A-U+202E) and isolates (U+2066-U+2069): they reorder what a reader
# sees, so a stored name could display as another (Unicode UTS #55 §2, "Trojan Source", CVE-2021-42574).
BIDI_CONTROLS = frozenset(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))
# Format characters (Unicode category Cf) that draw nothing and have no place in a display name, so "Acme\u200bCorp"
# would pass for "Acme Corp": soft hyphen, Arabic letter mark, Mongolian vowel separator, zero width space, LRM/RLM,
# word joiner and the invisible operators, and the BOM / zero width no-break space (Unicode UTS #39 §3.1 and
# UTS #55 §4). ZWNJ and ZWJ (U+200C, U+200D) stay: several scripts and emoji sequences need them.
INVISIBLE_FORMAT_CHARACTERS = frozenset(
    map(chr, [0x00AD, 0x061C, 0x180E, 0x200B, 0x200E, 0x200F, *range(0x2060, 0x2065), 0xFEFF])
)
# The only control characters (Unicode category Cc) multi-line text keeps: tab and the line breaks.
TEXT_LAYOUT_CONTROLS = frozenset("\t\n\r")


def check_display_text(value: str, *, multiline: bool = False) -> str:
    """Refuse a control character, a bidirectional override or an invisible format character in text shown to people.

    Parameters
    ----------
    value : str
        A name or free text, as the caller sent it.
    multiline : bool, default False
        Keep tab, LF and CR (descriptions); a name keeps no control character at all.

    Returns
    -------
    str
        ``value`` unchanged.

    Raises
    ------
    ValueError
        ``value`` holds a character of Unicode general category Cc (C0/C1 controls, DEL) or one of
        :data:`BIDI_CONTROLS`; pydantic reports it as a 422 naming the field and the code point.
    ValueError
        ``value`` holds one of :data:`INVISIBLE_FORMAT_CHARACTERS`; a 422 likewise.
    """
    allowed = TEXT_LAYOUT_CONTROLS if multiline else frozenset()
    for char in value:
        if char in BIDI_CONTROLS or (unicodedata.category(char) == "Cc" and char not in allowed):
            raise ValueError(f"must not contain the control character U+{ord(char):04X}")
        if char in INVISIBLE_FORMAT_CHARACTERS:
            raise ValueError(f"must not contain the invisible character U+{ord(char):04X}")
    return value


def name_key(name: str) -> str:
    """The form in which two names are compared for uniqueness.

    NFKC, then full case folding, then NFKC again (Unicode §3.13 D145, compatibility caseless match), every format
    character (category Cf, ZWNJ and ZWJ included) dropped, and every run of whitespace collapsed to one space with
    none at the ends. So ``"Acme Corp"``, ``"acme  corp"``, ``"ACME\\u00a0Corp"`` and fullwidth ``"\\uff21cme Corp"``
    are one name, and ``"AcmeCorp"`` and ``"Acme\\u200dCorp"`` another.

    Parameters
    ----------
    name : str

    Returns
    -------
    str
        The comparison key; never shown or stored as the name itself.
    """
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    visible = "".join(char for char in folded if unicodedata.category(char) != "Cf")
    return " ".join(visible.split())


# For pydantic fields: a one-line name, and free text that may span lines.
DisplayName = Annotated[str, AfterValidator(check_display_text)]
DisplayText = Annotated[str, AfterValidator(partial(check_display_text, multiline=True))]


_HTTP_URL = TypeAdapter(HttpUrl)


def to_https_url(value: str) -> str:
    """An absolute https URL without credentials, normalised (WHATWG URL parsing); anything else is refused.

    Only https: a stored URL is rendered as an image or link, where ``javascript:`` or ``data:`` would run or spoof.

    Raises
    ------
    ValueError
        Not an absolute https URL, or one carrying a user name or password (pydantic turns it into a 422).
    """
    try:
        url = _HTTP_URL.validate_python(value)
    except ValidationError:
        raise ValueError("must be an absolute https URL") from None
    if url.scheme != "https" or url.username or url.password:
        raise ValueError("must be an https URL without credentials")
    return str(url)


def to_domain_name(value: str) -> str:
    """A domain name as its lower-case A-label form (IDNA 2008 with UTS #46 mapping); two labels at least, no IP.

    Raises
    ------
    ValueError
        Not a valid domain name (pydantic turns it into a 422).
    """
    try:
        ascii_name = idna.encode(value.strip(), uts46=True).decode("ascii")
    except idna.IDNAError as exc:
        raise ValueError("not a valid domain name") from exc
    labels = ascii_name.split(".")
    if len(labels) < 2 or labels[-1].isdigit():
        raise ValueError("not a valid domain name")
    return ascii_name


DomainName = Annotated[str, AfterValidator(to_domain_name)]


# Descope user and access-key ids are short letters-and-digits strings; anything else never reaches a key.
_OPAQUE_ID = re.compile(r"[A-Za-z0-9_-]{1,128}")


def is_opaque_id(value: str) -> bool:
    """Whether ``value`` can be a Descope user or access-key id (1-128 letters, digits, ``_`` or ``-``)."""
    return _OPAQUE_ID.fullmatch(value) is not None
