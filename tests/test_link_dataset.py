"""Cross-document linking on our own article set (tests/data/link): expected clusters, look-alike
distractors that must stay apart, geocoding in context, and order independence."""

from __future__ import annotations

import json
import random
from itertools import combinations
from pathlib import Path

import pytest

from chronicle.link import link_documents
from chronicle.model import Document, Entity, Event, Location

DATA = Path(__file__).parent / "data" / "link"


def _load() -> dict[str, Document]:
    docs: dict[str, Document] = {}
    for path in sorted(DATA.glob("*.json")):
        if path.name == "clusters.json":
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        doc = Document(source=path.name, raw_text=data["text"], body=data["text"],
                       outlet=data["outlet"], published=data["published"])
        doc.entities = [Entity(name=e["name"], type=e["type"], aliases=e["aliases"] or [],
                               role=e["role"]) for e in data["entities"]]
        for e in data["events"]:
            loc = e["location"]
            doc.events.append(Event(
                type=e["type"], mode=e["mode"], also_type=e["also_type"], actor=e["actor"],
                recipient=e["recipient"], date=e["date"],
                location=Location(loc["name"], loc["country"]) if loc else None,
                charge=e["charge"], max_penalty_years=e["max_penalty_years"],
                sentence_years=e["sentence_years"], evidence=e["evidence"]))
            doc.meta.setdefault("event_ids", []).append(e["id"])
        docs[path.stem] = doc
    return docs


def _expected() -> dict:
    return json.loads((DATA / "clusters.json").read_text(encoding="utf-8"))


def _event_ids(docs: dict[str, Document]) -> dict[tuple[str, str], str | None]:
    return {(stem, gid): ev.canonical_id for stem, doc in docs.items()
            for gid, ev in zip(doc.meta["event_ids"], doc.events, strict=True)}


def _entity_ids(docs: dict[str, Document]) -> dict[tuple[str, str], str | None]:
    return {(stem, e.name): e.canonical_id for stem, doc in docs.items() for e in doc.entities
            if e.type in ("PERSON", "ORG")}


def _pairs(groups: list[list[tuple[str, str]]]) -> set[frozenset]:
    return {frozenset(p) for g in groups for p in combinations(map(tuple, g), 2)}


def _linked(ids: dict[tuple[str, str], str | None]) -> set[frozenset]:
    by_id: dict[str, list] = {}
    for key, cid in ids.items():
        by_id.setdefault(cid or repr(key), []).append(key)
    return {frozenset(p) for g in by_id.values() for p in combinations(g, 2) if p[0][0] != p[1][0]}


@pytest.fixture(scope="module")
def linked_docs() -> dict[str, Document]:
    docs = _load()
    assert len(docs) >= 12
    link_documents(list(docs.values()))
    return docs


def test_event_clusters_exact(linked_docs: dict[str, Document]) -> None:
    linked = _linked(_event_ids(linked_docs))
    expected = _pairs(_expected()["events"])
    assert expected - linked == set(), "same happening not linked"
    assert linked - expected == set(), "distinct happenings linked (distractor merged)"


def test_entity_clusters_exact(linked_docs: dict[str, Document]) -> None:
    linked = _linked(_entity_ids(linked_docs))
    expected = _pairs(_expected()["entities"])
    assert expected - linked == set(), "one person/organisation left in several records"
    assert linked - expected == set(), "different people/organisations merged"


def test_same_surname_people_stay_apart(linked_docs: dict[str, Document]) -> None:
    ids = _entity_ids(linked_docs)
    assert ids[("a1_wire_petrov", "Aleksandr Petrov")] != ids[
        ("a4_distractor_dmitry_petrov", "Dmitry Petrov")]
    assert ids[("b1_penza_zhukov", "Yevgeny Zhukov")] != ids[
        ("b3_distractor_andrei_zhukov", "Andrei Zhukov")]
    assert ids[("e1_kadyrov_aide", "Ramzan Kadyrov")] != ids[
        ("e3_distractor_akhmat_kadyrov", "Akhmat Kadyrov")]


def test_places_geocoded_in_context(linked_docs: dict[str, Document]) -> None:
    for stem, expected in _expected()["places"].items():
        for ent in linked_docs[stem].entities:
            if ent.name in expected:
                assert ent.geo is not None and ent.geo["country"] == expected[ent.name], stem
    idaho = linked_docs["d1_idaho_protest"].events[0].location
    assert idaho is not None and idaho.country == "US" and idaho.lat is not None
    moscow = linked_docs["d3_distractor_moscow_protest"].events[0].location
    assert moscow is not None and moscow.country == "RU" and 55 < (moscow.lat or 0) < 56.5


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_result_independent_of_document_order(linked_docs: dict[str, Document], seed: int) -> None:
    shuffled = _load()
    order = list(shuffled.values())
    random.Random(seed).shuffle(order)
    link_documents(order)
    assert _event_ids(shuffled) == _event_ids(linked_docs)
    assert _entity_ids(shuffled) == _entity_ids(linked_docs)
