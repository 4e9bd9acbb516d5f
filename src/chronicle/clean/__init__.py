"""Clean stage: the article body and metadata out of a scraped text or an HTML page.

``clean_document`` is the stage's component (``Document -> Document``): it fills ``body`` (kept
paragraphs joined by blank lines), ``body_map`` (body offsets -> raw offsets), ``decisions`` (why
each block was kept or dropped), and ``title``, ``outlet``, ``author``, ``published`` and
``language``. Metadata already on the document (a JSONL field, a WARC header) is kept.

Plain text goes through the line classifier of :mod:`chronicle.clean.text`; HTML through
trafilatura and Chronicle's chrome filter (:mod:`chronicle.clean.html`). Passing a
:class:`FingerprintIndex` adds the repetition signal: blocks recurring in other documents of the
same outlet are boilerplate (:mod:`chronicle.clean.boilerplate`).
"""

from __future__ import annotations

import re

from chronicle.clean.assemble import Block, assemble, split_blocks
from chronicle.clean.boilerplate import (
    FingerprintIndex,
    MemoryFingerprintIndex,
    record_document,
    repeated_blocks,
)
from chronicle.clean.metadata import (
    author_from_chrome,
    date_from_header,
    detect_language,
    outlet_from_chrome,
    outlet_from_url,
)
from chronicle.clean.signals import collapse, lexicon
from chronicle.clean.text import classify
from chronicle.model import Document

__all__ = ["FingerprintIndex", "MemoryFingerprintIndex", "clean_document", "looks_like_html"]

_HTML_START = re.compile(
    r"^\s*(?:<!doctype html|<html|<head|<body|<!--|<meta|<div|<article|<section|<p[ >])", re.I
)


def looks_like_html(text: str) -> bool:
    """Whether a document given as text is really an HTML page."""
    return bool(_HTML_START.match(text[:500]))


def clean_document(doc: Document, fingerprints: FingerprintIndex | None = None) -> Document:
    """Fill the body, its offset map, the keep/drop decisions and the metadata of ``doc``."""
    is_html = doc.format == "html" or looks_like_html(doc.raw_text)
    if is_html:
        from chronicle.clean.html import clean_html

        clean_html(doc)
    else:
        _clean_text(doc, fingerprints)
    if doc.language is None:
        # Markup says nothing about the language; for text, the raw text is a fallback sample.
        doc.language = detect_language(doc.body if is_html else (doc.body or doc.raw_text))
    return doc


def _clean_text(doc: Document, index: FingerprintIndex | None) -> None:
    lex = lexicon()
    blocks, head = classify(doc.raw_text, lex, title_hint=doc.title)
    outlet = doc.outlet or outlet_from_url(doc.url) or outlet_from_chrome(_chrome_texts(blocks))
    texts = [b.text for b in split_blocks(doc.raw_text)]  # the indexes ``classify`` uses
    if index is not None and outlet:
        repeated = repeated_blocks(index, outlet, doc.content_hash, texts)
        if repeated:
            blocks, head = classify(doc.raw_text, lex, repeated, title_hint=doc.title)
        record_document(index, outlet, doc.content_hash, texts)
    assemble(doc, blocks)
    if doc.title is None and head is not None:
        doc.title = collapse(blocks[head].text)
    doc.outlet = outlet
    first_kept = next((i for i, b in enumerate(blocks) if b.kept), len(blocks))
    if doc.published is None:
        doc.published = date_from_header(blocks[:first_kept])
    if doc.author is None:
        doc.author = author_from_chrome(_chrome_texts(blocks), outlet)


def _chrome_texts(blocks: list[Block]) -> list[str]:
    return [b.text for b in blocks if not b.kept]

