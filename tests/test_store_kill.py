"""A ``chronicle ingest`` killed with SIGKILL mid-batch leaves only whole documents, and a re-run
completes the batch with no duplicates and no partial rows."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from chronicle.store import Store

COPIES = 40  # over one of the pipeline's 32-document batches, so the kill lands mid-batch
_INGEST = [sys.executable, "-m", "chronicle.cli", "ingest", "--no-progress"]
PER_DOCUMENT = {
    "entity_mentions": "document_id",
    "event_sources": "document_id",
    "claims": "document_id",
}


def _make_batch(folder: Path, sample_dir: Path) -> None:
    seeds = sorted(sample_dir.glob("*.txt"))
    for n in range(COPIES):
        seed = seeds[n % len(seeds)]
        # A small edit per copy, so that every file has its own content hash.
        text = seed.read_text(encoding="utf-8") + f"\n\nEdition {n}.\n"
        (folder / f"copy_{n:03d}.txt").write_text(text, encoding="utf-8")


def _rows_per_document(db: Path) -> dict[str, tuple[int, ...]]:
    # For each stored document (by file name): its FTS row and how many rows of each kind it has.
    with sqlite3.connect(db) as conn:
        out = {}
        docs = conn.execute("SELECT id, source, content_hash FROM documents").fetchall()
        for doc_id, source, digest in docs:
            counts = [
                conn.execute(f"SELECT count(*) FROM {table} WHERE {col} = ?", (doc_id,)).fetchone()
                for table, col in PER_DOCUMENT.items()
            ]
            fts = conn.execute("SELECT count(*) FROM documents_fts WHERE rowid = ?", (doc_id,))
            prints = conn.execute(
                "SELECT count(*) FROM paragraph_fingerprints WHERE document_hash = ?", (digest,)
            )
            extra = (fts.fetchone()[0], prints.fetchone()[0])
            out[Path(source).name] = (*(c[0] for c in counts), *extra)
        return out


def _stored(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.OperationalError:  # not created or not migrated yet
        return 0


def test_kill_mid_batch_then_rerun(tmp_path: Path, sample_dir: Path) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    _make_batch(batch, sample_dir)
    db = tmp_path / "killed.db"
    proc = subprocess.Popen(
        [*_INGEST, str(batch), "--db", str(db)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 240
    try:
        while _stored(db) == 0:  # wait for the first committed document
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"ingest ended or stalled before its first commit ({proc.returncode})")
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == -signal.SIGKILL

    killed = _rows_per_document(db)
    assert 0 < len(killed) < COPIES, "the kill must land mid-batch"

    # The same files processed without interruption give exactly the same rows per document.
    # (A subprocess as well: the same environment as the killed run, whatever this test process
    # has cached or changed.)
    reference_db = tmp_path / "reference.db"
    subprocess.run(
        [*_INGEST, *(str(batch / name) for name in sorted(killed)), "--db", str(reference_db)],
        check=True,
        capture_output=True,
    )
    assert _rows_per_document(reference_db) == killed

    with Store(db) as store:
        report = store.ingest([batch], progress=False)
        assert (report.new, report.failed) == (COPIES - len(killed), [])
        assert report.duplicates == len(killed)
        with store.engine.connect() as conn:
            hashes = [r[0] for r in conn.exec_driver_sql("SELECT content_hash FROM documents")]
    assert len(hashes) == len(set(hashes)) == COPIES
    resumed = _rows_per_document(db)
    assert {k: resumed[k] for k in killed} == killed
    assert all(fts == 1 for *_, fts, _ in resumed.values())
