"""CLI commands of the clean stage (registered on the root app by ``chronicle.cli``).

``chronicle clean FILE`` prints the cleaned body; ``--diff`` lists every block with its verdict
and the rule or signal that decided it, so a user can see (and challenge) each decision.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

from chronicle.model import Document


def _read(path: Path) -> Document:
    data = path.read_bytes()
    name = path.name.lower()
    if name.endswith(".gz"):  # benchmark pages come gzipped (ID.html.gz)
        data = gzip.decompress(data)
        name = name[:-3]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        text = str(best) if best is not None else data.decode("utf-8", errors="replace")
    fmt = "html" if name.endswith((".html", ".htm")) else "txt"
    return Document(source=str(path), raw_text=text, format=fmt)


def clean(
    file: Path = typer.Argument(..., help="A .txt or .html article."),
    diff: bool = typer.Option(False, "--diff", help="Show each dropped block and why."),
    as_json: bool = typer.Option(False, "--json", help="Print body, metadata and decisions."),
) -> None:
    """Print the cleaned article body of FILE (with --diff: what was dropped and why)."""
    from chronicle.clean import clean_document

    try:
        doc = _read(file)
    except (OSError, EOFError) as exc:
        typer.echo(f"{file}: cannot read ({getattr(exc, 'strerror', None) or exc})", err=True)
        raise typer.Exit(1) from None
    clean_document(doc)
    if as_json:
        out = {k: getattr(doc, k) for k in ("title", "outlet", "author", "published", "language")}
        out["body"] = doc.body
        out["decisions"] = [
            {"start": d.start, "end": d.end, "kept": d.kept, "reason": d.reason, "text": d.text}
            for d in doc.decisions
        ]
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    if not diff:
        typer.echo(doc.body)
        return
    console = Console(highlight=False)
    console.print(f"[bold]title[/bold] {escape(str(doc.title))}   [bold]outlet[/bold] "
                  f"{escape(str(doc.outlet))}   [bold]author[/bold] {escape(str(doc.author))}   "
                  f"[bold]published[/bold] {doc.published}   [bold]language[/bold] {doc.language}")
    for d in doc.decisions:
        text = escape(" ".join(d.text.split()))
        if d.kept:
            console.print(f"  [green]keep[/green] {text}")
        else:
            console.print(f"[red]- drop[/red] [dim]\\[{escape(d.reason)}][/dim] {text}")


def register(app: typer.Typer) -> None:
    """Add this stage's commands to ``app``."""
    app.command("clean")(clean)
