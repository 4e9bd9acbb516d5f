"""Human review of events and claims: confirm, reject or correct, never overwriting the machine.

Each decision is one row of the ``reviews`` table (Alembic revision ``0003_review``): who, when,
what action, and for a correction the fields it changed (old and new value, as JSON). The machine's
row is never touched, so re-running extraction cannot undo a human decision: the review is
re-applied on read. Rows also carry a ``target_key`` (the item's document, evidence offsets and
what the machine said there; see ``review_keys``), so a decision follows its item when linking
merges or renumbers rows.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from chronicle.serve.review_keys import ids_with_keys, item_keys

metadata = sa.MetaData()

reviews = sa.Table(
    "reviews",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("target_kind", sa.String(16), nullable=False),
    sa.Column("target_id", sa.String(64), nullable=False),
    sa.Column("target_key", sa.Text, nullable=True),
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("changes", sa.Text, nullable=True),
    sa.Column("reviewer", sa.String(200), nullable=False),
    sa.Column("note", sa.Text, nullable=True),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Index("ix_reviews_target", "target_kind", "target_id"),
    sa.Index("ix_reviews_key", "target_key"),
)

ACTIONS = ("confirm", "reject", "correct")
STATUSES = ("machine", "confirmed", "corrected", "rejected")

PLOVER_TYPES = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)
CLAIM_METRICS = (
    "killed",
    "injured",
    "killed_or_injured",
    "missing",
    "captured",
    "released",
    "bodies_returned",
    "detained",
    "charged",
    "convicted",
    "criminal_cases",
    "recruited",
    "mobilized",
    "displaced",
    "people",
    "payment",
    "fine",
    "share",
    "munitions",
    "other",
)

# The fields an analyst may correct, per kind, and how each value is checked.
_DATE = re.compile(r"^(\d{4}(-\d{2}(-\d{2})?)?|--\d{2}-\d{2})$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
TEXT, NUMBER, DATE, COUNTRY, TYPE, METRIC = "text", "number", "date", "country", "type", "metric"
EVENT_FIELDS = {
    "type": TYPE,
    "mode": TEXT,
    "actor": TEXT,
    "recipient": TEXT,
    "date": DATE,
    "location_name": TEXT,
    "country": COUNTRY,
    "charge": TEXT,
    "max_penalty_years": NUMBER,
    "sentence_years": NUMBER,
}
CLAIM_FIELDS = {
    "metric": METRIC,
    "value": NUMBER,
    "unit": TEXT,
    "per": TEXT,
    "qualifier": TEXT,
    "subject": TEXT,
    "as_of": DATE,
}
FIELDS = {"event": EVENT_FIELDS, "claim": CLAIM_FIELDS}
# Sensible ranges for numbers (inclusive): a penalty is 0 to 100 years, as the extractor reads them;
# a count or an amount is never negative, and nothing reported reaches a quadrillion.
BOUNDS = {
    "max_penalty_years": (0.0, 100.0),
    "sentence_years": (0.0, 100.0),
    "value": (0.0, 1e15),
}
MAX_NOTE = 2000
MAX_VALUE = 500


class ReviewError(ValueError):
    """A review that cannot be stored (unknown action or field, or a malformed value)."""


def check_text(name: str, value: str, *, lines: bool = False) -> str:
    """``value`` unless it holds NUL, other control characters (line breaks only if ``lines``)
    or a lone surrogate, which no database stores alike (PostgreSQL refuses NUL, SQLite surrogates).
    """
    for ch in value:
        if "\ud800" <= ch <= "\udfff":
            raise ReviewError(f"{name}: not valid Unicode text")
        if (ch < " " or "\x7f" <= ch < "\xa0") and not (lines and ch in "\n\r\t"):
            raise ReviewError(f"{name}: control characters are not allowed")
    return value


def clean_value(kind: str, name: str, raw: str) -> Any:
    """Check and normalise one corrected value typed by the analyst; '' clears the field."""
    spec = FIELDS[kind].get(name)
    if spec is None:
        raise ReviewError(f"{name}: not a correctable field of a {kind}")
    value = raw.strip()
    if value == "":
        return None
    if len(value) > MAX_VALUE:
        raise ReviewError(f"{name}: longer than {MAX_VALUE} characters")
    value = check_text(name, value)
    if spec == NUMBER:
        try:
            number = float(value.replace(",", ""))
        except ValueError:
            raise ReviewError(f"{name}: {value!r} is not a number") from None
        if number != number or abs(number) == float("inf"):
            raise ReviewError(f"{name}: {value!r} is not a finite number")
        low, high = BOUNDS.get(name, (-1e15, 1e15))
        if not low <= number <= high:
            raise ReviewError(f"{name}: {value} is outside {low:g} to {high:g}")
        return number + 0.0  # -0.0 -> 0.0
    if spec == DATE and not _DATE.match(value):
        raise ReviewError(
            f"{name}: {value!r} is not an ISO date (YYYY, YYYY-MM, YYYY-MM-DD, --MM-DD)"
        )
    if spec == COUNTRY:
        value = value.upper()
        if not _COUNTRY.match(value):
            raise ReviewError(f"{name}: {value!r} is not a two-letter ISO country code")
    if spec == TYPE:
        value = value.upper()
        if value not in PLOVER_TYPES:
            raise ReviewError(f"{name}: {value!r} is not a PLOVER event type")
    if spec == METRIC and value not in CLAIM_METRICS:
        raise ReviewError(f"{name}: {value!r} is not a claim metric")
    return value


@dataclass
class ReviewState:
    """What the reviews of one item add up to."""

    status: str = "machine"
    corrections: dict[str, Any] = field(default_factory=dict)
    history: list[dict[str, Any]] = field(default_factory=list)


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def add_review(
    conn: sa.Connection,
    *,
    kind: str,
    target_id: str,
    action: str,
    reviewer: str,
    current: dict[str, Any],
    changes: dict[str, Any] | None = None,
    note: str | None = None,
) -> int:
    """Store one decision; ``current`` holds the item's values before it (for the 'from' side)."""
    if kind not in FIELDS:
        raise ReviewError(f"cannot review a {kind}")
    if action not in ACTIONS:
        raise ReviewError(f"unknown action {action!r}; use one of {', '.join(ACTIONS)}")
    reviewer = check_text("reviewer", reviewer.strip())
    if not reviewer or len(reviewer) > 200:
        raise ReviewError("reviewer: give a name (at most 200 characters)")
    note = check_text("note", (note or "").strip(), lines=True)
    if len(note) > MAX_NOTE:
        raise ReviewError(f"note: longer than {MAX_NOTE} characters")
    diff: dict[str, dict[str, Any]] = {}
    for name, value in (changes or {}).items():
        if name not in FIELDS[kind]:
            raise ReviewError(f"{name}: not a correctable field of a {kind}")
        if current.get(name) != value:
            diff[name] = {"from": current.get(name), "to": value}
    if action == "correct" and not diff:
        raise ReviewError("a correction must change at least one field")
    keys = item_keys(conn, kind, [target_id]).get(str(target_id))
    target_key = keys[0] if keys else None
    result = conn.execute(
        reviews.insert().values(
            target_kind=kind,
            target_id=str(target_id),
            target_key=target_key,
            action=action,
            changes=json.dumps(diff, ensure_ascii=False) if diff else None,
            reviewer=reviewer,
            note=note or None,
            created_at=now_iso(),
        )
    )
    return int(result.inserted_primary_key[0])


