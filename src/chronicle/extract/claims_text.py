"""Text units for the claim extractor: sentences cut at paragraph breaks, and quotations.

Kept apart from the parse-reading modules because both work on the text's layout only:
:func:`sentence_units` gives the units claims are read from (spaCy's sentences, cut again at blank
lines), :func:`quote_pairs` the spans of quoted speech whose speaker may be named elsewhere.
"""

from __future__ import annotations

import bisect
from typing import Any

from chronicle.model import Document

_QUOTES = {"“": "”", "«": "»", '"': '"', "„": "“"}


def sentence_units(doc: Document) -> list[Any]:
    """spaCy's sentences, further cut at paragraph breaks: the small model sometimes runs a
    sentence across paragraphs, which would mix two paragraphs' sources and numbers."""
    return [doc.nlp_doc[a:b] for a, b in unit_bounds(doc)]


def unit_bounds(doc: Document) -> list[tuple[int, int]]:
    """Token ``[start, end)`` of each of :func:`sentence_units`, in order."""
    # cached as token offsets (plain ints keep the Doc serialisable)
    cache = doc.nlp_doc.user_data
    bounds = cache.get("chronicle.claims.units")
    if bounds is None:
        bounds = []
        for sent in doc.nlp_doc.sents:
            start = sent.start
            for tok in sent:
                # a blank line always ends a unit; a single line break only after final
                # punctuation (hard-wrapped text keeps its sentences whole)
                ends = tok.i > sent.start and tok.nbor(-1).text in {".", "!", "?", ":", "”", '"'}
                if tok.is_space and ("\n\n" in tok.text or ("\n" in tok.text and ends)):
                    if tok.i > start:
                        bounds.append((start, tok.i))
                    start = tok.i + 1
            if sent.end > start:
                bounds.append((start, sent.end))
        cache["chronicle.claims.units"] = bounds
    return bounds


def unit_no(doc: Document, token_start: int) -> int | None:
    """Index of the unit that starts at token ``token_start`` (None when none does)."""
    bounds = unit_bounds(doc)
    k = bisect.bisect_left(bounds, token_start, key=lambda b: b[0])
    return k if k < len(bounds) and bounds[k][0] == token_start else None


def unit(doc: Document, k: int) -> Any:
    """The ``k``-th unit as a spaCy ``Span``."""
    a, b = unit_bounds(doc)[k]
    return doc.nlp_doc[a:b]


def units_before(doc: Document, token_start: int, n: int) -> list[Any]:
    """The last ``n`` units ending at or before token ``token_start``, in text order (what
    ``[s for s in sentence_units(doc) if s.end <= token_start][-n:]`` gives)."""
    bounds = unit_bounds(doc)
    k = bisect.bisect_right(bounds, token_start, key=lambda b: b[1])
    return [doc.nlp_doc[a:b] for a, b in bounds[max(0, k - n) : k]]


def quote_pairs(text: str) -> list[tuple[int, int]]:
    """Body offsets of each opening quotation mark and its closing mark."""
    pairs: list[tuple[int, int]] = []
    i = 0
    while i < len(text):
        close = _QUOTES.get(text[i])
        if close:
            j = text.find(close, i + 1)
            if j > i and j - i < 2000:
                pairs.append((i, j))
                i = j + 1
                continue
        i += 1
    return pairs
