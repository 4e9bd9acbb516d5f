"""Initial schema: documents, entities, mentions, events, event sources, claims, fingerprints.

Also the full-text index over document bodies: an FTS5 table on SQLite, a GIN expression index on
PostgreSQL (see ``chronicle.store.fts``).

Revision ID: 0001_initial
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def _fk_doc() -> sa.Column:
    return sa.Column(
        "document_id",
        sa.Integer,
        sa.ForeignKey("documents.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("outlet", sa.Text, index=True),
        sa.Column("author", sa.Text),
        sa.Column("published", sa.Text),
        sa.Column("language", sa.Text),
        sa.Column("raw_text", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("body_map", sa.JSON),
        sa.Column("decisions", sa.JSON),
        sa.Column("meta", sa.JSON),
        sa.Column("format", sa.Text, nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "entities",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("norm_name", sa.Text, nullable=False),
        sa.Column("aliases", sa.JSON),
        sa.Column("canonical_id", sa.Text, index=True),
        sa.Column("roles", sa.JSON),
        sa.Column("geo", sa.JSON),
    )
    op.create_index("ix_entities_type_norm_name", "entities", ["type", "norm_name"])
    op.create_table(
        "entity_mentions",
        sa.Column("id", sa.Integer, primary_key=True),
        _fk_doc(),
        sa.Column(
            "entity_id",
            sa.Integer,
            sa.ForeignKey("entities.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("role", sa.Text),
        sa.Column("start", sa.Integer),
        sa.Column("end", sa.Integer),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("type", sa.Text, nullable=False, index=True),
        sa.Column("mode", sa.Text),
        sa.Column("context", sa.JSON),
        sa.Column("actor", sa.Text),
        sa.Column("recipient", sa.Text),
        sa.Column("date", sa.Text, index=True),
        sa.Column("date_text", sa.Text),
        sa.Column("location_name", sa.Text),
        sa.Column("country", sa.Text, index=True),
        sa.Column("admin1", sa.Text),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("charge", sa.Text),
        sa.Column("custody", sa.Text),
        sa.Column("max_penalty_years", sa.Float),
        sa.Column("sentence_years", sa.Float),
        sa.Column("negated", sa.Boolean, nullable=False),
        sa.Column("hypothetical", sa.Boolean, nullable=False),
        sa.Column("historical", sa.Boolean, nullable=False),
        sa.Column("also_type", sa.Text),
        sa.Column("confidence", sa.Float),
        sa.Column("evidence", sa.Text),
        sa.Column("canonical_id", sa.Text, index=True),
    )
    op.create_table(
        "event_sources",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "event_id",
            sa.Integer,
            sa.ForeignKey("events.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        _fk_doc(),
        sa.Column("event", sa.JSON, nullable=False),
        sa.Column("evidence", sa.Text),
        sa.Column("evidence_start", sa.Integer),
        sa.Column("evidence_end", sa.Integer),
        sa.Column("reported_by", sa.JSON),
        sa.Column("outlet", sa.Text),
    )
    op.create_table(
        "claims",
        sa.Column("id", sa.Integer, primary_key=True),
        _fk_doc(),
        sa.Column("metric", sa.Text, nullable=False, index=True),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("unit", sa.Text),
        sa.Column("per", sa.Text),
        sa.Column("qualifier", sa.Text),
        sa.Column("subject", sa.Text),
        sa.Column("as_of", sa.Text),
        sa.Column("claimed_by", sa.JSON),
        sa.Column("relayed_by", sa.JSON),
        sa.Column("evidence", sa.Text),
        sa.Column("evidence_start", sa.Integer),
        sa.Column("evidence_end", sa.Integer),
        sa.Column("value_text", sa.Text),
        sa.Column("spans", sa.JSON),
    )
    op.create_table(
        "paragraph_fingerprints",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("outlet", sa.Text, nullable=False),
        sa.Column("fingerprint", sa.Text, nullable=False),
        sa.Column("document_hash", sa.Text, nullable=False),
        sa.UniqueConstraint("outlet", "fingerprint", "document_hash", name="uq_fingerprint"),
    )
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        # Standalone FTS5 table keyed by documents.id (rowid), written in the document's own
        # transaction by chronicle.store.fts.
        op.execute(
            "CREATE VIRTUAL TABLE documents_fts USING fts5("
            "title, body, tokenize = 'unicode61 remove_diacritics 2')"
        )
    elif dialect == "postgresql":
        op.execute(
            "CREATE INDEX ix_documents_fts ON documents USING gin "
            "(to_tsvector('english', coalesce(title, '') || ' ' || body))"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TABLE IF EXISTS documents_fts")
    for table in (
        "paragraph_fingerprints",
        "claims",
        "event_sources",
        "events",
        "entity_mentions",
        "entities",
        "documents",
    ):
        op.drop_table(table)