def states(conn: sa.Connection, kind: str, ids: Iterable[Any]) -> dict[str, ReviewState]:
    """Review state per item id (ids without reviews are absent: they are 'machine').

    A review reaches an item through its stable key (see ``review_keys``); a review stored without
    a key falls back to the id it was made on.
    """
    wanted = sorted({str(i) for i in ids})
    out: dict[str, ReviewState] = {}
    if not wanted or not has_table(conn):
        return out
    # Most stores have no reviews of this kind yet: one cheap query instead of the key lookup.
    if (
        conn.execute(sa.select(reviews.c.id).where(reviews.c.target_kind == kind).limit(1)).first()
        is None
    ):
        return out
    keys = item_keys(conn, kind, wanted)
    owner = {k: item for item, ks in keys.items() for k in ks}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        chunk_keys = [k for i in chunk for k in keys.get(i, [])]
        rows = conn.execute(
            sa.select(reviews)
            .where(
                reviews.c.target_kind == kind,
                sa.or_(
                    reviews.c.target_key.in_(chunk_keys),
                    sa.and_(reviews.c.target_key.is_(None), reviews.c.target_id.in_(chunk)),
                ),
            )
            .order_by(reviews.c.id)
        ).mappings()
        for row in rows:
            target = owner.get(row["target_key"]) if row["target_key"] else row["target_id"]
            if target is None:
                continue
            _add_to_state(out.setdefault(target, ReviewState()), row)
    for state in out.values():
        state.history.sort(key=lambda h: h["id"])
        actions = [h["action"] for h in state.history]
        if actions[-1] == "reject":
            state.status = "rejected"
        elif "correct" in actions:
            state.status = "corrected"
        else:
            state.status = "confirmed"
        state.corrections = {}
        for h in state.history:
            state.corrections.update({k: v["to"] for k, v in h["changes"].items()})
    return out


def _add_to_state(state: ReviewState, row: Any) -> None:
    state.history.append(
        {
            "id": row["id"],
            "action": row["action"],
            "reviewer": row["reviewer"],
            "at": row["created_at"],
            "note": row["note"],
            "changes": json.loads(row["changes"]) if row["changes"] else {},
        }
    )


def reviewed_ids(conn: sa.Connection, kind: str, status: str) -> set[str]:
    """Ids of items of ``kind`` whose current status is ``status`` (not 'machine')."""
    if not has_table(conn):
        return set()
    rows = conn.execute(
        sa.select(reviews.c.target_id, reviews.c.target_key).where(reviews.c.target_kind == kind)
    ).all()
    ids = {i for i, k in rows if k is None} | ids_with_keys(conn, kind, {k for _, k in rows if k})
    return {i for i, s in states(conn, kind, ids).items() if s.status == status}


_HAVE_TABLE: set[str] = set()


def has_table(conn: sa.Connection) -> bool:
    """Whether the 0003_review migration has run on this database (remembered once true)."""
    key = conn.engine.url.render_as_string(hide_password=True)
    if key not in _HAVE_TABLE and sa.inspect(conn).has_table("reviews"):
        _HAVE_TABLE.add(key)
    return key in _HAVE_TABLE


def annotate_rows(
    conn: sa.Connection, kind: str, rows: list[dict[str, Any]], rename: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """Flat export rows (each with an ``id``) with the review applied, for CSV/JSON/Parquet.

    Adds ``review_status``; corrected values replace the machine's, which stay beside them as
    ``machine_<field>``. ``rename`` maps a review field to the row's column name when they differ
    (an events export calls ``location_name`` just ``location``).
    """
    rename = rename or {}
    found = states(conn, kind, [r["id"] for r in rows])
    for row in rows:
        state = found.get(str(row["id"]), ReviewState())
        row["review_status"] = state.status
        for name, value in state.corrections.items():
            column = rename.get(name, name)
            row[f"machine_{column}"] = row.get(column)
            row[column] = value
    return rows
