"""Reading the store back as model objects (records.py): events with their sources, entities,
claims, documents and full-text hits. Every user value is a bound parameter."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, distinct, func, not_, or_, select

from chronicle.model import BodySegment, Decision, Location, Span
from chronicle.store.fts import FullTextIndex
from chronicle.store.records import (
    EventSource,
    SearchHit,
    StoredClaim,
    StoredDocument,
    StoredEntity,
    StoredEvent,
)
from chronicle.store.schema import (
    claims,
    documents,
    entities,
    entity_mentions,
    event_sources,
    events,
)
from chronicle.store.writer import norm_name


def _entity_names(conn: Connection, name: str) -> set[str]:
    # The name asked for plus every spelling of the stored entities it names (name or alias).
    key = norm_name(name)
    names = {name.casefold()}
    for row in conn.execute(select(entities.c.name, entities.c.norm_name, entities.c.aliases)):
        spellings = [row.name, *(row.aliases or [])]
        if key and (row.norm_name == key or any(norm_name(s) == key for s in spellings)):
            names.update(s.casefold() for s in spellings)
    return names


def _event_filters(conn: Connection, filters: dict[str, Any]) -> list[Any]:
    conds: list[Any] = []
    if filters.get("type"):
        kind = filters["type"].upper()
        conds.append(or_(events.c.type == kind, events.c.also_type == kind))
    if filters.get("country"):
        conds.append(func.upper(events.c.country) == filters["country"].upper())
    if filters.get("entity"):
        names = _entity_names(conn, filters["entity"])
        conds.append(
            or_(
                func.lower(events.c.actor).in_(sorted(names)),
                func.lower(events.c.recipient).in_(sorted(names)),
                events.c.actor.ilike(f"%{filters['entity']}%"),
                events.c.recipient.ilike(f"%{filters['entity']}%"),
            )
        )
    since, until = filters.get("since"), filters.get("until")
    if since or until:
        # ISO strings compare in date order; year-less dates ("--06-17") cannot be placed.
        conds.append(events.c.date.is_not(None))
        conds.append(not_(events.c.date.like("--%")))
    if since:
        conds.append(events.c.date >= since)
    if until:  # "until 2023-09" includes every day of September
        conds.append(func.substr(events.c.date, 1, len(until)) <= until)
    return conds


def _span(data: Any) -> Span | None:
    return Span(**data) if isinstance(data, dict) else None


def _sources(conn: Connection, event_ids: list[int]) -> dict[int, list[EventSource]]:
    out: dict[int, list[EventSource]] = defaultdict(list)
    if not event_ids:
        return out
    d = documents.c
    stmt = (
        select(event_sources, d.title, d.url, d.source, d.published)
        .join(documents, documents.c.id == event_sources.c.document_id)
        .where(event_sources.c.event_id.in_(event_ids))
        .order_by(event_sources.c.id)
    )
    for r in conn.execute(stmt):
        out[r.event_id].append(
            EventSource(
                document_id=r.document_id,
                outlet=r.outlet,
                title=r.title,
                url=r.url,
                source=r.source,
                published=r.published,
                evidence=r.evidence or "",
                evidence_start=r.evidence_start,
                evidence_end=r.evidence_end,
                reported_by=list(r.reported_by or []),
                event=dict(r.event or {}),
            )
        )
    return out


def _stored_event(r: Any, sources: list[EventSource]) -> StoredEvent:
    place = (r.location_name, r.country, r.admin1, r.lat, r.lon)
    first = sources[0].event if sources else {}
    reported: list[str] = []
    for s in sources:  # every source's attribution chain, in order, once
        reported.extend(x for x in s.reported_by if x not in reported)
    return StoredEvent(
        id=r.id,
        type=r.type,
        mode=r.mode,
        context=list(r.context or []),
        actor=r.actor,
        recipient=r.recipient,
        date=r.date,
        date_text=r.date_text,
        location=Location(*place) if any(v is not None for v in place) else None,
        charge=r.charge,
        custody=r.custody,
        max_penalty_years=r.max_penalty_years,
        sentence_years=r.sentence_years,
        reported_by=reported,
        evidence=r.evidence or "",
        evidence_span=_span(first.get("evidence_span")),
        trigger=_span(first.get("trigger")),
        negated=bool(r.negated),
        hypothetical=bool(r.hypothetical),
        historical=bool(r.historical),
        also_type=r.also_type,
        confidence=r.confidence if r.confidence is not None else 1.0,
        spans={k: Span(**v) for k, v in (first.get("spans") or {}).items()},
        canonical_id=r.canonical_id,
        sources=sources,
    )


def query_events(conn: Connection, limit: int | None = None, **filters: Any) -> list[StoredEvent]:
    """Events matching ``filters`` (type, country, entity, since, until, id), oldest first."""
    stmt = select(events).where(*_event_filters(conn, filters))
    if filters.get("id") is not None:
        stmt = stmt.where(events.c.id == int(filters["id"]))
    # Dated events in date order, then year-less dates ("--06-17"), then undated ones.
    undated, yearless = events.c.date.is_(None), events.c.date.like("--%")
    stmt = stmt.order_by(undated, yearless, events.c.date, events.c.id)
    if limit:
        stmt = stmt.limit(limit)
    rows = list(conn.execute(stmt))
    sources = _sources(conn, [r.id for r in rows])
    return [_stored_event(r, sources.get(r.id, [])) for r in rows]


def query_entities(conn: Connection, type: str | None = None) -> list[StoredEntity]:
    """Corpus entities with mention and document counts, most mentioned first."""
    counts = (
        select(
            entity_mentions.c.entity_id,
            func.count().label("mentions"),
            func.count(distinct(entity_mentions.c.document_id)).label("docs"),
        )
        .group_by(entity_mentions.c.entity_id)
        .subquery()
    )
    stmt = select(entities, counts.c.mentions, counts.c.docs).outerjoin(
        counts, counts.c.entity_id == entities.c.id
    )
    if type:
        stmt = stmt.where(entities.c.type == type.upper())
    stmt = stmt.order_by(counts.c.docs.desc(), counts.c.mentions.desc(), entities.c.name)
    return [
        StoredEntity(
            id=r.id,
            name=r.name,
            type=r.type,
            aliases=list(r.aliases or []),
            role=(r.roles or [None])[0],
            roles=list(r.roles or []),
            canonical_id=r.canonical_id,
            geo=r.geo,
            mention_count=int(r.mentions or 0),
            document_count=int(r.docs or 0),
        )
        for r in conn.execute(stmt)
    ]


def query_claims(conn: Connection, metric: str | None = None) -> list[StoredClaim]:
    """Claims with their document's outlet, in document order."""
    stmt = select(claims, documents.c.outlet).join(
        documents, documents.c.id == claims.c.document_id
    )
    if metric:
        stmt = stmt.where(claims.c.metric == metric)
    out = []
    for r in conn.execute(stmt.order_by(claims.c.id)):
        out.append(
            StoredClaim(
                id=r.id,
                document_id=r.document_id,
                outlet=r.outlet,
                metric=r.metric,
                value=r.value,
                unit=r.unit,
                per=r.per,
                qualifier=r.qualifier,
                subject=r.subject,
                as_of=r.as_of,
                claimed_by=list(r.claimed_by or []),
                relayed_by=list(r.relayed_by or []),
                evidence=r.evidence or "",
                evidence_span=(
                    Span(r.evidence_start, r.evidence_end, r.evidence or "")
                    if r.evidence_start is not None
                    else None
                ),
                value_text=r.value_text or "",
                spans={k: Span(**v) for k, v in (r.spans or {}).items()},
            )
        )
    return out


