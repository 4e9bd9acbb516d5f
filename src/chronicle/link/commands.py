"""CLI commands of the link stage (registered on the root app by ``chronicle.cli``):
``chronicle link`` (link what is not linked yet, or ``--rebuild`` everything), with views of the
result (``--entities``: one row per linked person/organisation; ``--disagreements``: events whose
sources give different values)."""

from __future__ import annotations

import json

import typer

from chronicle.store.commands import DB_OPTION, open_store


def link_command(
    rebuild: bool = typer.Option(False, "--rebuild", help="Undo every link, then link all."),
    entities: bool = typer.Option(False, "--entities", help="List the linked entities."),
    disagreements: bool = typer.Option(
        False, "--disagreements", help="List events whose sources disagree."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead."),
    db: str | None = DB_OPTION,
) -> None:
    """(Re)run cross-document linking over the store: events, entities, places."""
    from dataclasses import asdict

    from chronicle.link.relink import link_pending
    from chronicle.link.relink import rebuild as rebuild_all
    from chronicle.link.summary import disagreeing_events, linked_entities

    with open_store(db) as store:
        if entities:
            found = linked_entities(store)
            if as_json:
                typer.echo(json.dumps([asdict(e) for e in found], ensure_ascii=False, indent=2))
                return
            for e in found:
                typer.echo(f"{e.canonical_id}\t{e.type}\t{e.name}\taliases={len(e.aliases)}"
                           f"\tdocuments={e.documents}\tevents={e.events}")
            return
        if disagreements:
            found_d = disagreeing_events(store)
            if as_json:
                typer.echo(json.dumps(found_d, ensure_ascii=False, indent=2))
                return
            for item in found_d:
                for name, values in item["disagreements"].items():
                    told = "; ".join(
                        f"{v['value']} ({v['outlet'] or 'document ' + str(v['document_id'])})"
                        for v in values)
                    typer.echo(f"event {item['event_id']}\t{name}\t{told}")
            return
        with store.linking():  # an ingest's linking in another process waits, and vice versa
            report = rebuild_all(store) if rebuild else link_pending(store)
    summary = {k: v for k, v in asdict(report).items() if k != "errors"}
    if as_json:
        typer.echo(json.dumps(summary))
        return
    typer.echo(f"linked {report.documents} documents: {report.entity_refs} entity and "
               f"{report.event_refs} event references, {report.events_merged} events merged "
               f"into others ({report.seconds:.2f}s)", err=True)


def register(app: typer.Typer) -> None:
    """Add this stage's commands to ``app``."""
    app.command("link")(link_command)
