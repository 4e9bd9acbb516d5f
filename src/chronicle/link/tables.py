"""The link stage's tables (created by migration ``0002_link``) as SQLAlchemy Core tables, and
the (de)serialisation of the linker's comparison records stored in them."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import date
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Integer, MetaData, String, Table, Text

from chronicle.link.entities import EntityRef
from chronicle.link.events import EventRef

metadata = MetaData()

# Only the columns this stage reads or writes; foreign keys are declared by the migration.
link_event_refs = Table(
    "link_event_refs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", Integer, nullable=False),
    Column("document_id", Integer, nullable=False),
    Column("day_ord", Integer),
    Column("party_key", Text),
    Column("country", String(8)),
    Column("ref", JSON, nullable=False),
    Column("canonical_id", String(64)),
)

link_entity_refs = Table(
    "link_entity_refs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, nullable=False),
    Column("ref_key", Text, nullable=False),
    Column("ref", JSON, nullable=False),
    Column("canonical_id", String(64)),
)

link_entity_blocks = Table(
    "link_entity_blocks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("ref_id", Integer, ForeignKey("link_entity_refs.id"), nullable=False),
    Column("block", Text, nullable=False),
)


def _plain(value: Any) -> Any:
    if isinstance(value, frozenset | set | tuple):
        return sorted(value) if isinstance(value, frozenset | set) else list(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def entity_ref_to_json(ref: EntityRef) -> dict[str, Any]:
    """An :class:`EntityRef` as JSON (its canonical id lives in its own column)."""
    data = {k: _plain(v) for k, v in asdict(ref).items()}
    data.pop("canonical_id", None)
    return data


def entity_ref_from_json(data: dict[str, Any], canonical_id: str | None) -> EntityRef:
    """Inverse of :func:`entity_ref_to_json`."""
    return EntityRef(
        key=data["key"], doc=data["doc"], type=data["type"], name=data["name"],
        aliases=tuple(data.get("aliases") or ()), role=data.get("role"),
        context=frozenset(data.get("context") or ()),
        countries=frozenset(data.get("countries") or ()), canonical_id=canonical_id,
        extra=set(data.get("extra") or ()),
    )


def event_ref_to_json(ref: EventRef) -> dict[str, Any]:
    """An :class:`EventRef` as JSON (its canonical id lives in its own column)."""
    data = {f.name: _plain(getattr(ref, f.name)) for f in fields(ref)}
    data.pop("canonical_id", None)
    return data


def event_ref_from_json(data: dict[str, Any], canonical_id: str | None) -> EventRef:
    """Inverse of :func:`event_ref_to_json`."""

    def day(value: Any) -> date | None:
        return date.fromisoformat(value) if value else None

    month = data.get("month")
    return EventRef(
        key=data["key"], doc=data["doc"], types=frozenset(data.get("types") or ()),
        mode=data.get("mode"), actor=data.get("actor"), recipient=data.get("recipient"),
        actor_ids=frozenset(data.get("actor_ids") or ()),
        recipient_ids=frozenset(data.get("recipient_ids") or ()), day=day(data.get("day")),
        month=(int(month[0]), int(month[1])) if month else None,
        approx_day=day(data.get("approx_day")), country=data.get("country"),
        place=data.get("place"), charge=data.get("charge"),
        max_penalty=data.get("max_penalty"), evidence=data.get("evidence") or "",
        evidence_ids=frozenset(data.get("evidence_ids") or ()), canonical_id=canonical_id,
    )


# The column migration 0002_link adds to the store's ``events`` table.
events_disagreements = Table(
    "events",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("disagreements", JSON),
)
