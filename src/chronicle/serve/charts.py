"""Inline SVG charts: event counts by type over time, and one entity's events on a time axis.

Drawn on the server with no JavaScript library: the page works offline and prints as it shows.
Every piece of text is escaped (types and labels come from the database, labels from articles).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

# One colour per PLOVER type (ColorBrewer-like, distinguishable on white).
TYPE_COLOURS = {
    "AGREE": "#1b9e77",
    "CONSULT": "#66a61e",
    "SUPPORT": "#a6d854",
    "CONCEDE": "#8dd3c7",
    "COOPERATE": "#4daf4a",
    "AID": "#80b1d3",
    "RETREAT": "#bebada",
    "REQUEST": "#377eb8",
    "ACCUSE": "#e6ab02",
    "REJECT": "#fdb462",
    "THREATEN": "#ff7f00",
    "PROTEST": "#984ea3",
    "SANCTION": "#a6761d",
    "MOBILIZE": "#666666",
    "COERCE": "#e41a1c",
    "ASSAULT": "#7f0000",
}
OTHER_COLOUR = "#999999"


def type_colour(event_type: str | None) -> str:
    return TYPE_COLOURS.get((event_type or "").upper(), OTHER_COLOUR)


def parse_day(value: str | None) -> dt.date | None:
    """A date from an ISO string that may be partial ("2025-04" -> 1 April); None without a year."""
    if not value or value.startswith("--"):
        return None
    parts = value[:10].split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 and parts[1] else 1
        day = int(parts[2]) if len(parts) > 2 and parts[2] else 1
        return dt.date(year, month, day)
    except (ValueError, IndexError):
        return None


def _bucket(day: dt.date, unit: str) -> str:
    if unit == "year":
        return f"{day.year:04d}"
    if unit == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def _buckets_between(first: dt.date, last: dt.date, unit: str) -> list[str]:
    """Every bucket label from ``first`` to ``last`` inclusive, so empty periods show as gaps."""
    labels: list[str] = []
    if unit == "day":
        d = first
        while d <= last:
            labels.append(d.isoformat())
            d += dt.timedelta(days=1)
    elif unit == "month":
        y, m = first.year, first.month
        while (y, m) <= (last.year, last.month):
            labels.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    else:
        labels = [f"{y:04d}" for y in range(first.year, last.year + 1)]
    return labels


def _choose_unit(first: dt.date, last: dt.date) -> str:
    days = (last - first).days
    if days <= 62:
        return "day"
    if days <= 366 * 6:
        return "month"
    return "year"


def timeline_chart(
    events: Iterable[tuple[str | None, str | None]], *, width: int = 960, height: int = 220
) -> Markup:
    """Stacked bars of event counts per period, one colour per type; ``events`` is (date, type)."""
    dated = [(d, (t or "?").upper()) for d, t in ((parse_day(a), b) for a, b in events) if d]
    if not dated:
        return Markup(
            f'<svg class="chart" viewBox="0 0 {width} 40" role="img" aria-label="Timeline">'
            '<text x="10" y="25">No dated events yet</text></svg>'
        )
    first = min(d for d, _ in dated)
    last = max(d for d, _ in dated)
    unit = _choose_unit(first, last)
    labels = _buckets_between(first, last, unit)
    counts: Counter[tuple[str, str]] = Counter((_bucket(d, unit), t) for d, t in dated)
    types = sorted({t for _, t in dated})
    totals = Counter(_bucket(d, unit) for d, _ in dated)
    peak = max(totals.values())
    left, bottom, top = 36, 36, 10
    plot_w, plot_h = width - left - 150, height - bottom - top
    bar_w = plot_w / len(labels)
    out = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="Events by type per {unit}">',
        f"<title>Events by type per {unit}</title>",
        f'<line class="axis" x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" '
        f'y2="{top + plot_h}"/>',
        f'<text class="tick" x="{left - 4}" y="{top + 4}" text-anchor="end">{peak}</text>',
        f'<text class="tick" x="{left - 4}" y="{top + plot_h}" text-anchor="end">0</text>',
    ]
    label_every = max(1, len(labels) // 12)
    for i, label in enumerate(labels):
        x = left + i * bar_w
        y = top + plot_h
        for t in types:
            n = counts.get((label, t), 0)
            if not n:
                continue
            h = n / peak * plot_h
            y -= h
            out.append(
                f'<rect x="{x + bar_w * 0.1:.1f}" y="{y:.1f}" width="{bar_w * 0.8:.1f}" '
                f'height="{h:.1f}" fill="{type_colour(t)}" data-type="{escape(t)}">'
                f"<title>{escape(label)}: {n} {escape(t)}</title></rect>"
            )
        if i % label_every == 0:
            out.append(
                f'<text class="tick" x="{x + bar_w / 2:.1f}" y="{top + plot_h + 16}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    for j, t in enumerate(types):
        ly = top + 4 + j * 16
        out.append(
            f'<rect x="{width - 140}" y="{ly}" width="10" height="10" fill="{type_colour(t)}"/>'
            f'<text class="legend" x="{width - 124}" y="{ly + 9}">{escape(t)}</text>'
        )
    out.append("</svg>")
    return Markup("".join(out))


@dataclass(frozen=True)
class TimelineItem:
    """One event on an entity's time axis."""

    date: str | None
    type: str | None
    label: str
    href: str


def entity_timeline(items: Sequence[TimelineItem], *, width: int = 960) -> Markup:
    """Events as dots along one time axis (undated events are listed by the page, not drawn)."""
    dated = sorted(
        ((parse_day(i.date), i) for i in items if parse_day(i.date)), key=lambda p: p[0] or 0
    )
    if not dated:
        return Markup("")
    first, last = dated[0][0], dated[-1][0]
    assert first and last
    span = max((last - first).days, 1)
    left, right, axis_y = 40, 40, 30
    rows: dict[int, int] = {}
    out = []
    for day, item in dated:
        assert day
        x = (
            left + (day - first).days / span * (width - left - right)
            if len(dated) > 1
            else width / 2
        )
        # Stack dots that fall on the same pixel column so none hides another.
        col = round(x / 6)
        row = rows.get(col, 0)
        rows[col] = row + 1
        y = axis_y + 14 + row * 14
        out.append(
            f'<a href="{escape(item.href)}"><circle cx="{x:.1f}" cy="{y}" r="6" '
            f'fill="{type_colour(item.type)}"><title>{escape(day.isoformat())} '
            f"{escape(item.type or '')}: {escape(item.label)}</title></circle></a>"
        )
    height = axis_y + 30 + 14 * max(rows.values())
    head = [
        f'<svg class="chart timeline" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="Events over time">',
        f'<line class="axis" x1="{left}" y1="{axis_y}" x2="{width - right}" y2="{axis_y}"/>',
        f'<text class="tick" x="{left}" y="{axis_y - 8}">{escape(first.isoformat())}</text>',
        f'<text class="tick" x="{width - right}" y="{axis_y - 8}" text-anchor="end">'
        f"{escape(last.isoformat())}</text>",
    ]
    return Markup("".join([*head, *out, "</svg>"]))
