"""Corpus entities keyed uniquely by ``(type, norm_name)``, so concurrent writers cannot duplicate.

The store attaches an entity to the row with the same type and normalised name, creating it when
missing. Without a unique key two ingests writing at once (PostgreSQL, READ COMMITTED) could both
miss the row and both insert it. This revision merges any such duplicates (mentions move to the
oldest row, aliases and roles are united), then replaces the plain index by a unique one that the
writer's ``INSERT ... ON CONFLICT DO NOTHING`` relies on. Keys longer than the writer's limit are
cut to it first (PostgreSQL refuses B-tree entries over about 2,700 bytes).

Revision ID: 0004_entity_keys
Revises: 0001_initial
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0004_entity_keys"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

# chronicle.store.values.MAX_INDEXED_CHARS when this revision was written.
_MAX_KEY = 500


def _list(value) -> list:
    if value is None:
        return []
    if isinstance(value, str):  # JSON read back as text by some drivers
        try:
            value = json.loads(value)
        except ValueError:
            return [value]
    return list(value) if isinstance(value, list) else [value]


def upgrade() -> None:
    bind = op.get_bind()
    entities = sa.table(
        "entities",
        sa.column("id", sa.Integer),
        sa.column("name", sa.Text),
        sa.column("type", sa.Text),
        sa.column("norm_name", sa.Text),
        sa.column("aliases", sa.JSON),
        sa.column("roles", sa.JSON),
    )
    mentions = sa.table(
        "entity_mentions", sa.column("entity_id", sa.Integer)
    )
    long_keys = sa.func.length(entities.c.norm_name) > _MAX_KEY
    bind.execute(
        entities.update()
        .where(long_keys)
        .values(norm_name=sa.func.substr(entities.c.norm_name, 1, _MAX_KEY))
    )
    groups = bind.execute(
        sa.select(entities.c.type, entities.c.norm_name)
        .group_by(entities.c.type, entities.c.norm_name)
        .having(sa.func.count() > 1)
    ).all()
    for type_, key in groups:
        rows = bind.execute(
            sa.select(entities.c.id, entities.c.name, entities.c.aliases, entities.c.roles)
            .where(entities.c.type == type_, entities.c.norm_name == key)
            .order_by(entities.c.id)
        ).all()
        keep, *others = rows
        aliases = set(_list(keep.aliases))
        roles = _list(keep.roles)
        for row in others:
            aliases |= {a for a in [row.name, *_list(row.aliases)] if a != keep.name}
            roles += [r for r in _list(row.roles) if r not in roles]
        ids = [row.id for row in others]
        bind.execute(
            mentions.update().where(mentions.c.entity_id.in_(ids)).values(entity_id=keep.id)
        )
        bind.execute(
            entities.update()
            .where(entities.c.id == keep.id)
            .values(aliases=sorted(aliases), roles=roles)
        )
        bind.execute(entities.delete().where(entities.c.id.in_(ids)))
    op.drop_index("ix_entities_type_norm_name", table_name="entities")
    op.create_index(
        "ix_entities_type_norm_name", "entities", ["type", "norm_name"], unique=True
    )


def downgrade() -> None:
    op.drop_index("ix_entities_type_norm_name", table_name="entities")
    op.create_index("ix_entities_type_norm_name", "entities", ["type", "norm_name"])
