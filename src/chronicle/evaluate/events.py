"""Scoring of events and claims for one document, exactly as ``shared/gold/GUIDE.md`` says.

Events
  An extracted event matches a gold event when its type equals the gold ``type`` or the type
  part of the gold ``also_type`` (``"ACCUSE/allege"``), and its recipient matches one gold
  recipient form, or, where gold lists no recipient, its actor matches one gold actor form
  (where gold lists neither, the type alone decides). Forms match by
  :func:`~chronicle.evaluate.textmatch.form_matches`. Extracted events flagged ``negated`` or
  ``hypothetical`` are left out entirely. Recall is over required gold events; precision is over
  all remaining extracted events, a match with an optional gold event counting as correct.
  Argument accuracy is computed over matched pairs for each field the gold event fills:

  - ``mode``: the extracted mode is in the accepted list (when the match came through
    ``also_type``, the accepted mode is the one ``also_type`` names); an empty list accepts any
    mode and is not scored.
  - ``date``: present in gold (``null`` included: then the system must give no date); compared
    on the parts the gold date has.
  - ``country``: the gold location's ISO country equals the extracted one (case-insensitive).
  - ``actor``: the extracted actor matches one gold actor form.
  - ``penalty``: ``max_penalty_years`` and ``sentence_years`` each within 0.05.

Claims
  Matched on ``metric`` and ``value`` (exact; a gold metric ``other`` matches on value alone).
  Recall over required claims, precision over all extracted claims. ``claimed_by`` accuracy over
  matched claims: some extracted claimant matches some gold form, and a gold ``[]`` (nobody
  named) is matched only by an empty list. ``unit``/``per`` are scored where gold gives a
  value, ``as_of`` where gold has the key (``null`` meaning the text fixes no date).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chronicle.evaluate.assign import PairScore, best_pairing
from chronicle.evaluate.tally import DocScore
from chronicle.evaluate.textmatch import (
    as_forms,
    date_matches,
    forms_match,
    norm,
    number_matches,
    split_type,
)

EVENT_ARGUMENTS = ("mode", "date", "country", "actor", "penalty")
CLAIM_ARGUMENTS = ("claimed_by", "unit", "per", "as_of")
Arguments = list[tuple[str, bool, Any]]
# (gold, extracted) -> the argument checks of a matching pair, or None when they do not match.
ArgumentFn = Callable[[dict[str, Any], dict[str, Any]], Arguments | None]


def _required(item: dict[str, Any]) -> bool:
    return item.get("required", True) is not False


def _accepted_modes(gold: dict[str, Any], pred: dict[str, Any]) -> list[str] | None:
    """The modes accepted for this pairing, or ``None`` when the types do not match at all."""
    ptype = str(pred.get("type") or "").upper()
    if ptype and ptype == str(gold.get("type") or "").upper():
        return [m.lower() for m in as_forms(gold.get("mode"))]
    also_type, also_mode = split_type(gold.get("also_type"))
    if ptype and ptype == also_type:
        return [also_mode.lower()] if also_mode else []
    return None


def event_matches(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    """The GUIDE's event match rule (type or also_type, then recipient or actor)."""
    if _accepted_modes(gold, pred) is None:
        return False
    if as_forms(gold.get("recipient")):
        return forms_match(pred.get("recipient"), gold["recipient"])
    if as_forms(gold.get("actor")):
        return forms_match(pred.get("actor"), gold["actor"])
    return True


def event_arguments(gold: dict[str, Any], pred: dict[str, Any]) -> list[tuple[str, bool, Any]]:
    """(field, agrees, extracted value) for every argument the gold event fills."""
    out: list[tuple[str, bool, Any]] = []
    modes = _accepted_modes(gold, pred) or []
    if modes:
        got = pred.get("mode")
        out.append(("mode", any(m.lower() in modes for m in as_forms(got)), got))
    if "date" in gold:
        out.append(("date", date_matches(pred.get("date"), gold.get("date")), pred.get("date")))
    country = (gold.get("location") or {}).get("country")
    if country:
        got = (pred.get("location") or {}).get("country")
        out.append(("country", str(got or "").upper() == str(country).upper(), got))
    if as_forms(gold.get("actor")):
        out.append(("actor", forms_match(pred.get("actor"), gold["actor"]), pred.get("actor")))
    for name in ("max_penalty_years", "sentence_years"):
        if gold.get(name) is not None:
            out.append(("penalty", number_matches(pred.get(name), gold[name]), pred.get(name)))
    return out


