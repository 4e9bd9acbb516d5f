"""Chronicle: news articles in, a structured, sourced record of events out.

The Python API is the first interface; the ``chronicle`` CLI is a thin layer over it::

    import chronicle
    doc = chronicle.extract("article.txt")        # a chronicle.model.Document
    store = chronicle.Store("sqlite:///chronicle.db")
    store.ingest(["articles/"])
    store.events(type="COERCE")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chronicle.api import extract
from chronicle.model import Claim, Document, Entity, Event, Location, Span

if TYPE_CHECKING:
    from chronicle.store import Store

__version__ = "0.1.0"
__all__ = ["Claim", "Document", "Entity", "Event", "Location", "Span", "Store", "extract"]


def __getattr__(name: str) -> Any:
    if name == "Store":  # imported lazily: the store pulls in SQLAlchemy
        from chronicle.store import Store

        return Store
    raise AttributeError(name)
