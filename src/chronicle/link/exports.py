"""Map exports of the stored events: GeoJSON (QGIS, geojson.io) and ACLED's CSV layout.

- ``geojson``: a RFC 7946 FeatureCollection, one Point feature per canonical event that has
  coordinates (``[longitude, latitude]``), properties: id, type, mode, date, actor, recipient,
  sources (count), outlets, evidence, location, country, admin1, disagreements.
- ``acled``: ACLED's column names and conventions (event_date, event_type/sub_event_type mapped
  from PLOVER by ``data/acled_mapping.tsv``, actor1, assoc_actor_1, actor2, country, numeric
  ``iso``, admin1, location, latitude, longitude, geo_precision 1/2/3, source, source_scale,
  notes, fatalities), so scripts written for ACLED data read Chronicle's unchanged.

Both are registered in ``chronicle.store.export.EXPORTERS`` by :func:`register`.
"""

from __future__ import annotations

import csv
import json
from functools import cache
from pathlib import Path
from typing import Any

from chronicle.link.textnorm import data_lines

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "actor2", "country", "iso", "admin1",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities",
)


def _disagreements(store) -> dict[int, Any]:
    from sqlalchemy import select

    from chronicle.link.tables import events_disagreements

    t = events_disagreements
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.c.id, t.c.disagreements).where(t.c.disagreements.is_not(None)))
        return {int(r.id): r.disagreements for r in rows}


def _feature(ev: Any, disagreements: Any) -> dict[str, Any] | None:
    loc = ev.location
    if loc is None or loc.lat is None or loc.lon is None:
        return None
    outlets = list(dict.fromkeys(s.outlet for s in ev.sources if s.outlet))
    return {
        "type": "Feature",
        "id": ev.id,
        "geometry": {"type": "Point", "coordinates": [round(loc.lon, 5), round(loc.lat, 5)]},
        "properties": {
            "id": ev.id, "canonical_id": ev.canonical_id, "type": ev.type, "mode": ev.mode,
            "date": ev.date, "actor": ev.actor, "recipient": ev.recipient,
            "sources": len(ev.sources), "outlets": "; ".join(outlets),
            "evidence": ev.evidence, "location": loc.name, "country": loc.country,
            "admin1": loc.admin1,
            "disagreements": json.dumps(disagreements, ensure_ascii=False) if disagreements
            else None,
        },
    }


def export_geojson(store, path: Path) -> int:
    """Events with coordinates as a GeoJSON FeatureCollection; returns features written."""
    notes = _disagreements(store)
    features = [f for ev in store.events() if (f := _feature(ev, notes.get(ev.id))) is not None]
    data = {"type": "FeatureCollection", "features": features}
    Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return len(features)


@cache
def _mapping() -> list[tuple[str, str, str, str, str]]:
    return [tuple(row[:5]) for row in data_lines("acled_mapping.tsv")]  # type: ignore[misc]


def acled_type(plover_type: str, mode: str | None) -> tuple[str, str, str]:
    """(event_type, sub_event_type, disorder_type) of a PLOVER type and mode."""
    for ptype, pmode, event_type, sub_type, disorder in _mapping():
        if ptype in (plover_type, "*") and pmode in (mode or "", "*"):
            return event_type, sub_type, disorder
    return "Strategic developments", "Other", "Strategic developments"


def _event_date(ev: Any) -> tuple[str, int]:
    """ACLED's event_date and time_precision (1 day, 2 week/month-part, 3 month)."""
    date = ev.date or ""
    published = next((s.published for s in ev.sources if s.published), None) or ""
    if date.startswith("--") and published[:4].isdigit():
        date = published[:4] + date[1:]
    if len(date) >= 10 and date[:4].isdigit():
        return date[:10], 1
    if len(date) == 7 and date[:4].isdigit():
        return date + "-01", 3
    # Undated: ACLED needs a day; the first report's day, flagged as the coarsest precision.
    return (published[:10], 3) if published[:4].isdigit() else ("", 3)


def _geo_precision(ev: Any) -> int:
    from chronicle.link.gazetteer import geocode

    loc = ev.location
    if loc is None or not loc.name:
        return 3
    place = geocode(loc.name, [loc.country] if loc.country else [])
    return 1 if place is not None and place.feature == "city" else 3


def _killed_by_document(store) -> dict[int, float]:
    """The largest "killed" claim of each document (ACLED's fatalities for its violent events)."""
    out: dict[int, float] = {}
    for claim in store.claims("killed"):
        doc_id = getattr(claim, "document_id", None)
        if doc_id is not None:
            out[doc_id] = max(out.get(doc_id, 0.0), float(claim.value))
    return out


def acled_row(ev: Any, disagreements: Any, killed: dict[int, float] | None = None
              ) -> dict[str, Any]:
    """One event as an ACLED row. ``fatalities``: for an ASSAULT, the largest "killed" claim
    of its source articles, else 0 (ACLED's convention when none is reported)."""
    import pycountry

    from chronicle.link.gazetteer import country_name

    event_type, sub_type, disorder = acled_type(ev.type, ev.mode)
    loc = ev.location
    iso2 = (loc.country if loc else None) or ""
    country = pycountry.countries.get(alpha_2=iso2) if iso2 else None
    date, precision = _event_date(ev)
    note = ev.evidence or ""
    if disagreements:
        told = "; ".join(f"{k}: " + " vs ".join(f"{v['value']} ({v['outlet']})" for v in vals)
                         for k, vals in disagreements.items())
        note = f"{note} [Sources disagree: {told}]"
    return {
        "event_id_cnty": f"{country.alpha_3 if country else 'XXX'}{ev.id}",
        "event_date": date, "year": date[:4], "time_precision": precision,
        "disorder_type": disorder, "event_type": event_type, "sub_event_type": sub_type,
        "actor1": ev.actor or "", "assoc_actor_1": "", "actor2": ev.recipient or "",
        "country": country_name(iso2) or "" if iso2 else "",
        "iso": int(country.numeric) if country else "",
        "admin1": (loc.admin1 if loc else None) or "",
        "location": (loc.name if loc else None) or "",
        "latitude": round(loc.lat, 4) if loc and loc.lat is not None else "",
        "longitude": round(loc.lon, 4) if loc and loc.lon is not None else "",
        "geo_precision": _geo_precision(ev),
        "source": "; ".join(dict.fromkeys(s.outlet for s in ev.sources if s.outlet)),
        "source_scale": "",
        "notes": note,
        "fatalities": int(max((killed or {}).get(s.document_id, 0) for s in ev.sources))
        if ev.type == "ASSAULT" and ev.sources else 0,
    }


def export_acled(store, path: Path) -> int:
    """Events in ACLED's CSV layout; returns rows written."""
    notes = _disagreements(store)
    killed = _killed_by_document(store)
    rows = [acled_row(ev, notes.get(ev.id), killed) for ev in store.events()]
    with Path(path).open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(ACLED_COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


def register(exporters: dict) -> None:
    """Add the link stage's formats to the store's ``EXPORTERS``."""
    exporters.setdefault("geojson", export_geojson)
    exporters.setdefault("acled", export_acled)
