"""Store-wide linking runs: catch up documents never linked, or rebuild every link.

``link_pending`` links, in batches, the stored documents that have no link rows yet (what
``chronicle link`` does by default, and what ingest does for its new documents).
``rebuild`` first undoes every link — each source gets its own ``events`` row back, from the
event as that source told it — then links everything again, in document order.
"""

from __future__ import annotations

from sqlalchemy import delete, exists, select

from chronicle.link.incremental import LinkReport, link_incremental
from chronicle.link.tables import link_entity_refs, link_event_refs
from chronicle.model import event_from_dict
from chronicle.store.schema import documents, entities, event_sources, events
from chronicle.store.writer import event_row

BATCH = 50


def pending_documents(store) -> list[int]:
    """Ids of stored documents that linking has not seen."""
    seen_events = exists().where(link_event_refs.c.document_id == documents.c.id)
    seen_entities = exists().where(link_entity_refs.c.document_id == documents.c.id)
    with store.engine.connect() as conn:
        return [int(i) for i in conn.execute(
            select(documents.c.id).where(~seen_events, ~seen_entities).order_by(documents.c.id)
        ).scalars()]


def link_pending(store, batch: int = BATCH) -> LinkReport:
    """Link every not-yet-linked document, ``batch`` documents per transaction."""
    total = LinkReport()
    ids = pending_documents(store)
    for start in range(0, len(ids), batch):
        part = link_incremental(store, ids[start:start + batch])
        total.documents += part.documents
        total.entity_refs += part.entity_refs
        total.event_refs += part.event_refs
        total.candidates_compared += part.candidates_compared
        total.events_merged += part.events_merged
        total.seconds += part.seconds
    return total


def unlink_all(store) -> None:
    """Remove every link: link rows, canonical ids, and merged events split back per source."""
    with store.engine.begin() as conn:
        conn.execute(delete(link_event_refs))
        conn.execute(delete(link_entity_refs))
        conn.execute(entities.update().values(canonical_id=None))
        conn.execute(events.update().values(canonical_id=None))
        by_event: dict[int, list] = {}
        for s in conn.execute(select(event_sources.c.id, event_sources.c.event_id,
                                     event_sources.c.event).order_by(event_sources.c.id)):
            by_event.setdefault(int(s.event_id), []).append(s)
        for sources in by_event.values():
            for s in sources[1:]:  # the first source keeps the existing row
                values = event_row(event_from_dict(dict(s.event or {})))
                values["canonical_id"] = None
                new_id = conn.execute(events.insert().values(**values)).inserted_primary_key[0]
                conn.execute(event_sources.update().where(event_sources.c.id == s.id)
                             .values(event_id=new_id))


def rebuild(store, batch: int = BATCH) -> LinkReport:
    """Undo every link, then link the whole store again."""
    unlink_all(store)
    return link_pending(store, batch)


def link_after_ingest(store, report) -> None:
    """Called by ``Store.ingest`` for its new documents. A linking failure never loses stored
    documents: it is reported (``chronicle link`` retries what is still unlinked)."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        link_pending(store)
    except (SQLAlchemyError, ValueError, KeyError, TypeError) as exc:
        report.failed.append(("link", f"linking failed ({type(exc).__name__}: {exc}); "
                                      "run `chronicle link` to retry"))
