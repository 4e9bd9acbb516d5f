"""Per-outlet paragraph fingerprints: text that recurs across one site's documents is chrome.

A donation box, a newsletter pitch or an "About us" blurb repeats, word for word, on every page of
an outlet, while article paragraphs do not. Chronicle keeps, per outlet, which documents contained
each paragraph fingerprint (the ``store`` stage persists them in the database through the same
:class:`FingerprintIndex` protocol; :class:`MemoryFingerprintIndex` serves tests and evaluation).

The decision is reproducible: a block is boilerplate when its fingerprint was already seen in at
least :data:`MIN_OTHER_DOCUMENTS` *other* documents of the same outlet
(:data:`MIN_OTHER_DOCUMENTS_LONG` for long prose paragraphs, which outlets reuse as background).
The document's own
fingerprints are added only after its decision, and a document never counts itself: its hash is
stored as a fingerprint too, so re-cleaning an already indexed document subtracts its own count.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from typing import Protocol

# A short block (< LONG_BLOCK_CHARS) seen in two other documents of the outlet is boilerplate; a
# long prose paragraph needs three, because outlets do reuse background paragraphs.
MIN_OTHER_DOCUMENTS = 2
MIN_OTHER_DOCUMENTS_LONG = 3
LONG_BLOCK_CHARS = 200
# Fingerprints of fewer normalised characters are not informative ("Read more" is caught by the
# label lexicon anyway, and one-word lines would collide across unrelated uses).
MIN_FINGERPRINT_CHARS = 12

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


class FingerprintIndex(Protocol):
    """Where per-outlet paragraph fingerprints live (memory in tests, the database in use)."""

    def document_count(self, outlet: str, fingerprint: str) -> int:
        """How many distinct documents of ``outlet`` contained ``fingerprint``."""
        ...

    def add(self, outlet: str, document_hash: str, fingerprints: Iterable[str]) -> None:
        """Record that document ``document_hash`` of ``outlet`` contained ``fingerprints``."""
        ...


class MemoryFingerprintIndex:
    """An in-process :class:`FingerprintIndex` (adding the same document twice is a no-op)."""

    def __init__(self) -> None:
        self._docs: dict[tuple[str, str], set[str]] = defaultdict(set)

    def document_count(self, outlet: str, fingerprint: str) -> int:
        return len(self._docs.get((outlet_key(outlet), fingerprint), ()))

    def add(self, outlet: str, document_hash: str, fingerprints: Iterable[str]) -> None:
        key = outlet_key(outlet)
        for fp in fingerprints:
            self._docs[(key, fp)].add(document_hash)


def outlet_key(outlet: str) -> str:
    """Outlets compare case- and punctuation-insensitively."""
    return _NON_WORD.sub(" ", outlet.casefold()).strip()


def fingerprint(text: str) -> str | None:
    """A stable fingerprint of a block: case, punctuation and spacing do not matter."""
    norm = _NON_WORD.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()
    if len(norm) < MIN_FINGERPRINT_CHARS:
        return None
    return hashlib.blake2b(norm.encode("utf-8"), digest_size=10).hexdigest()


def self_marker(document_hash: str) -> str:
    """The pseudo-fingerprint that records a document itself (so it never counts itself)."""
    return "doc:" + document_hash


def repeated_blocks(
    index: FingerprintIndex | None, outlet: str | None, document_hash: str, texts: list[str]
) -> dict[int, int]:
    """Indexes of ``texts`` that are boilerplate for ``outlet``, with their other-document count."""
    if index is None or not outlet:
        return {}
    own = 1 if index.document_count(outlet, self_marker(document_hash)) else 0
    out: dict[int, int] = {}
    for i, text in enumerate(texts):
        fp = fingerprint(text)
        if fp is None:
            continue
        others = index.document_count(outlet, fp) - own
        need = MIN_OTHER_DOCUMENTS_LONG if len(text) >= LONG_BLOCK_CHARS else MIN_OTHER_DOCUMENTS
        if others >= need:
            out[i] = others
    return out


def record_document(
    index: FingerprintIndex | None, outlet: str | None, document_hash: str, texts: list[str]
) -> None:
    """Add a document's block fingerprints to the index (after its own decision was made)."""
    if index is None or not outlet:
        return
    fps = {fp for fp in (fingerprint(t) for t in texts) if fp}
    fps.add(self_marker(document_hash))
    index.add(outlet, document_hash, sorted(fps))
