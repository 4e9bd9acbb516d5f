"""Server-rendered HTML pages (Jinja2, autoescaped): overview, events, entities, documents.

The handlers gather data from ``serve.data`` / ``serve.catalog`` and build the inline SVG charts
and map; the templates only lay it out. Article text reaches templates as plain-text pieces
(``serve.textmarks``), never as markup.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

import sqlalchemy as sa
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from chronicle.serve import catalog, data, review
from chronicle.serve.api import Filters, Limit, Offset
from chronicle.serve.app import ItemId, connection, serve_state
from chronicle.serve.charts import TimelineItem, entity_timeline, timeline_chart, type_colour
from chronicle.serve.svgmap import MapPoint, render_map
from chronicle.serve.textmarks import Mark, find_span, split_text
from chronicle.store.schema import documents, events

router = APIRouter(include_in_schema=False)
Conn = Annotated[sa.Connection, Depends(connection)]


def render(request: Request, template: str, context: dict[str, Any]) -> Response:
    state = serve_state(request)
    context.setdefault("reviewer", state.guard.reviewer(request) if state.review else None)
    context.setdefault("csrf", state.guard.csrf_token(request) if state.review else None)
    context.setdefault("type_colour", type_colour)
    return state.templates.TemplateResponse(request, template, context)


def map_of(conn: sa.Connection, f: data.EventFilters) -> Any:
    points = []
    for p in data.event_points(conn, f):
        place = p["place"] or "unnamed place"
        label = f"{place} ({p['country'] or '?'}): {p['n']} event{'s' if p['n'] != 1 else ''}"
        href = "/events?" + urlencode({**f.active(), "country": p["country"] or ""})
        points.append(MapPoint(p["lat"], p["lon"], label, p["n"], href))
    return render_map(points)


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, conn: Conn) -> Response:
    everything = data.EventFilters()
    _, recent = data.list_events(conn, everything, limit=10)
    _, people = catalog.list_entities(conn, type="PERSON", limit=12)
    _, docs = catalog.list_documents(conn, limit=10)
    return render(
        request,
        "index.html",
        {
            "stats": data.stats(conn),
            "timeline": timeline_chart(data.event_dates(conn, everything)),
            "map": map_of(conn, everything),
            "recent": recent,
            "people": people,
            "documents": docs,
        },
    )


@router.get("/events", response_class=HTMLResponse)
def events_page(
    request: Request, conn: Conn, f: Filters, limit: Limit = 50, offset: Offset = 0
) -> Response:
    total, rows = data.list_events(conn, f, limit, offset)
    query = f.active()
    nav = {
        "prev": "?" + urlencode({**query, "offset": max(offset - limit, 0), "limit": limit})
        if offset > 0
        else None,
        "next": "?" + urlencode({**query, "offset": offset + limit, "limit": limit})
        if offset + limit < total
        else None,
    }
    return render(
        request,
        "events.html",
        {
            "f": f,
            "total": total,
            "rows": rows,
            "offset": offset,
            "nav": nav,
            "types": data.facet(conn, events.c.type),
            "countries": data.facet(conn, events.c.country),
            "statuses": review.STATUSES,
            "timeline": timeline_chart(data.event_dates(conn, f)),
            "map": map_of(conn, f),
        },
    )


def article_pieces(
    conn: sa.Connection, doc_id: int, marks: list[Mark], *, with_raw: dict | None = None
) -> list[Any]:
    """The document's text cut into pieces with ``marks`` on top and boilerplate flagged."""
    doc = (
        with_raw
        or conn.execute(
            sa.select(documents.c.raw_text, documents.c.body_map).where(documents.c.id == doc_id)
        )
        .mappings()
        .first()
    )
    if doc is None:
        return []
    return split_text(doc["raw_text"], marks, catalog.kept_ranges(dict(doc)))


