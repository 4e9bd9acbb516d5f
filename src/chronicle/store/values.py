"""One value policy for every database: what a row may hold, cleaned the same way everywhere.

SQLite and PostgreSQL disagree on odd values: SQLite stores a NUL character, ``NaN`` or an infinity
that PostgreSQL rejects (losing the whole document there), and neither driver can encode a lone
surrogate. So every value the store writes goes through :func:`clean_value` first, and a document
is stored the same way, or refused the same way, on both:

- text: NUL and lone surrogates become U+FFFD (one character for one, so offsets into the text
  stay right);
- numbers: ``NaN`` and infinities become NULL; integers beyond 64 bits become floats (NULL when
  no float holds them);
- JSON (lists, dicts): the same, recursively; keys become text; nesting deeper than
  :data:`MAX_JSON_DEPTH` becomes NULL; other objects become their text;
- text that feeds a B-tree index is cut to :data:`MAX_INDEXED_CHARS` (PostgreSQL refuses index
  entries over about 2,700 bytes).

A claim needs a finite value (``claims.value`` is NOT NULL): a claim whose value is NaN or infinite
is dropped, on both databases.
"""

from __future__ import annotations

import math
import re
from typing import Any

REPLACEMENT = "\ufffd"
# Characters no database text column takes everywhere: NUL and UTF-16 surrogate halves.
_BAD_CHARS = re.compile("[\x00\ud800-\udfff]")
MAX_JSON_DEPTH = 100
# Longest text in an indexed column: 4 bytes per character stays under PostgreSQL's B-tree limit.
MAX_INDEXED_CHARS = 500
_INT64 = 2**63


def clean_text(text: str) -> str:
    """``text`` with NUL characters and lone surrogates replaced by U+FFFD."""
    if text.isascii() and "\x00" not in text:
        return text
    return _BAD_CHARS.sub(REPLACEMENT, text)


def clean_number(value: float | int | None) -> float | int | None:
    """``value``, or ``None`` for NaN and infinities; huge integers as floats (or ``None``)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        if -_INT64 <= value < _INT64:
            return value
        try:
            value = float(value)
        except OverflowError:
            return None
    return value if math.isfinite(value) else None


def clean_json(value: Any, depth: int = 0) -> Any:
    """A JSON-ready copy of ``value`` under the policy (see the module docstring)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, int | float):
        return clean_number(value)
    if depth >= MAX_JSON_DEPTH:
        return None
    if isinstance(value, dict):
        return {clean_text(str(k)): clean_json(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [clean_json(v, depth + 1) for v in value]
    return clean_text(str(value))


def clean_value(value: Any) -> Any:
    """One column value under the policy (dates, booleans and ``None`` pass unchanged)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return clean_number(value)
    if isinstance(value, dict | list | tuple):
        return clean_json(value)
    return value


def clean_row(row: dict[str, Any], indexed: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every value of ``row`` cleaned; the ``indexed`` text columns also cut to length."""
    out = {key: clean_value(value) for key, value in row.items()}
    for key in indexed:
        value = out.get(key)
        if isinstance(value, str) and len(value) > MAX_INDEXED_CHARS:
            out[key] = value[:MAX_INDEXED_CHARS]
    return out


def finite(value: Any) -> bool:
    """True for a number that is neither NaN nor infinite (and converts to float)."""
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError, OverflowError):
        return False


__all__ = [
    "MAX_INDEXED_CHARS",
    "REPLACEMENT",
    "clean_json",
    "clean_number",
    "clean_row",
    "clean_text",
    "clean_value",
    "finite",
]
