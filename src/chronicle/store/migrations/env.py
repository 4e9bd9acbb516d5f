"""Alembic environment: runs migrations on the connection that :mod:`chronicle.store.db` passes.

There is no ``alembic.ini``: the store configures Alembic in code and hands over an open
connection in ``config.attributes["connection"]``; the ``sqlalchemy.url`` option is the fallback
for running Alembic by hand.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

config = context.config


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=None, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as conn:
        _run(conn)
