"""Read queries behind the API and the pages, over the store's tables.

Every query is built with SQLAlchemy Core from ``chronicle.store.schema`` (values are always bound
parameters); full-text search goes through the store's own backend (FTS5 / PostgreSQL / LIKE).
Events and claims come back as plain dicts with the human review applied on top: ``status``, the
corrected values in place, and the machine's originals kept under ``machine``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from chronicle.link.tables import events_disagreements
from chronicle.serve import review
from chronicle.store.fts import fulltext_for
from chronicle.store.schema import (
    claims,
    documents,
    entities,
    entity_mentions,
    event_sources,
    events,
)

MAX_LIMIT = 500
EVENT_LOCATION = ("location_name", "country", "admin1", "lat", "lon")


@dataclass
class EventFilters:
    """The filters shared by ``/api/events`` and ``/events``."""

    type: str | None = None
    mode: str | None = None
    country: str | None = None
    entity: str | None = None
    since: str | None = None
    until: str | None = None
    q: str | None = None
    status: str | None = None
    document_id: int | None = None

    def active(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}


def paged(
    conn: sa.Connection, table: sa.Table, conds: list[Any], stmt: sa.Select, limit: int, offset: int
) -> tuple[int, list[dict[str, Any]]]:
    """(rows of ``table`` matching ``conds``, one page of ``stmt`` under the same conditions)."""
    total = conn.execute(sa.select(sa.func.count()).select_from(table).where(*conds)).scalar_one()
    page = stmt.where(*conds).limit(max(1, min(limit, MAX_LIMIT))).offset(max(0, offset))
    return int(total), [dict(r) for r in conn.execute(page).mappings()]


def fulltext_document_ids(conn: sa.Connection, q: str, limit: int = 5000) -> list[int]:
    """Documents whose title or body match ``q`` (best first)."""
    return [h.document_id for h in fulltext_for(conn.dialect.name).search(conn, q, limit)]


def like_pattern(value: str) -> str:
    """A LIKE pattern matching ``value`` anywhere, with LIKE's own wildcards escaped."""
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _event_conditions(conn: sa.Connection, f: EventFilters) -> list[Any]:
    conds: list[Any] = []
    if f.type:
        conds.append(sa.or_(events.c.type == f.type.upper(), events.c.also_type == f.type.upper()))
    if f.mode:
        conds.append(events.c.mode == f.mode)
    if f.country:
        conds.append(events.c.country == f.country.upper())
    if f.entity:
        pattern = like_pattern(f.entity)
        conds.append(
            sa.or_(
                events.c.actor.ilike(pattern, escape="\\"),
                events.c.recipient.ilike(pattern, escape="\\"),
            )
        )
    if f.since or f.until:
        conds.append(events.c.date.is_not(None))
        conds.append(sa.not_(events.c.date.startswith("--")))
    if f.since:
        conds.append(events.c.date >= f.since)
    if f.until:
        # "2024-05" must include "2024-05-31": compare against the end of the given period.
        conds.append(events.c.date <= f.until + "\uffff")
    if f.document_id is not None:
        conds.append(
            events.c.id.in_(
                sa.select(event_sources.c.event_id).where(
                    event_sources.c.document_id == f.document_id
                )
            )
        )
    if f.q:
        doc_ids = fulltext_document_ids(conn, f.q)
        pattern = like_pattern(f.q)
        text_hit = sa.or_(
            events.c.evidence.ilike(pattern, escape="\\"),
            events.c.actor.ilike(pattern, escape="\\"),
            events.c.recipient.ilike(pattern, escape="\\"),
        )
        in_docs = events.c.id.in_(
            sa.select(event_sources.c.event_id).where(event_sources.c.document_id.in_(doc_ids))
        )
        conds.append(sa.or_(text_hit, in_docs) if doc_ids else text_hit)
    if f.status:
        if f.status == "machine":
            decided = set().union(
                *(review.reviewed_ids(conn, "event", s) for s in review.STATUSES[1:])
            )
            conds.append(events.c.id.not_in([int(i) for i in decided]))
        else:
            ids = review.reviewed_ids(conn, "event", f.status)
            conds.append(events.c.id.in_([int(i) for i in ids]))
    return conds


def _event_dict(row: Any, sources: int = 0) -> dict[str, Any]:
    d = dict(row._mapping)
    d["sources_count"] = sources
    return d


def apply_reviews(conn: sa.Connection, kind: str, rows: list[dict[str, Any]]) -> None:
    """Put review status and corrected values on ``rows`` in place (originals under 'machine')."""
    found = review.states(conn, kind, [r["id"] for r in rows])
    for r in rows:
        state = found.get(str(r["id"]), review.ReviewState())
        r["status"] = state.status
        r["machine"] = {k: r.get(k) for k in state.corrections}
        r.update(state.corrections)
        if kind == "event":
            r["location"] = {k.removeprefix("location_"): r.get(k) for k in EVENT_LOCATION}


def list_events(
    conn: sa.Connection, f: EventFilters, limit: int = 50, offset: int = 0
) -> tuple[int, list[dict[str, Any]]]:
    """(total matching, one page of events) ordered by date, newest first, undated last."""
    conds = _event_conditions(conn, f)
    n_sources = (
        sa.select(sa.func.count(event_sources.c.id))
        .where(event_sources.c.event_id == events.c.id)
        .scalar_subquery()
    )
    stmt = sa.select(events, n_sources.label("sources_count")).order_by(
        events.c.date.is_(None), events.c.date.desc(), events.c.id
    )
    total, rows = paged(conn, events, conds, stmt, limit, offset)
    apply_reviews(conn, "event", rows)
    return total, rows


