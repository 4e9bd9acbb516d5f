"""Full-text search over document bodies: the one dialect-specific part of the store.

SQLite uses an FTS5 table (``documents_fts``, rowid = ``documents.id``) written in the document's
own transaction; PostgreSQL searches a GIN expression index (over the first
:data:`FTS_MAX_CHARS` characters) with ``websearch_to_tsquery`` and makes snippets with
``ts_headline``; any other database falls back to a portable ``LIKE`` scan. User
queries are always passed as bound parameters, and on SQLite each word is quoted so FTS5 syntax
characters in a query cannot cause errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Connection, or_, select, text

from chronicle.store.schema import documents

# Marks around matched words in snippets (the CLI turns them into highlighting).
HIT_START, HIT_END = "\x02", "\x03"
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class RawHit:
    """A matching document id, its snippet and a relevance score (higher is better)."""

    document_id: int
    snippet: str
    score: float


class FullTextIndex(Protocol):
    """What the store needs from a full-text backend."""

    def add(self, conn: Connection, document_id: int, title: str | None, body: str) -> None: ...

    def search(self, conn: Connection, query: str, limit: int) -> list[RawHit]: ...


class SqliteFts:
    """FTS5 on SQLite: words of the query ANDed, each quoted, ranked by bm25."""

    def add(self, conn: Connection, document_id: int, title: str | None, body: str) -> None:
        conn.execute(
            text("INSERT INTO documents_fts (rowid, title, body) VALUES (:id, :title, :body)"),
            {"id": document_id, "title": title or "", "body": body},
        )

    def search(self, conn: Connection, query: str, limit: int) -> list[RawHit]:
        words = _WORD.findall(query)
        if not words:
            return []
        match = " ".join('"' + w.replace('"', '""') + '"' for w in words)
        rows = conn.execute(
            text(
                "SELECT rowid, snippet(documents_fts, 1, :a, :b, '…', 16), rank "
                "FROM documents_fts WHERE documents_fts MATCH :q ORDER BY rank LIMIT :n"
            ),
            {"q": match, "n": limit, "a": HIT_START, "b": HIT_END},
        )
        return [RawHit(r[0], r[1], -float(r[2])) for r in rows]


# PostgreSQL refuses a tsvector over 1 MB: its index covers this many leading characters of
# title and body (see migration 0005_fts_bound), so no document is refused for its length.
FTS_MAX_CHARS = 300_000


class PostgresFts:
    """PostgreSQL text search over the expression the 0005 migration indexes."""

    _DOC = f"to_tsvector('english', left(coalesce(title, '') || ' ' || body, {FTS_MAX_CHARS}))"

    def add(self, conn: Connection, document_id: int, title: str | None, body: str) -> None:
        """Nothing to write: the GIN index follows the documents table."""

    def search(self, conn: Connection, query: str, limit: int) -> list[RawHit]:
        rows = conn.execute(
            text(
                f"SELECT id, ts_headline('english', body, q, :opts), ts_rank({self._DOC}, q) AS r "
                f"FROM documents, websearch_to_tsquery('english', :q) AS q "
                f"WHERE {self._DOC} @@ q ORDER BY r DESC LIMIT :n"
            ),
            {
                "q": query,
                "n": limit,
                "opts": f"StartSel={HIT_START}, StopSel={HIT_END}, MaxWords=30, MinWords=10",
            },
        )
        return [RawHit(r[0], r[1], float(r[2])) for r in rows]


class LikeSearch:
    """Portable fallback: every word must occur (case-insensitive); snippet around the first."""

    def add(self, conn: Connection, document_id: int, title: str | None, body: str) -> None:
        """Nothing to write: the scan reads the documents table."""

    def search(self, conn: Connection, query: str, limit: int) -> list[RawHit]:
        words = _WORD.findall(query)
        if not words:
            return []
        conds = [
            or_(documents.c.body.ilike(f"%{w}%"), documents.c.title.ilike(f"%{w}%"))
            for w in words
        ]
        stmt = select(documents.c.id, documents.c.body).where(*conds).limit(limit)
        return [RawHit(i, like_snippet(body, words), 0.0) for i, body in conn.execute(stmt)]


def like_snippet(body: str, words: list[str], width: int = 80) -> str:
    """A window of ``body`` around the first query word, with the words marked."""
    lower = body.lower()
    pos = min((p for w in words if (p := lower.find(w.lower())) >= 0), default=0)
    start, end = max(pos - width, 0), min(pos + width, len(body))
    window = body[start:end]
    pattern = re.compile("|".join(re.escape(w) for w in words), re.I)
    marked = pattern.sub(lambda m: HIT_START + m.group(0) + HIT_END, window)
    return ("…" if start else "") + marked + ("…" if end < len(body) else "")


def fulltext_for(dialect: str) -> FullTextIndex:
    """The full-text backend for a SQLAlchemy dialect name."""
    if dialect == "sqlite":
        return SqliteFts()
    if dialect == "postgresql":
        return PostgresFts()
    return LikeSearch()


__all__ = ["FTS_MAX_CHARS", "HIT_END", "HIT_START", "FullTextIndex", "RawHit", "fulltext_for"]
