"""``chronicle bench --spark``: documents/s of the Spark job on local[1] vs local[2].

The input is the bundled sample repeated to ``n_docs`` documents (each copy made distinct the
way ``chronicle bench`` makes its copies), written as JSONL files of 100 documents: one Spark
task per file, as a real crawl split into files would be. The wall-clock time covers the whole
job (JVM start, spaCy loaded once per executor process, Parquet written), so the speed-up is what
a user actually gets.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Any

from chronicle.evaluate.bench import SAMPLE_DIR, edit_copy

PER_FILE = 100


def write_corpus(root: Path, n_docs: int) -> list[Path]:
    """The sample repeated to ``n_docs`` distinct documents, as JSONL files under ``root``.

    Copies are made as ``chronicle bench`` makes them (:func:`chronicle.evaluate.bench.edit_copy`:
    prose paragraphs tagged with letters, so no copy adds numbers that could become claims).
    """
    texts = [p.read_text("utf-8") for p in sorted(SAMPLE_DIR.glob("*.txt"))]
    files = []
    for start in range(0, n_docs, PER_FILE):
        path = root / f"part-{start // PER_FILE:04d}.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for i in range(start, min(start + PER_FILE, n_docs)):
                k, which = divmod(i, len(texts))
                text = edit_copy(texts[which], k, "txt")
                fh.write(json.dumps({"text": text, "url": f"https://sample.invalid/{i}"}) + "\n")
        files.append(path)
    return files


def bench_spark(n_docs: int = 2000, masters: tuple[str, ...] = ("local[1]", "local[2]")
                ) -> dict[str, Any]:
    """Run the Spark job on each master over the same corpus; docs/s and the speed-up."""
    from chronicle.scale.spark_job import run_spark

    out: dict[str, Any] = {"documents": n_docs}
    with tempfile.TemporaryDirectory(prefix="chronicle-bench-spark-") as tmp:
        root = Path(tmp)
        (root / "in").mkdir()
        write_corpus(root / "in", n_docs)
        for master in masters:
            started = time.perf_counter()
            counts = run_spark([str(root / "in")], root / master.replace("[", "_").strip("]"),
                               master=master)
            seconds = time.perf_counter() - started
            out[master] = {"seconds": round(seconds, 2),
                           "docs_per_s": round(counts["documents"] / seconds, 2),
                           "events": counts["events"]}
    if len(masters) >= 2:
        first, last = out[masters[0]]["docs_per_s"], out[masters[-1]]["docs_per_s"]
        out["speedup"] = round(last / first, 2) if first else None
    return out
