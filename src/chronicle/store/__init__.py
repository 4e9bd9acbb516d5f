"""Store stage: the Chronicle database (SQLAlchemy 2, Alembic migrations, SQLite FTS5).

``Store(url)`` opens (and migrates) a database; see :mod:`chronicle.store.core`. Record types are in
:mod:`chronicle.store.records`, exporters in :mod:`chronicle.store.export`.
"""

from __future__ import annotations

from chronicle.store.core import Store
from chronicle.store.records import (
    EventSource,
    IngestReport,
    SearchHit,
    StoredClaim,
    StoredDocument,
    StoredEntity,
    StoredEvent,
)

__all__ = [
    "EventSource",
    "IngestReport",
    "SearchHit",
    "Store",
    "StoredClaim",
    "StoredDocument",
    "StoredEntity",
    "StoredEvent",
]
