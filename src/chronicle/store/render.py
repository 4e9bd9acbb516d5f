"""Rich rendering of stored records for the CLI. Stored text is untrusted: it always goes into
``Text`` objects (never parsed as Rich markup)."""

from __future__ import annotations

import re

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from chronicle.store.fts import HIT_END, HIT_START
from chronicle.store.records import SearchHit, StoredEntity, StoredEvent

# Event fields shown by ``chronicle show``, in this order, when set.
_SHOW_FIELDS = (
    "type", "mode", "also_type", "context", "actor", "recipient", "date", "date_text", "location",
    "charge", "custody", "max_penalty_years", "sentence_years", "reported_by", "negated",
    "hypothetical", "historical", "confidence", "canonical_id",
)  # fmt: skip


def _t(value: object, style: str = "") -> Text:
    return Text("" if value is None else str(value), style=style)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _where(ev: StoredEvent) -> str:
    loc = ev.location
    if not loc:
        return ""
    return ", ".join(x for x in (loc.name, loc.country) if x)


def _kind(ev: StoredEvent) -> Text:
    label = Text(ev.type, style="bold")
    if ev.mode:
        label.append("/" + ev.mode)
    if ev.negated or ev.hypothetical:
        label.append(" (" + ("negated" if ev.negated else "hypothetical") + ")", style="yellow")
    return label


# Evidence longer than this is clipped in the events table.
EVIDENCE_CHARS = 140
# Console widths from which the actor and then the evidence columns fit (``show`` has both).
WITH_ACTOR = 110
WITH_EVIDENCE = 160


def events_table(events: list[StoredEvent], width: int = WITH_EVIDENCE) -> Table:
    """One row per event: id, date, kind, actor, recipient, where, sources, evidence.

    Narrow consoles drop the evidence, then the actor; the evidence is clipped anyway: the table
    is an index, ``chronicle show ID`` has everything.
    """
    actor, evidence = width >= WITH_ACTOR, width >= WITH_EVIDENCE
    note = "" if evidence or not events else " (chronicle show ID for evidence)"
    table = Table(title=f"{len(events)} events{note}", title_justify="left")
    table.add_column("id", justify="right", style="cyan", no_wrap=True)
    table.add_column("date", no_wrap=True)
    table.add_column("event", max_width=20)
    if actor:
        table.add_column("actor", max_width=20)
    table.add_column("recipient", max_width=20)
    table.add_column("where", max_width=16)
    table.add_column("source", max_width=16)
    if evidence:
        table.add_column("evidence", max_width=max(width - 130, 30))
    for ev in events:
        outlets = ", ".join(dict.fromkeys(s.outlet or f"doc #{s.document_id}" for s in ev.sources))
        cells = [_t(ev.id), _t(ev.date or "–", "" if ev.date else "dim"), _kind(ev)]
        if actor:
            cells.append(_t(ev.actor))
        cells += [_t(ev.recipient), _t(_where(ev)), _t(outlets)]
        if evidence:
            cells.append(_t(_clip(" ".join(ev.evidence.split()), EVIDENCE_CHARS), "italic"))
        table.add_row(*cells)
    return table


def _field_value(ev: StoredEvent, name: str) -> str | None:
    value = getattr(ev, name)
    if name == "location":
        return _where(ev) or None
    if isinstance(value, list):
        return ", ".join(value) or None
    if value is False or value is None or value == "":
        return None
    return str(value)


def event_panel(ev: StoredEvent) -> Panel:
    """Every set field, the evidence sentence and each source (with what it says differently)."""
    fields = Table.grid(padding=(0, 2))
    fields.add_column(style="bold")
    fields.add_column()
    for name in _SHOW_FIELDS:
        value = _field_value(ev, name)
        if value is not None:
            fields.add_row(name, _t(value))
    parts: list = [fields, Text(""), Text("evidence", style="bold"), _t(ev.evidence, "italic")]
    parts.append(Text(f"\nsources ({len(ev.sources)})", style="bold"))
    for s in ev.sources:
        line = Text(f"• #{s.document_id} ")
        line.append(s.outlet or "unknown outlet", style="cyan")
        for extra in (s.title, s.published, s.url or s.source):
            if extra:
                line.append(" · " + str(extra))
        parts.append(line)
        if s.reported_by:
            parts.append(_t("  reported by: " + ", ".join(s.reported_by), "dim"))
        if s.evidence and s.evidence != ev.evidence:
            parts.append(_t("  evidence: " + s.evidence, "italic"))
        for name, told in _disagreements(ev, s.event):
            parts.append(_t(f"  says {name}: {told}", "yellow"))
    return Panel(Group(*parts), title=Text(f"event {ev.id}"), title_align="left")


def _disagreements(ev: StoredEvent, told: dict) -> list[tuple[str, object]]:
    # Fields where this source's own extraction differs from the canonical event.
    out = []
    for name in ("type", "mode", "actor", "recipient", "date", "charge", "sentence_years"):
        if name in told and told[name] not in (None, "") and told[name] != getattr(ev, name):
            out.append((name, told[name]))
    loc = told.get("location") or {}
    if loc.get("country") and ev.location and loc["country"] != ev.location.country:
        out.append(("country", loc["country"]))
    return out


def entities_table(entities: list[StoredEntity]) -> Table:
    """One row per corpus entity."""
    table = Table(title=f"{len(entities)} entities", title_justify="left")
    table.add_column("id", justify="right", style="cyan")
    table.add_column("name", style="bold")
    table.add_column("type")
    table.add_column("docs", justify="right")
    table.add_column("mentions", justify="right")
    table.add_column("aliases", max_width=40)
    table.add_column("roles", max_width=40)
    for e in entities:
        table.add_row(
            _t(e.id),
            _t(e.name),
            _t(e.type),
            _t(e.document_count),
            _t(e.mention_count),
            _t(", ".join(e.aliases)),
            _t("; ".join(e.roles)),
        )
    return table


def linked_entities_table(linked: list) -> Table:
    """One row per linked entity (chronicle.link.summary.LinkedEntity) across the corpus."""
    table = Table(title=f"{len(linked)} linked entities", title_justify="left")
    table.add_column("id", style="cyan", no_wrap=True)
    table.add_column("name", style="bold", overflow="fold", max_width=28)
    table.add_column("type", no_wrap=True, min_width=6)
    for name in ("aliases", "docs", "events"):
        table.add_column(name, justify="right", min_width=len(name), no_wrap=True)
    table.add_column("latest role", overflow="fold")
    for e in linked:
        dated = sorted(e.roles, key=lambda r: r["date"] or "")
        table.add_row(_t(e.canonical_id), _t(e.name), _t(e.type), _t(len(e.aliases)),
                      _t(e.documents), _t(e.events), _t(dated[-1]["role"] if dated else ""))
    return table


def snippet_text(snippet: str) -> Text:
    """A snippet with the matched words highlighted (markers from the full-text backend)."""
    out = Text()
    bold = False
    for piece in snippet.replace(HIT_END, HIT_START).split(HIT_START):
        out.append(re.sub(r"\s+", " ", piece), style="bold yellow" if bold else "")
        bold = not bold
    return out


def print_hits(console: Console, hits: list[SearchHit]) -> None:
    """Search results: title, outlet, document id, snippet."""
    for h in hits:
        head = Text(f"#{h.document_id} ", style="cyan")
        head.append(h.title or h.source, style="bold")
        if h.outlet:
            head.append(f" — {h.outlet}")
        if h.published:
            head.append(f" ({h.published})", style="dim")
        console.print(head)
        console.print(snippet_text(h.snippet))
        console.print()
