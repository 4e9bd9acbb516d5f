"""The JSON API (``/api/...``), documented by FastAPI's OpenAPI schema at ``/openapi.json``.

Lists are paginated with ``limit``/``offset`` and answer ``{"total", "limit", "offset", "items"}``.
Events and claims carry their review ``status`` (machine / confirmed / corrected / rejected).
"""

from __future__ import annotations

from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, HTTPException, Query

from chronicle.serve import catalog, data
from chronicle.serve.app import MAX_ID, MAX_OFFSET, ItemId, connection
from chronicle.serve.review import STATUSES

router = APIRouter(prefix="/api", tags=["api"])

Conn = Annotated[sa.Connection, Depends(connection)]
ISO_PARTIAL = r"^(\d{4}(-\d{2}(-\d{2})?)?)?$"  # empty = no filter (HTML forms send "")
Limit = Annotated[int, Query(ge=1, le=data.MAX_LIMIT, description="page size")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="rows to skip")]


def page(total: int, limit: int, offset: int, items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"total": total, "limit": limit, "offset": offset, "items": items}


async def event_filters(
    type: Annotated[str | None, Query(description="PLOVER type, e.g. COERCE")] = None,
    mode: Annotated[str | None, Query(description="PLOVER mode, e.g. arrest")] = None,
    country: Annotated[str | None, Query(description="ISO 3166-1 alpha-2 code")] = None,
    entity: Annotated[str | None, Query(description="actor or recipient name contains")] = None,
    since: Annotated[str | None, Query(pattern=ISO_PARTIAL, description="date from")] = None,
    until: Annotated[str | None, Query(pattern=ISO_PARTIAL, description="date until")] = None,
    q: Annotated[str | None, Query(max_length=200, description="full-text search")] = None,
    status: Annotated[
        str | None, Query(description="review status: " + ", ".join(STATUSES))
    ] = None,
    document: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="events reported by this document id")
    ] = None,
) -> data.EventFilters:
    """The event filters, shared by the API and the pages (async: no thread hop to build them)."""
    if status and status not in STATUSES:
        raise HTTPException(422, f"status must be one of {', '.join(STATUSES)}")
    return data.EventFilters(type, mode, country, entity, since, until, q, status, document)


Filters = Annotated[data.EventFilters, Depends(event_filters)]


def _or_404(item: dict[str, Any] | None, what: str, ident: int) -> dict[str, Any]:
    """The item, or a 404 naming what was not found."""
    if item is None:
        raise HTTPException(404, f"no {what} {ident}")
    return item


@router.get("/events", summary="Events, filtered and paginated")
def api_events(conn: Conn, f: Filters, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    total, items = data.list_events(conn, f, limit, offset)
    return page(total, limit, offset, items)


@router.get("/events/{event_id}", summary="One event with its sources and reviews")
def api_event(event_id: ItemId, conn: Conn) -> dict[str, Any]:
    return _or_404(data.get_event(conn, event_id), "event", event_id)


@router.get("/entities", summary="People, organisations and places")
def api_entities(
    conn: Conn,
    type: Annotated[str | None, Query(description="PERSON, ORG or GPE")] = None,
    q: Annotated[str | None, Query(max_length=200, description="name contains")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    total, items = catalog.list_entities(conn, type=type, q=q, limit=limit, offset=offset)
    return page(total, limit, offset, items)


@router.get("/entities/{entity_id}", summary="One entity with its roles, mentions and events")
def api_entity(entity_id: ItemId, conn: Conn) -> dict[str, Any]:
    return _or_404(catalog.get_entity(conn, entity_id), "entity", entity_id)


@router.get("/documents", summary="Ingested articles")
def api_documents(
    conn: Conn,
    q: Annotated[str | None, Query(max_length=200, description="full-text search")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    total, items = catalog.list_documents(conn, q=q, limit=limit, offset=offset)
    return page(total, limit, offset, items)


@router.get("/documents/{doc_id}", summary="One article: raw text, body map and extracted items")
def api_document(doc_id: ItemId, conn: Conn) -> dict[str, Any]:
    return _or_404(catalog.get_document(conn, doc_id), "document", doc_id)


@router.get("/claims", summary="Numeric claims")
def api_claims(
    conn: Conn,
    metric: Annotated[str | None, Query(description="e.g. killed, detained, payment")] = None,
    document: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="claims of this document id")
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    total, items = data.list_claims(
        conn, metric=metric, document_id=document, limit=limit, offset=offset
    )
    return page(total, limit, offset, items)


@router.get("/claims/{claim_id}", summary="One claim with its reviews")
def api_claim(claim_id: ItemId, conn: Conn) -> dict[str, Any]:
    return _or_404(data.get_claim(conn, claim_id), "claim", claim_id)


@router.get("/stats", summary="Counts by table, type, country and review status")
def api_stats(conn: Conn) -> dict[str, Any]:
    return data.stats(conn)
