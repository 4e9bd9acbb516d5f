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


def link_pairs(gold_clusters: list[list[Key]], linked_ids: dict[Key, str]
               ) -> tuple[set[frozenset[Key]], set[frozenset[Key]]]:
    """(pairs Chronicle linked, gold same-cluster pairs), given ``linked_ids`` (matched gold
    key -> the canonical id of its extracted item)."""
    by_id: dict[str, list[Key]] = defaultdict(list)
    for key, cid in linked_ids.items():
        if cid:
            by_id[cid].append(key)
    return _pairs(by_id.values()), _pairs(gold_clusters)


def pairwise(gold_clusters: list[list[Key]], linked_ids: dict[Key, str]) -> dict[str, Any]:
    """Precision/recall/F1 of the links implied by ``linked_ids`` against ``gold_clusters``."""
    linked, gold = link_pairs(gold_clusters, linked_ids)
    hits = len(linked & gold)
    precision = hits / len(linked) if linked else None
    recall = hits / len(gold) if gold else None
    return {"precision": precision, "recall": recall, "f1": f1(precision, recall)}


def _pair_names(pairs: set[frozenset[Key]], ids: dict[Key, str] | None = None) -> list[str]:
    """Pairs as ``doc/item ~ doc/item``; with ``ids``, members that no extracted item matched
    (or that have no canonical id) are marked, since then linking never had a chance."""
    def name(key: Key) -> str:
        text = f"{key[0]}/{key[1]}"
        if ids is not None and key not in ids:
            return text + " (not extracted)"
        if ids is not None and not ids[key]:
            return text + " (no canonical id)"
        return text

    return sorted(" ~ ".join(sorted(name(k) for k in pair)) for pair in pairs)


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
    with_details: bool = False,
) -> dict[str, Any]:
    """``{"events": {...}, "entities": {...}}`` for documents keyed by stem; with
    ``with_details`` also ``"details"``: per kind, the false and the missed links by name."""
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
    figures: dict[str, Any] = {}
    details: dict[str, Any] = {}
    for kind, ids, field, item in (("events", event_ids, "members", "event"),
                                   ("entities", entity_ids, "entities", "entity")):
        gold_clusters = [m for m in (_members(c, field, item) for c in clusters) if m]
        figures[kind] = pairwise(gold_clusters, ids)
        linked, gold = link_pairs(gold_clusters, ids)
        details[kind] = {"false_links": _pair_names(linked - gold),
                         "missed_links": _pair_names(gold - linked, ids)}
    if with_details:
        figures["details"] = details
    return figures
