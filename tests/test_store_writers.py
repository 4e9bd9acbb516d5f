"""Writers under hostile input and concurrency (issue 14, store): one value policy on both
databases, insert-or-get on entity keys, SQLite write transactions that take the lock up front,
linking failures reported and retried. Real SQLite files and a real PostgreSQL server.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
import threading
import time
from importlib import resources
from pathlib import Path

import pytest
import sqlalchemy as sa

from chronicle.model import Claim, Document, Entity, Event, Location, Span
from chronicle.store import Store
from chronicle.store.db import make_engine, migrate
from chronicle.store.values import MAX_INDEXED_CHARS

ARTICLE = (
    "Police in Penza detained Anna Petrova on Tuesday on charges of spreading false information "
    "about the army, her lawyer told reporters outside the court building.\n"
)


def _processed(note: str, **fields) -> Document:
    """A processed document (as the pipeline leaves it) with hostile values in ``fields``."""
    raw = ARTICLE + note
    doc = Document(source=f"{note}.txt", raw_text=raw, body=raw, format="txt", **fields)
    doc.entities = [
        Entity(name="Anna Petrova", type="PERSON", mentions=[Span(25, 37, "Anna Petrova")]),
        Entity(name="Penza", type="GPE", mentions=[Span(10, 15, "Penza")]),
    ]
    doc.events = [Event(type="COERCE", mode="arrest", recipient="Anna Petrova",
                        location=Location(name="Penza", country="RU"))]
    return doc


def _rows(url: str, sql: str) -> list:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(sa.text(sql)))
    finally:
        engine.dispose()


# --- one value policy -------------------------------------------------------------------------


def test_odd_values_are_stored_the_same_way_on_both_databases(store_url: str) -> None:
    doc = _processed(
        "hostile values",
        title="T\x00i\ud800tle",
        outlet="Outlet " * 1000,  # an indexed column: cut, not refused by PostgreSQL
        author="A\x00uthor",
        meta={"nan": math.nan, "inf": math.inf, "nul": "a\x00b", "lone": "x\udcffy",
              "big": 10**30, "huge": 10**400, "deep": {"k\x00": [1.5, -math.inf]}},
    )
    doc.raw_text += "\x00"  # a NUL in the text itself: one character for one, offsets hold
    doc.body = doc.raw_text
    doc.entities.append(Entity(name="Ann\x00a \ud800", type="PERSON"))
    doc.events[0].location = Location(name="Penza", country="RU", lat=math.nan, lon=math.inf)
    doc.events[0].max_penalty_years = math.inf
    doc.claims = [Claim(metric="detained", value=math.nan), Claim(metric="detained", value=2.0),
                  Claim(metric="killed", value=math.inf)]
    with Store(store_url) as store:
        report = store.add_documents([doc])
        assert (report.new, report.failed) == (1, [])
        [stored] = store.documents()
        assert stored.title == "T\ufffdi\ufffdtle" and stored.author == "A\ufffduthor"
        assert len(stored.outlet or "") == MAX_INDEXED_CHARS
        assert stored.raw_text == ARTICLE + "hostile values\ufffd"
        assert stored.meta == {"nan": None, "inf": None, "nul": "a\ufffdb", "lone": "x\ufffdy",
                               "big": 1e30, "huge": None, "deep": {"k\ufffd": [1.5, None]}}
        assert [c.value for c in store.claims()] == [2.0]  # a NaN or infinite claim says nothing
        [event] = store.events()
        assert event.location and (event.location.lat, event.location.lon) == (None, None)
        assert event.max_penalty_years is None
        names = {e.name for e in store.entities()}
        assert "Ann\ufffda \ufffd" in names
        again = store.add_documents([doc])  # the same document: filed under the same hash
        assert (again.new, again.duplicates, again.failed) == (0, 1, [])


def test_a_body_of_the_documented_maximum_is_stored_on_both_databases(store_url: str) -> None:
    import random

    rng = random.Random(14)
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
             for _ in range(200_000)]
    text = ""
    while len(text) < 5_000_000:
        text += " ".join(rng.choices(words, k=10_000)) + ".\n"
    doc = Document(source="long.txt", raw_text=text, body=text, format="txt", title="Long")
    with Store(store_url) as store:
        report = store.add_documents([doc])
        assert (report.new, report.failed) == (1, []), report.failed
        assert store.search(text.split()[0])  # and it is searchable


def test_jsonl_metadata_with_nul_and_huge_values_is_ingested_on_both(
    store_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "meta.jsonl"
    record = {"text": ARTICLE, "title": "Ti\u0000tle", "outlet": "Herald " * 2000,
              "author": ["A\u0000", "B"], "rank": 10**300, "note": "\u0000" * 10}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    with Store(store_url) as store:
        report = store.ingest([path], progress=False)
        assert (report.new, report.failed) == (1, []), report.failed
        [stored] = store.documents()
        assert stored.title == "Ti\ufffdtle" and stored.author == "A\ufffd, B"
        assert stored.meta == {"rank": 1e300, "note": "\ufffd" * 10}


# --- entity keys: insert-or-get ---------------------------------------------------------------


def test_one_entity_row_per_key_and_the_key_is_unique(store_url: str) -> None:
    first = _processed("one")
    second = _processed("two")
    second.entities[0] = Entity(name="ANNA PETROVA", type="PERSON", aliases=["Petrova"],
                                role="activist")
    with Store(store_url) as store:
        store.add_documents([first, second])
        rows = _rows(store_url, "SELECT name, aliases, roles FROM entities WHERE type = 'PERSON'")
        assert len(rows) == 1
        indexes = sa.inspect(store.engine).get_indexes("entities")
    name, aliases, roles = rows[0]
    roles = roles if isinstance(roles, list) else json.loads(roles)
    aliases = aliases if isinstance(aliases, list) else json.loads(aliases)
    assert name == "Anna Petrova" and set(aliases) == {"ANNA PETROVA", "Petrova"}
    assert roles == ["activist"]
    [key] = [i for i in indexes if i["name"] == "ix_entities_type_norm_name"]
    assert key["unique"] and key["column_names"] == ["type", "norm_name"]


def test_the_migration_merges_duplicate_entities(store_url: str, tmp_path: Path) -> None:
    # A store made before 0004 (its migrations without it), holding duplicates as two racing
    # PostgreSQL writers left them; opening it with this version merges them.
    old = tmp_path / "migrations"
    shutil.copytree(Path(str(resources.files("chronicle.store") / "migrations")), old)
    for revision in ("0004_entity_keys", "0005_fts_bound"):
        (old / "versions" / f"{revision}.py").unlink()
    engine = make_engine(store_url)
    migrate(engine, old)
    with engine.begin() as conn:
        doc_id = conn.execute(sa.text(
            "INSERT INTO documents (content_hash, source, raw_text, body, format, ingested_at) "
            "VALUES ('h', 's', 'r', 'b', 'txt', CURRENT_TIMESTAMP) RETURNING id")).scalar_one()
        ids = [conn.execute(sa.text(
            "INSERT INTO entities (name, type, norm_name, aliases, roles) "
            "VALUES (:n, 'PERSON', 'anna petrova', :a, :r) RETURNING id"),
            {"n": n, "a": a, "r": r}).scalar_one()
            for n, a, r in [("Anna Petrova", '["Petrova"]', '["activist"]'),
                            ("ANNA PETROVA", "[]", '["lawyer"]'),
                            ("Anna  Petrova", None, None)]]
        for entity_id in ids:
            conn.execute(sa.text("INSERT INTO entity_mentions (document_id, entity_id, name) "
                                 "VALUES (:d, :e, 'x')"), {"d": doc_id, "e": entity_id})
    engine.dispose()
    with Store(store_url) as store:  # migrates to every head, 0004 included
        [entity] = store.entities(type="PERSON")
        assert entity.id == ids[0] and entity.mention_count == 3
        assert set(entity.aliases) == {"Petrova", "ANNA PETROVA", "Anna  Petrova"}
        assert entity.roles == ["activist", "lawyer"]
        with pytest.raises(sa.exc.IntegrityError), store.engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO entities (name, type, norm_name) "
                                 "VALUES ('x', 'PERSON', 'anna petrova')"))


def test_two_writers_attaching_one_new_entity_share_one_row(store_url: str) -> None:
    # The race of two concurrent ingests, made deterministic: the first writer has inserted the
    # entity but not committed when the second attaches it. Select-then-insert made two rows.
    from chronicle.store.db import write_transaction
    from chronicle.store.writer import attach_entity

    Store(store_url).close()
    engine = make_engine(store_url)
    inserted = threading.Event()
    ids: dict[str, int] = {}
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with write_transaction(engine) as conn:
                ids["first"] = attach_entity(conn, Entity(name="Zhanna Ivanova", type="PERSON"))
                inserted.set()
                time.sleep(0.5)
        except BaseException as exc:  # collected for the assertion
            errors.append(exc)
            inserted.set()

    thread = threading.Thread(target=first)
    thread.start()
    assert inserted.wait(10)
    with write_transaction(engine) as conn:  # waits for the first writer, then finds its row
        ids["second"] = attach_entity(conn, Entity(name="ZHANNA IVANOVA", type="PERSON",
                                                   role="lawyer"))
    thread.join(30)
    engine.dispose()
    assert errors == []
    assert ids["first"] == ids["second"]
    rows = _rows(store_url, "SELECT name, roles FROM entities")
    assert len(rows) == 1 and rows[0][0] == "Zhanna Ivanova"


def _copies(sample_dir: Path, root: Path, tag: str, n: int) -> list[Path]:
    texts = [p.read_text("utf-8") for p in sorted(sample_dir.glob("*.txt"))]
    root.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(n):
        path = root / f"{tag}{i:02d}.txt"
        path.write_text(texts[i % len(texts)] + f"\n\nEditor's note {tag}{i}: updated.\n", "utf-8")
        files.append(path)
    return files


def test_concurrent_postgres_ingests_leave_no_duplicate_entities(
    pg_url: str, sample_dir: Path, tmp_path: Path
) -> None:
    # Two processes ingesting different copies of the same articles at once: the same people,
    # organisations and places, attached by both at the same time.
    cmd = [sys.executable, "-m", "chronicle.cli", "ingest", "--no-progress", "--db", pg_url]
    batches = [_copies(sample_dir, tmp_path / tag, tag, 10) for tag in ("a", "b")]
    procs = [subprocess.Popen([*cmd, *map(str, files)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for files in batches]
    outputs = [p.communicate(timeout=900) for p in procs]
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err  # no document and no linking failed
        assert out.startswith("10 new, 0 already stored, 0 failed"), out
    duplicates = _rows(pg_url, "SELECT type, norm_name, count(*) FROM entities "
                               "GROUP BY type, norm_name HAVING count(*) > 1")
    assert duplicates == []
    [(n_entities,)] = _rows(pg_url, "SELECT count(*) FROM entities")
    [(n_docs,)] = _rows(pg_url, "SELECT count(*) FROM documents")
    [(unlinked,)] = _rows(pg_url, "SELECT count(*) FROM documents d WHERE NOT EXISTS "
                                  "(SELECT 1 FROM link_event_refs r WHERE r.document_id = d.id)")
    assert n_docs == 20 and n_entities > 10 and unlinked == 0


# --- SQLite: writers take the lock up front ----------------------------------------------------


def test_a_sqlite_writer_that_reads_first_waits_instead_of_failing(tmp_path: Path) -> None:
    # A deferred BEGIN reads a snapshot; once another writer commits, its first write fails at
    # once with "database is locked". engine.begin() takes the write lock up front instead.
    url = f"sqlite:///{tmp_path / 'lock.db'}"
    Store(url).close()
    engine = make_engine(url)
    read_done = threading.Event()
    errors: list[BaseException] = []

    def reader_then_writer() -> None:
        try:
            with engine.begin() as conn:
                conn.execute(sa.text("SELECT count(*) FROM documents")).scalar_one()
                read_done.set()
                time.sleep(0.3)
                conn.execute(sa.text("INSERT INTO paragraph_fingerprints "
                                     "(outlet, fingerprint, document_hash) VALUES ('o', 'a', 'h')"))
        except BaseException as exc:  # collected for the assertion
            errors.append(exc)
            read_done.set()

    thread = threading.Thread(target=reader_then_writer)
    thread.start()
    assert read_done.wait(10)
    with engine.begin() as conn:  # the other writer, committing in between
        conn.execute(sa.text("INSERT INTO paragraph_fingerprints "
                             "(outlet, fingerprint, document_hash) VALUES ('o', 'b', 'h')"))
    thread.join(30)
    engine.dispose()
    assert errors == []
    assert len(_rows(url, "SELECT * FROM paragraph_fingerprints")) == 2


def test_review_writes_during_an_ingest_never_fail(tmp_path: Path, sample_dir: Path) -> None:
    from chronicle.serve import data, review
    from chronicle.serve.app import open_database

    db = tmp_path / "busy.db"
    url = f"sqlite:///{db}"
    with Store(url) as store:
        assert store.ingest([sample_dir], progress=False).new == 5
        event_ids = [e.id for e in store.events()]
    files = _copies(sample_dir, tmp_path / "more", "m", 15)
    ingest = subprocess.Popen(
        [sys.executable, "-m", "chronicle.cli", "ingest", "--no-progress", "--db", str(db),
         *map(str, files)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    _url, engine = open_database(url)  # the web app's own engine
    done = failed = 0
    failures: list[str] = []
    try:
        while ingest.poll() is None:
            event_id = event_ids[done % len(event_ids)]
            try:
                with engine.begin() as conn:  # what the review POST handler does
                    item = data.get_event(conn, event_id)
                    assert item is not None
                    review.add_review(conn, kind="event", target_id=str(event_id),
                                      action="confirm", reviewer="tester", current=item,
                                      note=f"write {done}")
                done += 1
            except sa.exc.OperationalError as exc:
                failed += 1
                failures.append(str(exc.orig))
            time.sleep(0.005)
        out, err = ingest.communicate(timeout=60)
    finally:
        if ingest.poll() is None:
            ingest.kill()
        engine.dispose()
    assert failed == 0, failures[:3]
    assert done > 50  # the writes really overlapped the ingest
    assert ingest.returncode == 0, err
    assert out.startswith("15 new, 0 already stored, 0 failed"), out  # its linking too
    [(reviews,)] = _rows(url, "SELECT count(*) FROM reviews")
    assert reviews == done


# --- linking: reported with the reason, retried by the next ingest ------------------------------


def test_a_linking_failure_is_reported_and_retried_by_the_next_ingest(
    tmp_path: Path, sample_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chronicle.link import relink

    real = relink.link_incremental

    def broken(store, ids):
        raise RuntimeError("gazetteer unavailable")

    monkeypatch.setattr(relink, "link_incremental", broken)
    lines: list[str] = []
    with Store(tmp_path / "link.db") as store:
        first = store.ingest([sample_dir], progress=False, on_error=lambda e: lines.append(str(e)))
        assert first.new == 5
        assert first.failed == [("link", "linking failed (RuntimeError: gazetteer unavailable);"
                                         " 5 documents left unlinked for the next ingest or"
                                         " `chronicle link`")]
        assert lines == [f"{path}: {reason}" for path, reason in first.failed]
        assert len(relink.pending_documents(store)) == 5
        monkeypatch.setattr(relink, "link_incremental", real)
        second = store.ingest([sample_dir], progress=False)  # nothing new, yet it links them
        assert (second.new, second.duplicates, second.failed) == (0, 5, [])
        assert relink.pending_documents(store) == []
        assert store.events() and any(len(e.sources) for e in store.events())


def test_cli_exit_status_says_linking_failed(tmp_path: Path, sample_dir: Path) -> None:
    # The real command with a database the linker cannot write to: one line, status 1.
    db = tmp_path / "ro.db"
    with Store(db) as store:
        store.ingest([sorted(sample_dir.glob("*.txt"))[0]], progress=False)
    with sa.create_engine(f"sqlite:///{db}").begin() as conn:  # linking's table made unusable
        conn.execute(sa.text("CREATE TRIGGER no_links BEFORE INSERT ON link_event_refs "
                             "BEGIN SELECT RAISE(ABORT, 'links are frozen'); END"))
        conn.execute(sa.text("DELETE FROM link_event_refs"))
        conn.execute(sa.text("DELETE FROM link_entity_refs"))
    proc = subprocess.run(
        [sys.executable, "-m", "chronicle.cli", "ingest", "--no-progress", "--db", str(db),
         str(sorted(sample_dir.glob("*.txt"))[1])],
        capture_output=True, text=True, timeout=600, env={**os.environ},
    )  # fmt: skip
    assert proc.returncode == 1
    [line] = [x for x in proc.stderr.splitlines() if x.startswith("link: ")]
    assert "linking failed (IntegrityError: links are frozen)" in line
    assert "2 documents left unlinked" in line
    assert proc.stdout.startswith("1 new, 0 already stored, 1 failed")
