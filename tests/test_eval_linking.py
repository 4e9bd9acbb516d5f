"""Pairwise cross-document linking scores, and the gold scored as its own prediction."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from chronicle.evaluate.linking import pairwise, score_linking
from chronicle.evaluate.runner import load_clusters, load_golds
from chronicle.evaluate.scoring import score_document, summarise

GOLD_SEEDS = Path(__file__).parent / "data" / "eval" / "seeds_gold"


def test_pairwise_precision_recall_by_hand() -> None:
    clusters = [[("a", "e1"), ("b", "e1"), ("c", "e1")]]
    # a, b and the singleton d merged; c on its own.
    linked = {("a", "e1"): "X", ("b", "e1"): "X", ("c", "e1"): "Y", ("d", "e2"): "X"}
    out = pairwise(clusters, linked)
    # linked pairs: a-b (right), a-d, b-d (false links); gold pairs a-b, a-c, b-c.
    assert out["precision"] == pytest.approx(1 / 3)
    assert out["recall"] == pytest.approx(1 / 3)
    assert out["f1"] == pytest.approx(1 / 3)


def test_pairwise_ignores_same_document_and_unlinked() -> None:
    clusters = [[("a", "e1"), ("b", "e1")]]
    linked = {("a", "e1"): "X", ("a", "e2"): "X", ("b", "e1"): None}
    out = pairwise(clusters, linked)
    assert out["precision"] is None  # nothing linked across documents
    assert out["recall"] == 0.0


def _doc(recipient: str, cid: str | None, person: str, pid: str | None) -> dict[str, Any]:
    return {"events": [{"type": "COERCE", "recipient": recipient, "canonical_id": cid}],
            "entities": [{"name": person, "type": "PERSON", "canonical_id": pid},
                         {"name": "Bishkek", "type": "GPE", "canonical_id": "g1"}],
            "claims": [], "body": ""}


def _gold(recipient: str, person: str) -> dict[str, Any]:
    return {"events": [{"id": "e1", "type": "COERCE", "recipient": [recipient]}],
            "entities": [{"name": person, "type": "PERSON", "aliases": []},
                         {"name": "Bishkek", "type": "GPE", "aliases": []}],
            "claims": []}


def test_score_linking_over_documents() -> None:
    golds = {"a": _gold("Natalia Sekerina", "Natalia Sekerina"),
             "b": _gold("Natalia Serekina", "Natalia Serekina"),
             "c": _gold("Adam Kadyrov", "Adam Kadyrov")}
    preds = {"a": _doc("Natalia Sekerina", "E1", "Natalia Sekerina", "P1"),
             "b": _doc("Serekina", "E1", "Natalia Serekina", "P1"),
             "c": _doc("Adam Kadyrov", "E2", "Adam Kadyrov", "P1")}
    clusters = [{"id": "k1", "members": [{"doc": "a", "event": "e1"}, {"doc": "b", "event": "e1"}]},
                {"id": "p1", "entities": [{"doc": "a", "entity": "Natalia Sekerina"},
                                          {"doc": "b", "entity": "Natalia Serekina"}]}]
    scores = {k: score_document(golds[k], preds[k], k) for k in golds}
    out = score_linking(clusters, golds, preds, scores)
    assert out["events"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    # Adam merged with Natalia: 3 linked pairs, 1 right. Places (Bishkek) are not scored.
    assert out["entities"]["precision"] == pytest.approx(1 / 3)
    assert out["entities"]["recall"] == 1.0


def gold_as_prediction(gold: dict[str, Any]) -> dict[str, Any]:
    """What a perfect extractor would output for ``gold`` (first accepted form of each field)."""
    def first(values: Any) -> Any:
        return values[0] if values else None

    events = [{"type": e["type"], "mode": first(e.get("mode")), "actor": first(e.get("actor")),
               "recipient": first(e.get("recipient")), "date": e.get("date"),
               "location": e.get("location"), "max_penalty_years": e.get("max_penalty_years"),
               "sentence_years": e.get("sentence_years"), "evidence": e.get("evidence", "")}
              for e in gold["events"]]
    return {"title": gold["title"], "outlet": gold["outlet"], "body": "\n".join(gold["body_keep"]),
            "entities": gold["entities"], "events": events, "claims": gold["claims"]}


def test_gold_scored_as_its_own_prediction_is_perfect() -> None:
    errors: list[str] = []
    golds = load_golds(GOLD_SEEDS, errors)
    assert len(golds) == 5 and not errors
    out = summarise([score_document(g, gold_as_prediction(g), k) for k, g in golds.items()])
    flat = [out["cleaning"], out["entities"], out["events"]["arguments"],
            {k: out["events"][k] for k in ("precision", "recall", "f1")},
            {k: out["claims"][k] for k in ("precision", "recall", "claimed_by")}]
    assert all(v == 1.0 for section in flat for v in section.values())


def test_linking_gold_clusters_scored_as_prediction(shared_dir: Path) -> None:
    gold_dir = shared_dir / "gold" / "linking"
    errors: list[str] = []
    golds = load_golds(gold_dir, errors)
    clusters = load_clusters(gold_dir, errors)
    assert clusters and not errors
    # Give every gold item its cluster id as canonical id (singletons a fresh id each).
    preds = {k: gold_as_prediction(g) for k, g in golds.items()}
    for stem, pred in preds.items():
        for e, ge in zip(pred["events"], golds[stem]["events"], strict=True):
            e["canonical_id"] = f"{stem}/{ge['id']}"
        for e in pred["entities"]:
            e["canonical_id"] = f"{stem}/{e['name']}"
    for cluster in clusters:
        for m in cluster.get("members", []):
            idx = [e["id"] for e in golds[m["doc"]]["events"]].index(m["event"])
            preds[m["doc"]]["events"][idx]["canonical_id"] = cluster["id"]
        for m in cluster.get("entities", []):
            names = [e["name"] for e in preds[m["doc"]]["entities"]]
            preds[m["doc"]]["entities"][names.index(m["entity"])]["canonical_id"] = cluster["id"]
    scores = {k: score_document(golds[k], preds[k], k) for k in golds}
    out = score_linking(clusters, golds, preds, scores)
    assert out == {"events": {"precision": 1.0, "recall": 1.0, "f1": 1.0},
                   "entities": {"precision": 1.0, "recall": 1.0, "f1": 1.0}}
    assert json.dumps(out)


def test_linking_details_name_false_and_missed_links() -> None:
    golds = {"a": _gold("Natalia Sekerina", "Natalia Sekerina"),
             "b": _gold("Sekerina", "Natalia Sekerina"),
             "c": _gold("Adam Kadyrov", "Adam Kadyrov")}
    preds = {"a": _doc("Natalia Sekerina", "E1", "Natalia Sekerina", "P1"),
             "b": _doc("Sekerina", "E2", "Natalia Sekerina", "P1"),
             "c": _doc("Adam Kadyrov", "E1", "Adam Kadyrov", "P2")}
    golds["d"] = _gold("Sergei Lapushkin", "Sergei Lapushkin")
    preds["d"] = _doc("Someone Else", "E1", "Sergei Lapushkin", "P3")
    clusters = [{"id": "k1", "members": [{"doc": "a", "event": "e1"}, {"doc": "b", "event": "e1"}]},
                {"id": "k2", "members": [{"doc": "b", "event": "e1"}, {"doc": "d", "event": "e1"}]}]
    scores = {k: score_document(golds[k], preds[k], k) for k in golds}
    out = score_linking(clusters, golds, preds, scores, with_details=True)
    assert out["details"]["events"] == {
        "false_links": ["a/e1 ~ c/e1"],
        "missed_links": ["a/e1 ~ b/e1", "b/e1 ~ d/e1 (not extracted)"]}
    # No entity clusters: Natalia in a and b merged is a false link (gold singletons).
    assert out["details"]["entities"]["false_links"] == [
        "a/Natalia Sekerina ~ b/Natalia Sekerina"]
    assert out["entities"]["precision"] == 0.0 and out["entities"]["recall"] is None
