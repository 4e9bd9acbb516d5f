"""Optimal one-to-one pairing of gold items with extracted items (events, claims, entities).

The GUIDE asks for the pairing that matches the most required gold items, then the most gold
items, then the most agreeing arguments, independent of output order. That order of priorities
is folded into one integer weight per pair so that one run of the Hungarian method
(``scipy.optimize.linear_sum_assignment``) finds it, and the extracted items are put in a
canonical order first so that ties resolve the same way however the extractor ordered them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment


@dataclass(frozen=True)
class PairScore:
    """How good pairing one gold item with one extracted item is (only for pairs that match)."""

    required: bool
    agreeing: int = 0


def canonical_order(items: Sequence[dict[str, Any]]) -> list[int]:
    """Indices of ``items`` sorted by their JSON form: the same set in any order sorts the same."""
    keys = [json.dumps(item, sort_keys=True, ensure_ascii=False, default=str) for item in items]
    return sorted(range(len(items)), key=lambda i: keys[i])


def best_pairing(
    golds: Sequence[dict[str, Any]],
    preds: Sequence[dict[str, Any]],
    score: Callable[[dict[str, Any], dict[str, Any]], PairScore | None],
) -> dict[int, int]:
    """Map gold index -> extracted index for the optimal pairing; ``score`` returns ``None`` for
    pairs that do not match at all (they are never paired)."""
    if not golds or not preds:
        return {}
    order = canonical_order(preds)
    cells: dict[tuple[int, int], PairScore] = {}
    for gi, gold in enumerate(golds):
        for col, pi in enumerate(order):
            pair = score(gold, preds[pi])
            if pair is not None:
                cells[(gi, col)] = pair
    if not cells:
        return {}
    # Lexicographic priorities as one weight: all agreeing arguments together are worth less
    # than one more match, and all matches together less than one more required match.
    k = min(len(golds), len(preds))
    max_agree = max(p.agreeing for p in cells.values())
    w_match = max_agree * k + 1
    w_required = w_match * (k + 1)
    weights = np.zeros((len(golds), len(preds)), dtype=np.float64)
    for (gi, col), pair in cells.items():
        weights[gi, col] = w_required * pair.required + w_match + pair.agreeing
    rows, cols = linear_sum_assignment(weights, maximize=True)
    return {int(r): order[int(c)] for r, c in zip(rows, cols, strict=True) if (r, c) in cells}
