"""Stable keys that tie a human review to what was reviewed, whatever the row ids become.

Row ids are not stable: the link stage merges the ``events`` rows of one happening into the oldest
and deletes the rest, and a full relink gives every source its own row back. What does not change
is the evidence itself: the document (by content hash), the evidence offsets in it, and what the
machine said there (type and recipient of an event, metric of a claim). A review stores the key
of the item's first source; an event carries the keys of all its sources, so a review follows its
source through any merge or rebuild, and even into a fresh database built from the same articles.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from chronicle.store.schema import claims, documents, event_sources


def _key(*parts: Any) -> Any:
    """SQL for "part:part:..." with NULLs as empty strings (portable: SQLite and PostgreSQL)."""
    out: Any = None
    for part in parts:
        text = sa.func.coalesce(sa.cast(part, sa.String), "")
        out = text if out is None else out + ":" + text
    return out


def keys_select(kind: str) -> sa.Select:
    """SELECT (id, key) for every event source or claim; filter it with ``.where``."""
    if kind == "event":
        # The source's own copy of the event never changes (linking edits only the events row);
        # its recipient tells apart two events of one type stated in the same sentence.
        key = _key(
            documents.c.content_hash,
            event_sources.c.evidence_start,
            event_sources.c.evidence_end,
            event_sources.c.event["type"].as_string(),
            event_sources.c.event["recipient"].as_string(),
        )
        return (
            sa.select(event_sources.c.event_id.label("id"), key.label("key"))
            .join(documents, documents.c.id == event_sources.c.document_id)
            .order_by(event_sources.c.id)
        )
    key = _key(
        documents.c.content_hash, claims.c.evidence_start, claims.c.evidence_end, claims.c.metric
    )
    return (
        sa.select(claims.c.id.label("id"), key.label("key"))
        .join(documents, documents.c.id == claims.c.document_id)
        .order_by(claims.c.id)
    )


def id_column(kind: str) -> sa.Column:
    return event_sources.c.event_id if kind == "event" else claims.c.id


def item_keys(conn: sa.Connection, kind: str, ids: Iterable[Any]) -> dict[str, list[str]]:
    """The keys of each item (str id -> keys, the first source's key first)."""
    out: dict[str, list[str]] = {}
    wanted = sorted({int(i) for i in ids})
    for start in range(0, len(wanted), 500):
        stmt = keys_select(kind).where(id_column(kind).in_(wanted[start : start + 500]))
        for item_id, key in conn.execute(stmt):
            out.setdefault(str(item_id), []).append(key)
    return out


def ids_with_keys(conn: sa.Connection, kind: str, keys: Iterable[str]) -> set[str]:
    """Ids of the items having any of ``keys``."""
    wanted = sorted(set(keys))
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        sub = keys_select(kind).subquery()
        stmt = sa.select(sub.c.id).where(sub.c.key.in_(wanted[start : start + 500]))
        found.update(str(i) for i in conn.execute(stmt).scalars())
    return found
