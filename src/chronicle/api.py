"""The Python API's single-document entry point (``chronicle.extract``)."""

from __future__ import annotations

from pathlib import Path

from chronicle.model import Document


def extract(text_or_path: str | Path, *, source: str | None = None) -> Document:
    """Clean and extract one article (a path to a readable file, or the article text itself)."""
    from chronicle.ingest import read_one
    from chronicle.pipeline import default_pipeline

    doc = read_one(text_or_path, source=source)
    return default_pipeline()(doc)
