"""The stages ``chronicle bench`` times, each run in a fresh process so that peak memory is its own.

:func:`stage_entry` is the target of a ``spawn``-ed process: it loads the corpus files, warms up
what is loaded lazily (the spaCy model, lexicons) outside the timer, times one stage, and sends
back ``seconds``, ``documents`` and the peak resident set size of the process (and of its own
worker processes, for ``n_process > 1``) read from ``resource.getrusage``.
"""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from chronicle.model import Document

WARM_UP_TEXT = "Police in Moscow detained John Smith on Monday, the court said."


def load_corpus(corpus_dir: Path) -> list[Document]:
    """The benchmark documents, read the way ingest reads them."""
    from chronicle.ingest import read_one

    return [read_one(p) for p in sorted(corpus_dir.iterdir()) if p.is_file()]


def _baseline(docs: list[Document], n_process: int, _work: Path) -> tuple[int, float]:
    """Bare spaCy ``en_core_web_sm`` (no event reader): the yardstick every ratio is against."""
    import spacy

    from chronicle.nlp import FALLBACK_MODEL

    nlp = spacy.load(FALLBACK_MODEL)
    nlp(WARM_UP_TEXT)
    texts = [d.raw_text for d in docs]
    started = time.perf_counter()
    count = sum(1 for _ in nlp.pipe(texts, batch_size=32, n_process=n_process))
    return _done(started, count)


def _clean(docs: list[Document], _n: int, _work: Path) -> tuple[int, float]:
    from chronicle.evaluate.runner import eval_pipeline

    pipeline = eval_pipeline()
    pipeline.clean(Document(source="warm-up", raw_text=WARM_UP_TEXT))
    started = time.perf_counter()
    count = sum(1 for d in docs if pipeline.clean(d) is not None)
    return _done(started, count)


def _pipeline(docs: list[Document], n_process: int, _work: Path) -> tuple[int, float]:
    from chronicle.evaluate.runner import eval_pipeline

    pipeline = eval_pipeline()
    pipeline(Document(source="warm-up", raw_text=WARM_UP_TEXT))
    started = time.perf_counter()
    count = sum(1 for _ in pipeline.pipe(docs, n_process=n_process))
    return _done(started, count)


def _ingest(docs: list[Document], n_process: int, work: Path) -> tuple[int, float]:
    from chronicle.pipeline import default_pipeline
    from chronicle.store import Store

    default_pipeline()(Document(source="warm-up", raw_text=WARM_UP_TEXT))
    corpus_dir = work / "corpus"
    with Store(work / f"bench-{n_process}.db") as store:
        started = time.perf_counter()
        report = store.ingest([corpus_dir], n_process=n_process, progress=False)
        if report.new != len(docs):
            raise RuntimeError(f"ingest stored {report.new} of {len(docs)} documents "
                               f"({len(report.failed)} failed, {report.duplicates} duplicates)")
        return _done(started, report.new)


def _done(started: float, count: int) -> tuple[int, float]:
    """(documents processed, seconds since ``started``)."""
    return count, time.perf_counter() - started


# stage name -> fn(documents, n_process, work directory) -> (documents done, seconds)
STAGES: dict[str, Callable[[list[Document], int, Path], tuple[int, float]]] = {
    "baseline": _baseline,
    "clean": _clean,
    "pipeline": _pipeline,
    "ingest": _ingest,
}


def _maxrss_mb(who: int) -> float:
    # Linux reports ru_maxrss in KiB, macOS in bytes.
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(who).ru_maxrss * scale / (1024 * 1024)


def stage_entry(stage: str, work: str, n_process: int, conn: Connection) -> None:
    """Run ``stage`` over ``work/corpus`` and send the measurement (or the error) to ``conn``."""
    try:
        work_dir = Path(work)
        docs = load_corpus(work_dir / "corpus")
        count, seconds = STAGES[stage](docs, n_process, work_dir)
        result: dict[str, Any] = {
            "seconds": seconds,
            "documents": count,
            "peak_rss_mb": _maxrss_mb(resource.RUSAGE_SELF),
            "worker_peak_rss_mb": _maxrss_mb(resource.RUSAGE_CHILDREN) if n_process > 1 else None,
        }
    except Exception as exc:  # reported by the parent as this stage's error
        result = {"error": f"{type(exc).__name__}: {exc}"}
    conn.send(result)
    conn.close()
