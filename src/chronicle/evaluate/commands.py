"""CLI commands of the evaluate stage: ``chronicle eval`` and ``chronicle bench`` (and
``chronicle eval-bodies``, which lives in ``bodies_commands``), registered by ``chronicle.cli``."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console


def _stdout_console() -> Console:
    # Piped output would otherwise be cut to 80 columns, too narrow for the per-document table.
    console = Console()
    return console if console.is_terminal else Console(width=140)


def eval_command(
    gold: Path = typer.Option(..., "--gold", help="Directory of gold JSON files (GUIDE.md)."),
    texts: Path = typer.Option(..., "--texts", help="Directory of the articles, matched by stem."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as one JSON object."),
    details: bool = typer.Option(False, "--details", help="List every miss and false find."),
) -> None:
    """Score Chronicle against hand-written gold annotations (micro-averaged over documents)."""
    from chronicle.evaluate.runner import evaluate

    for name, path in (("--gold", gold), ("--texts", texts)):
        if not path.is_dir():
            typer.echo(f"{path}: {name} is not a directory", err=True)
            raise typer.Exit(2)
    err = Console(stderr=True)
    with err.status("Running the pipeline over the gold set...") as status:
        run = evaluate(gold, texts, progress=lambda stem: status.update(f"Processed {stem}"))
    for line in run.errors:
        typer.echo(line, err=True)
    if as_json:
        out = run.summary()
        if details:
            out["details"] = {k: {"missed": s.missed, "unmatched": s.spurious, "wrong": s.wrong}
                              for k, s in sorted(run.scores.items())}
            if run.linking_details:
                out["details"]["linking"] = run.linking_details
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2, default=str))
        return
    from chronicle.evaluate.report import print_report

    print_report(run, _stdout_console(), details=details)


def bench_command(
    texts: Path | None = typer.Option(None, "--texts", help="Directory of articles to time "
                                      "(default: the bundled sample, repeated)."),
    repeat: int | None = typer.Option(None, "--repeat", min=1, help="Copies of each text "
                                      "(default: enough for at least 200 documents)."),
    cores: int | None = typer.Option(None, "--cores", min=1, help="n_process of the "
                                     "multi-process runs (default: all cores; 1 skips them)."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as one JSON object."),
    spark: bool = typer.Option(False, "--spark", help="Instead: the Spark job on local[1] vs "
                               "local[2] over the sample repeated (needs the spark extra)."),
    spark_docs: int = typer.Option(2000, "--spark-docs", min=10, help="Documents for --spark."),
    linking: str | None = typer.Option(None, "--linking", help="Instead: linking cost per new "
                                       "article as the store grows, e.g. --linking 1000,10000 "
                                       "(stored synthetic-duplicate events)."),
    hostile: int | None = typer.Option(None, "--hostile", min=1, help="Instead: N generated "
                                       "hostile inputs through the pipeline (no store): crashes, "
                                       "hangs, the slowest input, peak RSS."),
    seed: int = typer.Option(0, "--seed", help="Seed of the --hostile inputs."),
    budget: float = typer.Option(8.0, "--budget", min=0, help="Time budget per document in "
                                 "seconds for --hostile (0: none)."),
) -> None:
    """Throughput and peak memory of spaCy alone, cleaning, the pipeline and SQLite ingest."""
    if hostile:
        _bench_hostile(hostile, seed, budget or None, as_json)
        return
    if spark:
        _bench_spark(spark_docs, as_json)
        return
    if linking:
        _bench_linking(linking, as_json)
        return
    from chronicle.evaluate.bench import run_bench
    from chronicle.evaluate.bench_report import print_bench

    if texts is not None and not texts.is_dir():
        typer.echo(f"{texts}: --texts is not a directory", err=True)
        raise typer.Exit(2)
    try:
        result = run_bench(texts, repeat, console=Console(stderr=True), cores=cores)
    except ValueError as exc:  # no readable documents
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    if as_json:
        typer.echo(json.dumps(result, indent=2))
    else:
        print_bench(result, _stdout_console())
    if result.get("errors"):
        raise typer.Exit(1)


def _bench_hostile(n: int, seed: int, budget: float | None, as_json: bool) -> None:
    from chronicle.evaluate.bench_hostile import print_hostile, run_hostile

    with Console(stderr=True).status("hostile inputs...") as status:
        result = run_hostile(n, seed, budget,
                             progress=lambda i, name: status.update(f"{i + 1}/{n} {name}"))
    if as_json:
        typer.echo(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print_hostile(result, typer.echo)
    if result["crashes"] or result["hangs"]:
        raise typer.Exit(1)


def _bench_linking(sizes_text: str, as_json: bool) -> None:
    from chronicle.link.bench import bench_linking

    try:
        sizes = tuple(int(x) for x in sizes_text.split(","))
    except ValueError as exc:
        typer.echo(f"--linking: give store sizes like 1000,10000 ({exc})", err=True)
        raise typer.Exit(2) from exc
    rows = bench_linking(sizes)
    if as_json:
        typer.echo(json.dumps({"linking": rows}, indent=2))
        return
    for r in rows:
        typer.echo(f"{r['stored_events']:>7} stored events: "
                   f"{r['seconds_per_article_median'] * 1000:.0f} ms per new article (median; "
                   f"p90 {r['seconds_per_article_p90'] * 1000:.0f} ms), "
                   f"{r['candidates_compared_median']} candidates compared; "
                   f"store built in {r['build_seconds']} s")


def _bench_spark(n_docs: int, as_json: bool) -> None:
    try:
        from chronicle.scale.bench_spark import bench_spark
    except ImportError as exc:
        typer.echo(f"bench --spark needs PySpark: pip install 'chronicle[spark]' ({exc})",
                   err=True)
        raise typer.Exit(2) from exc
    result = bench_spark(n_docs)
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    for master in ("local[1]", "local[2]"):
        r = result[master]
        typer.echo(f"{master}: {result['documents']} documents in {r['seconds']} s "
                   f"= {r['docs_per_s']} docs/s")
    typer.echo(f"speed-up local[2] / local[1]: {result.get('speedup')}")


def register(app: typer.Typer) -> None:
    """Add this stage's commands to ``app``."""
    app.command("eval")(eval_command)
    app.command("bench")(bench_command)
