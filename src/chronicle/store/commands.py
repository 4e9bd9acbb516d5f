"""CLI commands of the store stage: ``events``, ``show``, ``entities``, ``search``, ``export``.

Each is a thin layer over :class:`chronicle.store.Store`. Exit code 0 on success, 1 on an error
(database unreachable, unknown event, bad option), with a one-line message on stderr.
"""

from __future__ import annotations

import csv
import json
import sys
from contextlib import contextmanager
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from collections.abc import Iterator

    from chronicle.store import Store

DB_OPTION = typer.Option(
    None, "--db", help="Database URL or SQLite file [env: CHRONICLE_DB; default ./chronicle.db]."
)


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def fail(message: str) -> typer.Exit:
    """Print ``message`` on stderr; the ``typer.Exit(1)`` to raise."""
    typer.echo(message, err=True)
    return typer.Exit(1)


@contextmanager
def open_store(db: str | None) -> Iterator[Store]:
    """Open the store, turning connection and migration errors into exit code 1."""
    from sqlalchemy.exc import SQLAlchemyError

    from chronicle.store import Store

    try:
        store = Store(db)
    except (SQLAlchemyError, OSError, ValueError) as exc:
        raise fail(f"cannot open database {db or '(default)'}: {exc}") from exc
    try:
        yield store
    except SQLAlchemyError as exc:
        raise fail(f"database error: {exc}") from exc
    finally:
        store.close()


def _console():
    from rich.console import Console

    return Console()


def events_command(
    type: str | None = typer.Option(None, "--type", help="PLOVER type, e.g. COERCE."),
    country: str | None = typer.Option(None, "--country", help="ISO 3166 alpha-2 code."),
    entity: str | None = typer.Option(None, "--entity", help="Actor or recipient name."),
    since: str | None = typer.Option(None, "--since", help="Earliest event date (ISO)."),
    until: str | None = typer.Option(None, "--until", help="Latest event date (ISO)."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="At most this many."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="Output format."),
    db: str | None = DB_OPTION,
) -> None:
    """List stored events (oldest first) with their sources."""
    with open_store(db) as store:
        found = store.events(
            type=type, country=country, entity=entity, since=since, until=until, limit=limit
        )
    if fmt is OutputFormat.json:
        typer.echo(json.dumps([e.to_dict() for e in found], ensure_ascii=False, indent=2))
    elif fmt is OutputFormat.csv:
        from chronicle.store.export import EVENT_COLUMNS, event_row

        writer = csv.DictWriter(sys.stdout, fieldnames=EVENT_COLUMNS)
        writer.writeheader()
        writer.writerows(event_row(e) for e in found)
    else:
        from chronicle.store.render import events_table

        console = _console()
        console.print(events_table(found, console.width))


def show_command(
    event_id: int = typer.Argument(..., help="The event id (first column of `events`)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead."),
    db: str | None = DB_OPTION,
) -> None:
    """Show one event: every field, its evidence sentence and its sources."""
    with open_store(db) as store:
        ev = store.event(event_id)
    if ev is None:
        raise fail(f"no event with id {event_id}")
    if as_json:
        typer.echo(json.dumps(ev.to_dict(), ensure_ascii=False, indent=2))
        return
    from chronicle.store.render import event_panel

    _console().print(event_panel(ev))


def entities_command(
    type: str | None = typer.Option(None, "--type", help="PERSON, ORG or GPE."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead."),
    raw: bool = typer.Option(False, "--raw", help="Stored entity rows, before linking."),
    db: str | None = DB_OPTION,
) -> None:
    """One row per linked person/organisation (aliases, documents, events); --raw: stored rows."""
    if not raw and (type or "").upper() not in ("GPE", "LOC"):
        from chronicle.link.summary import linked_entities

        with open_store(db) as store:
            linked = linked_entities(store, type)
        if linked:  # linking has run: the corpus-wide view
            if as_json:
                typer.echo(json.dumps([asdict(e) for e in linked], ensure_ascii=False, indent=2))
                return
            from chronicle.store.render import linked_entities_table

            _console().print(linked_entities_table(linked))
            return
    with open_store(db) as store:
        found = store.entities(type=type)
    if as_json:
        typer.echo(json.dumps([e.to_dict() for e in found], ensure_ascii=False, indent=2))
        return
    from chronicle.store.render import entities_table

    _console().print(entities_table(found))


def search_command(
    query: str = typer.Argument(..., help="Words to find (all must occur)."),
    limit: int = typer.Option(10, "--limit", min=1, help="At most this many documents."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead."),
    db: str | None = DB_OPTION,
) -> None:
    """Full-text search over the stored article bodies."""
    with open_store(db) as store:
        hits = store.search(query, limit=limit)
    if as_json:
        typer.echo(json.dumps([h.to_dict() for h in hits], ensure_ascii=False, indent=2))
        return
    if not hits:
        typer.echo("no matches", err=True)
        return
    from chronicle.store.render import print_hits

    print_hits(_console(), hits)


def export_command(
    fmt: str = typer.Option(..., "--format", help="csv, json, parquet, or a registered one."),
    output: Path = typer.Option(..., "-o", "--output", help="File to write."),
    db: str | None = DB_OPTION,
) -> None:
    """Export the stored events to a file."""
    from chronicle.store.export import EXPORTERS

    exporter = EXPORTERS.get(fmt.lower())
    if exporter is None:
        raise fail(f"unknown format {fmt!r}; choose one of: {', '.join(sorted(EXPORTERS))}")
    with open_store(db) as store:
        try:
            written = exporter(store, output)
        except OSError as exc:
            raise fail(f"{output}: {exc.strerror or exc}") from exc
    typer.echo(f"{written} rows written to {output}", err=True)


def register(app: typer.Typer) -> None:
    """Add this stage's commands to ``app``."""
    app.command("events")(events_command)
    app.command("show")(show_command)
    app.command("entities")(entities_command)
    app.command("search")(search_command)
    app.command("export")(export_command)
