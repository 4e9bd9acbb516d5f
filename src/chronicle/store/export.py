"""Exporters: the stored events to a file, one function per format in ``EXPORTERS``.

Each exporter is ``fn(store, path) -> rows written``; other stages register more formats
(``EXPORTERS["geojson"] = ...``) and the ``chronicle export`` command offers whatever is here.
:func:`frame` gives the flat tables that ``Store.to_pandas`` returns.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chronicle.store.records import StoredEvent
from chronicle.store.writer import location_columns

if TYPE_CHECKING:
    import pandas as pd

    from chronicle.store.core import Store

Exporter = Callable[["Store", Path], int]

_JOIN = "; "


def event_row(ev: StoredEvent) -> dict[str, Any]:
    """One event as a flat row (lists joined with ``; ``) for CSV, Parquet and pandas."""
    place = location_columns(ev.location)
    return {
        "id": ev.id,
        "date": ev.date,
        "type": ev.type,
        "mode": ev.mode,
        "also_type": ev.also_type,
        "actor": ev.actor,
        "recipient": ev.recipient,
        "location": place.pop("location_name"),
        **place,
        "charge": ev.charge,
        "custody": ev.custody,
        "max_penalty_years": ev.max_penalty_years,
        "sentence_years": ev.sentence_years,
        "negated": ev.negated,
        "hypothetical": ev.hypothetical,
        "historical": ev.historical,
        "context": _JOIN.join(ev.context),
        "reported_by": _JOIN.join(ev.reported_by),
        "evidence": ev.evidence,
        "n_sources": len(ev.sources),
        "outlets": _JOIN.join(dict.fromkeys(s.outlet for s in ev.sources if s.outlet)),
        "urls": _JOIN.join(dict.fromkeys(s.url for s in ev.sources if s.url)),
        "document_ids": _JOIN.join(str(s.document_id) for s in ev.sources),
        "canonical_id": ev.canonical_id,
    }


EVENT_COLUMNS = list(event_row(StoredEvent(type="")))


def _flat(record: Any, drop: tuple[str, ...] = ()) -> dict[str, Any]:
    row = asdict(record)
    for key in drop:
        row.pop(key, None)
    for key, value in row.items():
        if isinstance(value, list):
            row[key] = _JOIN.join(map(str, value))
        elif isinstance(value, dict):
            row[key] = json.dumps(value, ensure_ascii=False) if value else None
    return row


def rows(store: Store, kind: str) -> list[dict[str, Any]]:
    """Flat rows of ``events``, ``entities``, ``claims`` or ``documents``."""
    if kind == "events":
        return _with_review(store, "event", [event_row(e) for e in store.events()])
    if kind == "entities":
        return [_flat(e, ("mentions", "role_span")) for e in store.entities()]
    if kind == "claims":
        return _with_review(store, "claim", [_flat(c, ("spans",)) for c in store.claims()])
    if kind == "documents":
        drop = ("raw_text", "body_map", "decisions", "entities", "events", "claims", "nlp_doc")
        return [_flat(d, drop) for d in store.documents()]
    raise ValueError(f"unknown kind {kind!r} (events, entities, claims, documents)")


def _with_review(
    store: Store, kind: str, data: list[dict[str, Any]], *, flat: bool = True
) -> list[dict[str, Any]]:
    """Rows with analysts' review applied: ``review_status`` (machine / confirmed / corrected /
    rejected) and corrected values, the machine's kept beside them as ``machine_<field>``."""
    # The review records are written by ``chronicle serve --review`` (chronicle.serve.review).
    from chronicle.serve.review import annotate_rows

    with store.engine.connect() as conn:
        # Flat rows call the place column ``location``; nested rows keep ``location_name``.
        rename = {"location_name": "location"} if flat else {}
        return annotate_rows(conn, kind, data, rename=rename)


def _fieldnames(data: list[dict[str, Any]]) -> list[str]:
    extra = sorted({k for row in data for k in row} - set(EVENT_COLUMNS) - {"review_status"})
    return [*EVENT_COLUMNS, "review_status", *extra]


def frame(store: Store, kind: str = "events") -> pd.DataFrame:
    """A pandas DataFrame of one kind of record."""
    import pandas as pd

    data = rows(store, kind)
    if not data and kind == "events":  # keep the columns of an empty table
        return pd.DataFrame(columns=EVENT_COLUMNS)
    return pd.DataFrame(data)


def export_csv(store: Store, path: Path) -> int:
    """Events as CSV, one row per event (header always written)."""
    data = rows(store, "events")
    with Path(path).open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=_fieldnames(data))
        writer.writeheader()
        writer.writerows(data)
    return len(data)


def export_json(store: Store, path: Path) -> int:
    """Events as one JSON list, each with every field and its sources."""
    data = _with_review(store, "event", [e.to_dict() for e in store.events()], flat=False)
    Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return len(data)


def export_parquet(store: Store, path: Path) -> int:
    """Events as a Parquet table (the flat rows of the CSV export)."""
    df = frame(store, "events")
    df.to_parquet(path, index=False)
    return len(df)


EXPORTERS: dict[str, Exporter] = {
    "csv": export_csv,
    "json": export_json,
    "parquet": export_parquet,
}


# Formats registered by other stages: geojson and acled (chronicle.link.exports).
from chronicle.link.exports import register as _register_link_exports  # noqa: E402

_register_link_exports(EXPORTERS)
