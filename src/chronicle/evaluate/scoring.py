"""The scorer: one gold file against one ``chronicle extract --json`` dict, and the corpus summary.

Pure functions over plain dicts (no pipeline, no files), so they are tested with hand-made
pairs. :func:`score_document` returns a :class:`~chronicle.evaluate.tally.DocScore`;
:func:`summarise` micro-averages many of them (counts summed over documents, divided once) into
the object ``chronicle eval --json`` prints. The rules of each section are documented in
:mod:`chronicle.evaluate.sections` and :mod:`chronicle.evaluate.events`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from chronicle.evaluate.events import (
    CLAIM_ARGUMENTS,
    EVENT_ARGUMENTS,
    score_claims,
    score_events,
)
from chronicle.evaluate.sections import score_cleaning, score_entities, score_metadata
from chronicle.evaluate.tally import DocScore, Tally


def score_document(gold: dict[str, Any], pred: dict[str, Any], doc: str = "") -> DocScore:
    """Score every section of one document."""
    out = DocScore(doc=doc or str(gold.get("doc") or pred.get("source") or ""))
    score_cleaning(gold, pred, out)
    score_metadata(gold, pred, out)
    score_entities(gold, pred, out)
    score_events(gold, pred, out)
    score_claims(gold, pred, out)
    return out


def f1(precision: float | None, recall: float | None) -> float | None:
    """Harmonic mean; ``None`` when either side could not be scored."""
    if precision is None or recall is None:
        return None
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def total(scores: Iterable[DocScore]) -> Tally:
    """All documents' counts summed (the basis of micro-averaging)."""
    tally = Tally()
    for score in scores:
        tally.merge(score.tally)
    return tally


def summary_from_tally(tally: Tally, documents: int) -> dict[str, Any]:
    """The ``chronicle eval --json`` object (without ``linking``) from summed counts."""
    v = tally.value
    events_p, events_r = v("events.precision"), v("events.recall")
    return {
        "documents": documents,
        "cleaning": {k: v(f"cleaning.{k}") for k in ("keep", "drop", "title", "outlet")},
        "entities": {k: v(f"entities.{k}") for k in ("precision", "recall", "role_accuracy")},
        "events": {
            "precision": events_p,
            "recall": events_r,
            "f1": f1(events_p, events_r),
            "arguments": {k: v(f"events.arguments.{k}") for k in EVENT_ARGUMENTS},
        },
        "claims": {
            "precision": v("claims.precision"),
            "recall": v("claims.recall"),
            # claimed_by, then (beyond the minimum, as the GUIDE asks) unit, per, as_of.
            **{k: v(f"claims.{k}") for k in CLAIM_ARGUMENTS},
        },
    }


def summarise(scores: list[DocScore]) -> dict[str, Any]:
    """Micro-averaged summary of many documents."""
    return summary_from_tally(total(scores), len(scores))
