"""Human-readable rendering of one extracted document (``chronicle extract`` without --json)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from chronicle.model import Document


def print_document(doc: Document, console: Console | None = None) -> None:
    console = console or Console()
    console.print(f"[bold]{doc.title or '(no title)'}[/bold]")
    console.print(
        f"outlet: {doc.outlet or '-'}   author: {doc.author or '-'}   "
        f"published: {doc.published or 'unknown'}   language: {doc.language or '-'}"
    )
    events = Table(title="Events", show_lines=False)
    # The evidence sentences are in --json and in `chronicle show`; the table stays readable.
    for col in ("type", "mode", "actor", "recipient", "date", "place", "legal"):
        events.add_column(col, overflow="fold")
    for e in doc.events:
        legal = "; ".join(
            x
            for x in (
                e.charge,
                e.custody,
                f"max {e.max_penalty_years:g}y" if e.max_penalty_years else None,
                f"sentence {e.sentence_years:g}y" if e.sentence_years else None,
            )
            if x
        )
        flags = " (negated)" if e.negated else " (hypothetical)" if e.hypothetical else ""
        place = f"{e.location.name} ({e.location.country})" if e.location else ""
        events.add_row(
            e.type + flags, e.mode or "", e.actor or "", e.recipient or "", e.date or "",
            place, legal,
        )
    console.print(events)
    entities = Table(title="Entities")
    for col in ("name", "type", "role", "mentions"):
        entities.add_column(col, overflow="fold")
    for ent in doc.entities:
        entities.add_row(ent.name, ent.type, ent.role or "", str(len(ent.mentions)))
    console.print(entities)
    claims = Table(title="Claims")
    for col in ("metric", "value", "unit", "qualifier", "subject", "as_of", "claimed_by"):
        claims.add_column(col, overflow="fold")
    for c in doc.claims:
        claims.add_row(
            c.metric, f"{c.value:g}", c.unit or "", c.qualifier or "", c.subject or "",
            c.as_of or "", ", ".join(c.claimed_by),
        )
    console.print(claims)
