"""`chronicle spark` on local[2] gives the same events as the local pipeline, and loads back."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

pyspark = pytest.importorskip("pyspark", reason="the spark extra is not installed")

if not shutil.which("java"):
    if os.environ.get("CI"):
        pytest.fail("java not found (.ci/run installs openjdk-17-jre-headless)", pytrace=False)
    pytest.skip("no Java runtime for Spark", allow_module_level=True)


def _key(source: str, e: dict, date: str | None) -> tuple:
    return (Path(source).name, e["type"], e.get("mode"), e.get("actor"), e.get("recipient"), date)


@pytest.fixture(scope="module")
def spark_output(tmp_path_factory, sample_dir) -> Path:
    from chronicle.scale.spark_job import run_spark

    out = tmp_path_factory.mktemp("spark") / "out"
    inputs = tmp_path_factory.mktemp("inputs")
    for f in sample_dir.glob("*.txt"):
        shutil.copy(f, inputs / f.name)
    (inputs / "broken.txt").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    counts = run_spark([str(inputs)], out, master="local[2]")
    assert counts["documents"] == 5
    assert counts["errors"] == 1
    return out


def test_spark_events_equal_local_pipeline(spark_output: Path, sample_dir: Path) -> None:
    import pyarrow.parquet as pq

    from chronicle.ingest import read_one
    from chronicle.pipeline import default_pipeline

    local = set()
    docs = [read_one(p) for p in sorted(sample_dir.glob("*.txt"))]
    for doc in default_pipeline().pipe(docs):
        local |= {_key(doc.source, e, e["date"]) for e in doc.to_dict()["events"]}
    table = pq.read_table(spark_output / "events") if any(
        (spark_output / "events").rglob("*.parquet")
    ) else None
    spark = set()
    if table is not None:
        for row in table.to_pylist():
            spark.add(_key(row["source"], row, row["event_date"]))
    assert spark == local
    docs_table = pq.read_table(spark_output / "documents")
    assert "date" in docs_table.column_names  # partition column
    assert docs_table.num_rows == 5


def test_load_puts_spark_output_in_a_store(spark_output: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from chronicle.cli import app
    from chronicle.store import Store

    db = tmp_path / "loaded.db"
    runner = CliRunner()
    first = runner.invoke(app, ["load", str(spark_output), "--db", str(db)])
    assert first.exit_code == 0, first.output
    assert "5 new" in first.output
    again = runner.invoke(app, ["load", str(spark_output), "--db", str(db)])
    assert "0 new, 5 already stored" in again.output, again.output
    with Store(db) as store:
        assert len(store.documents()) == 5
        assert all(d.body for d in store.documents())
    listed = runner.invoke(app, ["events", "--db", str(db), "--format", "json"])
    assert listed.exit_code == 0, listed.output