def get_event(conn: sa.Connection, event_id: int) -> dict[str, Any] | None:
    """One event with every field, its sources (document, outlet, evidence span) and reviews."""
    row = conn.execute(sa.select(events).where(events.c.id == event_id)).first()
    if row is None:
        return None
    ev = _event_dict(row)
    srcs = conn.execute(
        sa.select(
            event_sources,
            documents.c.title,
            documents.c.url,
            documents.c.published,
            documents.c.source.label("document_source"),
            documents.c.content_hash,
        )
        .join(documents, documents.c.id == event_sources.c.document_id)
        .where(event_sources.c.event_id == event_id)
        .order_by(event_sources.c.id)
    ).mappings()
    ev["sources"] = [dict(s) for s in srcs]
    ev["sources_count"] = len(ev["sources"])
    # Where the linked sources give different values, the link stage keeps every one of them.
    ev["disagreements"] = (
        conn.execute(
            sa.select(events_disagreements.c.disagreements).where(
                events_disagreements.c.id == event_id
            )
        ).scalar()
        or {}
    )
    # Other rows the link stage judged to be the same happening (same canonical id).
    ev["related"] = (
        [
            dict(r)
            for r in conn.execute(
                sa.select(events.c.id, events.c.type, events.c.date, events.c.evidence)
                .where(events.c.canonical_id == ev["canonical_id"], events.c.id != event_id)
                .order_by(events.c.id)
            ).mappings()
        ]
        if ev.get("canonical_id")
        else []
    )
    apply_reviews(conn, "event", [ev])
    ev["reviews"] = (
        review.states(conn, "event", [event_id]).get(str(event_id), review.ReviewState()).history
    )
    return ev


def event_points(conn: sa.Connection, f: EventFilters) -> list[dict[str, Any]]:
    """Located events grouped by coordinates: lat, lon, place, count, types (for the map)."""
    conds = [*_event_conditions(conn, f), events.c.lat.is_not(None), events.c.lon.is_not(None)]
    stmt = (
        sa.select(
            events.c.lat,
            events.c.lon,
            sa.func.min(events.c.location_name).label("place"),
            sa.func.min(events.c.country).label("country"),
            sa.func.count().label("n"),
        )
        .where(*conds)
        .group_by(events.c.lat, events.c.lon)
    )
    return [dict(r) for r in conn.execute(stmt).mappings()]


def event_dates(conn: sa.Connection, f: EventFilters) -> list[tuple[str | None, str | None]]:
    """(date, type) of every matching event (for the timeline chart)."""
    stmt = sa.select(events.c.date, events.c.type).where(*_event_conditions(conn, f))
    return [(r[0], r[1]) for r in conn.execute(stmt)]


def facet(conn: sa.Connection, column: sa.Column) -> list[tuple[str, int]]:
    """Distinct values of an events column with their counts, most frequent first."""
    stmt = (
        sa.select(column, sa.func.count())
        .where(column.is_not(None))
        .group_by(column)
        .order_by(sa.func.count().desc(), column)
    )
    return [(r[0], int(r[1])) for r in conn.execute(stmt)]


def list_claims(
    conn: sa.Connection,
    *,
    metric: str | None = None,
    document_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[int, list[dict[str, Any]]]:
    """Numeric claims, optionally of one metric or one document, with review applied."""
    conds = []
    if metric:
        conds.append(claims.c.metric == metric)
    if document_id is not None:
        conds.append(claims.c.document_id == document_id)
    stmt = (
        sa.select(claims, documents.c.title, documents.c.outlet)
        .join(documents, documents.c.id == claims.c.document_id)
        .order_by(claims.c.id)
    )
    total, rows = paged(conn, claims, conds, stmt, limit, offset)
    apply_reviews(conn, "claim", rows)
    return total, rows


def get_claim(conn: sa.Connection, claim_id: int) -> dict[str, Any] | None:
    row = conn.execute(sa.select(claims).where(claims.c.id == claim_id)).mappings().first()
    if row is None:
        return None
    claim = dict(row)
    apply_reviews(conn, "claim", [claim])
    claim["reviews"] = (
        review.states(conn, "claim", [claim_id]).get(str(claim_id), review.ReviewState()).history
    )
    return claim


def stats(conn: sa.Connection) -> dict[str, Any]:
    """Row counts, events per type / country / review status, and the covered date range."""

    def count(table: sa.Table) -> int:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())

    dated = sa.and_(events.c.date.is_not(None), sa.not_(events.c.date.startswith("--")))
    first, last = conn.execute(
        sa.select(sa.func.min(events.c.date), sa.func.max(events.c.date)).where(dated)
    ).one()
    total_events = count(events)
    by_status = {s: len(review.reviewed_ids(conn, "event", s)) for s in review.STATUSES[1:]}
    by_status["machine"] = total_events - sum(by_status.values())
    return {
        "documents": count(documents),
        "events": total_events,
        "entities": count(entities),
        "claims": count(claims),
        "entity_mentions": count(entity_mentions),
        "events_by_type": dict(facet(conn, events.c.type)),
        "events_by_country": dict(facet(conn, events.c.country)),
        "events_by_status": by_status,
        "date_range": {"first": first, "last": last},
    }
