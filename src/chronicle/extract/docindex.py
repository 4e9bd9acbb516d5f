"""Per-document lookups the extractors share, built once instead of once per question.

The extractors ask the same questions many times per document: the text of the parse ("what
comes just before this date?"), the sentence a token is in, the sentences before it (pronoun
antecedents, claim sources), the named entities inside a sentence, the entity mentioned at an
offset. spaCy answers ``Doc.text``, ``Doc.sents`` and ``Span.ents`` by walking the whole
document every time, and ``Document.entities`` is a plain list; asked once per event or per
number, that made long documents quadratic (a 79 KB article took minutes). Here each answer is
built once per parse and then looked up (binary search over sorted offsets).

Caches hang off the spaCy ``Doc`` in a weak dictionary, so they live exactly as long as the
parse; they hold only plain numbers and strings (never spans, which would keep the parse alive).
The entity index is rebuilt whenever ``Document.entities`` is replaced or grows.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any
from weakref import WeakKeyDictionary

from chronicle.model import Document, Entity

_CACHE: WeakKeyDictionary[Any, dict[Any, Any]] = WeakKeyDictionary()


def cache_of(sdoc: Any) -> dict[Any, Any]:
    """A dictionary that lives as long as the parse ``sdoc`` (for plain values only)."""
    found = _CACHE.get(sdoc)
    if found is None:
        found = _CACHE[sdoc] = {}
    return found


_cache = cache_of


def text_of(sdoc: Any) -> str:
    """``sdoc.text``, computed once (spaCy joins every token's text on each access)."""
    cache = _cache(sdoc)
    text = cache.get("text")
    if text is None:
        text = cache["text"] = sdoc.text
    return text


def _sentence_bounds(sdoc: Any) -> tuple[list[int], list[int], list[int]]:
    cache = _cache(sdoc)
    found = cache.get("sents")
    if found is None:
        starts, ends, chars = [], [], []
        for sent in sdoc.sents:
            starts.append(sent.start)
            ends.append(sent.end)
            chars.append(sent.start_char)
        found = cache["sents"] = (starts, ends, chars)
    return found


def sentence_count(sdoc: Any) -> int:
    """How many sentences the parse has."""
    return len(_sentence_bounds(sdoc)[0])


def sentence(sdoc: Any, k: int) -> Any:
    """The ``k``-th sentence as a spaCy ``Span``."""
    starts, ends, _ = _sentence_bounds(sdoc)
    return sdoc[starts[k] : ends[k]]


def sentence_no(sdoc: Any, token_i: int) -> int:
    """Index of the sentence holding token ``token_i``."""
    starts = _sentence_bounds(sdoc)[0]
    return max(bisect.bisect_right(starts, token_i) - 1, 0)


def sentences_starting_by(sdoc: Any, char: int) -> int:
    """How many sentences start at or before character ``char`` (``s.start_char <= char``)."""
    return bisect.bisect_right(_sentence_bounds(sdoc)[2], char)


def ents_in(span: Any) -> list[Any]:
    """The named entities (spaCy ``Span``) lying wholly inside ``span``, as ``span.ents`` gives
    them, read from the tokens of ``span`` only (``span.ents`` walks the whole document)."""
    sdoc = span.doc
    out = []
    end = span.end
    i = span.start
    while i < end:
        tok = sdoc[i]
        if tok.ent_iob_ == "B":
            stop = entity_end(sdoc, i)
            if stop <= end:
                out.append(sdoc[i:stop])
                out[-1].label_ = tok.ent_type_
            i = stop
        else:
            i += 1
    return out


def entity_end(sdoc: Any, i: int) -> int:
    """End token of the entity that begins at token ``i``."""
    stop = i + 1
    n = len(sdoc)
    while stop < n and sdoc[stop].ent_iob_ == "I":
        stop += 1
    return stop


def entity_starting_at(sdoc: Any, i: int) -> Any | None:
    """The spaCy entity that begins at token ``i`` (``next(e for e in doc.ents if e.start ==
    i)``), or None."""
    tok = sdoc[i]
    if tok.ent_iob_ != "B":
        return None
    span = sdoc[i : entity_end(sdoc, i)]
    span.label_ = tok.ent_type_
    return span


@dataclass
class MentionIndex:
    """The mentions of ``Document.entities`` sorted by raw start, for overlap queries."""

    starts: list[int] = field(default_factory=list)
    # (start, end, entity order, mention order within its entity, entity), sorted by start
    rows: list[tuple[int, int, int, int, Entity]] = field(default_factory=list)
    longest: int = 0
    names: frozenset[str] = frozenset()
    # the PERSON rows alone, in the same order
    person_starts: list[int] = field(default_factory=list)
    person_rows: list[tuple[int, int, int, int, Entity]] = field(default_factory=list)


def mention_index(doc: Document) -> MentionIndex:
    """The mention index of ``doc``'s current entities (rebuilt when they change)."""
    sdoc = doc.nlp_doc
    # entities are replaced or appended to, never edited in place once extracted
    last = doc.entities[-1] if doc.entities else None
    key = (id(doc.entities), len(doc.entities), id(last), len(last.mentions) if last else 0)
    cache = _cache(sdoc) if sdoc is not None else {}
    found = cache.get("mentions")
    if found is not None and found[0] == key:
        return found[1]
    rows = [(m.start, m.end, k, j, ent) for k, ent in enumerate(doc.entities)
            for j, m in enumerate(ent.mentions)]  # fmt: skip
    rows.sort(key=lambda r: (r[0], r[2], r[3]))
    index = MentionIndex(
        starts=[r[0] for r in rows],
        rows=rows,
        longest=max((r[1] - r[0] for r in rows), default=0),
        names=frozenset(e.name for e in doc.entities),
    )
    index.person_rows = [r for r in rows if r[4].type == "PERSON"]
    index.person_starts = [r[0] for r in index.person_rows]
    if sdoc is not None:
        cache["mentions"] = (key, index)
    return index


def mentions_overlapping(index: MentionIndex, lo: int, hi: int) -> list[tuple]:
    """Rows whose mention ``[start, end)`` may overlap raw ``[lo, hi]``: every row with
    ``start <= hi`` and ``end >= lo`` (callers apply their exact test)."""
    right = bisect.bisect_right(index.starts, hi)
    left = bisect.bisect_left(index.starts, lo - index.longest)
    return [r for r in index.rows[left:right] if r[1] >= lo]
