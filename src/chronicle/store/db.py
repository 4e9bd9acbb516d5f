"""Opening a database: URL resolution, engine set-up, and Alembic migrations on open.

The URL comes from the argument, else ``CHRONICLE_DB``, else ``sqlite:///./chronicle.db``; a bare
path means a SQLite file. Opening runs ``alembic upgrade heads`` (plural: other stages add their
own migration branches on top of ``0001_initial``).

Writers never fail on each other. On SQLite every write transaction (``write_transaction``, and
``engine.begin()`` on the engines made here, which is what every writer uses: ingest, linking,
review) takes the write lock up front with ``BEGIN IMMEDIATE`` and waits on the busy timeout; a
deferred ``BEGIN`` that reads first would fail with "database is locked" when another writer
committed meanwhile. On PostgreSQL a deadlock or serialization failure is a transient error the
caller retries (:func:`is_transient`). :func:`exclusive` serialises a whole job (linking) across
processes.
"""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
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
        # ``engine.begin()`` is how every writer opens its transaction (the web app's review
        # writes too): make it take the write lock up front. Reads use ``engine.connect()``.
        engine.begin = functools.partial(write_transaction, engine)  # type: ignore[method-assign]
        return engine
    return create_engine(url, pool_pre_ping=True)


# PostgreSQL error codes of transient failures: deadlock detected, serialization failure.
_TRANSIENT_PG = frozenset({"40P01", "40001"})


def is_transient(exc: BaseException) -> bool:
    """True when retrying the same transaction may succeed: a PostgreSQL deadlock or
    serialization failure, or SQLite still locked after the busy timeout."""
    orig = getattr(exc, "orig", None)
    code = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if code in _TRANSIENT_PG:
        return True
    return "database is locked" in str(orig or exc) or "database is busy" in str(orig or exc)


_LOCKS = {"link": 0x43485232}


@contextmanager
def exclusive(engine: Engine, name: str) -> Iterator[None]:
    """Hold the named lock, shared by every process using this database, for the block.

    PostgreSQL: a session advisory lock. SQLite file: an exclusive ``flock`` on a lock file in the
    temporary directory named after the database's path (no file beside the database). Other
    databases, and SQLite in memory, are not shared between processes: no lock.
    """
    dialect = engine.dialect.name
    if dialect == "postgresql":
        key = _LOCKS[name]
        with engine.connect() as conn:
            conn.exec_driver_sql(f"SELECT pg_advisory_lock({key})")
            conn.commit()
            try:
                yield
            finally:
                conn.exec_driver_sql(f"SELECT pg_advisory_unlock({key})")
                conn.commit()
        return
    database = engine.url.database if dialect == "sqlite" else None
    try:
        import fcntl
    except ImportError:  # not POSIX
        fcntl = None  # type: ignore[assignment]
    if not database or database == ":memory:" or fcntl is None:
        yield
        return
    digest = hashlib.sha256(os.path.realpath(database).encode("utf-8", "surrogateescape"))
    path = Path(tempfile.gettempdir()) / f"chronicle-{name}-{digest.hexdigest()[:16]}.lock"
    try:
        fh = path.open("a")
    except OSError:  # e.g. another user's lock file: go on unlocked, as before locks
        yield
        return
    with fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


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
