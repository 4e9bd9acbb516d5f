"""Writing one processed Document: every row of it on one connection, inside one transaction.

The caller opens the transaction (``engine.begin()``), so a crash leaves either the whole document
(row, full-text entry, entities, mentions, events, sources, claims, fingerprints) or nothing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select

from chronicle.model import Claim, Document, Entity, Event, Location
from chronicle.store.fts import FullTextIndex
from chronicle.store.schema import (
    claims,
    documents,
    entities,
    entity_mentions,
    event_sources,
    events,
)

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def norm_name(name: str) -> str:
    """The attach key of an entity name: accents, case, punctuation and spacing ignored."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", bare.casefold()).strip()


def _insert(conn: Connection, table, values: dict[str, Any]) -> int:
    return int(conn.execute(table.insert().values(**values)).inserted_primary_key[0])


def insert_document(conn: Connection, doc: Document, content_hash: str) -> int:
    """The ``documents`` row of ``doc``; returns its id."""
    return _insert(
        conn,
        documents,
        {
            **doc.metadata(),
            "content_hash": content_hash,
            "raw_text": doc.raw_text,
            "body": doc.body,
            "body_map": [asdict(s) for s in doc.body_map],
            "decisions": [asdict(d) for d in doc.decisions],
            "meta": _jsonable(doc.meta),
            "format": doc.format,
            "ingested_at": datetime.now(UTC),
        },
    )


def _jsonable(value: Any) -> Any:
    # JSONL metadata can hold anything json.loads produced; other objects become strings.
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def attach_entity(conn: Connection, ent: Entity) -> int:
    """Id of the entity row with the same normalised name and type, created if missing.

    The row's aliases and roles grow with each document; the link stage refines identity later.
    """
    key = norm_name(ent.name) or ent.name
    row = conn.execute(
        select(entities.c.id, entities.c.name, entities.c.aliases, entities.c.roles)
        .where(entities.c.type == ent.type, entities.c.norm_name == key)
        .order_by(entities.c.id)
        .limit(1)
    ).first()
    if row is None:
        return _insert(
            conn,
            entities,
            {
                "name": ent.name,
                "type": ent.type,
                "norm_name": key,
                "aliases": sorted({a for a in ent.aliases if a != ent.name}),
                "canonical_id": ent.canonical_id,
                "roles": [ent.role] if ent.role else [],
                "geo": ent.geo,
            },
        )
    aliases = set(row.aliases or []) | {a for a in [ent.name, *ent.aliases] if a != row.name}
    roles = list(row.roles or [])
    if ent.role and ent.role not in roles:
        roles.append(ent.role)
    if aliases != set(row.aliases or []) or roles != (row.roles or []):
        conn.execute(
            entities.update()
            .where(entities.c.id == row.id)
            .values(aliases=sorted(aliases), roles=roles)
        )
    return int(row.id)


def insert_entity(conn: Connection, document_id: int, ent: Entity) -> int:
    """Attach ``ent`` to its corpus entity and write its mentions in this document."""
    entity_id = attach_entity(conn, ent)
    rows = [
        {
            "document_id": document_id,
            "entity_id": entity_id,
            "name": m.text or ent.name,
            "role": ent.role,
            "start": m.start,
            "end": m.end,
        }
        for m in ent.mentions
    ] or [  # no spans: still record that the document names the entity
        {"document_id": document_id, "entity_id": entity_id, "name": ent.name, "role": ent.role}
    ]
    conn.execute(entity_mentions.insert(), rows)
    return entity_id


def location_columns(loc: Location | None) -> dict[str, Any]:
    """An event's place as flat columns (all ``None`` when the place is unknown)."""
    names = ("location_name", "country", "admin1", "lat", "lon")
    if loc is None:
        return dict.fromkeys(names)
    return dict(zip(names, (loc.name, loc.country, loc.admin1, loc.lat, loc.lon), strict=True))


def event_row(ev: Event) -> dict[str, Any]:
    """The ``events`` columns for one Event."""
    return {
        "type": ev.type,
        "mode": ev.mode,
        "context": list(ev.context),
        "actor": ev.actor,
        "recipient": ev.recipient,
        "date": ev.date,
        "date_text": ev.date_text,
        **location_columns(ev.location),
        "charge": ev.charge,
        "custody": ev.custody,
        "max_penalty_years": ev.max_penalty_years,
        "sentence_years": ev.sentence_years,
        "negated": bool(ev.negated),
        "hypothetical": bool(ev.hypothetical),
        "historical": bool(ev.historical),
        "also_type": ev.also_type,
        "confidence": ev.confidence,
        "evidence": ev.evidence,
        "canonical_id": ev.canonical_id,
    }


def insert_event(conn: Connection, document_id: int, outlet: str | None, ev: Event) -> int:
    """One ``events`` row and its ``event_sources`` row (the event as this document told it)."""
    event_id = _insert(conn, events, event_row(ev))
    span = ev.evidence_span
    _insert(
        conn,
        event_sources,
        {
            "event_id": event_id,
            "document_id": document_id,
            "event": _jsonable(asdict(ev)),
            "evidence": ev.evidence,
            "evidence_start": span.start if span else None,
            "evidence_end": span.end if span else None,
            "reported_by": list(ev.reported_by),
            "outlet": outlet,
        },
    )
    return event_id


def claim_row(document_id: int, c: Claim) -> dict[str, Any]:
    """The ``claims`` columns for one Claim."""
    span = c.evidence_span
    return {
        "document_id": document_id,
        "metric": c.metric,
        "value": float(c.value),
        "unit": c.unit,
        "per": c.per,
        "qualifier": c.qualifier,
        "subject": c.subject,
        "as_of": c.as_of,
        "claimed_by": list(c.claimed_by),
        "relayed_by": list(c.relayed_by),
        "evidence": c.evidence,
        "evidence_start": span.start if span else None,
        "evidence_end": span.end if span else None,
        "value_text": c.value_text,
        "spans": {k: asdict(v) for k, v in c.spans.items()},
    }


def write_document(
    conn: Connection, doc: Document, content_hash: str, fulltext: FullTextIndex
) -> int:
    """Every row of one processed document on ``conn``; returns the document id."""
    document_id = insert_document(conn, doc, content_hash)
    fulltext.add(conn, document_id, doc.title, doc.body)
    for ent in doc.entities:
        insert_entity(conn, document_id, ent)
    for ev in doc.events:
        insert_event(conn, document_id, doc.outlet, ev)
    if doc.claims:
        conn.execute(claims.insert(), [claim_row(document_id, c) for c in doc.claims])
    return document_id
