"""The reader registry: one reader per file suffix, so new formats plug in without touching others.

A reader takes a path and the :class:`ReadOptions` and yields :class:`Document` objects, or
:class:`IngestError` records for bad records inside a multi-record file (one bad JSONL line must not
lose the rest). A reader raises :class:`~chronicle.ingest.decode.IngestFailure` when the whole file
is unusable. Register with ``@register_reader(".warc", ".warc.gz")``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from chronicle.ingest.decode import MAX_FILE_BYTES, IngestFailure
from chronicle.model import Document


class IngestError(NamedTuple):
    """One input that could not be read: where, and why (rendered as ``path: reason``)."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


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


def read_bytes(path: Path) -> bytes:
    """A file's bytes, refusing oversized files before reading them."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise IngestFailure(f"too large ({size:,} bytes)")
        return path.read_bytes()
    except IngestFailure:
        raise
    except OSError as exc:
        raise IngestFailure(f"unreadable ({exc.strerror or exc})") from exc
