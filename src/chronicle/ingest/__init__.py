"""Ingest stage: turn files (txt, html, jsonl, ...) into :class:`Document` objects."""

from __future__ import annotations

from pathlib import Path

from chronicle.model import Document


def read_one(text_or_path: str | Path, *, source: str | None = None) -> Document:
    """A Document from a path to a file or from article text. Placeholder: utf-8 text only."""
    if isinstance(text_or_path, Path) or (
        isinstance(text_or_path, str) and "\n" not in text_or_path and Path(text_or_path).is_file()
    ):
        path = Path(text_or_path)
        fmt = "html" if path.suffix.lower() in {".html", ".htm"} else "txt"
        return Document(source=source or str(path), raw_text=path.read_text("utf-8"), format=fmt)
    return Document(source=source or "<text>", raw_text=str(text_or_path))
