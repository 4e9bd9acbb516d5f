"""``chronicle bench --hostile N``: generated hostile inputs through the pipeline, one at a time.

Each input of :func:`chronicle.evaluate.hostile.generate` is written to a file and read, cleaned,
parsed and extracted as ``chronicle extract`` does (no store). A worker process loads the model
once and runs the inputs in turn; the parent times each one and, if the worker does not answer
within ``kill_after`` seconds, kills it, records a hang and starts a new worker, so a real hang
costs the run one input and not the rest. Reported: crashes (an exception other than a refused
input's one-line reason), hangs (inputs over ``hang_seconds``), the slowest input, and the peak
resident memory of the workers.

The time budget of extraction is set for the run (``budget``, default 8 s, so that a document
the budget stops still answers under the 10-s hang line; the pipeline's own default is 20 s).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import resource
import tempfile
import time
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

HANG_SECONDS = 10.0
BENCH_BUDGET = 8.0


def _worker(conn: Connection, budget: float | None) -> None:
    """Run inputs sent as paths; answer each with its outcome."""
    from chronicle.ingest import read_one
    from chronicle.ingest.decode import IngestFailure
    from chronicle.model import Document
    from chronicle.pipeline import Pipeline

    pipeline = Pipeline(time_budget=budget)
    pipeline(Document(source="warm-up", raw_text="Police in Moscow detained John Smith on "
                      "Monday, the court said."))  # fmt: skip
    conn.send({"ready": True, "rss_mb": _rss_mb()})
    while True:
        try:
            path = conn.recv()
        except EOFError:
            return
        if path is None:
            return
        started = time.perf_counter()
        out: dict[str, Any] = {}
        try:
            doc = pipeline(read_one(path))
            out.update(events=len(doc.events), claims=len(doc.claims), entities=len(doc.entities),
                       warnings=list(doc.warnings), chars=len(doc.raw_text))  # fmt: skip
        except IngestFailure as exc:  # a clear one-line refusal, not a crash
            out["refused"] = str(exc)
        except Exception as exc:
            out["crash"] = f"{type(exc).__name__}: {exc}"
            out["trace"] = traceback.format_exc(limit=6)
        out["seconds"] = time.perf_counter() - started
        out["rss_mb"] = _rss_mb()
        conn.send(out)


def _rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class _Worker:
    def __init__(self, budget: float | None) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child, budget), daemon=True)
        self.proc.start()
        child.close()
        first = self.conn.recv() if self.conn.poll(600) else {}
        self.rss_mb = first.get("rss_mb", 0.0)

    def run(self, path: Path, kill_after: float) -> dict[str, Any] | None:
        self.conn.send(str(path))
        if not self.conn.poll(kill_after):
            return None
        try:
            return self.conn.recv()
        except EOFError:
            return {"crash": "the worker process died", "seconds": kill_after}

    def stop(self, kill: bool = False) -> None:
        if not kill:
            with contextlib.suppress(BrokenPipeError, OSError):
                self.conn.send(None)
            self.proc.join(5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()


def run_hostile(n: int, seed: int = 0, budget: float | None = BENCH_BUDGET,
                hang_seconds: float = HANG_SECONDS, kill_after: float | None = None,
                progress: Callable[[int, str], None] | None = None) -> dict[str, Any]:  # fmt: skip
    """Run ``n`` generated hostile inputs; returns the ``bench --hostile --json`` object."""
    from chronicle.evaluate.hostile import generate

    kill_after = kill_after or max(6 * hang_seconds, 60.0)
    started = time.perf_counter()
    rows: list[dict[str, Any]] = []
    peak = 0.0
    with tempfile.TemporaryDirectory(prefix="chronicle-hostile-") as tmp:
        worker = _Worker(budget)
        peak = worker.rss_mb
        try:
            for i, (name, text, suffix) in enumerate(generate(n, seed)):
                path = Path(tmp) / f"{name}{suffix}"
                path.write_text(text, "utf-8", errors="surrogatepass")
                if progress:
                    progress(i, name)
                t0 = time.perf_counter()
                out = worker.run(path, kill_after)
                if out is None:  # no answer: a hang; a fresh worker for the rest
                    worker.stop(kill=True)
                    out = {"hang": True, "seconds": time.perf_counter() - t0}
                    worker = _Worker(budget)
                elif "crash" in out and not worker.proc.is_alive():
                    worker.stop(kill=True)
                    worker = _Worker(budget)
                peak = max(peak, out.get("rss_mb", 0.0))
                rows.append({"name": name, "kind": name.split("_", 1)[1],
                             "input_chars": len(text), **out})  # fmt: skip
                path.unlink()
        finally:
            worker.stop()
    return _summary(rows, n, seed, budget, hang_seconds, peak, time.perf_counter() - started)


def _summary(rows: list[dict[str, Any]], n: int, seed: int, budget: float | None,
             hang_seconds: float, peak: float, total: float) -> dict[str, Any]:  # fmt: skip
    crashes = [{"name": r["name"], "error": r["crash"], "trace": r.get("trace", "")}
               for r in rows if "crash" in r]  # fmt: skip
    hangs = [{"name": r["name"], "seconds": round(r["seconds"], 2), "killed": bool(r.get("hang"))}
             for r in rows if r.get("hang") or r["seconds"] > hang_seconds]  # fmt: skip
    slowest = max(rows, key=lambda r: r["seconds"], default=None)
    kinds: dict[str, dict[str, Any]] = {}
    for r in rows:
        k = kinds.setdefault(r["kind"], {"inputs": 0, "max_seconds": 0.0, "warned": 0})
        k["inputs"] += 1
        k["max_seconds"] = round(max(k["max_seconds"], r["seconds"]), 2)
        k["warned"] += bool(r.get("warnings"))
    return {
        "inputs": n,
        "seed": seed,
        "time_budget_s": budget,
        "hang_threshold_s": hang_seconds,
        "crashes": crashes,
        "hangs": hangs,
        "refused": sum(1 for r in rows if "refused" in r),
        "with_warnings": sum(1 for r in rows if r.get("warnings")),
        "slowest": None if slowest is None else {
            "name": slowest["name"], "seconds": round(slowest["seconds"], 2),
            "input_chars": slowest["input_chars"], "warnings": slowest.get("warnings", []),
        },
        "peak_rss_mb": peak,
        "seconds_total": round(total, 1),
        "median_seconds": round(sorted(r["seconds"] for r in rows)[len(rows) // 2], 3)
        if rows else None,
        "kinds": kinds,
    }


def print_hostile(result: dict[str, Any], echo: Callable[[str], None]) -> None:
    """The human-readable report of :func:`run_hostile`."""
    echo(f"{result['inputs']} hostile inputs (seed {result['seed']}, time budget "
         f"{result['time_budget_s']} s) in {result['seconds_total']} s")
    echo(f"crashes: {len(result['crashes'])}")
    for c in result["crashes"]:
        echo(f"  {c['name']}: {c['error']}")
    echo(f"hangs (over {result['hang_threshold_s']:g} s): {len(result['hangs'])}")
    for h in result["hangs"]:
        echo(f"  {h['name']}: {h['seconds']} s{' (killed)' if h['killed'] else ''}")
    s = result["slowest"]
    if s:
        echo(f"slowest: {s['name']} ({s['input_chars']:,} characters) {s['seconds']} s")
    echo(f"median: {result['median_seconds']} s; refused with a reason: {result['refused']}; "
         f"with warnings: {result['with_warnings']}")
    echo(f"peak RSS: {result['peak_rss_mb']} MB")
