"""Opening a database: URL resolution, engine set-up, and Alembic migrations on open.

The URL comes from the argument, else ``CHRONICLE_DB``, else ``sqlite:///./chronicle.db``; a bare
path means a SQLite file. Opening runs ``alembic upgrade heads`` (plural: other stages add their
own migration branches on top of ``0001_initial``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

DEFAULT_URL = "sqlite:///./chronicle.db"


def resolve_url(url: str | os.PathLike[str] | None = None) -> str:
    """The database URL to use: argument, ``CHRONICLE_DB``, or ``./chronicle.db``."""
    value = os.fspath(url) if url is not None else os.environ.get("CHRONICLE_DB") or DEFAULT_URL
    if "://" not in value:  # a bare path: a SQLite file
        return f"sqlite:///{Path(value).expanduser()}"
    return value


def _sqlite_connect(dbapi_connection, _record) -> None:
    # pysqlite's own transaction handling skips BEGIN before DDL, so a migration would not be
    # atomic; turn it off and let the "begin" hook below issue BEGIN itself (the SQLAlchemy recipe).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # Foreign keys are off by default in SQLite; WAL lets readers (serve, queries) work while an
    # ingest writes; the busy timeout makes concurrent writers wait instead of failing.
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    # Writers take the write lock up front (IMMEDIATE): two processes migrating or writing at once
    # then queue on the busy timeout instead of failing on a stale read snapshot.
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get(_WRITE) else "BEGIN")


_WRITE = "chronicle_write"


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A connection inside one write transaction (committed on success, rolled back on error)."""
    with engine.connect() as conn:
        conn.info[_WRITE] = True
        try:
            with conn.begin():
                yield conn
        finally:
            conn.info.pop(_WRITE, None)


def make_engine(url: str) -> Engine:
    """A SQLAlchemy engine for ``url`` (SQLite gets its pragmas; its folder must exist)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            folder = Path(parsed.database).expanduser().parent
            if not folder.is_dir():
                raise FileNotFoundError(f"no such directory for the database: {folder}")
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


def alembic_config(script_location: str | os.PathLike[str] | None = None) -> Config:
    """Alembic configured in code: the migrations shipped in the package (or another folder)."""
    config = Config()
    location = script_location or resources.files("chronicle.store") / "migrations"
    config.set_main_option("script_location", str(location))
    return config


# Arbitrary constant naming Chronicle's migration lock among PostgreSQL advisory locks.
_MIGRATION_LOCK = 0x43485231


def migrate(engine: Engine, script_location: str | os.PathLike[str] | None = None) -> None:
    """Bring the schema to every head revision (no-op when already there), atomically."""
    config = alembic_config(script_location)
    heads = set(ScriptDirectory.from_config(config).get_heads())
    with engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    if current == heads:
        return
    with write_transaction(engine) as conn:  # all migrations in one transaction
        if conn.dialect.name == "postgresql":
            # Several processes may open a fresh database at once: one migrates, the others
            # wait on this lock and then find the schema current.
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
            if set(MigrationContext.configure(conn).get_current_heads()) == heads:
                return
        config.attributes["connection"] = conn
        command.upgrade(config, "heads")
