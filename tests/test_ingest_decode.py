"""Decoding bytes to repaired text: encodings, repair, and refusal of bad input."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chronicle.ingest import decode
from chronicle.ingest.decode import IngestFailure, decode_bytes, looks_like_html

RUSSIAN = (
    "Суд в Казани арестовал местного журналиста по делу о «фейках» об армии. "
    "Ему грозит до десяти лет лишения свободы, сообщила правозащитная группа."
)
ENGLISH = "A court in Kazan jailed a local reporter on Friday, a rights group said.\n"


def test_cp1251_is_detected() -> None:
    assert decode_bytes(RUSSIAN.encode("cp1251")) == RUSSIAN


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig"])
def test_unicode_with_byte_order_mark(codec: str) -> None:
    bom = {
        "utf-16-le": codecs.BOM_UTF16_LE,
        "utf-16-be": codecs.BOM_UTF16_BE,
    }.get(codec, b"")
    data = bom + (ENGLISH + RUSSIAN).encode(codec)
    assert decode_bytes(data) == ENGLISH + RUSSIAN


def test_plain_utf8_wins_over_detection() -> None:
    text = "Café owner détenu à Paris — “quoted” words stay curly.\n"
    assert decode_bytes(text.encode("utf-8")) == text


def test_mojibake_is_repaired_but_quotes_stay_curly() -> None:
    broken = "The â€œforeign agentâ€\x9d law was used again.".encode()
    assert decode_bytes(broken) == "The “foreign agent” law was used again."


def test_crlf_line_breaks_become_newlines() -> None:
    assert decode_bytes(b"First line.\r\nSecond line.\r\n") == "First line.\nSecond line.\n"


def test_html_declared_charset_is_used() -> None:
    page = f'<html><head><meta charset="windows-1251"></head><body>{RUSSIAN}</body></html>'
    text = decode_bytes(page.encode("cp1251"), html=True)
    assert RUSSIAN in text


def test_html_entities_survive_for_the_cleaner() -> None:
    page = "<html><body><p>Smith &amp; Jones &lt;b&gt;</p></body></html>"
    assert decode_bytes(page.encode(), html=True) == page


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \n\t \r\n", "empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "binary"),
        (b"\x00\x01\x02\x03" * 500, "binary"),
        (b"GIF89a" + bytes(range(32)) * 40, "binary"),
    ],
)
def test_bad_input_gets_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(IngestFailure, match=reason):
        decode_bytes(data)


def test_too_large_text_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(decode, "MAX_TEXT_CHARS", 100)
    decode_bytes(b"word " * 20)
    with pytest.raises(IngestFailure, match="too large"):
        decode_bytes(b"word " * 21)


def test_html_sniffing() -> None:
    assert looks_like_html("  <!DOCTYPE html><html>")
    assert looks_like_html("<html lang='en'><body>x</body></html>")
    assert not looks_like_html("Prices rose 3% <as expected> in May.")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2048))
def test_arbitrary_bytes_never_crash(data: bytes) -> None:
    try:
        text = decode_bytes(data)
    except IngestFailure as exc:
        assert str(exc)
    else:
        assert isinstance(text, str)
        assert text.strip()


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=1, max_size=300).filter(str.strip), st.sampled_from(["utf-8", "utf-16"]))
def test_text_round_trips_through_encoding(text: str, codec: str) -> None:
    # Whatever the codec, decoding gives back the same text ftfy would give for the original.
    try:
        expected = decode.check_text(decode.repair_text(decode.check_text(text)))
    except IngestFailure:
        return
    if len("".join(expected.split())) < decode.MIN_ARTICLE_CHARS:  # too short for an article
        return
    assert decode_bytes(text.encode(codec)) == expected
