"""Shared fixtures: paths to the bundled sample and to ../shared (when present)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# CI machines are slow and shared: no per-example deadline, and no health check for slow data
# generation (a property test must fail on a wrong result, never on a slow machine).
settings.register_profile(
    "chronicle", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("chronicle")

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "src" / "chronicle" / "sample"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside this checkout")
    return SHARED


# --- A real PostgreSQL server, started by the test run itself --------------------------------
# Store tests take the ``store_url`` fixture and so run once per backend. The server is Debian's
# PostgreSQL (binaries under /usr/lib/postgresql/*/bin); initdb refuses to run as root, so as root
# the cluster is created and started as the ``postgres`` system user.


def _pg_bin() -> Path | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "initdb").exists():
            return Path(candidate)
    found = shutil.which("pg_ctl")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_pg_user(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


@pytest.fixture(scope="session")
def pg_server():
    """Start a throw-away PostgreSQL cluster on 127.0.0.1; yield its base URL (no database)."""
    explicit = os.environ.get("CHRONICLE_TEST_PG_URL")
    if explicit:
        yield explicit.rstrip("/")
        return
    bindir = _pg_bin()
    if bindir is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL server binaries not found (.ci/run installs postgresql)")
        pytest.skip("PostgreSQL server binaries not installed")
    root = Path(tempfile.mkdtemp(prefix="chronicle-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    port = _free_port()
    subprocess.run(
        _as_pg_user([str(bindir / "initdb"), "-D", str(data), "--auth=trust", "-U", "postgres"]),
        check=True,
        capture_output=True,
    )
    opts = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        _as_pg_user([str(bindir / "pg_ctl"), "-D", str(data), "-o", opts, "-l",
                     str(root / "log"), "-w", "start"]),
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(
            _as_pg_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)


def _create_pg_database(base_url: str) -> str:
    import sqlalchemy as sa

    name = "t_" + uuid.uuid4().hex[:12]
    engine = sa.create_engine(f"{base_url}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return f"{base_url}/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> str:
    """A fresh, empty database URL on each backend in turn (SQLite file, then PostgreSQL)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'chronicle.db'}"
    return _create_pg_database(request.getfixturevalue("pg_server"))


@pytest.fixture
def pg_url(pg_server) -> str:
    """A fresh, empty PostgreSQL database URL."""
    return _create_pg_database(pg_server)
