"""CLI commands for scale-out: ``chronicle spark`` and ``chronicle load``."""

from __future__ import annotations

from pathlib import Path

import typer


def spark_command(
    inputs: list[str] = typer.Argument(..., help="Files or directories (txt, html, jsonl, warc)."),
    output: Path = typer.Option(..., "--output", "-o", help="Directory for the Parquet tables."),
    master: str = typer.Option("local[2]", help="Spark master: local[N] or spark://host:7077."),
    partitions: int = typer.Option(0, help="Input partitions (default: Spark's parallelism)."),
) -> None:
    """Clean and extract INPUTS on Apache Spark; write documents/entities/events/claims Parquet."""
    try:
        from chronicle.scale.spark_job import run_spark
    except ImportError as exc:  # pyspark is an optional extra
        typer.echo(f"chronicle spark needs PySpark: pip install 'chronicle[spark]' ({exc})",
                   err=True)
        raise typer.Exit(1) from exc
    try:
        counts = run_spark(inputs, output, master=master, partitions=partitions or None)
    except ValueError as exc:
        typer.echo(f"chronicle spark: {exc}", err=True)
        raise typer.Exit(1) from exc
    summary = ", ".join(f"{n} {name}" for name, n in counts.items())
    typer.echo(f"wrote {output}: {summary}")


def load_command(
    directory: Path = typer.Argument(..., help="Output directory of `chronicle spark`."),
    db: str = typer.Option(None, "--db", envvar="CHRONICLE_DB", help="Database URL or path."),
) -> None:
    """Load `chronicle spark` Parquet output into a store (SQLite or PostgreSQL), then link."""
    from chronicle.scale.spark_job import read_documents
    from chronicle.store import Store

    if not (directory / "documents").is_dir():
        typer.echo(f"{directory}: not a `chronicle spark` output (no documents/ table)", err=True)
        raise typer.Exit(1)
    from chronicle.link.relink import link_pending

    with Store(db) as store:
        report = store.add_documents(read_documents(directory))
        for path, reason in report.failed:
            typer.echo(f"{path}: {reason}", err=True)
        linked = link_pending(store)
    typer.echo(f"loaded {directory}: {report.summary()}; linked {linked.documents} documents")


def register(app: typer.Typer) -> None:
    """Add this stage's commands to ``app``."""
    app.command("spark")(spark_command)
    app.command("load")(load_command)
