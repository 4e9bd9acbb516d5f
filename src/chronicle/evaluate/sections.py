"""Scoring of cleaning, metadata and entities for one document (gold dict vs extracted dict).

The extracted dict is the ``chronicle extract --json`` object (``Document.to_dict()``).

- Cleaning: a ``body_keep`` passage is kept when the cleaned body contains it, a ``body_drop``
  passage is removed when it does not; both sides are compared after collapsing whitespace (the
  GUIDE's rule) and folding typographic quotes/dashes to ASCII, so that an ingest step that
  repairs punctuation is not punished for it.
- Title and outlet: exact match after :func:`~chronicle.evaluate.textmatch.norm` (Unicode NFKC,
  quotes/dashes folded, whitespace collapsed, case folded). A gold ``null`` (the text does not
  say) is matched only by an extracted ``null``.
- Entities: a gold entity and an extracted entity pair when their types are equal and their
  name sets share a normalised form (name or any alias on either side, compared with
  :func:`~chronicle.evaluate.textmatch.norm_name`). Pairing is one-to-one and optimal. Precision
  is over extracted PERSON/ORG/GPE entities (the only types gold annotates), recall over gold
  entities. Role accuracy is over matched people whose gold entry gives a role: the extracted
  role must match it as actors do (token-set ratio >= 85, or one containing the other).
"""

from __future__ import annotations

from typing import Any

from chronicle.evaluate.assign import PairScore, best_pairing
from chronicle.evaluate.tally import DocScore
from chronicle.evaluate.textmatch import collapse_ws, fold, form_matches, norm, norm_name

SCORED_ENTITY_TYPES = frozenset({"PERSON", "ORG", "GPE"})


def _passage_form(text: str) -> str:
    return collapse_ws(fold(text))


def score_cleaning(gold: dict[str, Any], pred: dict[str, Any], out: DocScore) -> None:
    """``cleaning.keep`` / ``cleaning.drop`` over the gold passages."""
    body = _passage_form(pred.get("body") or "")
    for passage in gold.get("body_keep") or []:
        kept = _passage_form(passage) in body
        out.tally.add("cleaning.keep", kept)
        if not kept:
            out.missed.append({"section": "cleaning", "label": "body passage dropped",
                               "evidence": passage})
    for passage in gold.get("body_drop") or []:
        removed = _passage_form(passage) not in body
        out.tally.add("cleaning.drop", removed)
        if not removed:
            out.spurious.append({"section": "cleaning", "label": "chrome passage kept",
                                 "evidence": passage})


def score_metadata(gold: dict[str, Any], pred: dict[str, Any], out: DocScore) -> None:
    """``cleaning.title`` / ``cleaning.outlet``: exact after normalisation; null must be null."""
    for name in ("title", "outlet"):
        if name not in gold:
            continue
        expected, got = gold[name], pred.get(name)
        ok = norm(expected) == norm(got)
        out.tally.add(f"cleaning.{name}", ok)
        if not ok:
            out.wrong.append({"section": "metadata", "label": name, "gold": expected, "got": got})


def _names(entity: dict[str, Any]) -> set[str]:
    forms = [entity.get("name"), *(entity.get("aliases") or [])]
    return {n for n in (norm_name(f) for f in forms if f) if n}


def role_matches(extracted: str | None, gold: str) -> bool:
    """The role rule: fuzzy token-set ratio >= 85 or containment, case-insensitive."""
    return bool(extracted) and form_matches(extracted, gold)


def _entity_pair(gold: dict[str, Any], pred: dict[str, Any]) -> PairScore | None:
    if str(pred.get("type", "")).upper() != str(gold.get("type", "")).upper():
        return None
    if not _names(gold) & _names(pred):
        return None
    role = gold.get("role")
    agrees = bool(role) and role_matches(pred.get("role"), role)
    return PairScore(required=True, agreeing=int(agrees))


def score_entities(gold: dict[str, Any], pred: dict[str, Any], out: DocScore) -> None:
    """``entities.precision`` / ``recall`` / ``role_accuracy``, filling ``out.entity_pairs``."""
    golds = list(gold.get("entities") or [])
    preds = [e for e in pred.get("entities") or []
             if str(e.get("type", "")).upper() in SCORED_ENTITY_TYPES]
    pairs = best_pairing(golds, preds, _entity_pair)
    out.tally.count("entities.recall", len(pairs), len(golds))
    out.tally.count("entities.precision", len(pairs), len(preds))
    matched_preds = set(pairs.values())
    for gi, g in enumerate(golds):
        if gi not in pairs:
            out.missed.append({"section": "entities", "label": f"{g.get('type')} {g.get('name')}",
                               "evidence": ", ".join(g.get("aliases") or [])})
            continue
        p = preds[pairs[gi]]
        out.entity_pairs[str(g.get("name"))] = _original_index(pred, p)
        if g.get("type") == "PERSON" and g.get("role"):
            ok = role_matches(p.get("role"), g["role"])
            out.tally.add("entities.role_accuracy", ok)
            if not ok:
                out.wrong.append({"section": "entities", "label": f"role of {g.get('name')}",
                                  "gold": g["role"], "got": p.get("role")})
    body = pred.get("body") or ""
    for pi, p in enumerate(preds):
        if pi not in matched_preds:
            mention = (p.get("mentions") or [{}])[0].get("text") or str(p.get("name") or "")
            out.spurious.append({"section": "entities", "label": f"{p.get('type')} {p.get('name')}",
                                 "evidence": sentence_around(body, mention)})


def sentence_around(body: str, text: str) -> str:
    """The sentence (or line) of ``body`` where ``text`` first occurs; ``text`` if absent."""
    at = body.find(text) if text else -1
    if at < 0:
        return text
    dot = body.rfind(". ", 0, at)
    start = max(dot + 2 if dot >= 0 else 0, body.rfind("\n", 0, at) + 1)
    ends = [i for i in (body.find(". ", at + len(text)), body.find("\n", at + len(text))) if i >= 0]
    end = min(ends) + 1 if ends else len(body)
    return body[start:end].strip()


def _original_index(pred: dict[str, Any], item: dict[str, Any]) -> int:
    """Index of ``item`` in the unfiltered ``pred["entities"]`` (linking reads canonical ids)."""
    for i, candidate in enumerate(pred.get("entities") or []):
        if candidate is item:
            return i
    raise ValueError("entity not in prediction")
