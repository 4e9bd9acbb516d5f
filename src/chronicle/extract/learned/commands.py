"""CLI commands of the learned event reader: ``chronicle train`` and ``chronicle corpus``."""

from __future__ import annotations

import json
from pathlib import Path

import typer

DEFAULT_CORPUS = Path("corpus/data")


def train_command(
    corpus: list[Path] = typer.Option([DEFAULT_CORPUS], "--corpus", help="Corpus files or "
                                      "folders of *.jsonl (default: corpus/data)."),
    base: str = typer.Option("all", "--base", help="Base pipeline the weights are for: sm, md "
                             "or all."),
    out: Path | None = typer.Option(None, "--out", help="Write the weights here instead of "
                                    "into the package (only with one --base)."),
    max_epochs: int | None = typer.Option(None, "--max-epochs", min=1, help="Override the "
                                          "config's number of epochs (tests use 1)."),
) -> None:
    """Rebuild the event reader's weights from the corpus (fixed seeds: the same weights again)."""
    from chronicle.extract.learned.train import BASES, train

    bases = list(BASES) if base == "all" else [base]
    if any(b not in BASES for b in bases) or (out is not None and len(bases) != 1):
        typer.echo(f"--base: one of sm, md, all (and one base with --out); got {base!r}", err=True)
        raise typer.Exit(2)
    for path in corpus:
        if not path.exists():
            typer.echo(f"{path}: no such corpus file or folder", err=True)
            raise typer.Exit(2)
    for b in bases:
        try:
            summary = train(corpus, base=b, out=out, max_epochs=max_epochs,
                            echo=lambda m: typer.echo(m, err=True))  # fmt: skip
        except ValueError as exc:
            typer.echo(f"{', '.join(map(str, corpus))}: {exc}", err=True)
            raise typer.Exit(1) from exc
        summary.pop("corpus_counts", None)
        typer.echo(json.dumps(summary, indent=1))


def corpus_check_command(
    paths: list[Path] = typer.Argument(None, help="Corpus files or folders (default: "
                                       "corpus/data)."),
    as_json: bool = typer.Option(False, "--json", help="Print the counts as JSON."),
) -> None:
    """Validate every corpus record (one `path:line: reason` per problem) and print the counts."""
    from chronicle.extract.learned.corpus import counts, load

    docs, problems = load(paths or [DEFAULT_CORPUS])
    for p in problems:
        typer.echo(p, err=True)
    c = counts(docs)
    if as_json:
        typer.echo(json.dumps(dict(sorted(c.items())), indent=1))
    else:
        for key in sorted(c):
            typer.echo(f"{key}\t{c[key]}")
    if problems:
        raise typer.Exit(1)


def corpus_agreement_command(
    second: list[Path] = typer.Argument(..., help="The blind second reading (files/folders)."),
    corpus: list[Path] = typer.Option([DEFAULT_CORPUS], "--corpus", help="The first reading."),
    blind: Path | None = typer.Option(None, "--write-blind", help="Instead: write the blind "
                                      "sample (annotations removed) to this file."),
) -> None:
    """Agreement between the corpus and a blind second reading of its 10 % sample (JSON)."""
    from chronicle.extract.learned.agreement import agreement, blind_sample

    if blind is not None:
        n = blind_sample(corpus, blind)
        typer.echo(f"{blind}: {n} documents to annotate blind")
        return
    try:
        typer.echo(json.dumps(agreement(corpus, second), indent=1))
    except ValueError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc


def register(app: typer.Typer) -> None:
    """Add this component's commands to ``app``."""
    app.command("train")(train_command)
    app.command("corpus-check")(corpus_check_command)
    app.command("corpus-agreement")(corpus_agreement_command)
