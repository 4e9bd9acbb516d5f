"""The test run starts a real PostgreSQL server (used by every ``store_url`` test)."""

from __future__ import annotations

import sqlalchemy as sa


def test_postgres_server_answers(pg_url: str) -> None:
    engine = sa.create_engine(pg_url)
    with engine.connect() as conn:
        version = conn.execute(sa.text("select version()")).scalar_one()
    engine.dispose()
    assert "PostgreSQL" in version
