"""The Rich table ``chronicle bench`` prints (the ``--json`` object, laid out for reading)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

LABELS = {
    "baseline": "(a) bare spaCy nlp.pipe",
    "clean": "(b) clean stage",
    "pipeline": "(c) full pipeline, no DB",
    "ingest": "(d) ingest into SQLite",
}


def _num(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _rows(table: Table, figures: dict[str, Any], n_process: int) -> None:
    rss = figures.get("peak_rss_mb") or {}
    workers = figures.get("worker_peak_rss_mb") or {}
    for stage, label in LABELS.items():
        if f"{stage}_docs_per_s" not in figures:
            continue
        ratio = figures.get(f"{stage}_vs_baseline")
        table.add_row(label, str(n_process), _num(figures[f"{stage}_docs_per_s"]),
                      _num(figures.get(f"{stage}_words_per_s"), 0),
                      _num(ratio, 3) if ratio is not None else ("1.000" if stage == "baseline"
                                                                 else "-"),
                      _num(rss.get(stage), 0),
                      _num(workers.get(stage), 0) if workers else "")


def print_bench(result: dict[str, Any], console: Console) -> None:
    """One row per stage and process count."""
    table = Table(title=f"chronicle bench: {result['documents']} documents, "
                        f"{result['words']:,} words, {result['cores']} cores, "
                        f"spaCy model {result.get('spacy_model')}")
    for col in ("stage", "n_process", "docs/s", "words/s", "vs baseline", "peak RSS MB",
                "worker RSS MB"):
        table.add_column(col, justify="left" if col == "stage" else "right")
    _rows(table, result, 1)
    multi = result.get("multiprocess")
    if multi:
        table.add_section()
        _rows(table, multi, multi["n_process"])
    console.print(table)
    load = result.get("load_average_1m") or {}
    if load.get("start") is not None:
        console.print(f"Load average (1 min) {load['start']} at start, {load.get('end')} at end "
                      f"on {result['cores']} cores.", highlight=False)
    for stage, error in (result.get("errors") or {}).items():
        console.print(f"[red]{stage} failed:[/red] {error}", highlight=False)