def scored_events(pred: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """(index in ``pred["events"]``, event) of the events that are scored: not negated and not
    hypothetical."""
    return [(i, e) for i, e in enumerate(pred.get("events") or [])
            if not e.get("negated") and not e.get("hypothetical")]


def event_label(event: dict[str, Any]) -> str:
    """``TYPE/mode actor -> recipient``, for tables and details."""
    mode = event.get("mode")
    if isinstance(mode, list):
        mode = "|".join(mode)
    head = f"{event.get('type')}/{mode}" if mode else str(event.get("type"))
    actor = "|".join(as_forms(event.get("actor"))) or "?"
    recipient = "|".join(as_forms(event.get("recipient"))) or "?"
    return f"{head} {actor} -> {recipient}"


def _score_items(
    section: str,
    golds: list[dict[str, Any]],
    preds: list[dict[str, Any]],
    arguments: ArgumentFn,
    label: Callable[[dict[str, Any]], str],
    out: DocScore,
    argument_key: str,
) -> dict[int, int]:
    """Pair, then count recall/precision/argument accuracy and record details for one section;
    returns the gold index -> ``preds`` index pairing."""
    def pair_score(gold: dict[str, Any], pred: dict[str, Any]) -> PairScore | None:
        args = arguments(gold, pred)
        if args is None:
            return None
        return PairScore(required=_required(gold), agreeing=sum(ok for _, ok, _ in args))

    pairs = best_pairing(golds, preds, pair_score)
    required = [gi for gi, g in enumerate(golds) if _required(g)]
    out.tally.count(f"{section}.recall", sum(gi in pairs for gi in required), len(required))
    out.tally.count(f"{section}.precision", len(pairs), len(preds))
    for gi, g in enumerate(golds):
        gid = str(g.get("id", gi))
        if gi not in pairs:
            out.missed.append({"section": section, "id": gid, "label": label(g),
                               "required": _required(g), "evidence": g.get("evidence", "")})
            continue
        p = preds[pairs[gi]]
        for name, ok, got in arguments(g, p) or []:
            out.tally.add(f"{section}.{argument_key}{name}", ok)
            if not ok:
                out.wrong.append({"section": section, "id": gid, "label": name,
                                  "gold": _gold_argument(g, name), "got": got,
                                  "evidence": p.get("evidence", "")})
    matched = set(pairs.values())
    for pi, p in enumerate(preds):
        if pi not in matched:
            out.spurious.append({"section": section, "label": label(p),
                                 "evidence": p.get("evidence", "")})
    return pairs


def score_events(gold: dict[str, Any], pred: dict[str, Any], out: DocScore) -> None:
    """``events.recall`` / ``precision`` / ``arguments.*``, filling ``out.event_pairs``."""
    golds = list(gold.get("events") or [])
    indexed = scored_events(pred)
    preds = [e for _, e in indexed]

    def arguments(g: dict[str, Any], p: dict[str, Any]) -> list[tuple[str, bool, Any]] | None:
        return event_arguments(g, p) if event_matches(g, p) else None

    pairs = _score_items("events", golds, preds, arguments, event_label, out, "arguments.")
    for gi, pi in pairs.items():
        out.event_pairs[str(golds[gi].get("id", gi))] = indexed[pi][0]


def _gold_argument(gold: dict[str, Any], name: str) -> Any:
    if name == "country":
        return (gold.get("location") or {}).get("country")
    if name == "penalty":
        return {k: gold[k] for k in ("max_penalty_years", "sentence_years") if k in gold}
    if name == "mode":
        return [gold.get("mode"), gold.get("also_type")]
    return gold.get(name)


def claim_matches(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    """Metric and value equal; a gold metric ``other`` matches on value alone."""
    try:
        same_value = float(pred.get("value")) == float(gold.get("value"))
    except (TypeError, ValueError):
        return False
    metric = str(gold.get("metric") or "").lower()
    return same_value and (metric == "other" or metric == str(pred.get("metric") or "").lower())


def claim_arguments(gold: dict[str, Any], pred: dict[str, Any]) -> list[tuple[str, bool, Any]]:
    """(field, agrees, extracted value) for ``claimed_by`` and the unit/per/as_of gold fills."""
    claimants = as_forms(gold.get("claimed_by"))
    got_by = as_forms(pred.get("claimed_by"))
    ok_by = forms_match(got_by, claimants) if claimants else not got_by
    out: list[tuple[str, bool, Any]] = [("claimed_by", ok_by, got_by)]
    for name in ("unit", "per"):
        if gold.get(name):
            out.append((name, norm(gold[name]) == norm(pred.get(name)), pred.get(name)))
    if "as_of" in gold:
        out.append(("as_of", date_matches(pred.get("as_of"), gold["as_of"]), pred.get("as_of")))
    return out


def claim_label(claim: dict[str, Any]) -> str:
    value = claim.get("value")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    unit = f" {claim['unit']}" if claim.get("unit") else ""
    return f"{claim.get('metric')} = {value}{unit}"


def score_claims(gold: dict[str, Any], pred: dict[str, Any], out: DocScore) -> None:
    """``claims.recall`` / ``precision`` / ``claimed_by`` / ``unit`` / ``per`` / ``as_of``."""

    def arguments(g: dict[str, Any], p: dict[str, Any]) -> list[tuple[str, bool, Any]] | None:
        return claim_arguments(g, p) if claim_matches(g, p) else None

    golds = list(gold.get("claims") or [])
    _score_items("claims", golds, list(pred.get("claims") or []), arguments, claim_label, out, "")
