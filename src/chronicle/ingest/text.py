"""Readers for single-article files: plain text (``.txt``) and HTML pages (``.html``, ``.htm``).

Both decode with :func:`~chronicle.ingest.decode.decode_bytes`; for HTML the raw text is the whole
decoded page (the clean stage extracts the body from it), with its markup and entities intact.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from chronicle.ingest.decode import decode_bytes, looks_like_html
from chronicle.ingest.registry import IngestError, ReadOptions, read_bytes, register_reader
from chronicle.model import Document


@register_reader(".txt", ".text")
def read_text_file(path: Path, options: ReadOptions) -> Iterator[Document | IngestError]:
    """One Document from a plain-text article."""
    yield Document(source=str(path), raw_text=decode_bytes(read_bytes(path)), format="txt")


@register_reader(".html", ".htm", ".xhtml")
def read_html_file(path: Path, options: ReadOptions) -> Iterator[Document | IngestError]:
    """One Document from an HTML page (format ``html``; raw_text is the decoded page)."""
    raw = decode_bytes(read_bytes(path), html=True)
    yield Document(source=str(path), raw_text=raw, format="html")


def read_unknown_file(path: Path, options: ReadOptions) -> Iterator[Document | IngestError]:
    """A file named explicitly whose suffix has no reader: text, or HTML if it looks like it."""
    data = read_bytes(path)
    text = decode_bytes(data)
    if looks_like_html(text):
        yield Document(source=str(path), raw_text=decode_bytes(data, html=True), format="html")
    else:
        yield Document(source=str(path), raw_text=text, format="txt")
