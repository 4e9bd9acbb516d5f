"""Bytes to repaired text: encoding detection (charset-normalizer), then ftfy Unicode repair.

Every reader goes through :func:`decode_bytes` (or :func:`repair_text` for text that is already
decoded), so ``Document.raw_text`` is always the decoded, repaired text and every span indexes it.
Bad input raises :class:`IngestFailure` with a short reason; nothing else escapes.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

import charset_normalizer
import ftfy

# Text larger than this (in characters, after decoding) is refused: no news article is that long,
# and a file that big is a dump or a mistake that would stall the pipeline.
MAX_TEXT_CHARS = 5 * 1024 * 1024
# A file this many bytes is refused before reading it (UTF-32 spends 4 bytes per character).
MAX_FILE_BYTES = 4 * MAX_TEXT_CHARS
# One record of a multi-record file (a JSONL line, a WARC record) is refused above this size
# without being read whole: a 5 M-character article written with ``\uXXXX`` escapes plus headroom.
MAX_RECORD_BYTES = 6 * MAX_TEXT_CHARS
# A file with fewer characters of text than this (whitespace aside) is not an article: it is a
# stub, a truncated download or a few random bytes some code page happens to decode.
MIN_ARTICLE_CHARS = 8

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: its BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# C0 control characters that never occur in prose (tab, newlines and form feed are allowed).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Share of control characters above which decoded "text" is really binary data.
_MAX_CONTROL_SHARE = 0.01
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HTML_START = re.compile(r"\s*(<!doctype\s+html|<html|<head|<body|<!--|<meta|<title)", re.I)

# The repair is ftfy's, minus changes that alter correct text: curly quotes carry meaning (quoted
# speech, gold passages keep them) and HTML entities must stay for the HTML cleaner.
_TEXT_FIXES = ftfy.TextFixerConfig(uncurl_quotes=False, explain=False)
_HTML_FIXES = ftfy.TextFixerConfig(uncurl_quotes=False, unescape_html=False, explain=False)


class IngestFailure(ValueError):
    """Input that cannot become a Document; ``str(exc)`` is the one-line reason."""


def looks_like_html(text: str) -> bool:
    """True when ``text`` starts like an HTML page or fragment (not prose with a stray ``<``)."""
    return bool(_HTML_START.match(text[:1024]))


def repair_text(text: str, *, html: bool = False) -> str:
    """ftfy's Unicode repair (mojibake, C1 controls, line breaks), keeping quotes and markup."""
    return ftfy.fix_text(text, config=_HTML_FIXES if html else _TEXT_FIXES)


def check_text(text: str) -> str:
    """Refuse empty, oversized or binary-looking text; return it unchanged otherwise."""
    if not text.strip():
        raise IngestFailure("empty (no text)")
    if len(text) > MAX_TEXT_CHARS:
        raise IngestFailure(f"too large ({len(text):,} characters; limit {MAX_TEXT_CHARS:,})")
    controls = len(_CONTROL.findall(text))
    if controls > max(2, _MAX_CONTROL_SHARE * len(text)):
        raise IngestFailure("binary content (control characters in the text)")
    return text


# Code-point blocks of UTF-16/32 text written without a byte-order mark, tried widest first.
_BOMLESS = (("utf-32-le", 4), ("utf-32-be", 4), ("utf-16-le", 2), ("utf-16-be", 2))
# Unicode categories that never occur in prose: controls, surrogates, private use, unassigned.
_NOT_PROSE = frozenset({"Cc", "Cs", "Co", "Cn"})


_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _binary_share(data: bytes) -> bool:
    # True when check_text would refuse any 8-bit reading of ``data`` as binary.
    return len(_CONTROL_BYTES.findall(data)) > max(2, _MAX_CONTROL_SHARE * len(data))


def _bomless_unicode(data: bytes) -> str | None:
    """UTF-16 or UTF-32 text written without a byte-order mark, in any script; else None.

    Only tried when NULs are frequent, which is how ASCII characters (spaces, digits,
    punctuation) look in these encodings. Of the decodings that succeed and read as prose (almost
    no controls, unassigned or private-use characters), the one with the most ASCII characters
    wins: the wrong byte order turns every ASCII space into U+2000 and every newline into U+0A00.
    """
    best, best_ascii = None, 0
    for encoding, width in _BOMLESS:
        if len(data) % width:
            continue
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        sample = text[:20000]
        bad = sum(1 for c in sample if unicodedata.category(c) in _NOT_PROSE and not c.isspace())
        if bad > 0.02 * len(sample):
            continue
        ascii_count = sum(1 for c in sample if c < "\x80")
        # Prose has word spaces (or, in Chinese and Japanese, its own full stops and commas):
        # bytes that merely decode, like b"\x00\x01\x02binary", have neither.
        spaced = sum(1 for c in sample if c.isspace()) * 40 >= len(sample)
        if not spaced and not any(c in sample for c in "\u3001\u3002\uff0c"):
            continue
        if ascii_count * 50 >= len(sample) and ascii_count > best_ascii:
            best, best_ascii = text, ascii_count
    return best


def _declared_charset(data: bytes) -> str | None:
    # An HTML page's own <meta charset>, when Python knows the codec.
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    try:
        return codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None


def detect_decode(data: bytes, *, html: bool = False) -> str:
    """Decode ``data`` to ``str``: BOM, then strict UTF-8, declared charset, then detection."""
    marked = [encoding for bom, encoding in _BOMS if data.startswith(bom)]
    for encoding in marked:  # UTF-16 LE text starting with U+0000 looks like a UTF-32 LE BOM
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    if marked:
        raise IngestFailure(f"undecodable ({marked[0]} byte-order mark, bad data)")
    # UTF-16/32 without a byte-order mark: tried before UTF-8 (which decodes NULs too), and only
    # when a NUL is there and read byte by byte, the data holds more control characters than
    # check_text allows, so no text that was read before is read differently now.
    if b"\x00" in data and _binary_share(data):
        wide = _bomless_unicode(data)
        if wide is not None:
            return wide
    try:
        # Strict UTF-8 first: it almost never decodes non-UTF-8 text by accident, while detectors
        # can misread short UTF-8 files as some legacy code page.
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _declared_charset(data) if html else None
    if declared:
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            pass  # the page lies about its encoding; let detection decide
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        if b"\x00" in data:
            raise IngestFailure("binary file (not text in any known encoding)")
        raise IngestFailure("undecodable (no text encoding fits)")
    return str(best)


def decode_bytes(data: bytes, *, html: bool = False) -> str:
    """Bytes of one article to checked, repaired text; raises :class:`IngestFailure`."""
    if not data.strip():
        raise IngestFailure("empty file")
    if len(data) > MAX_FILE_BYTES:
        raise IngestFailure(f"too large ({len(data):,} bytes)")
    visible = len(data.strip())
    if visible < MIN_ARTICLE_CHARS:  # whatever the encoding, fewer characters than that
        raise IngestFailure(f"not an article (only {visible} byte{'s' if visible != 1 else ''})")
    text = check_text(detect_decode(data, html=html))
    text = check_text(repair_text(text, html=html))
    if len(text) < 16 * MIN_ARTICLE_CHARS:
        visible = len("".join(text.split()))
        if visible < MIN_ARTICLE_CHARS:
            plural = "s" if visible != 1 else ""
            raise IngestFailure(f"not an article (only {visible} character{plural} of text)")
    return text
