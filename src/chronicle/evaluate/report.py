"""Rich tables for ``chronicle eval``: the summary per section, one row per document, and with
``--details`` the work list (missed gold items, unmatched extracted items, wrong arguments)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from chronicle.evaluate.runner import EvalRun
from chronicle.evaluate.scoring import total
from chronicle.evaluate.tally import DocScore, Ratio

SECTIONS: list[tuple[str, list[tuple[str, str]]]] = [
    ("Cleaning", [("keep", "cleaning.keep"), ("drop", "cleaning.drop"),
                  ("title", "cleaning.title"), ("outlet", "cleaning.outlet")]),
    ("Entities", [("precision", "entities.precision"), ("recall", "entities.recall"),
                  ("role accuracy", "entities.role_accuracy")]),
    ("Events", [("precision", "events.precision"), ("recall", "events.recall")]
     + [(f"{a} accuracy", f"events.arguments.{a}")
        for a in ("mode", "date", "country", "actor", "penalty")]),
    ("Claims", [("precision", "claims.precision"), ("recall", "claims.recall")]
     + [(f"{a} accuracy", f"claims.{a}") for a in ("claimed_by", "unit", "per", "as_of")]),
]
DOC_COLUMNS = [("keep", "cleaning.keep"), ("drop", "cleaning.drop"), ("title", "cleaning.title"),
               ("outlet", "cleaning.outlet"), ("ent P", "entities.precision"),
               ("ent R", "entities.recall"), ("ev P", "events.precision"),
               ("ev R", "events.recall"), ("cl P", "claims.precision"),
               ("cl R", "claims.recall")]


def fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _cell(ratio: Ratio | None) -> str:
    return "-" if ratio is None or not ratio.total else f"{ratio.value:.2f}"


def summary_table(run: EvalRun) -> Table:
    """Micro-averaged figures per section, with the counts behind them."""
    tally = total(run.scores.values())
    table = Table(title=f"chronicle eval: {len(run.scores)} documents (micro-averaged)")
    for col in ("section", "figure", "value", "hit / total"):
        table.add_column(col, justify="right" if col in ("value", "hit / total") else "left")
    summary = run.summary()
    for section, rows in SECTIONS:
        for i, (label, key) in enumerate(rows):
            ratio = tally.get(key)
            counts = f"{ratio.hit}/{ratio.total}" if ratio and ratio.total else "-"
            table.add_row(section if i == 0 else "", label, fmt(tally.value(key)), counts)
        if section == "Events":
            table.add_row("", "F1", fmt(summary["events"]["f1"]), "")
        table.add_section()
    for kind, figures in (summary.get("linking") or {}).items():
        for i, (name, value) in enumerate(figures.items()):
            table.add_row(f"Linking {kind}" if i == 0 else "", name, fmt(value), "")
    return table


def documents_table(scores: list[DocScore]) -> Table:
    """One row per document: each main figure with its counts."""
    table = Table(title="Per document", caption="- : nothing to score")
    table.add_column("document", no_wrap=True)
    for label, _ in DOC_COLUMNS:
        table.add_column(label, justify="right")
    for score in scores:
        table.add_row(escape(score.doc), *(_cell(score.tally.get(k)) for _, k in DOC_COLUMNS))
    return table


def _item_line(item: dict[str, Any]) -> str:
    head = f"[{item['section']}]"
    if item.get("id"):
        head += f" {item['id']}"
    if item.get("required") is False:
        head += " (optional)"
    text = f"{head} {item.get('label', '')}"
    if "gold" in item:
        text += f": gold {item['gold']!r}, got {item.get('got')!r}"
    if item.get("evidence"):
        text += f'\n      "{item["evidence"]}"'
    return escape(text)


def print_details(console: Console, scores: list[DocScore]) -> None:
    """Per document: what gold has that Chronicle missed, what Chronicle found that gold lacks,
    and the arguments it got wrong, each with its evidence sentence."""
    for score in scores:
        console.rule(f"[bold]{escape(score.doc)}")
        for title, items in (("Missed gold items", score.missed),
                             ("Unmatched extracted items", score.spurious),
                             ("Wrong arguments / metadata", score.wrong)):
            if not items:
                continue
            console.print(f"[bold]{title}[/bold] ({len(items)})")
            for item in items:
                console.print("  " + _item_line(item), highlight=False)


def print_report(run: EvalRun, console: Console, details: bool = False) -> None:
    """The default (non-JSON) output of ``chronicle eval``."""
    scores = [run.scores[k] for k in sorted(run.scores)]
    console.print(summary_table(run))
    console.print(documents_table(scores))
    if details:
        print_details(console, scores)
        print_link_details(console, run.linking_details)


def print_link_details(console: Console, link_details: dict[str, Any]) -> None:
    """Pairs Chronicle linked that gold keeps apart, and gold pairs it did not link."""
    for kind, lists in link_details.items():
        for name, title in (("false_links", "false links"), ("missed_links", "missed links")):
            if lists.get(name):
                console.rule(f"[bold]Linking {kind}: {title} ({len(lists[name])})")
                for pair in lists[name]:
                    console.print("  " + escape(pair), highlight=False)
