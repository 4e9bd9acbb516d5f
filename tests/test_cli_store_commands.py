"""The ingest and store commands through Typer's CliRunner, on real SQLite files."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from chronicle.cli import app
from chronicle.model import Document, Entity
from chronicle.store import Store
from test_store_records import doc_a, doc_b

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "cli.db"
    hostile = Document(
        source="c.txt",
        raw_text="[bold red]Injected[/] markup in a stored text.",
        body="[bold red]Injected[/] markup in a stored text.",
        entities=[Entity("[bold red]Injected[/]", "ORG")],
    )
    with Store(path) as store:
        store.add_documents([doc_a(), doc_b(), hostile])
    return str(path)


def run(*args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, list(args), env=env)


def test_ingest_sample_twice(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    first = run("ingest", "--sample", "--db", db)
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith("5 new, 0 already stored, 0 failed (5 files")
    second = run("ingest", "--sample", "--db", db)
    assert second.stdout.startswith("0 new, 5 already stored, 0 failed")


def test_ingest_reports_bad_files_and_goes_on(tmp_path: Path, sample_dir: Path) -> None:
    good = sorted(sample_dir.glob("*.txt"))[0]
    binary = tmp_path / "blob.txt"
    binary.write_bytes(bytes(range(256)) * 20)
    result = run("ingest", str(good), str(binary), str(tmp_path / "gone.html"),
                 "--db", str(tmp_path / "b.db"))  # fmt: skip
    assert result.exit_code == 1  # the batch went on, and the status says something failed
    assert result.stdout.strip().startswith("1 new, 0 already stored, 2 failed")
    lines = result.stderr.strip().splitlines()
    assert f"{binary}: binary" in lines[0] or f"{binary}: binary" in lines[1]
    assert f"{tmp_path / 'gone.html'}: no such file or directory" in lines


def test_ingest_usage_errors(tmp_path: Path) -> None:
    nothing = run("ingest", "--db", str(tmp_path / "n.db"))
    assert nothing.exit_code == 1 and "nothing to ingest" in nothing.stderr
    bad_field = run("ingest", "--sample", "--field", "colour=red", "--db", str(tmp_path / "n.db"))
    assert bad_field.exit_code == 1 and "--field 'colour=red'" in bad_field.stderr
    no_dir = run("events", "--db", str(tmp_path / "no" / "such" / "dir" / "x.db"))
    assert no_dir.exit_code == 1 and "cannot open database" in no_dir.stderr


def test_events_formats_and_filters(db: str) -> None:
    table = run("events", "--db", db, env={"COLUMNS": "200"})
    assert table.exit_code == 0
    assert "3 events" in table.stdout and "COERCE/arrest" in table.stdout
    assert "Siberia Daily" in table.stdout and "Police in Tomsk detained" in table.stdout
    narrow = run("events", "--db", db, env={"COLUMNS": "80"}).stdout
    assert "show ID for evidence" in narrow and "Police in Tomsk" not in narrow
    assert max(len(line) for line in narrow.splitlines()) <= 80
    data = json.loads(run("events", "--format", "json", "--type", "COERCE", "--db", db).stdout)
    assert [e["date"] for e in data] == ["2024-03", "2024-03-04"]
    assert data[1]["sources"][0]["outlet"] == "Siberia Daily"
    csv_out = run("events", "--format", "csv", "--entity", "Orlov", "--db", db).stdout
    header, row = csv_out.strip().splitlines()
    assert header.startswith("id,date,type") and ",ACCUSE,investigate," in row
    env_run = run("events", "--country", "RU", "--since", "2024-03-02", "--format", "json",
                  env={"CHRONICLE_DB": db})  # fmt: skip
    assert [e["recipient"] for e in json.loads(env_run.stdout)] == ["Irina Volkova"]


def test_show(db: str) -> None:
    (first,) = json.loads(run("events", "--format", "json", "--limit", "1", "--db", db).stdout)
    shown = run("show", str(first["id"]), "--db", db)
    assert shown.exit_code == 0
    assert "Ural Post" in shown.stdout and "evidence" in shown.stdout
    as_json = run("show", str(first["id"]), "--json", "--db", db)
    assert json.loads(as_json.stdout)["id"] == first["id"]
    missing = run("show", "999", "--db", db)
    assert missing.exit_code == 1 and "no event with id 999" in missing.stderr


def test_entities_search_and_escaping(db: str) -> None:
    people = run("entities", "--type", "PERSON", "--db", db)
    assert "2 entities" in people.stdout and "Irina Volkova" in people.stdout
    everything = run("entities", "--db", db, env={"COLUMNS": "200"}).stdout
    assert "[bold red]Injected[/]" in everything  # shown literally, not as markup
    hits = run("search", "rally", "--db", db)
    assert hits.exit_code == 0 and "Activist detained in Tomsk" in hits.stdout
    assert "rally" in hits.stdout
    found = json.loads(run("search", "Tomsk", "--json", "--db", db).stdout)
    assert {h["source"] for h in found} == {"a.txt", "b.txt"}
    none = run("search", "zebra", "--db", db)
    assert none.exit_code == 0 and "no matches" in none.stderr


def test_export(db: str, tmp_path: Path) -> None:
    for fmt in ("csv", "json", "parquet"):
        out = tmp_path / f"events.{fmt}"
        result = run("export", "--format", fmt, "-o", str(out), "--db", db)
        assert result.exit_code == 0 and f"3 rows written to {out}" in result.stderr
    assert len(pd.read_csv(tmp_path / "events.csv")) == 3
    assert len(json.loads((tmp_path / "events.json").read_text())) == 3
    assert len(pd.read_parquet(tmp_path / "events.parquet")) == 3
    bad = run("export", "--format", "xml", "-o", str(tmp_path / "x"), "--db", db)
    assert bad.exit_code == 1 and "unknown format 'xml'" in bad.stderr


def test_progress_bar_on_a_terminal() -> None:
    from io import StringIO

    from rich.console import Console

    from chronicle.store.progress import IngestProgress
    from chronicle.store.records import IngestReport

    out = StringIO()
    console = Console(file=out, force_terminal=True, width=120)
    with IngestProgress(4, console=console) as bar:
        bar.update(3, IngestReport(new=2, duplicates=1, failed=[("x", "empty")]))
    text = out.getvalue()
    assert "3/4" in text and "files" in text and "2 new · 1 stored · 1 failed" in text
    quiet = StringIO()
    with IngestProgress(4, console=Console(file=quiet, force_terminal=False)) as bar:
        bar.update(1, IngestReport())
    assert quiet.getvalue() == ""  # no bar in pipes and logs
