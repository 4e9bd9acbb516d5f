"""CLI command of the ingest stage: ``chronicle ingest PATH... [--sample]``.

Reads, processes and stores files (``.txt``, ``.html``, ``.jsonl``; directories recursively) with
a progress bar on stderr, then prints the summary line. Each bad file, record or file name is
reported on stderr as one line ``path: reason`` (``path:LINE: reason`` for a JSONL line,
``path#N: reason`` for a WARC record) as it happens, and the batch goes on; a linking failure is
reported the same way. Odd but readable input gets a ``path: warning: reason`` line.

Exit status: 0 when every input was stored (or was already), 1 when anything failed (the summary
says how many) or the run itself failed (no input, database unreachable).
"""

from __future__ import annotations

from contextlib import ExitStack
from importlib import resources
from pathlib import Path

import typer

from chronicle.store.commands import DB_OPTION, fail, open_store


def _fields(specs: list[str]):
    # "--field text=article_body" options -> JsonlFields with that key tried first.
    from chronicle.ingest.registry import JsonlFields, ReadOptions

    fields = JsonlFields()
    for spec in specs:
        name, sep, key = spec.partition("=")
        if not sep or not key or name not in vars(fields):
            known = ", ".join(vars(fields))
            raise fail(f"--field {spec!r}: expected FIELD=KEY with FIELD one of {known}")
        setattr(fields, name, (key, *getattr(fields, name)))
    return ReadOptions(jsonl=fields)


def ingest_command(
    paths: list[Path] = typer.Argument(None, help="Files or directories (recursive)."),
    sample: bool = typer.Option(False, "--sample", help="Also ingest the bundled sample corpus."),
    db: str | None = DB_OPTION,
    n_process: int = typer.Option(1, "--n-process", min=1, help="Parser processes (spaCy)."),
    field: list[str] = typer.Option(
        [], "--field", help="JSONL key for a field, e.g. --field text=article_body (repeatable)."
    ),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar."),
) -> None:
    """Read, clean, extract and store articles; already stored ones are skipped."""
    options = _fields(field)
    targets = list(paths or [])
    with ExitStack() as stack:
        if sample:
            folder = resources.files("chronicle") / "sample"
            targets.append(stack.enter_context(resources.as_file(folder)))
        if not targets:
            raise fail("nothing to ingest: give files or directories, or --sample")

        def report_error(error) -> None:
            typer.echo(str(error), err=True)

        store = stack.enter_context(open_store(db))
        try:
            report = store.ingest(
                targets,
                n_process=n_process,
                progress=progress,
                on_error=report_error,
                options=options,
            )
        except RuntimeError as exc:  # e.g. the spaCy model is not installed
            raise fail(str(exc)) from exc
    typer.echo(report.summary())
    if report.failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add this stage's commands to ``app``."""
    app.command("ingest")(ingest_command)
