"""What the store returns: the model objects plus their database ids and provenance.

``StoredEvent`` *is* an :class:`~chronicle.model.Event` (same fields) with an ``id`` and the
``sources`` that reported it; likewise for entities, claims and documents. ``IngestReport`` is the
outcome of a batch.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from chronicle.model import Claim, Document, Entity, Event


@dataclass
class EventSource:
    """One document's report of an event, with the event as that source told it."""

    document_id: int
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: str | None = None
    evidence: str = ""
    evidence_start: int | None = None
    evidence_end: int | None = None
    reported_by: list[str] = field(default_factory=list)
    # The full Event as this source extracted it (sources may disagree on date, place, ...).
    event: dict[str, Any] = field(default_factory=dict)


@dataclass
class StoredEvent(Event):
    """A canonical event row with its id and every source that reported it."""

    id: int = 0
    sources: list[EventSource] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: the Event fields in gold names, ``id`` and ``sources``."""
        return asdict(self)


@dataclass
class StoredEntity(Entity):
    """A corpus-level entity: every role it was given and how often it is mentioned."""

    id: int = 0
    roles: list[str] = field(default_factory=list)
    mention_count: int = 0
    document_count: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class StoredClaim(Claim):
    """A claim with its id and the document it came from."""

    id: int = 0
    document_id: int = 0
    outlet: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class StoredDocument(Document):
    """A stored document (entities, events and claims are read separately)."""

    id: int = 0
    ingested_at: str | None = None


@dataclass
class SearchHit:
    """One full-text match: the document and a snippet with matches marked."""

    document_id: int
    title: str | None
    outlet: str | None
    source: str
    url: str | None
    published: str | None
    snippet: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class IngestReport:
    """Outcome of one ingest: documents added, already stored, failures and warnings (path,
    reason). ``failed`` empty means every input was stored or already there."""

    new: int = 0
    duplicates: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    files: int = 0
    seconds: float = 0.0
    # Inputs read, with something odd about them said (path, reason); not failures.
    warnings: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        """The one-line summary the CLI prints."""
        files = f"{self.files} file{'s' if self.files != 1 else ''}, " if self.files else ""
        warned = len(self.warnings)
        warnings = f", {warned} warning{'s' if warned != 1 else ''}" if warned else ""
        return (
            f"{self.new} new, {self.duplicates} already stored, {len(self.failed)} failed"
            f"{warnings} ({files}{self.seconds:.1f} s)"
        )
