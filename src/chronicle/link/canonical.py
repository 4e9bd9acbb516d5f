"""One canonical ``events`` row per linked happening, with every source kept.

After linking, the sources of one cluster (``event_sources`` rows, each with the event as that
document told it) are pointed at one ``events`` row (the oldest), the emptied rows are deleted,
and the row's fields are settled from the sources:

- a field the row lacks is taken from the first source that has it;
- the date is the most precise one any source gives (a full date beats "--04-17" or "2023-09"),
  so a date one source fixes and another leaves relative ends up fixed;
- wherever sources give different values (a maximum penalty of 15 vs 10 years, two dates),
  ``events.disagreements`` lists every value with its outlet and document: nothing is silently
  overwritten, and each source's own values stay in its ``event_sources.event``.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import Connection, select

from chronicle.link.tables import events_disagreements, link_event_refs
from chronicle.store.schema import event_sources, events

# Facts that can contradict each other. Wording (actor "investigators" vs "Investigative
# Committee", two phrasings of a charge) is not a disagreement: each source keeps its own.
COMPARED = ("date", "max_penalty_years", "sentence_years", "location")
FILLED = ("mode", "actor", "recipient", "charge", "custody", "max_penalty_years",
          "sentence_years", "date_text")


def date_precision(value: str | None) -> int:
    """3 for a full date, 2 for year-month, 1 for a year or a year-less day, 0 for none."""
    if not value:
        return 0
    if value.startswith("--"):
        return 1
    return {10: 3, 7: 2, 4: 1}.get(len(value[:10]), 1)


def _value(event: dict[str, Any], name: str) -> Any:
    if name == "location":
        loc = event.get("location") or {}
        return loc.get("name") or loc.get("country")
    return event.get(name)


def _dates_conflict(values: list[str]) -> bool:
    """Dates disagree when one is not a prefix of another ("2023-09" agrees with
    "2023-09-11"; "--04-17" agrees with "2025-04-17")."""
    def fits(a: str, b: str) -> bool:
        if a.startswith("--") or b.startswith("--"):
            return a[-5:] == b[-5:] if len(a) >= 7 and len(b) >= 7 else True
        return a.startswith(b) or b.startswith(a)

    return any(not fits(a, b) for a in values for b in values)


def _places_conflict(sources: list[Any]) -> bool:
    """Places disagree when they are different places (in different countries, or two named
    places of one country), not a place and its own country ("Moscow" vs "Russia")."""
    from chronicle.link.gazetteer import geocode

    countries, specific = set(), set()
    for s in sources:
        loc = (s.event or {}).get("location") or {}
        name = loc.get("name")
        place = geocode(name) if name else None
        country = loc.get("country") or (place.country if place else None)
        if country:
            countries.add(country)
        if name and (place is None or place.feature != "country"):
            specific.add(str(name).casefold())
    return len(countries) > 1 or len(specific) > 1


def disagreements(sources: list[Any]) -> dict[str, list[dict[str, Any]]]:
    """Field -> every source's value, for the facts on which sources contradict each other."""
    out: dict[str, list[dict[str, Any]]] = {}
    for name in COMPARED:
        values = [(_value(s.event or {}, name), s) for s in sources]
        values = [(v, s) for v, s in values if v not in (None, "")]
        if len({str(v).casefold() for v, _ in values}) < 2:
            continue
        if name == "date" and not _dates_conflict([str(v) for v, _ in values]):
            continue
        if name == "location" and not _places_conflict(sources):
            continue
        out[name] = [{"value": v, "outlet": s.outlet, "document_id": s.document_id}
                     for v, s in values]
    return out


def best_date(sources: list[Any]) -> str | None:
    """The most precise date of the sources (most frequent among equals, then earliest)."""
    dates = [(s.event or {}).get("date") for s in sources]
    dates = [d for d in dates if d]
    if not dates:
        return None
    counts = Counter(dates)
    return max(dates, key=lambda d: (date_precision(d), counts[d], -dates.index(d)))


def consolidate(conn: Connection, cid: str, _source_ids: list[int], _old: list[str]) -> int:
    """Make one ``events`` row hold every source of cluster ``cid``; returns rows merged away."""
    rows = list(conn.execute(
        select(event_sources.c.id, event_sources.c.event_id, event_sources.c.event,
               event_sources.c.outlet, event_sources.c.document_id)
        .join(link_event_refs, link_event_refs.c.source_id == event_sources.c.id)
        .where(link_event_refs.c.canonical_id == cid)
        .order_by(event_sources.c.id)))
    if not rows:
        return 0
    event_ids = sorted({int(r.event_id) for r in rows})
    keep, others = event_ids[0], event_ids[1:]
    if others:
        conn.execute(event_sources.update().where(event_sources.c.event_id.in_(others))
                     .values(event_id=keep))
        conn.execute(events.delete().where(events.c.id.in_(others)))
    row = conn.execute(select(events).where(events.c.id == keep)).one()
    values: dict[str, Any] = {"canonical_id": cid}
    for name in FILLED:
        if getattr(row, name) in (None, ""):
            found = next((s.event.get(name) for s in rows if (s.event or {}).get(name)), None)
            if found is not None:
                values[name] = found
    date = best_date(rows)
    if date and date_precision(date) > date_precision(row.date):
        values["date"] = date
    conn.execute(events.update().where(events.c.id == keep).values(**values))
    conn.execute(events_disagreements.update().where(events_disagreements.c.id == keep)
                 .values(disagreements=disagreements(rows) or None))
    return len(others)
