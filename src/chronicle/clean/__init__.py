"""Clean stage: article body and metadata out of raw text or HTML (see ``clean_document``)."""

from __future__ import annotations

from chronicle.model import BodySegment, Document


def clean_document(doc: Document) -> Document:
    """Fill ``doc.body`` (with its offset map) and metadata. Placeholder: identity body."""
    doc.body = doc.raw_text
    doc.body_map = [BodySegment(0, 0, len(doc.raw_text))]
    return doc