def evidence_mark(
    raw: str, start: int | None, end: int | None, evidence: str | None
) -> tuple[int, int] | None:
    """The evidence range in raw text: stored offsets if they hold the sentence, else a search."""
    stored = start is not None and end is not None and 0 <= start < end <= len(raw)
    if stored and (not evidence or " ".join(raw[start:end].split()) == " ".join(evidence.split())):
        # Highlight the words only: a trailing line break would paint an empty line.
        text = raw[start:end]
        lead = len(text) - len(text.lstrip())
        trail = len(text) - len(text.rstrip())
        return (start + lead, end - trail) if text.strip() else None
    return find_span(raw, evidence, near=start or 0)


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, event_id: ItemId, conn: Conn) -> Response:
    ev = data.get_event(conn, event_id)
    if ev is None:
        raise HTTPException(404, f"no event {event_id}")
    for i, src in enumerate(ev["sources"]):
        doc = (
            conn.execute(
                sa.select(documents.c.raw_text, documents.c.body_map).where(
                    documents.c.id == src["document_id"]
                )
            )
            .mappings()
            .first()
        )
        rng = (
            evidence_mark(
                doc["raw_text"], src["evidence_start"], src["evidence_end"], src["evidence"]
            )
            if doc
            else None
        )
        marks = (
            [Mark(*rng, "evidence", "evidence", "evidence" if i == 0 else f"evidence-{i}")]
            if rng
            else []
        )
        src["pieces"] = article_pieces(conn, src["document_id"], marks, with_raw=doc)
        src["located"] = rng is not None
    return render(
        request,
        "event.html",
        {
            "ev": ev,
            "fields": review.EVENT_FIELDS,
            "types": review.PLOVER_TYPES,
            "map": render_map(
                [MapPoint(ev["lat"], ev["lon"], ev["location_name"] or "")], width=480
            )
            if ev.get("lat") is not None
            else None,
        },
    )


@router.get("/entities", response_class=HTMLResponse)
def entities_page(
    request: Request,
    conn: Conn,
    type: Annotated[str | None, Query()] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Response:
    total, rows = catalog.list_entities(conn, type=type, q=q, limit=limit, offset=offset)
    return render(request, "entities.html", {"total": total, "rows": rows, "type": type, "q": q})


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity_page(request: Request, entity_id: ItemId, conn: Conn) -> Response:
    ent = catalog.get_entity(conn, entity_id)
    if ent is None:
        raise HTTPException(404, f"no entity {entity_id}")
    items = [
        TimelineItem(
            e["date"],
            e["type"],
            f"{e['type']} {e.get('mode') or ''} ({e['entity_role']})",
            f"/events/{e['id']}",
        )
        for e in ent["events"]
    ]
    return render(request, "entity.html", {"ent": ent, "timeline": entity_timeline(items)})


@router.get("/documents", response_class=HTMLResponse)
def documents_page(
    request: Request,
    conn: Conn,
    q: Annotated[str | None, Query(max_length=200)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Response:
    total, rows = catalog.list_documents(conn, q=q, limit=limit, offset=offset)
    return render(request, "documents.html", {"total": total, "rows": rows, "q": q})


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(request: Request, doc_id: ItemId, conn: Conn) -> Response:
    doc = catalog.get_document(conn, doc_id)
    if doc is None:
        raise HTTPException(404, f"no document {doc_id}")
    raw = doc["raw_text"]
    marks = [
        Mark(
            m["start"],
            m["end"],
            f"entity-{(m['type'] or '').lower()}",
            f"{m['type']}: {m['entity_name']}",
        )
        for m in doc["mentions"]
        if m["start"] is not None and m["end"] is not None
    ]
    for s in doc["event_sources"]:
        rng = evidence_mark(raw, s["evidence_start"], s["evidence_end"], s["evidence"])
        if rng:
            marks.append(
                Mark(*rng, "event", f"event {s['event_id']}: {s['type']}", f"event-{s['event_id']}")
            )
    for c in doc["claims"]:
        rng = evidence_mark(raw, c["evidence_start"], c["evidence_end"], c["evidence"])
        if rng:
            marks.append(Mark(*rng, "claim", f"claim {c['id']}: {c['metric']} {c['value']:g}"))
    return render(
        request,
        "document.html",
        {
            "doc": doc,
            "pieces": split_text(raw, marks, catalog.kept_ranges(doc)),
            "claim_fields": review.CLAIM_FIELDS,
            "metrics": review.CLAIM_METRICS,
        },
    )
