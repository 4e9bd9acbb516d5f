"""PostgreSQL full-text index over a bounded prefix of each document, so no body is refused.

PostgreSQL refuses a tsvector over 1 MB ("string is too long for tsvector"), and the index is an
expression over the whole title and body: a body near the documented 5 MB limit was then refused
on PostgreSQL and stored on SQLite. The index (and the search, see ``chronicle.store.fts``) now
covers the first ``FTS_MAX_CHARS`` characters, at most about 3 bytes of tsvector per character.
SQLite's FTS5 table has no such limit and is unchanged.

Revision ID: 0005_fts_bound
Revises: 0004_entity_keys
"""

from __future__ import annotations

from alembic import op

revision = "0005_fts_bound"
down_revision = "0004_entity_keys"
branch_labels = None
depends_on = None

# chronicle.store.fts.FTS_MAX_CHARS when this revision was written.
_BOUNDED = "to_tsvector('english', left(coalesce(title, '') || ' ' || body, 300000))"
_WHOLE = "to_tsvector('english', coalesce(title, '') || ' ' || body)"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_documents_fts")
        op.execute(f"CREATE INDEX ix_documents_fts ON documents USING gin ({_BOUNDED})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_documents_fts")
        op.execute(f"CREATE INDEX ix_documents_fts ON documents USING gin ({_WHOLE})")
