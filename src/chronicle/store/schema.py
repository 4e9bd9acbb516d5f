"""The database schema as SQLAlchemy Core tables (what the queries use).

The tables are created and changed only by the Alembic migrations in ``migrations/versions``; this
module mirrors their current state for building queries. Portable types only (JSON, Text, ...), so
the same code runs on SQLite and PostgreSQL; the full-text index is the one dialect-specific part
(see :mod:`chronicle.store.fts`). Strings are unbounded ``Text`` (except the fixed-size hash):
values from extractors have no natural maximum, and PostgreSQL rejects one over a VARCHAR limit.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()


def _doc_fk() -> Column:
    return Column(
        "document_id",
        Integer,
        ForeignKey("documents.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )


documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("source", Text, nullable=False),
    Column("url", Text),
    Column("title", Text),
    Column("outlet", Text, index=True),
    Column("author", Text),
    Column("published", Text),
    Column("language", Text),
    Column("raw_text", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("body_map", JSON),
    Column("decisions", JSON),
    Column("meta", JSON),
    Column("format", Text, nullable=False),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
)

entities = Table(
    "entities",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("type", Text, nullable=False),
    # The attach key at ingest: name case-folded, accents and punctuation stripped.
    Column("norm_name", Text, nullable=False),
    Column("aliases", JSON),
    Column("canonical_id", Text, index=True),
    Column("roles", JSON),
    Column("geo", JSON),
)

entity_mentions = Table(
    "entity_mentions",
    metadata,
    Column("id", Integer, primary_key=True),
    _doc_fk(),
    Column(
        "entity_id",
        Integer,
        ForeignKey("entities.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("name", Text, nullable=False),
    Column("role", Text),
    Column("start", Integer),
    Column("end", Integer),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("type", Text, nullable=False, index=True),
    Column("mode", Text),
    Column("context", JSON),
    Column("actor", Text),
    Column("recipient", Text),
    Column("date", Text, index=True),
    Column("date_text", Text),
    Column("location_name", Text),
    Column("country", Text, index=True),
    Column("admin1", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("charge", Text),
    Column("custody", Text),
    Column("max_penalty_years", Float),
    Column("sentence_years", Float),
    Column("negated", Boolean, nullable=False),
    Column("hypothetical", Boolean, nullable=False),
    Column("historical", Boolean, nullable=False),
    Column("also_type", Text),
    Column("confidence", Float),
    Column("evidence", Text),
    Column("canonical_id", Text, index=True),
)

event_sources = Table(
    "event_sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    _doc_fk(),
    # The whole Event as this source extracted it, so disagreements between sources survive.
    Column("event", JSON, nullable=False),
    Column("evidence", Text),
    Column("evidence_start", Integer),
    Column("evidence_end", Integer),
    Column("reported_by", JSON),
    Column("outlet", Text),
)

claims = Table(
    "claims",
    metadata,
    Column("id", Integer, primary_key=True),
    _doc_fk(),
    Column("metric", Text, nullable=False, index=True),
    Column("value", Float, nullable=False),
    Column("unit", Text),
    Column("per", Text),
    Column("qualifier", Text),
    Column("subject", Text),
    Column("as_of", Text),
    Column("claimed_by", JSON),
    Column("relayed_by", JSON),
    Column("evidence", Text),
    Column("evidence_start", Integer),
    Column("evidence_end", Integer),
    Column("value_text", Text),
    Column("spans", JSON),
)

paragraph_fingerprints = Table(
    "paragraph_fingerprints",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("outlet", Text, nullable=False),
    Column("fingerprint", Text, nullable=False),
    Column("document_hash", Text, nullable=False),
)
