"""``chronicle eval-bodies``: article-body extraction scored on a Zyte-style benchmark directory."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def eval_bodies(
    directory: Path = typer.Argument(..., help="Dir with html/ID.html.gz and ground-truth.json"),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    details: bool = typer.Option(False, "--details", help="List the 20 worst pages for Chronicle."),
) -> None:
    """Score Chronicle's clean stage and bare trafilatura on an article-extraction benchmark."""
    from chronicle.evaluate.bodies import recall_losses, run_benchmark, worst_pages

    if not (directory / "ground-truth.json").is_file() or not (directory / "html").is_dir():
        typer.echo(f"{directory}: not a benchmark directory (needs html/ and ground-truth.json)",
                   err=True)
        raise typer.Exit(2)
    result, runs, truth = run_benchmark(directory)
    worst = worst_pages(runs, truth) if details else []
    losses = recall_losses(runs, truth)
    if as_json:
        out = dict(result)
        if details:
            out["worst"] = worst
            out["recall_loss_pages"] = losses
        typer.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    console = Console()
    table = Table(title=f"Article-body extraction on {result['pages']} pages")
    for col in ("system", "precision", "recall", "F1", "pages/s"):
        table.add_column(col, justify="right" if col != "system" else "left")
    for name in ("chronicle", "trafilatura"):
        r = result[name]
        table.add_row(name, _fmt(r["precision"]), _fmt(r["recall"]), _fmt(r["f1"]),
                      f"{r['pages_per_s']:.1f}" if r["pages_per_s"] else "-")
    console.print(table)
    console.print(f"Pages where Chronicle's recall is below trafilatura's: {len(losses)}")
    for row in worst:
        console.print(
            f"\n[bold]{escape(row['id'])}[/bold] F1 {row['f1']:.3f} (P {row['precision']:.3f}, "
            f"R {row['recall']:.3f}) {escape(row['url'] or '')}"
        )
        for para in row["extra"]:
            console.print(f"  [red]+ kept[/red]   {escape(para)}")
        for para in row["missed"]:
            console.print(f"  [yellow]- missed[/yellow] {escape(para)}")


def register(app: typer.Typer) -> None:
    """Add ``eval-bodies`` to ``app``."""
    app.command("eval-bodies")(eval_bodies)
