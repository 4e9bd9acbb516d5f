"""Reader for JSON Lines files (``.jsonl``): one article per line, one Document per record.

Field names are configurable (:class:`~chronicle.ingest.registry.JsonlFields`); by default the text
comes from ``text``, ``body``, ``content`` or ``html``. A bad line becomes one error record
(``path:LINE: reason``) and the rest of the file is still read. The file is streamed and each line
is bounded while it is read (:data:`~chronicle.ingest.decode.MAX_RECORD_BYTES`), so neither a large
dump nor one huge line holds more than one record in memory.

Records must be interoperable JSON (RFC 8259): ``NaN``/``Infinity``, numbers no double can hold
(``1e999``), integers of thousands of digits, nesting deeper than :data:`MAX_DEPTH` levels and
lone surrogates (``"\\ud800"``, not Unicode) are refused with the reason, record by record.
"""

from __future__ import annotations

import codecs
import io
import json
import math
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from chronicle.ingest.decode import (
    MAX_RECORD_BYTES,
    IngestFailure,
    check_text,
    detect_decode,
    looks_like_html,
    repair_text,
)
from chronicle.ingest.registry import (
    IngestError,
    JsonlFields,
    ReadOptions,
    register_reader,
)
from chronicle.model import Document

# Deepest nesting of arrays and objects a record may have (article metadata is flat).
MAX_DEPTH = 64
# Longest integer literal: beyond Python's int/str conversion limit, and no count is that long.
MAX_INT_DIGITS = 400
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Bytes skipped at a time past the end of an over-long line.
_SKIP_CHUNK = 1 << 20


def _int(literal: str) -> int:
    if len(literal.lstrip("-")) > MAX_INT_DIGITS:
        raise IngestFailure(f"bad JSON (an integer of {len(literal.lstrip('-')):,} digits)")
    return int(literal)


