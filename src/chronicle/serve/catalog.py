"""Read queries for entities and documents (the events and claims are in ``serve.data``)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from chronicle.serve.data import apply_reviews, fulltext_document_ids, like_pattern, paged
from chronicle.store.schema import (
    claims,
    documents,
    entities,
    entity_mentions,
    event_sources,
    events,
)

DOC_SUMMARY = (
    documents.c.id,
    documents.c.title,
    documents.c.outlet,
    documents.c.author,
    documents.c.published,
    documents.c.source,
    documents.c.url,
    documents.c.language,
    documents.c.content_hash,
)


def list_entities(
    conn: sa.Connection,
    *,
    type: str | None = None,
    q: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[int, list[dict[str, Any]]]:
    """Entities with how many documents mention them, most mentioned first."""
    conds = []
    if type:
        conds.append(entities.c.type == type.upper())
    if q:
        conds.append(entities.c.name.ilike(like_pattern(q), escape="\\"))
    n_docs = (
        sa.select(sa.func.count(sa.distinct(entity_mentions.c.document_id)))
        .where(entity_mentions.c.entity_id == entities.c.id)
        .scalar_subquery()
    )
    stmt = sa.select(entities, n_docs.label("documents_count")).order_by(
        n_docs.desc(), entities.c.name
    )
    return paged(conn, entities, conds, stmt, limit, offset)


def entity_names(conn: sa.Connection, entity: dict[str, Any]) -> list[str]:
    """Every surface form of an entity: its name, aliases, and those of rows linked to it."""
    names = {entity["name"], *(entity.get("aliases") or [])}
    if entity.get("canonical_id"):
        linked = conn.execute(
            sa.select(entities.c.name, entities.c.aliases).where(
                entities.c.canonical_id == entity["canonical_id"]
            )
        )
        for name, aliases in linked:
            names.update([name, *(aliases or [])])
    return sorted(n for n in names if n)


def get_entity(conn: sa.Connection, entity_id: int) -> dict[str, Any] | None:
    """An entity, its roles, the documents naming it, and the events it is actor/recipient of."""
    row = conn.execute(sa.select(entities).where(entities.c.id == entity_id)).mappings().first()
    if row is None:
        return None
    ent = dict(row)
    ent["names"] = entity_names(conn, ent)
    lowered = [n.lower() for n in ent["names"]]
    ev_rows = conn.execute(
        sa.select(events)
        .where(
            sa.or_(
                sa.func.lower(events.c.actor).in_(lowered),
                sa.func.lower(events.c.recipient).in_(lowered),
            )
        )
        .order_by(events.c.date.is_(None), events.c.date, events.c.id)
    ).mappings()
    evs = [dict(r) for r in ev_rows]
    apply_reviews(conn, "event", evs)
    for e in evs:
        actor = (e.get("actor") or "").lower() in lowered
        recipient = (e.get("recipient") or "").lower() in lowered
        e["entity_role"] = (
            "actor and recipient" if actor and recipient else ("actor" if actor else "recipient")
        )
    ent["events"] = evs
    ent["mentions"] = [
        dict(r)
        for r in conn.execute(
            sa.select(entity_mentions.c.name, entity_mentions.c.role, *DOC_SUMMARY[:5])
            .join(documents, documents.c.id == entity_mentions.c.document_id)
            .where(entity_mentions.c.entity_id == entity_id)
            .order_by(documents.c.published, documents.c.id)
        ).mappings()
    ]
    return ent


def list_documents(
    conn: sa.Connection, *, q: str | None = None, limit: int = 50, offset: int = 0
) -> tuple[int, list[dict[str, Any]]]:
    """Documents (optionally those matching a full-text query), newest first."""
    conds = []
    if q:
        conds.append(documents.c.id.in_(fulltext_document_ids(conn, q)))
    n_events = (
        sa.select(sa.func.count(sa.distinct(event_sources.c.event_id)))
        .where(event_sources.c.document_id == documents.c.id)
        .scalar_subquery()
    )
    stmt = sa.select(*DOC_SUMMARY, n_events.label("events_count")).order_by(
        documents.c.published.is_(None), documents.c.published.desc(), documents.c.id
    )
    return paged(conn, documents, conds, stmt, limit, offset)


def get_document(conn: sa.Connection, doc_id: int) -> dict[str, Any] | None:
    """A document with raw text, body map, and every item extracted from it (with raw offsets)."""
    row = conn.execute(sa.select(documents).where(documents.c.id == doc_id)).mappings().first()
    if row is None:
        return None
    doc = dict(row)
    doc["mentions"] = [
        dict(r)
        for r in conn.execute(
            sa.select(entity_mentions, entities.c.type, entities.c.name.label("entity_name"))
            .join(entities, entities.c.id == entity_mentions.c.entity_id)
            .where(entity_mentions.c.document_id == doc_id)
            .order_by(entity_mentions.c.start)
        ).mappings()
    ]
    srcs = conn.execute(
        sa.select(
            event_sources.c.event_id,
            event_sources.c.evidence_start,
            event_sources.c.evidence_end,
            event_sources.c.evidence,
            events.c.type,
        )
        .join(events, events.c.id == event_sources.c.event_id)
        .where(event_sources.c.document_id == doc_id)
        .order_by(event_sources.c.evidence_start)
    ).mappings()
    doc["event_sources"] = [dict(s) for s in srcs]
    claim_rows = [
        dict(r)
        for r in conn.execute(
            sa.select(claims)
            .where(claims.c.document_id == doc_id)
            .order_by(claims.c.evidence_start)
        ).mappings()
    ]
    apply_reviews(conn, "claim", claim_rows)
    doc["claims"] = claim_rows
    return doc


def kept_ranges(doc: dict[str, Any]) -> list[tuple[int, int]] | None:
    """Raw ranges the cleaner kept (from the body map), or None when the map is missing."""
    segs = doc.get("body_map") or []
    if not segs:
        return None
    return [(int(s["raw_start"]), int(s["raw_start"]) + int(s["length"])) for s in segs]