def query_documents(conn: Connection, limit: int | None = None) -> list[StoredDocument]:
    """Stored documents (metadata, raw text, body and its map), oldest first."""
    stmt = select(documents).order_by(documents.c.id)
    if limit:
        stmt = stmt.limit(limit)
    return [
        StoredDocument(
            id=r.id,
            source=r.source,
            raw_text=r.raw_text,
            url=r.url,
            format=r.format,
            body=r.body,
            title=r.title,
            outlet=r.outlet,
            author=r.author,
            published=r.published,
            language=r.language,
            body_map=[BodySegment(**s) for s in r.body_map or []],
            decisions=[Decision(**d) for d in r.decisions or []],
            meta=dict(r.meta or {}),
            ingested_at=r.ingested_at.isoformat() if r.ingested_at else None,
        )
        for r in conn.execute(stmt)
    ]


def query_search(
    conn: Connection, fulltext: FullTextIndex, query: str, limit: int
) -> list[SearchHit]:
    """Full-text hits, best first, with their document's metadata."""
    raw = fulltext.search(conn, query, limit)
    if not raw:
        return []
    meta = {
        r.id: r
        for r in conn.execute(
            select(
                documents.c.id,
                documents.c.title,
                documents.c.outlet,
                documents.c.source,
                documents.c.url,
                documents.c.published,
            ).where(documents.c.id.in_([h.document_id for h in raw]))
        )
    }
    return [
        SearchHit(
            document_id=h.document_id,
            title=meta[h.document_id].title,
            outlet=meta[h.document_id].outlet,
            source=meta[h.document_id].source,
            url=meta[h.document_id].url,
            published=meta[h.document_id].published,
            snippet=h.snippet,
            score=h.score,
        )
        for h in raw
        if h.document_id in meta
    ]
