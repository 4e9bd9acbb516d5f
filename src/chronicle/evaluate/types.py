"""Event-type agreement with human labels on CASE 2021 Task 2 snippets (``chronicle eval-types``).

Each snippet is run through the whole pipeline as a one-paragraph article. Its ACLED-style label
maps to the PLOVER types a correct reading may produce (the mapping below is the one given in the
benchmark's README); events flagged negated or hypothetical are ignored. Figures:
``found`` (share of scored non-disaster snippets with any event), ``type`` (some event's type or
``also_type`` accepted), ``first_type`` (the first event in text order accepted), ``false_alarm``
(share of disaster snippets with any event), and ``type`` per label.
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DIPLO = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
         "ACCUSE", "REJECT", "THREATEN", "SANCTION")  # fmt: skip
_ASSAULT = ("AIR_STRIKE", "ARMED_CLASH", "ART_MISS_ATTACK", "ATTACK", "CHEM_WEAP", "GRENADE",
            "REM_EXPLOS", "SEX_VIOL", "SUIC_BOMB")  # fmt: skip
ACCEPTED: dict[str, tuple[str, ...]] = {
    **{label: ("ASSAULT",) for label in _ASSAULT},
    "ARREST": ("COERCE",),
    "PEACE_PROTEST": ("PROTEST",), "PROTEST_WITH_INTER": ("PROTEST",),
    "VIOL_DEMONSTR": ("PROTEST",),
    "MOB_VIOL": ("PROTEST", "ASSAULT"),
    "FORCE_AGAINST_PROTEST": ("PROTEST", "ASSAULT", "COERCE"),
    "PROPERTY_DISTRUCT": ("ASSAULT", "PROTEST", "COERCE"),
    "ABDUCT_DISSAP": ("ASSAULT", "COERCE"), "DISR_WEAP": ("ASSAULT", "COERCE"),
    "GOV_REGAINS_TERIT": ("ASSAULT", "COERCE"),
    "NON_STATE_ACTOR_OVERTAKES_TER": ("ASSAULT", "COERCE"),
    "NON_VIOL_TERRIT_TRANSFER": ("RETREAT", "COERCE", "CONCEDE", "AGREE"),
    "AGREEMENT": ("AGREE", "COOPERATE"),
    "DIPLO": DIPLO,
}  # fmt: skip
DISASTERS = frozenset({"NATURAL_DISASTER", "MAN_MADE_DISASTER"})


@dataclass
class Snippet:
    id: str
    text: str
    label: str


@dataclass
class TypeScores:
    """Counts behind the figures, per label and overall."""

    scored: int = 0
    found: int = 0
    typed: int = 0
    first_typed: int = 0
    disasters: int = 0
    false_alarms: int = 0
    per_label: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    misses: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        def share(a: int, b: int) -> float | None:
            return round(a / b, 3) if b else None

        return {
            "snippets_scored": self.scored,
            "found": share(self.found, self.scored),
            "type": share(self.typed, self.scored),
            "first_type": share(self.first_typed, self.scored),
            "false_alarm": share(self.false_alarms, self.disasters),
            "disaster_snippets": self.disasters,
            "type_per_label": {k: {"n": n, "type": share(hit, n)}
                               for k, (hit, n) in sorted(self.per_label.items())},
        }  # fmt: skip


def read_snippets(path: Path) -> list[Snippet]:
    """The ``id``/``EventSnippet``/``SubType`` rows of a CASE 2021 Task 2 TSV file."""
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as fh:
        rows = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        missing = {"id", "EventSnippet", "SubType"} - set(rows.fieldnames or ())
        if missing:
            raise ValueError(f"missing column(s) {', '.join(sorted(missing))}")
        return [Snippet(r["id"], r["EventSnippet"] or "", (r["SubType"] or "").strip())
                for r in rows]  # fmt: skip


def _types(ev: Any) -> set[str]:
    out = {ev.type}
    if ev.also_type:
        out.add(ev.also_type.split("/")[0])
    return out


EventsOf = Callable[[list[str]], list[list[Any]]]


def score(snippets: Iterable[Snippet], events_of: EventsOf, batch: int = 64,
          progress: Callable[[int], None] | None = None) -> TypeScores:
    """Score the events ``events_of`` finds in each snippet (called on batches of texts)."""
    wanted = [s for s in snippets if s.label in ACCEPTED or s.label in DISASTERS]
    out = TypeScores()
    for at in range(0, len(wanted), batch):
        part = wanted[at : at + batch]
        for snip, events in zip(part, events_of([s.text for s in part]), strict=True):
            real = [e for e in events if not (e.negated or e.hypothetical)]
            if snip.label in DISASTERS:
                out.disasters += 1
                out.false_alarms += bool(real)
                continue
            ok = set(ACCEPTED[snip.label])
            typed = any(_types(e) & ok for e in real)
            out.scored += 1
            out.found += bool(real)
            out.typed += typed
            out.first_typed += bool(real and _types(real[0]) & ok)
            cell = out.per_label[snip.label]
            cell[0] += typed
            cell[1] += 1
            if not typed:
                out.misses.append({"id": snip.id, "label": snip.label,
                                   "got": [f"{e.type}/{e.mode or ''}" for e in real]})  # fmt: skip
        if progress:
            progress(min(at + batch, len(wanted)))
    return out


def pipeline_events(texts: list[str]) -> list[list[Any]]:
    """Events of each text, run through the default pipeline as plain-text articles."""
    from chronicle.model import Document
    from chronicle.pipeline import default_pipeline

    docs = [Document(source=f"snippet-{i}", raw_text=t) for i, t in enumerate(texts)]
    events = []
    for doc in default_pipeline().pipe(docs):
        events.append(sorted(doc.events, key=lambda e: e.trigger.start if e.trigger else 0))
    return events
