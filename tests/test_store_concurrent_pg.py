"""Two `chronicle ingest` processes writing to one PostgreSQL database at once, over overlapping
inputs, leave every document exactly once and no half-written rows."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa


def _inputs(sample_dir: Path, root: Path, n: int) -> list[Path]:
    texts = [p.read_text("utf-8") for p in sorted(sample_dir.glob("*.txt"))]
    files = []
    for i in range(n):
        path = root / f"doc{i:02d}.txt"
        # A distinct closing line per copy: different content hash, same kind of article.
        path.write_text(texts[i % len(texts)] + f"\n\nEditor's note {i}: updated.\n", "utf-8")
        files.append(path)
    return files


def test_concurrent_ingest_processes_store_each_document_once(
    pg_url: str, sample_dir: Path, tmp_path: Path
) -> None:
    files = _inputs(sample_dir, tmp_path, 10)
    a, b = files[:7], files[3:]  # files 3..6 are in both batches
    cmd = [sys.executable, "-m", "chronicle.cli", "ingest", "--db", pg_url]
    env = {**os.environ, "CHRONICLE_DB": pg_url}
    procs = [
        subprocess.Popen([*cmd, *map(str, part)], env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for part in (a, b)
    ]
    outputs = [p.communicate(timeout=600) for p in procs]
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
    engine = sa.create_engine(pg_url)
    with engine.connect() as conn:
        n_docs = conn.execute(sa.text("select count(*) from documents")).scalar_one()
        n_hashes = conn.execute(
            sa.text("select count(distinct content_hash) from documents")
        ).scalar_one()
        orphans = conn.execute(sa.text(
            "select count(*) from event_sources s left join documents d on d.id = s.document_id "
            "where d.id is null"
        )).scalar_one()
        docs_without_body = conn.execute(
            sa.text("select count(*) from documents where body is null or body = ''")
        ).scalar_one()
    engine.dispose()
    assert n_docs == n_hashes == 10
    assert orphans == 0
    assert docs_without_body == 0
    total_new = sum(int(out.split(" new")[0].split()[-1]) for out, _ in outputs
                    if " new" in out)
    assert total_new == 10, outputs
