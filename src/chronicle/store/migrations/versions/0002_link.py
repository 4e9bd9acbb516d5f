"""Link stage tables (owned by ``chronicle.link``): what incremental linking compares against.

- ``link_event_refs``: one row per event source (a document's report of an event) with the
  blocking keys (day number, participant key, country) and the linker's comparison record;
- ``link_entity_refs`` / ``link_entity_blocks``: one row per person/organisation of a document,
  looked up by blocking keys (surname key, name words);
- ``events.disagreements``: where the sources of a canonical event give different values (a
  date, a penalty), every value with its outlet.

Revision ID: 0002_link
Revises: 0001_initial
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_link"
down_revision = "0001_initial"
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
    op.add_column("events", sa.Column("disagreements", sa.JSON, nullable=True))
    op.create_table(
        "link_event_refs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "source_id",
            sa.Integer,
            sa.ForeignKey("event_sources.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        ),
        _fk_doc(),
        sa.Column("day_ord", sa.Integer, index=True),  # event day, else publication day
        sa.Column("party_key", sa.Text, index=True),  # recipient (else actor) name key
        sa.Column("country", sa.String(8)),
        sa.Column("ref", sa.JSON, nullable=False),
        sa.Column("canonical_id", sa.String(64), index=True),
    )
    op.create_table(
        "link_entity_refs",
        sa.Column("id", sa.Integer, primary_key=True),
        _fk_doc(),
        sa.Column("ref_key", sa.Text, nullable=False, unique=True),
        sa.Column("ref", sa.JSON, nullable=False),
        sa.Column("canonical_id", sa.String(64), index=True),
    )
    op.create_table(
        "link_entity_blocks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "ref_id",
            sa.Integer,
            sa.ForeignKey("link_entity_refs.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("block", sa.Text, nullable=False, index=True),
    )


def downgrade() -> None:
    op.drop_table("link_entity_blocks")
    op.drop_table("link_entity_refs")
    op.drop_table("link_event_refs")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("disagreements")
