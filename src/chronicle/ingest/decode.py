"""Bytes to repaired text: encoding detection (charset-normalizer), then ftfy Unicode repair.

Every reader goes through :func:`decode_bytes` (or :func:`repair_text` for text that is already
decoded), so ``Document.raw_text`` is always the decoded, repaired text and every span indexes it.
Bad input raises :class:`IngestFailure` with a short reason; nothing else escapes.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer
import ftfy

# Text larger than this (in characters, after decoding) is refused: no news article is that long,
# and a file that big is a dump or a mistake that would stall the pipeline.
MAX_TEXT_CHARS = 5 * 1024 * 1024
# A file this many bytes is refused before reading it (UTF-32 spends 4 bytes per character).
MAX_FILE_BYTES = 4 * MAX_TEXT_CHARS

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
    text = check_text(detect_decode(data, html=html))
    return check_text(repair_text(text, html=html))
