"""Pairwise scoring of cross-document linking against a gold ``clusters.json``.

Each gold event (entity) is first paired with an extracted event (entity) of its own document by
the per-document scorer (``DocScore.event_pairs`` / ``entity_pairs``). Two paired extracted
items from *different* documents are *linked* when the link stage gave them the same
``canonical_id``. Then, over the whole directory:

- precision = linked pairs whose gold items share a cluster / all linked pairs;
- recall = gold same-cluster pairs whose extracted items are linked / all gold same-cluster
  pairs (a pair with an unmatched member counts as not linked).

Gold items in no cluster are singletons: linking them to anything is a false link. Entity
linking is scored over people and organisations only (places are resolved by geocoding).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations
from typing import Any

from chronicle.evaluate.scoring import f1
from chronicle.evaluate.tally import DocScore

Key = tuple[str, str]  # (document stem, gold event id or gold entity name)
LINKED_ENTITY_TYPES = frozenset({"PERSON", "ORG"})


def _pairs(clusters: Iterable[list[Key]]) -> set[frozenset[Key]]:
    """Unordered cross-document pairs within each group."""
    out: set[frozenset[Key]] = set()
    for members in clusters:
        for a, b in combinations(members, 2):
            if a[0] != b[0]:
                out.add(frozenset((a, b)))
    return out


def pairwise(gold_clusters: list[list[Key]], linked_ids: dict[Key, str]) -> dict[str, Any]:
    """Precision/recall/F1 of the links implied by ``linked_ids`` (matched gold key -> the
    canonical id of its extracted item) against ``gold_clusters``."""
    by_id: dict[str, list[Key]] = defaultdict(list)
    for key, cid in linked_ids.items():
        if cid:
            by_id[cid].append(key)
    linked = _pairs(by_id.values())
    gold = _pairs(gold_clusters)
    hits = len(linked & gold)
    precision = hits / len(linked) if linked else None
    recall = hits / len(gold) if gold else None
    return {"precision": precision, "recall": recall, "f1": f1(precision, recall)}


def _members(cluster: dict[str, Any], field: str, item: str) -> list[Key]:
    return [(str(m["doc"]), str(m[item])) for m in cluster.get(field) or []]


def null_linking() -> dict[str, Any]:
    """The ``linking`` object when no link stage exists to score."""
    empty = {"precision": None, "recall": None, "f1": None}
    return {"events": dict(empty), "entities": dict(empty)}


def score_linking(
    clusters: list[dict[str, Any]],
    golds: dict[str, dict[str, Any]],
    preds: dict[str, dict[str, Any]],
    scores: dict[str, DocScore],
) -> dict[str, Any]:
    """``{"events": {...}, "entities": {...}}`` for documents keyed by stem."""
    event_ids: dict[Key, str] = {}
    entity_ids: dict[Key, str] = {}
    for stem, score in scores.items():
        pred_events = preds[stem].get("events") or []
        for gid, idx in score.event_pairs.items():
            event_ids[(stem, gid)] = pred_events[idx].get("canonical_id")
        gold_types = {str(e.get("name")): str(e.get("type")).upper()
                      for e in golds[stem].get("entities") or []}
        pred_entities = preds[stem].get("entities") or []
        for name, idx in score.entity_pairs.items():
            if gold_types.get(name) in LINKED_ENTITY_TYPES:
                entity_ids[(stem, name)] = pred_entities[idx].get("canonical_id")
    event_clusters = [_members(c, "members", "event") for c in clusters]
    entity_clusters = [_members(c, "entities", "entity") for c in clusters]
    return {
        "events": pairwise([c for c in event_clusters if c], event_ids),
        "entities": pairwise([c for c in entity_clusters if c], entity_ids),
    }
