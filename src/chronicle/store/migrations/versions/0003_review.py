"""Human review of events and claims (owned by the serve stage, see ``chronicle.serve.review``).

One row per decision: confirm, reject or correct. The reviewed event or claim row is never
changed; its status and corrected values are computed from these rows when read.

Revision ID: 0003_review
Revises: 0001_initial
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_review"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("target_kind", sa.String(16), nullable=False),  # event | claim
        sa.Column("target_id", sa.String(64), nullable=False),
        # Stable key of the reviewed item (document hash, evidence offsets, type, recipient/metric).
        sa.Column("target_key", sa.Text, nullable=True),
        sa.Column("action", sa.String(16), nullable=False),  # confirm | reject | correct
        sa.Column("changes", sa.Text, nullable=True),  # JSON {field: {"from": x, "to": y}}
        sa.Column("reviewer", sa.String(200), nullable=False),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("created_at", sa.String(40), nullable=False),  # ISO 8601, UTC
    )
    op.create_index("ix_reviews_target", "reviews", ["target_kind", "target_id"])
    op.create_index("ix_reviews_key", "reviews", ["target_key"])


def downgrade() -> None:
    op.drop_index("ix_reviews_key", table_name="reviews")
    op.drop_index("ix_reviews_target", table_name="reviews")
    op.drop_table("reviews")
