"""Writing one processed Document: every row of it on one connection, inside one transaction.

The caller opens the transaction (``engine.begin()``), so a crash leaves either the whole document
(row, full-text entry, entities, mentions, events, sources, claims, fingerprints) or nothing.

Every value goes through the one value policy of :mod:`chronicle.store.values`, so a document is
stored the same way on SQLite and PostgreSQL. Corpus entities (people, organisations, places) are
keyed by ``(type, norm_name)`` under a unique index and attached insert-or-get, so concurrent
writers share one row per entity instead of each inserting its own.
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
from chronicle.store.values import (
    MAX_INDEXED_CHARS,
    clean_json,
    clean_row,
    clean_text,
    finite,
)

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def norm_name(name: str) -> str:
    """The attach key of an entity name: accents, case, punctuation and spacing ignored (and
    at most :data:`~chronicle.store.values.MAX_INDEXED_CHARS` characters: it is indexed)."""
    decomposed = unicodedata.normalize("NFKD", clean_text(name[: 4 * MAX_INDEXED_CHARS]))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", bare.casefold()).strip()[:MAX_INDEXED_CHARS]


# Indexed text columns of each table (cut to MAX_INDEXED_CHARS by the value policy).
_INDEXED = {
    "documents": ("outlet",),
    "entities": ("type", "norm_name", "canonical_id"),
    "events": ("type", "date", "country", "canonical_id"),
    "claims": ("metric",),
}


def _row(table, values: dict[str, Any]) -> dict[str, Any]:
    return clean_row(values, _INDEXED.get(table.name, ()))


def _insert(conn: Connection, table, values: dict[str, Any]) -> int:
    return int(conn.execute(table.insert().values(**_row(table, values))).inserted_primary_key[0])


WARNINGS_KEY = "pipeline_warnings"  # in documents.meta: Document.warnings of the ingest


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
            # What the pipeline blanked, cut short or left unread is kept with the document.
            "meta": clean_json({**doc.meta, WARNINGS_KEY: list(doc.warnings)} if doc.warnings
                               else doc.meta),
            "format": doc.format,
            "ingested_at": datetime.now(UTC),
        },
    )


def _entity_row(conn: Connection, type_: str, key: str):
    # The entity row of a key, locked until the transaction ends where the database can (so
    # concurrent writers merge aliases one after the other instead of overwriting each other).
    stmt = (
        select(entities.c.id, entities.c.name, entities.c.aliases, entities.c.roles)
        .where(entities.c.type == type_, entities.c.norm_name == key)
        .order_by(entities.c.id)
        .limit(1)
    )
    if conn.dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    return conn.execute(stmt).first()


def _insert_entity_row(conn: Connection, values: dict[str, Any]) -> int | None:
    # INSERT ... ON CONFLICT (type, norm_name) DO NOTHING: the new id, or None when another
    # writer holds the key (PostgreSQL waits for that writer's transaction to end first).
    dialect = conn.dialect.name
    if dialect in ("postgresql", "sqlite"):
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        stmt = (
            insert(entities)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["type", "norm_name"])
            .returning(entities.c.id)
        )
        found = conn.execute(stmt).scalar_one_or_none()
        return None if found is None else int(found)
    from sqlalchemy.exc import IntegrityError

    try:
        with conn.begin_nested():
            return _insert(conn, entities, values)
    except IntegrityError:
        return None


def attach_entity(conn: Connection, ent: Entity) -> int:
    """Id of the entity row with the same normalised name and type, created if missing.

    Insert-or-get on the unique ``(type, norm_name)`` key, so two writers attaching the same
    entity at once end up with one row. The row's aliases and roles grow with each document; the
    link stage refines identity later.
    """
    name = clean_text(ent.name)
    key = norm_name(name) or name[:MAX_INDEXED_CHARS]
    type_ = clean_text(ent.type)[:MAX_INDEXED_CHARS]
    row = _entity_row(conn, type_, key)
    if row is None:
        values = _row(
            entities,
            {
                "name": name,
                "type": type_,
                "norm_name": key,
                "aliases": sorted({clean_text(a) for a in ent.aliases if a != ent.name}),
                "canonical_id": ent.canonical_id,
                "roles": [ent.role] if ent.role else [],
                "geo": ent.geo,
            },
        )
        new_id = _insert_entity_row(conn, values)
        if new_id is not None:
            return new_id
        row = _entity_row(conn, type_, key)  # created meanwhile by another writer
        if row is None:  # pragma: no cover - the conflicting row cannot vanish
            raise RuntimeError(f"entity key ({type_}, {key!r}) conflicts but is not found")
    names = {clean_text(a) for a in [ent.name, *ent.aliases]}
    aliases = set(row.aliases or []) | {a for a in names if a != row.name}
    roles = list(row.roles or [])
    role = clean_text(ent.role) if ent.role else None
    if role and role not in roles:
        roles.append(role)
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
    conn.execute(entity_mentions.insert(), [_row(entity_mentions, r) for r in rows])
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
            "event": clean_json(asdict(ev)),
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
    title = clean_text(doc.title) if doc.title else doc.title
    fulltext.add(conn, document_id, title, clean_text(doc.body))
    for ent in doc.entities:
        insert_entity(conn, document_id, ent)
    for ev in doc.events:
        insert_event(conn, document_id, doc.outlet, ev)
    # A claim is a number: one that is NaN or infinite says nothing and is not stored.
    rows = [_row(claims, claim_row(document_id, c)) for c in doc.claims if finite(c.value)]
    if rows:
        conn.execute(claims.insert(), rows)
    return document_id
