"""Migrations: ``upgrade heads`` applies every branch on top of 0001_initial, in one transaction."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from chronicle.store.db import make_engine, migrate

BRANCH = '''
import sqlalchemy as sa
from alembic import op

revision = "{rev}"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("{table}", sa.Column("id", sa.Integer, primary_key=True))
    {extra}


def downgrade():
    op.drop_table("{table}")
'''


def _migrations(tmp_path: Path, branches: dict[str, str]) -> Path:
    folder = tmp_path / "migrations"
    shutil.copytree(Path(str(resources.files("chronicle.store") / "migrations")), folder)
    for rev, extra in branches.items():
        (folder / "versions" / f"{rev}.py").write_text(
            BRANCH.format(rev=rev, table=f"t_{rev}", extra=extra)
        )
    return folder


def test_every_branch_is_applied_once(tmp_path: Path) -> None:
    folder = _migrations(tmp_path, {"0002_link": "", "0003_review": ""})
    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    migrate(engine, folder)
    migrate(engine, folder)  # already at heads: nothing to do
    tables = set(inspect(engine).get_table_names())
    assert {"documents", "events", "t_0002_link", "t_0003_review"} <= tables
    with engine.connect() as conn:
        heads = {r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version"))}
    assert heads == {"0002_link", "0003_review", "0005_fts_bound"}


def test_a_failing_migration_leaves_no_half_schema(tmp_path: Path) -> None:
    folder = _migrations(tmp_path, {"0002_bad": "raise RuntimeError('broken migration')"})
    engine = make_engine(f"sqlite:///{tmp_path / 'bad.db'}")
    with pytest.raises(RuntimeError, match="broken migration"):
        migrate(engine, folder)
    assert inspect(engine).get_table_names() == []
