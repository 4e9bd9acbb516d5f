"""Reader for JSON Lines files (``.jsonl``): one article per line, one Document per record.

Field names are configurable (:class:`~chronicle.ingest.registry.JsonlFields`); by default the text
comes from ``text``, ``body``, ``content`` or ``html``. A bad line becomes one error record
(``path:LINE: reason``) and the rest of the file is still read. The file is streamed, so a large
dump is fine; the size limit applies to each record's text.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from chronicle.ingest.decode import (
    MAX_FILE_BYTES,
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
    read_bytes,
    register_reader,
)
from chronicle.model import Document


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


def _lines(path: Path) -> Iterator[tuple[int, str | IngestFailure]]:
    # Lines as text. UTF-8 (the JSONL norm) is streamed; a file with a UTF-16/32 byte-order mark
    # is decoded whole, since its newlines are not single bytes.
    with path.open("rb") as fh:
        head = fh.read(8192)
        wide = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        if not wide and b"\x00" in head:
            raise IngestFailure("binary file (NUL bytes in a JSON Lines file)")
        if wide:
            yield from enumerate(detect_decode(read_bytes(path)).splitlines(), 1)
            return
        fh.seek(len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0)
        for number, line in enumerate(fh, 1):
            try:
                yield number, line.decode("utf-8")
            except UnicodeDecodeError:
                try:
                    yield number, detect_decode(line)
                except IngestFailure as exc:
                    yield number, exc


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
            yield IngestError(where, str(line))
            continue
        if not line.strip():
            continue
        found = True
        if len(line) > MAX_FILE_BYTES:
            yield IngestError(where, f"too large ({len(line):,} characters)")
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield IngestError(where, f"bad JSON ({exc.msg} at column {exc.colno})")
            continue
        try:
            yield record_to_document(record, where, options.jsonl)
        except IngestFailure as exc:
            yield IngestError(where, str(exc))
    if not found:
        raise IngestFailure("empty file (no records)")
