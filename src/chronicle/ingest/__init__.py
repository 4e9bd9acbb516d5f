"""Ingest stage: turn files (txt, html, jsonl, ...) into :class:`Document` objects.

``read_one`` reads one article (a path or the text itself) for ``chronicle.extract``;
``iter_documents`` walks files and directories for batch ingest, turning bad input into
:class:`IngestError` records (``path: reason``) instead of exceptions. Format readers live in
their own modules and register by suffix in :mod:`chronicle.ingest.registry`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

# Importing the reader modules registers them.
from chronicle.ingest import feed as _feed  # noqa: F401
from chronicle.ingest import jsonl as _jsonl  # noqa: F401
from chronicle.ingest import text as _text
from chronicle.ingest import warc as _warc  # noqa: F401
from chronicle.ingest.decode import IngestFailure, check_text, looks_like_html, repair_text
from chronicle.ingest.registry import (
    READERS,
    IngestError,
    JsonlFields,
    ReadOptions,
    has_utf8_name,
    printable,
    reader_for,
    register_reader,
)
from chronicle.model import Document

__all__ = [
    "READERS",
    "IngestError",
    "IngestFailure",
    "JsonlFields",
    "ReadOptions",
    "iter_documents",
    "iter_files",
    "printable",
    "read_file",
    "read_one",
    "register_reader",
]

ErrorSink = list[IngestError] | Callable[[IngestError], None]

# Longer than any path; shorter strings without a newline are tried as paths first.
_MAX_PATH = 4096


def _is_path(value: str | Path) -> bool:
    if isinstance(value, Path):
        return True
    if "\n" in value or len(value) > _MAX_PATH:
        return False
    try:
        return Path(value).is_file()
    except (OSError, ValueError):  # e.g. a NUL byte or a name too long for the filesystem
        return False


def read_file(path: Path, options: ReadOptions | None = None) -> Iterator[Document | IngestError]:
    """Documents (and per-record errors) of one file; raises IngestFailure if it is unusable."""
    if not path.exists():
        raise IngestFailure("no such file or directory")
    if not path.is_file():
        raise IngestFailure("not a regular file")
    reader = reader_for(path) or _text.read_unknown_file
    return reader(path, options or ReadOptions())


def read_one(text_or_path: str | Path, *, source: str | None = None) -> Document:
    """A Document from a path to a file or from article text (the first record of a JSONL file).

    Raises :class:`IngestFailure` (a ``ValueError``) with a one-line reason on bad input.
    """
    if _is_path(text_or_path):
        path = Path(text_or_path)
        if source is None and not has_utf8_name(path):
            source = printable(str(path))
        try:
            for item in read_file(path):
                if isinstance(item, Document):
                    if source:
                        item.source = source
                    return item
                raise IngestFailure(item.reason)
        except OSError as exc:
            raise IngestFailure(f"unreadable ({exc.strerror or exc})") from exc
        raise IngestFailure("no records")
    text = str(text_or_path)
    html = looks_like_html(text)
    raw = check_text(repair_text(check_text(text), html=html))
    return Document(source=source or "<text>", raw_text=raw, format="html" if html else "txt")


def iter_files(paths: Iterable[str | Path], errors: ErrorSink | None = None) -> Iterator[Path]:
    """Files named by ``paths``, directories walked recursively in sorted order.

    Inside directories only files with a registered suffix are taken (hidden ones skipped); a file
    named explicitly is always taken. A missing path becomes an error record.
    """
    for given in paths:
        path = Path(given)
        try:
            if path.is_dir():
                for found in sorted(path.rglob("*")):
                    hidden = any(part.startswith(".") for part in found.relative_to(path).parts)
                    if found.is_file() and not hidden and reader_for(found):
                        yield found
            elif path.exists():
                yield path
            else:
                _report(errors, IngestError(printable(str(path)), "no such file or directory"))
        except OSError as exc:  # e.g. a directory that cannot be listed
            where = printable(str(exc.filename or path))
            _report(errors, IngestError(where, f"unreadable ({exc.strerror or exc})"))


def _report(errors: ErrorSink | None, error: IngestError) -> None:
    if errors is None:
        return
    if isinstance(errors, list):
        errors.append(error)
    else:
        errors(error)


def iter_documents(
    paths: Iterable[str | Path],
    errors: ErrorSink | None = None,
    options: ReadOptions | None = None,
) -> Iterator[Document]:
    """Every Document under ``paths``; bad files and records go to ``errors``, never raise.

    ``errors`` is a list to append :class:`IngestError` records to, or a callback.
    """
    for path in iter_files(paths, errors):
        yield from documents_of_file(path, errors, options)


def documents_of_file(
    path: Path, errors: ErrorSink | None = None, options: ReadOptions | None = None
) -> Iterator[Document]:
    """The Documents of one file; its errors (whole-file or per-record) go to ``errors``.

    Never raises: whatever goes wrong in reading one file becomes one ``path: reason`` error and
    the caller goes on with the next file.
    """
    if not has_utf8_name(path):  # the source could be neither printed nor stored as text
        reason = "file name is not valid UTF-8 (rename the file to ingest it)"
        _report(errors, IngestError(printable(str(path)), reason))
        return
    try:
        for item in read_file(path, options):
            if isinstance(item, Document):
                yield item
            else:
                _report(errors, item)
    except IngestFailure as exc:
        _report(errors, IngestError(str(path), str(exc)))
    except OSError as exc:
        _report(errors, IngestError(str(path), f"unreadable ({exc.strerror or exc})"))
    except Exception as exc:  # a reader bug or a library's odd exception: this file only
        _report(errors, IngestError(str(path), f"unreadable ({type(exc).__name__}: {exc})"))
