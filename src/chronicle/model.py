"""The one data model that flows through every Chronicle stage.

``ingest`` makes a :class:`Document` with ``raw_text``; ``clean`` fills ``body``, the offset map
and the metadata; ``extract`` fills ``entities``, ``events`` and ``claims``; ``link`` and ``store``
read them. Field names follow ``shared/gold/GUIDE.md`` so output and gold compare directly.

Offsets: every :class:`Span` indexes the *raw* input text (``Document.raw_text``). The cleaned
body is a concatenation of raw slices; ``Document.body_map`` records where each slice came from,
and :meth:`Document.body_to_raw` converts a body offset to a raw offset.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Span:
    """A character range ``[start, end)`` in the raw input text, with the text it covers."""

    start: int
    end: int
    text: str = ""


@dataclass
class Entity:
    """A named person (PERSON), organisation (ORG) or place (GPE) within one document."""

    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    role: str | None = None
    mentions: list[Span] = field(default_factory=list)
    role_span: Span | None = None
    # Filled by the link stage: a stable corpus-wide id, and for places the gazetteer entry.
    canonical_id: str | None = None
    geo: dict[str, Any] | None = None


@dataclass
class Location:
    """Where an event happened: a place name and its ISO 3166-1 alpha-2 country code."""

    name: str | None = None
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass
class Event:
    """One PLOVER event with its arguments, legal detail and evidence."""

    type: str
    mode: str | None = None
    context: list[str] = field(default_factory=list)
    actor: str | None = None
    recipient: str | None = None
    date: str | None = None  # ISO, possibly partial: "2023-09-11", "2025-04", "--06-17"
    date_text: str | None = None  # the surface form the date came from ("on Saturday")
    location: Location | None = None
    charge: str | None = None
    custody: str | None = None
    max_penalty_years: float | None = None
    sentence_years: float | None = None
    reported_by: list[str] = field(default_factory=list)
    evidence: str = ""
    evidence_span: Span | None = None
    trigger: Span | None = None
    negated: bool = False
    hypothetical: bool = False
    historical: bool = False
    also_type: str | None = None
    confidence: float = 1.0
    # Per-field evidence: field name -> span in the raw text that the value came from.
    spans: dict[str, Span] = field(default_factory=dict)
    canonical_id: str | None = None


@dataclass
class Claim:
    """A numeric statement: how many of what, according to whom."""

    metric: str
    value: float
    unit: str | None = None
    per: str | None = None
    qualifier: str | None = None
    subject: str | None = None
    as_of: str | None = None
    claimed_by: list[str] = field(default_factory=list)
    relayed_by: list[str] = field(default_factory=list)
    evidence: str = ""
    evidence_span: Span | None = None
    value_text: str = ""
    spans: dict[str, Span] = field(default_factory=dict)


@dataclass
class BodySegment:
    """A slice of the cleaned body copied from ``raw_text[raw_start:raw_start + length]``."""

    body_start: int
    raw_start: int
    length: int


@dataclass
class Decision:
    """Why the cleaner kept or dropped one block of the raw text (shown by ``clean --diff``)."""

    start: int
    end: int
    kept: bool
    reason: str
    text: str = ""


@dataclass
class Document:
    """One article as it moves through the pipeline."""

    source: str
    raw_text: str
    url: str | None = None
    format: str = "txt"  # txt | html | jsonl | warc | feed
    body: str = ""
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None  # ISO date or datetime; None when the text does not say
    language: str | None = None
    body_map: list[BodySegment] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)  # extra input metadata (JSONL fields...)
    # What the pipeline changed or left out of this document and why, one line each ("body: a
    # run of 10,000 punctuation characters at 523 blanked before parsing", "extraction stopped
    # after 20 s"). Empty for an ordinary article.
    warnings: list[str] = field(default_factory=list)
    # The parsed spaCy Doc over ``body``; never serialised.
    nlp_doc: Any = field(default=None, repr=False, compare=False)
    # When extraction must stop (``time.monotonic()`` value; None: no limit); never serialised.
    deadline: float | None = field(default=None, repr=False, compare=False)

    @property
    def content_hash(self) -> str:
        """Identity of the document: SHA-256 of its normalised raw text."""
        return content_hash(self.raw_text)

    def body_to_raw(self, offset: int) -> int:
        """Map an offset in ``body`` to the matching offset in ``raw_text``."""
        if not self.body_map:
            return offset
        # segments are in body order: the last one starting at or before ``offset`` (binary
        # search: extractors convert offsets for every mention, a long body has many segments)
        k = bisect.bisect_right(self.body_map, offset, key=_body_start) - 1
        best = self.body_map[max(k, 0)]
        return best.raw_start + min(max(offset - best.body_start, 0), best.length)

    def warn(self, message: str) -> None:
        """Record one warning line (once: the same line is not repeated)."""
        if message not in self.warnings:
            self.warnings.append(message)

    def raw_span(self, body_start: int, body_end: int) -> Span:
        """A :class:`Span` in raw coordinates for the body range ``[body_start, body_end)``."""
        start = self.body_to_raw(body_start)
        end = self.body_to_raw(body_end) if body_end > body_start else start
        end = max(end, start)
        return Span(start, end, self.body[body_start:body_end])

    def metadata(self) -> dict[str, Any]:
        """Identity and metadata fields (hash, source, url, title, outlet, author, published,
        language): the columns every flat table of documents starts with."""
        return {
            "content_hash": self.content_hash,
            "source": self.source,
            "url": self.url,
            "title": self.title,
            "outlet": self.outlet,
            "author": self.author,
            "published": self.published,
            "language": self.language,
        }

    def to_dict(self, *, include_raw: bool = False) -> dict[str, Any]:
        """The JSON contract of ``chronicle extract --json`` (gold field names)."""
        out: dict[str, Any] = {
            "source": self.source,
            "url": self.url,
            "title": self.title,
            "outlet": self.outlet,
            "author": self.author,
            "published": self.published,
            "language": self.language,
            "content_hash": self.content_hash,
            "body": self.body,
            "entities": [_entity_dict(e) for e in self.entities],
            "events": [_event_dict(e) for e in self.events],
            "claims": [_claim_dict(c) for c in self.claims],
            "warnings": list(self.warnings),
        }
        if include_raw:
            out["raw_text"] = self.raw_text
            out["format"] = self.format
            out["body_map"] = [asdict(seg) for seg in self.body_map]
            out["decisions"] = [asdict(d) for d in self.decisions]
            out["meta"] = self.meta
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        """Rebuild a Document from :meth:`to_dict` output (``include_raw=True`` for a full copy)."""
        return cls(
            source=data.get("source") or "",
            raw_text=data.get("raw_text", data.get("body", "")),
            url=data.get("url"),
            format=data.get("format", "txt"),
            body=data.get("body", ""),
            title=data.get("title"),
            outlet=data.get("outlet"),
            author=data.get("author"),
            published=data.get("published"),
            language=data.get("language"),
            body_map=[BodySegment(**seg) for seg in data.get("body_map", [])],
            decisions=[Decision(**d) for d in data.get("decisions", [])],
            entities=[entity_from_dict(e) for e in data.get("entities", [])],
            events=[event_from_dict(e) for e in data.get("events", [])],
            claims=[claim_from_dict(c) for c in data.get("claims", [])],
            meta=dict(data.get("meta") or {}),
            warnings=[str(w) for w in data.get("warnings") or []],
        )


def _body_start(seg: BodySegment) -> int:
    return seg.body_start


def _entity_dict(e: Entity) -> dict[str, Any]:
    d = asdict(e)
    d["mentions"] = [{"start": m.start, "end": m.end, "text": m.text} for m in e.mentions]
    return d


def _event_dict(e: Event) -> dict[str, Any]:
    d = asdict(e)
    d["location"] = asdict(e.location) if e.location else None
    return d


def _claim_dict(c: Claim) -> dict[str, Any]:
    return asdict(c)


def _span(d: dict[str, Any] | None) -> Span | None:
    return Span(d["start"], d["end"], d.get("text", "")) if d else None


def _spans(d: dict[str, Any] | None) -> dict[str, Span]:
    return {k: Span(v["start"], v["end"], v.get("text", "")) for k, v in (d or {}).items()}


def entity_from_dict(d: dict[str, Any]) -> Entity:
    """Inverse of the entity part of :meth:`Document.to_dict`."""
    return Entity(
        name=d["name"],
        type=d["type"],
        aliases=list(d.get("aliases") or []),
        role=d.get("role"),
        mentions=[Span(m["start"], m["end"], m.get("text", "")) for m in d.get("mentions", [])],
        role_span=_span(d.get("role_span")),
        canonical_id=d.get("canonical_id"),
        geo=d.get("geo"),
    )


def event_from_dict(d: dict[str, Any]) -> Event:
    """Inverse of the event part of :meth:`Document.to_dict`."""
    known = {f for f in Event.__dataclass_fields__}
    fields = {k: v for k, v in d.items() if k in known}
    fields["location"] = Location(**d["location"]) if d.get("location") else None
    fields["evidence_span"] = _span(d.get("evidence_span"))
    fields["trigger"] = _span(d.get("trigger"))
    fields["spans"] = _spans(d.get("spans"))
    return Event(**fields)


def claim_from_dict(d: dict[str, Any]) -> Claim:
    """Inverse of the claim part of :meth:`Document.to_dict`."""
    known = {f for f in Claim.__dataclass_fields__}
    fields = {k: v for k, v in d.items() if k in known}
    fields["evidence_span"] = _span(d.get("evidence_span"))
    fields["spans"] = _spans(d.get("spans"))
    return Claim(**fields)


_WS = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Unicode NFC, whitespace collapsed, stripped: the form that identity is computed on."""
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()


def content_hash(text: str) -> str:
    """SHA-256 hex digest of :func:`normalise_text` (ingesting the same text twice is a no-op)."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()
