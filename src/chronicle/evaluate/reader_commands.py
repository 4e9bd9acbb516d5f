"""CLI commands that measure the event reader: ``chronicle eval-types`` (CASE 2021 snippets) and
``chronicle eval-corpus`` (the held-out fifth of the training corpus), each with ``--reader`` to
compare the rules, the learned reader and their combination in one run."""

from __future__ import annotations

import json
import os
from pathlib import Path

import typer

READERS = ("rules", "learned", "combined")


def _readers(reader: str) -> list[str]:
    if reader == "all":
        return list(READERS)
    if reader not in READERS:
        typer.echo(f"--reader: one of {', '.join(READERS)} or all; got {reader!r}", err=True)
        raise typer.Exit(2)
    return [reader]


def eval_types_command(
    file: Path = typer.Argument(..., help="CASE 2021 Task 2 TSV (id, EventSnippet, SubType)."),
    reader: str = typer.Option("combined", "--reader", help="rules, learned, combined or all."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
    misses: bool = typer.Option(False, "--misses", help="Also list the snippets not typed."),
) -> None:
    """Agreement of the events' PLOVER types with human ACLED labels on news snippets."""
    from chronicle.evaluate.types import pipeline_events, read_snippets, score

    try:
        snippets = read_snippets(file)
    except (OSError, ValueError) as exc:
        typer.echo(f"{file}: {exc}", err=True)
        raise typer.Exit(1) from exc
    results = {}
    for mode in _readers(reader):
        os.environ["CHRONICLE_EVENT_READER"] = mode
        done = score(snippets, pipeline_events,
                     progress=lambda n, m=mode: typer.echo(f"[{m}] {n} snippets", err=True))
        results[mode] = done.summary()
        if misses:
            results[mode]["misses"] = done.misses
    out = results if len(results) > 1 else next(iter(results.values()))
    if as_json:
        typer.echo(json.dumps(out, indent=1))
        return
    for mode, res in results.items():
        typer.echo(f"{mode}: found {res['found']}  type {res['type']}  first_type "
                   f"{res['first_type']}  false_alarm {res['false_alarm']}  "
                   f"({res['snippets_scored']} snippets, {res['disaster_snippets']} disasters)")
        for label, cell in res["type_per_label"].items():
            typer.echo(f"  {label:32} n={cell['n']:4}  type {cell['type']}")


def eval_corpus_command(
    corpus: list[Path] = typer.Option([Path("corpus/data")], "--corpus", help="Corpus files or "
                                      "folders (default: corpus/data); only the held-out "
                                      "fifth is scored."),
    reader: str = typer.Option("combined", "--reader", help="rules, learned, combined or all."),
    split: str = typer.Option("held-out", "--split", help="held-out (never trained on) or dev "
                              "(picks checkpoints and thresholds)."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
) -> None:
    """Event trigger, type, mode and factuality scores on the held-out part of the corpus."""
    if split not in {"held-out", "dev"}:
        typer.echo(f"--split: held-out or dev; got {split!r}", err=True)
        raise typer.Exit(2)
    from chronicle.evaluate.corpus_eval import evaluate_corpus

    results = {}
    for mode in _readers(reader):
        os.environ["CHRONICLE_EVENT_READER"] = mode
        try:
            results[mode] = evaluate_corpus(corpus, split)
        except (OSError, ValueError) as exc:
            typer.echo(f"{', '.join(map(str, corpus))}: {exc}", err=True)
            raise typer.Exit(1) from exc
    out = results if len(results) > 1 else next(iter(results.values()))
    if as_json:
        typer.echo(json.dumps(out, indent=1))
        return
    for mode, res in results.items():
        trig = res["triggers"]["all"]
        typer.echo(f"{mode}: triggers P {trig['precision']} R {trig['recall']} F1 {trig['f1']}")
        ev, asserted = res["events"], res["asserted_events"]
        typer.echo(f"{mode}: events P {ev['precision']} R {ev['recall']} F1 {ev['f1']}; "
                   f"asserted P {asserted['precision']} R {asserted['recall']}; mode accuracy "
                   f"{res['mode_accuracy']} ({res['documents']} {split} documents)")
        for typ, cell in res["triggers"]["per_type"].items():
            typer.echo(f"  {typ:10} P {cell['precision']}  R {cell['recall']}  F1 {cell['f1']}"
                       f"  (gold {cell['gold']}, system {cell['system']})")
        for cls, cell in res["factuality"].items():
            typer.echo(f"  {cls:12} P {cell['precision']}  R {cell['recall']}  "
                       f"(gold {cell['gold']})")


def register(app: typer.Typer) -> None:
    app.command("eval-types")(eval_types_command)
    app.command("eval-corpus")(eval_corpus_command)
