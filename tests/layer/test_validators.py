"""The text rules of stored names: control characters and bidirectional overrides refused, names compared folded."""

import pytest

from identity_stack.domain.validators import (
    BIDI_CONTROLS,
    INVISIBLE_FORMAT_CHARACTERS,
    check_display_text,
    name_key,
    to_domain_name,
    to_https_url,
)

REFUSED_EVERYWHERE = {
    "nul": "a\x00b",
    "escape": "a\x1b[31mb",
    "delete": "a\x7fb",
    "c1-next-line": "a\x85b",
    "rlo": "invoice\u202efdp.exe",
    "lre": "a\u202ab",
    "pdf": "a\u202cb",
    "rli": "a\u2067b",
    "pdi": "a\u2069b",
}


@pytest.mark.parametrize("value", list(REFUSED_EVERYWHERE.values()), ids=list(REFUSED_EVERYWHERE))
@pytest.mark.parametrize("multiline", [False, True], ids=["name", "text"])
def test_check_display_text_control_or_bidi_character_raises(value: str, multiline: bool) -> None:
    with pytest.raises(ValueError, match=r"U\+[0-9A-F]{4}"):
        check_display_text(value, multiline=multiline)


@pytest.mark.parametrize("value", ["line one\nline two", "a\tb", "crlf\r\nline"], ids=["lf", "tab", "crlf"])
def test_check_display_text_layout_controls_pass_only_in_multiline_text(value: str) -> None:
    assert check_display_text(value, multiline=True) == value
    with pytest.raises(ValueError, match="control character"):
        check_display_text(value)


@pytest.mark.parametrize(
    "value",
    ["Acme Corp", "Ünïcödé Gmbh", "株式会社アクメ", "עברית ومرحبا", "Acme\u00a0Corp", "emoji 🚀"],
    ids=["ascii", "latin-accents", "cjk", "rtl-scripts", "no-break-space", "emoji"],
)
def test_check_display_text_ordinary_text_passes_unchanged(value: str) -> None:
    assert check_display_text(value) == value


INVISIBLE_LOOK_ALIKES = {
    "soft-hyphen": "Acme\u00adCorp",
    "arabic-letter-mark": "Acme\u061c Corp",
    "mongolian-vowel-separator": "Acme\u180e Corp",
    "zero-width-space-end": "Acme Corp\u200b",
    "zero-width-space-inside": "Acme\u200bCorp",
    "left-to-right-mark": "Acme\u200e Corp",
    "right-to-left-mark": "Acme\u200f Corp",
    "word-joiner": "Acme\u2060Corp",
    "function-application": "Acme\u2061Corp",
    "invisible-times": "Acme\u2062Corp",
    "invisible-separator": "Acme\u2063Corp",
    "invisible-plus": "Acme\u2064Corp",
    "byte-order-mark": "\ufeffAcme Corp",
}


@pytest.mark.parametrize("value", list(INVISIBLE_LOOK_ALIKES.values()), ids=list(INVISIBLE_LOOK_ALIKES))
@pytest.mark.parametrize("multiline", [False, True], ids=["name", "text"])
def test_check_display_text_invisible_format_character_raises(value: str, multiline: bool) -> None:
    with pytest.raises(ValueError, match=r"invisible character U\+[0-9A-F]{4}"):
        check_display_text(value, multiline=multiline)


@pytest.mark.parametrize(
    "value",
    ["👩\u200d💻 team", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"],
    ids=["zwj-emoji", "zwnj-persian"],
)
def test_check_display_text_joiners_pass_unchanged(value: str) -> None:
    assert check_display_text(value) == value


def test_invisible_format_characters_are_exactly_the_listed_ones() -> None:
    assert sorted(f"{ord(char):04X}" for char in INVISIBLE_FORMAT_CHARACTERS) == [
        "00AD", "061C", "180E", "200B", "200E", "200F", "2060", "2061", "2062", "2063", "2064", "FEFF",
    ]  # fmt: skip


def test_bidi_controls_are_exactly_the_embeddings_overrides_and_isolates() -> None:
    assert sorted(f"{ord(char):04X}" for char in BIDI_CONTROLS) == [
        "202A", "202B", "202C", "202D", "202E", "2066", "2067", "2068", "2069",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "variant",
    ["acme corp", "ACME CORP", "Acme\u00a0Corp", "  Acme   Corp ", "Acme\tCorp", "\uff21\uff43\uff4d\uff45 Corp"],
    ids=["lower-case", "upper-case", "no-break-space", "whitespace-runs", "tab", "fullwidth"],
)
def test_name_key_variants_of_one_name_are_equal(variant: str) -> None:
    assert name_key(variant) == name_key("Acme Corp") == "acme corp"


@pytest.mark.parametrize(
    ("first", "second"),
    [("Straße", "STRASSE"), ("ﬁle", "FILE"), ("Ⅻ", "xii")],
    ids=["sharp-s", "ligature", "roman-numeral"],
)
def test_name_key_compatibility_and_full_case_folding_are_equal(first: str, second: str) -> None:
    assert name_key(first) == name_key(second)


def test_name_key_different_names_stay_different() -> None:
    assert name_key("Acme Corp") != name_key("Acme Corp.")
    assert name_key("Acme Corp") != name_key("AcmeCorp")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Acme Corp\u200b", "Acme Corp"),
        ("Acme\u200bCorp", "AcmeCorp"),
        ("\ufeffAcme Corp", "Acme Corp"),
        ("Acme\u00adCorp", "AcmeCorp"),
        ("Acme\u200e Corp", "Acme Corp"),
        ("Acme\u200dCorp", "AcmeCorp"),
        ("Acme\u200cCorp", "AcmeCorp"),
    ],
    ids=["zero-width-space-end", "zero-width-space-inside", "byte-order-mark", "soft-hyphen", "lrm", "zwj", "zwnj"],
)
def test_name_key_format_characters_dropped_names_collide(first: str, second: str) -> None:
    assert name_key(first) == name_key(second)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("https://cdn.example/a.png", "https://cdn.example/a.png"), ("HTTPS://CDN.Example", "https://cdn.example/")],
    ids=["plain", "normalised"],
)
def test_to_https_url_accepts_and_normalises_https(value: str, expected: str) -> None:
    assert to_https_url(value) == expected


@pytest.mark.parametrize(
    "value",
    ["javascript:alert(1)", "data:text/html,x", "http://cdn.example/a.png", "https://user:pw@cdn.example/", "/a.png"],
    ids=["javascript", "data", "http", "credentials", "relative"],
)
def test_to_https_url_refuses_anything_but_https_without_credentials(value: str) -> None:
    with pytest.raises(ValueError, match="https"):
        to_https_url(value)


def test_to_domain_name_returns_lower_case_a_label() -> None:
    assert to_domain_name(" Bücher.Example ") == "xn--bcher-kva.example"


@pytest.mark.parametrize("value", ["localhost", "10.0.0.1", "not a domain", "-bad-.example"])
def test_to_domain_name_refuses_single_labels_ips_and_invalid_names(value: str) -> None:
    with pytest.raises(ValueError, match="domain"):
        to_domain_name(value)
