"""``chronicle bench``: throughput and peak memory of Chronicle against bare spaCy, in one run.

On the same documents it times (a) bare spaCy ``nlp.pipe`` over the raw texts (the baseline),
(b) the clean stage alone, (c) the full pipeline without a database, (d) full ingest into a
temporary SQLite store; first with one process, then with ``n_process`` = the number of cores
(for the stages that take ``n_process``: the clean stage runs in the parent process by design).
Each measurement runs in a fresh ``spawn``-ed process (see :mod:`chronicle.evaluate.bench_stages`)
so that one stage's memory peak does not leak into another's.

Default corpus: the bundled sample repeated to at least 200 documents. Each copy is edited so that
it is a distinct document (its own content hash) *and* reads like a new article of the same
outlet: every prose paragraph gets a short copy tag, while short site-chrome lines stay identical.
Without the tags, the cleaner's cross-document boilerplate detection would rightly treat the
repeated article paragraphs as site chrome and the later stages would have almost nothing to do.

Words are whitespace-separated tokens of the raw texts, the same count for every stage, so
``words_per_s`` compares stages directly. Ratios are Chronicle's docs/s over the baseline's.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from chronicle.evaluate.bench_stages import stage_entry

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample"
MIN_DEFAULT_DOCUMENTS = 200
STAGE_ORDER = ("baseline", "clean", "pipeline", "ingest")
MULTI_STAGES = ("baseline", "pipeline", "ingest")
# A line at least this long is prose (an article paragraph), not a menu item or a label.
PROSE_LINE_CHARS = 100
_PARAGRAPH_END = re.compile(r"</p\s*>", re.IGNORECASE)


def copy_tag(k: int) -> str:
    """A short tag for copy ``k`` made of letters (digits could be read as numeric claims)."""
    letters = ""
    while True:
        k, r = divmod(k, 26)
        letters = chr(ord("a") + r) + letters
        if k == 0:
            return f"copy{letters}"


def edit_copy(text: str, k: int, fmt: str) -> str:
    """Copy ``k`` of an article (``k == 0`` is the original): prose paragraphs tagged."""
    if k == 0:
        return text
    tag = f" [{copy_tag(k)}]"
    if fmt == "html":
        return _PARAGRAPH_END.sub(lambda m: tag + m.group(0), text) + f"\n<!--{tag} -->\n"
    lines = [line + tag if len(line.strip()) >= PROSE_LINE_CHARS else line
             for line in text.split("\n")]
    return "\n".join(lines) + f"\n{tag.strip()}\n"


def build_corpus(texts: Path | None, repeat: int | None, out_dir: Path,
                 errors: list[str] | None = None) -> list[Path]:
    """Write the benchmark corpus to ``out_dir`` (one file per document) and return the files.
    Input files are read as ingest reads them (every format, every record of a JSONL or WARC
    file); unreadable ones are added to ``errors`` as one-line messages."""
    from chronicle.ingest import documents_of_file, iter_files

    source_dir = texts or SAMPLE_DIR
    sink = errors if errors is not None else []
    sources = [doc for path in iter_files([source_dir], lambda e: sink.append(str(e)))
               for doc in documents_of_file(path, lambda e: sink.append(str(e)))]
    if not sources:
        raise ValueError(f"{source_dir}: no documents to benchmark")
    if repeat is None:
        repeat = 1 if texts else math.ceil(MIN_DEFAULT_DOCUMENTS / len(sources))
    out_dir.mkdir(parents=True, exist_ok=True)
    files = []
    for k in range(repeat):
        for i, doc in enumerate(sources):
            fmt = "html" if doc.format == "html" else "txt"
            path = out_dir / f"{k:04d}_{i:04d}.{fmt}"
            path.write_text(edit_copy(doc.raw_text, k, fmt), "utf-8")
            files.append(path)
    return files


def _measure(stage: str, work: Path, n_process: int) -> dict[str, Any]:
    """Run one stage in a fresh spawned process and return its measurement."""
    ctx = multiprocessing.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=stage_entry, args=(stage, str(work), n_process, send))
    proc.start()
    send.close()
    try:
        result = receive.recv()
    except EOFError:
        result = {"error": "the measuring process died"}
    proc.join()
    return result


def _rate(count: float, result: dict[str, Any]) -> float | None:
    seconds = result.get("seconds")
    return count / seconds if seconds else None


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def _figures(runs: dict[str, dict[str, Any]], words: int, stages: tuple[str, ...]) -> dict:
    out: dict[str, Any] = {}
    for stage in stages:
        run = runs.get(stage, {})
        out[f"{stage}_docs_per_s"] = _rate(run.get("documents") or 0, run)
        out[f"{stage}_words_per_s"] = _rate(words, run) if run.get("documents") else None
    for stage in ("pipeline", "ingest"):
        if stage in stages:
            out[f"{stage}_vs_baseline"] = _ratio(out[f"{stage}_docs_per_s"],
                                                 out["baseline_docs_per_s"])
    return out


def _load_average() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except (AttributeError, OSError):  # not available on this platform
        return None


def run_bench(texts: Path | None = None, repeat: int | None = None,
              console: Console | None = None, cores: int | None = None) -> dict[str, Any]:
    """Measure every stage; returns the ``chronicle bench --json`` object."""
    cores = cores or os.cpu_count() or 1
    load_before = _load_average()
    plan = [(s, 1) for s in STAGE_ORDER] + ([(s, cores) for s in MULTI_STAGES] if cores > 1 else [])
    with tempfile.TemporaryDirectory(prefix="chronicle-bench-") as tmp:
        work = Path(tmp)
        input_errors: list[str] = []
        files = build_corpus(texts, repeat, work / "corpus", input_errors)
        for line in input_errors:
            (console or Console(stderr=True)).print(line, highlight=False, markup=False)
        words = sum(len(p.read_text("utf-8").split()) for p in files)
        single: dict[str, dict[str, Any]] = {}
        multi: dict[str, dict[str, Any]] = {}
        progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                            TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
                            console=console or Console(stderr=True), transient=True)
        with progress:
            task = progress.add_task("bench", total=len(plan))
            for stage, n in plan:
                progress.update(task, description=f"{stage} (n_process={n}, {len(files)} docs)")
                (single if n == 1 else multi)[stage] = _measure(stage, work, n)
                progress.advance(task)
    from chronicle.nlp import model_name

    result: dict[str, Any] = {"documents": len(files), "words": words, "cores": cores,
                              "spacy_model": model_name(),
                              # Other work on the machine slows every stage: say how busy it was.
                              "load_average_1m": {"start": load_before, "end": _load_average()}}
    result.update(_figures(single, words, STAGE_ORDER))
    result["peak_rss_mb"] = {s: single[s].get("peak_rss_mb") for s in STAGE_ORDER}
    result["peak_rss_mb_max"] = max((v for v in result["peak_rss_mb"].values() if v), default=None)
    if multi:
        multi_figures = _figures(multi, words, MULTI_STAGES)
        multi_figures["peak_rss_mb"] = {s: multi[s].get("peak_rss_mb") for s in MULTI_STAGES}
        multi_figures["worker_peak_rss_mb"] = {s: multi[s].get("worker_peak_rss_mb")
                                               for s in MULTI_STAGES}
        result["multiprocess"] = {"n_process": cores, **multi_figures}
    errors = {f"{s}@{n}": r["error"] for runs, n in ((single, 1), (multi, cores))
              for s, r in runs.items() if "error" in r}
    if errors:
        result["errors"] = errors
    return result
