"""CLI commands of the extract stage: ``chronicle extract FILE``."""

from __future__ import annotations

import json
from pathlib import Path

import typer


def extract_command(
    file: Path = typer.Argument(..., help="An article file (.txt, .html, .jsonl first record)."),
    as_json: bool = typer.Option(False, "--json", help="Print the full JSON document."),
) -> None:
    """Clean and extract one article, print its events, entities and claims (no database)."""
    import chronicle

    try:
        doc = chronicle.extract(file)
    except (OSError, ValueError) as exc:
        typer.echo(f"{file}: {exc}", err=True)
        raise typer.Exit(1) from exc
    for warning in doc.warnings:  # what was blanked, cut short or left out, one line each
        typer.echo(f"{file}: {warning}", err=True)
    if as_json:
        typer.echo(json.dumps(doc.to_dict(), ensure_ascii=False, indent=2))
        return
    from chronicle.extract.render import print_document

    print_document(doc)


def register(app: typer.Typer) -> None:
    """Add this stage's commands to ``app``."""
    app.command("extract")(extract_command)
