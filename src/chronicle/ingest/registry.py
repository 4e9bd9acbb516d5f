"""The reader registry: one reader per file suffix, so new formats plug in without touching others.

A reader takes a path and the :class:`ReadOptions` and yields :class:`Document` objects, or
:class:`IngestError` records for bad records inside a multi-record file (one bad JSONL line must not
lose the rest). A reader raises :class:`~chronicle.ingest.decode.IngestFailure` when the whole file
is unusable. Register with ``@register_reader(".warc", ".warc.gz")``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from chronicle.ingest.decode import MAX_FILE_BYTES, IngestFailure
from chronicle.model import Document

_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")


def printable(text: str) -> str:
    """``text`` safe to print and store: undecodable bytes of a file name (Python keeps them as
    lone surrogates) and lone surrogates become ``\\xNN`` / ``\\udNNN`` escapes; line breaks
    become spaces, so a message stays one line."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        try:
            text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:
            text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return _LINE_BREAKS.sub(" ", text) if "\n" in text or "\r" in text else text


def has_utf8_name(path: Path) -> bool:
    """False when the path's bytes are not UTF-8 (Python then holds lone surrogates in it)."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class IngestError(NamedTuple):
    """One input that could not be read: where, and why (rendered as ``path: reason``, one line,
    whatever bytes the path or the reason hold).

    With ``warning`` set it is no failure: the input was read, and the reason says what was odd
    about it (rendered as ``path: warning: reason``).
    """

    path: str
    reason: str
    warning: bool = False

    def __str__(self) -> str:
        kind = "warning: " if self.warning else ""
        return f"{printable(self.path)}: {kind}{printable(self.reason)}"


@dataclass
class JsonlFields:
    """Which JSON keys hold each Document field; the first key present (and non-empty) wins."""

    text: tuple[str, ...] = ("text", "body", "content", "html")
    title: tuple[str, ...] = ("title", "headline")
    url: tuple[str, ...] = ("url", "link")
    published: tuple[str, ...] = ("published", "date", "published_at", "pubdate")
    outlet: tuple[str, ...] = ("outlet", "source", "site", "publisher")
    author: tuple[str, ...] = ("author", "byline", "authors")


@dataclass
class ReadOptions:
    """Options every reader receives (readers use what concerns them)."""

    jsonl: JsonlFields = field(default_factory=JsonlFields)


Reader = Callable[[Path, ReadOptions], Iterator["Document | IngestError"]]

READERS: dict[str, Reader] = {}


def register_reader(*suffixes: str) -> Callable[[Reader], Reader]:
    """Register a reader for file names ending in any of ``suffixes`` (lower case, with dot)."""

    def deco(fn: Reader) -> Reader:
        for suffix in suffixes:
            READERS[suffix.lower()] = fn
        return fn

    return deco


def reader_for(path: Path) -> Reader | None:
    """The reader registered for ``path``'s suffix (longest match, so ``.warc.gz`` can win)."""
    name = path.name.lower()
    matches = [s for s in READERS if name.endswith(s)]
    return READERS[max(matches, key=len)] if matches else None


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """A file's bytes, refusing oversized files before reading them (and never reading more
    than ``limit`` bytes, should the file grow meanwhile or not report its size)."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise IngestFailure(f"too large ({size:,} bytes; limit {limit:,})")
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    except IngestFailure:
        raise
    except OSError as exc:
        raise IngestFailure(f"unreadable ({exc.strerror or exc})") from exc
    if len(data) > limit:
        raise IngestFailure(f"too large (over {limit:,} bytes)")
    return data