def _float(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise IngestFailure(f"bad JSON (number {literal[:40]} is out of range)")
    return value


def _constant(name: str) -> float:
    raise IngestFailure(f"bad JSON ({name} is not a JSON value)")


_DECODER = json.JSONDecoder(parse_int=_int, parse_float=_float, parse_constant=_constant)


def _check_tree(record: Any) -> None:
    # Depth and lone surrogates (in keys and values), without recursion.
    stack: list[tuple[Any, int, str]] = [(record, 1, "")]
    while stack:
        value, depth, where = stack.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                bad = _SURROGATE.search(value).group(0)  # type: ignore[union-attr]
                field = f" in {where!r}" if where else ""
                raise IngestFailure(f"not valid Unicode (lone surrogate \\u{ord(bad):04x}{field})")
            continue
        if not isinstance(value, dict | list):
            continue
        if depth > MAX_DEPTH:
            raise IngestFailure(f"bad JSON (nested deeper than {MAX_DEPTH} levels)")
        if isinstance(value, dict):
            for key, item in value.items():
                name = where or key
                stack.append((key, depth, name))
                stack.append((item, depth + 1, name))
        else:
            stack.extend((item, depth + 1, where) for item in value)


def parse_record(line: str) -> Any:
    """One JSONL line as a Python value; raises IngestFailure with the reason when the line is
    not interoperable JSON (see the module docstring)."""
    try:
        record = _DECODER.decode(line)
    except json.JSONDecodeError as exc:
        raise IngestFailure(f"bad JSON ({exc.msg} at column {exc.colno})") from None
    except IngestFailure:
        raise
    except RecursionError:
        raise IngestFailure(f"bad JSON (nested deeper than {MAX_DEPTH} levels)") from None
    except ValueError as exc:  # e.g. an integer beyond the int/str conversion limit
        raise IngestFailure(f"bad JSON ({str(exc).split(';')[0]})") from None
    _check_tree(record)
    return record


def _first(record: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = record.get(key)
        if value not in (None, "", [], {}):
            return value
    return None


def _as_str(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):  # e.g. "authors": ["A", "B"]
        return ", ".join(str(v) for v in value)
    return str(value)


def record_to_document(record: Any, source: str, fields: JsonlFields) -> Document:
    """A Document from one decoded JSON record; raises IngestFailure when it holds no text."""
    if not isinstance(record, dict):
        raise IngestFailure(f"not a JSON object ({type(record).__name__})")
    text = _first(record, fields.text)
    if not isinstance(text, str):
        raise IngestFailure(f"no text field (tried {', '.join(fields.text)})")
    html = looks_like_html(text)
    raw = check_text(repair_text(check_text(text), html=html))
    used = {k for keys in vars(fields).values() for k in keys}
    return Document(
        source=source,
        raw_text=raw,
        format="html" if html else "jsonl",
        url=_as_str(_first(record, fields.url)),
        title=_as_str(_first(record, fields.title)),
        outlet=_as_str(_first(record, fields.outlet)),
        author=_as_str(_first(record, fields.author)),
        published=_as_str(_first(record, fields.published)),
        meta={k: v for k, v in record.items() if k not in used},
    )


def _bounded_lines(
    readline: Callable[[int], Any], limit: int, newline: str | bytes
) -> Iterator[tuple[int, Any, int]]:
    # (number, line, size) for each line; a line longer than ``limit`` is skipped while being
    # read (never held whole) and comes back as None with the size it had.
    number = 0
    while True:
        line = readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) <= limit or line.endswith(newline):
            yield number, line, len(line)
            continue
        size = len(line)
        del line
        while True:
            chunk = readline(_SKIP_CHUNK)
            size += len(chunk)
            if not chunk or chunk.endswith(newline):
                break
        yield number, None, size


def _too_long(size: int, limit: int, unit: str = "bytes") -> IngestFailure:
    return IngestFailure(f"line too long ({size:,} {unit}; limit {limit:,})")


def _lines(path: Path) -> Iterator[tuple[int, str | IngestFailure]]:
    # Lines as text, streamed and bounded. UTF-8 (the JSONL norm) is read as bytes; a file with a
    # UTF-16/32 byte-order mark through a decoding text stream, since its newlines are not bytes.
    with path.open("rb") as fh:
        head = fh.read(8192)
        wide = next((enc for bom, enc in _WIDE_BOMS if head.startswith(bom)), None)
        if not wide and b"\x00" in head:
            raise IngestFailure("binary file (NUL bytes in a JSON Lines file)")
        if wide:
            fh.seek(0)
            text = io.TextIOWrapper(fh, encoding=wide, errors="strict", newline=None)
            try:
                limit = MAX_RECORD_BYTES // 2
                for number, line, size in _bounded_lines(text.readline, limit, "\n"):
                    yield number, line if line is not None else _too_long(size, limit, "characters")
            except UnicodeDecodeError as exc:
                raise IngestFailure(f"undecodable ({wide} byte-order mark, bad data)") from exc
            return
        fh.seek(len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0)
        for number, raw, size in _bounded_lines(fh.readline, MAX_RECORD_BYTES, b"\n"):
            if raw is None:
                yield number, _too_long(size, MAX_RECORD_BYTES)
                continue
            try:
                yield number, raw.decode("utf-8")
            except UnicodeDecodeError:
                try:
                    yield number, detect_decode(raw)
                except IngestFailure as exc:
                    yield number, exc


_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE, whose BOM starts the same
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@register_reader(".jsonl", ".ndjson")
def read_jsonl_file(path: Path, options: ReadOptions) -> Iterator[Document | IngestError]:
    """One Document per non-blank line; bad lines become IngestError records."""
    try:
        if path.stat().st_size == 0:
            raise IngestFailure("empty file")
        if not path.is_file():
            raise IngestFailure("not a regular file")
    except OSError as exc:
        raise IngestFailure(f"unreadable ({exc.strerror or exc})") from exc
    found = False
    for number, line in _lines(path):
        where = f"{path}:{number}"
        if isinstance(line, IngestFailure):
            found = True
            yield IngestError(where, str(line))
            continue
        if not line.strip():
            continue
        found = True
        try:
            yield record_to_document(parse_record(line), where, options.jsonl)
        except IngestFailure as exc:
            yield IngestError(where, str(exc))
        except Exception as exc:  # anything else about this one record: report it, go on
            yield IngestError(where, f"unreadable record ({type(exc).__name__}: {exc})")
    if not found:
        raise IngestFailure("empty file (no records)")
