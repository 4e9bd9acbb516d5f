"""Linking rules alone on the shared development set: documents built from the gold files (the
first accepted form of each field, no extraction), linked, then scored by ``chronicle eval``'s
own linking scorer. Skipped when ``shared/`` is not beside the repository."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from chronicle.evaluate.linking import score_linking
from chronicle.evaluate.runner import load_clusters, load_golds
from chronicle.evaluate.scoring import score_document
from chronicle.link import link_documents
from chronicle.model import Document, Entity, Event, Location

ROOT = Path(__file__).resolve().parents[1]
GOLD = next((p / "shared" / "gold" / "linking" for p in (ROOT.parent, ROOT.parent.parent)
             if (p / "shared" / "gold" / "linking").is_dir()), None)
pytestmark = pytest.mark.skipif(GOLD is None, reason="shared/gold/linking not found")


def _first(value: Any) -> Any:
    return (value[0] if value else None) if isinstance(value, list) else value


def _doc(stem: str, gold: dict[str, Any]) -> Document:
    texts = GOLD.parents[1] / "linking" / "texts"  # type: ignore[union-attr]
    doc = Document(source=stem, raw_text=(texts / f"{stem}.txt").read_text(encoding="utf-8"),
                   outlet=gold.get("outlet"), published=gold.get("published"))
    doc.entities = [Entity(e["name"], e["type"], list(e.get("aliases") or []), e.get("role"))
                    for e in gold["entities"]]
    for e in gold["events"]:
        loc = e.get("location")
        doc.events.append(Event(
            type=e["type"], mode=_first(e.get("mode")), actor=_first(e.get("actor")),
            recipient=_first(e.get("recipient")), date=e.get("date"),
            location=Location(loc["name"], loc.get("country")) if loc else None,
            charge=e.get("charge"), max_penalty_years=e.get("max_penalty_years"),
            also_type=e.get("also_type"), evidence=e.get("evidence") or ""))
    return doc


@pytest.mark.parametrize("seed", [0, 1])
def test_linking_rules_on_gold_fields(seed: int) -> None:
    errors: list[str] = []
    golds = load_golds(GOLD, errors)
    clusters = load_clusters(GOLD, errors) or []
    docs = {stem: _doc(stem, g) for stem, g in golds.items()}
    order = list(docs.values())
    random.Random(seed).shuffle(order)
    link_documents(order)
    preds = {stem: d.to_dict() for stem, d in docs.items()}
    scores = {stem: score_document(golds[stem], preds[stem], stem) for stem in docs}
    result = score_linking(clusters, golds, preds, scores)
    assert not errors
    assert result["events"]["precision"] == 1.0  # no distractor merged
    assert result["entities"]["precision"] == 1.0
    assert result["events"]["recall"] >= 0.9 and result["entities"]["recall"] >= 0.9
