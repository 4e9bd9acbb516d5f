"""Resolving text back to the document's entities: helpers the event and claim extractors share.

The entity extractor (``chronicle.extract.entities``) runs first and fills ``doc.entities``, each
with its raw-text ``mentions``. The functions here answer the questions later extractors ask
while reading the parse, which speaks in *body* offsets:

- :func:`entity_at` - which entity is mentioned at this body range?
- :func:`entity_for` / :func:`canonical_name` - which entity does this surface form name
  ("Sekerina", "the Investigative Committee", "RFE/RL's")?
- :func:`nearest_person_before` - the antecedent of a he/she/they pronoun, where it is clear.

(How the entity extractor merges mentions into entities in the first place is in
``chronicle.extract.entity_merge``.)

Body offsets are converted to raw offsets with :meth:`Document.body_to_raw`; the body is built from
raw slices in order, so the conversion keeps order and overlap tests can run in raw coordinates.
All functions are read-only and tolerate a document with no entities (they return ``None`` or
the input unchanged).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from functools import lru_cache

from chronicle.extract.docindex import mention_index, mentions_overlapping
from chronicle.model import Document, Entity, Span

__all__ = [
    "canonical_name",
    "entity_at",
    "entity_for",
    "mentions_before",
    "name_gender",
    "nearest_person_before",
    "normalise_name",
]

_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_WS = re.compile(r"\s+")


@lru_cache(maxsize=65536)  # pure, and asked for every mention many times over
def normalise_name(surface: str) -> str:
    """Comparison key for a name: NFC, curly quotes/apostrophes straightened, possessive and
    leading "the" removed, whitespace collapsed, lower-cased. ``"the Kremlin’s"`` -> ``"kremlin"``.
    """
    text = unicodedata.normalize("NFC", surface)
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = _WS.sub(" ", text).strip().strip(".,;:")
    text = _POSSESSIVE.sub("", text)
    text = _LEADING_THE.sub("", text)
    return text.strip().lower()


def _overlaps(a_start: int, a_end: int, b: Span) -> bool:
    if a_end <= a_start:  # an empty range overlaps a mention that contains its point
        return b.start <= a_start < b.end
    return a_start < b.end and b.start < a_end


def entity_at(doc: Document, body_start: int, body_end: int) -> Entity | None:
    """The entity one of whose mentions overlaps the body range ``[body_start, body_end)``.

    When several do (a person inside an organisation's name, say), the one whose mention covers
    most of the range wins, then the shorter mention (the more specific entity).
    Returns ``None`` when no mention overlaps.
    """
    raw_start = doc.body_to_raw(body_start)
    raw_end = doc.body_to_raw(body_end) if body_end > body_start else raw_start
    best: tuple[int, int] | None = None
    found: Entity | None = None
    index = mention_index(doc)
    # in entity order, then mention order: the first of equally good mentions wins
    near = sorted(mentions_overlapping(index, raw_start, raw_end), key=lambda r: (r[2], r[3]))
    for _start, _end, _k, j, ent in near:
        m = ent.mentions[j]
        if not _overlaps(raw_start, raw_end, m):
            continue
        covered = min(raw_end, m.end) - max(raw_start, m.start)
        key = (-covered, m.end - m.start)
        if best is None or key < best:
            best, found = key, ent
    return found


def entity_for(doc: Document, surface: str, etype: str | None = None) -> Entity | None:
    """The entity that ``surface`` names in this document, or ``None``.

    Tried in order: the entity's name or an alias (normalised, see :func:`normalise_name`);
    for people, a surface that is one token of the name ("Sekerina" for "Natalia Sekerina") when
    only one person has that token; for any type, a surface ending in the entity's name
    ("Russia's Investigative Committee" -> "Investigative Committee"). ``etype`` restricts the
    search to one type (PERSON, ORG, GPE).
    """
    key = normalise_name(surface)
    if not key:
        return None
    pool = [e for e in doc.entities if etype is None or e.type == etype]
    for ent in pool:
        if key == normalise_name(ent.name) or any(key == normalise_name(a) for a in ent.aliases):
            return ent
    if " " not in key:
        people = [e for e in pool if e.type == "PERSON" and key in normalise_name(e.name).split()]
        if len(people) == 1:
            return people[0]
    # "Russia's Investigative Committee" names the "Investigative Committee" entity.
    tails = [e for e in pool if key.endswith(" " + normalise_name(e.name))]
    if tails:
        return max(tails, key=lambda e: len(e.name))
    return None


def canonical_name(doc: Document, surface: str) -> str:
    """The fullest name of the entity ``surface`` refers to; ``surface`` unchanged when unknown.

    ``canonical_name(doc, "Sekerina")`` -> ``"Natalia Sekerina"`` once that person is in
    ``doc.entities``; ``canonical_name(doc, "the weather")`` -> ``"the weather"``.
    """
    ent = entity_for(doc, surface)
    return ent.name if ent else surface


def mentions_before(
    doc: Document, body_offset: int, etype: str | None = None
) -> list[tuple[Span, Entity]]:
    """Every (mention, entity) that ends at or before ``body_offset``, nearest first."""
    raw = doc.body_to_raw(body_offset)
    found = [
        (m, e)
        for e in doc.entities
        if etype is None or e.type == etype
        for m in e.mentions
        if m.end <= raw
    ]
    found.sort(key=lambda pair: -pair[0].end)
    return found


def nearest_person_before(
    doc: Document, body_offset: int, max_chars: int = 600, pronoun: str | None = None
) -> Entity | None:
    """The antecedent of a personal pronoun at ``body_offset``: the nearest person mentioned
    before it, within ``max_chars`` of body text.

    "Where clear": when two *different* people are both mentioned in the sentence just before the
    pronoun (within 80 characters of each other, e.g. "X told Y that he..."), the antecedent is
    ambiguous and ``None`` is returned. Given ``pronoun`` ("he", "she", "her", "him"...), people
    whose name is clearly of the other gender (Russian-style surnames: Petrova / Petrov) are
    passed over first, which often settles such a case.
    """
    raw = doc.body_to_raw(body_offset)
    floor = doc.body_to_raw(max(body_offset - max_chars, 0))
    # what mentions_before(doc, body_offset, "PERSON") gives from ``floor`` on, from the index
    index = mention_index(doc)
    lo = bisect.bisect_left(index.person_starts, floor)
    hi = bisect.bisect_right(index.person_starts, raw)
    rows = sorted((r for r in index.person_rows[lo:hi] if r[1] <= raw),
                  key=lambda r: (-r[1], r[2], r[3]))  # fmt: skip
    people = [(r[4].mentions[r[3]], r[4]) for r in rows]
    wanted = _PRONOUN_GENDER.get((pronoun or "").lower())
    if wanted:
        people = [(m, e) for m, e in people if name_gender(e.name) in {wanted, None}]
    if not people:
        return None
    first_mention, first = people[0]
    for mention, ent in people[1:]:
        if ent is first:
            continue
        # A different person close before the nearest one: "X told Y that he ..." is unclear.
        if first_mention.start - mention.end < 80 and raw - first_mention.end < 200:
            return None
        break
    return first


_PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "himself": "m",
                   "she": "f", "her": "f", "hers": "f", "herself": "f"}
_FEMININE = re.compile(r"(?:ova|eva|yova|ina|yna|skaya|tskaya|aya)$", re.IGNORECASE)
_MASCULINE = re.compile(r"(?:ov|ev|yov|in|yn|sky|skiy|skii|tsky|iy)$", re.IGNORECASE)


def name_gender(name: str) -> str | None:
    """ "f" / "m" when the surname's Slavic ending says so ("Sekerina", "Lapushkin"), else
    ``None`` (most names do not tell)."""
    words = name.split()
    if not words:
        return None
    last = words[-1]
    if _FEMININE.search(last):
        return "f"
    if _MASCULINE.search(last):
        return "m"
    return None
