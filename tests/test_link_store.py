"""Incremental linking over a real SQLite store: new documents link to stored ones, the outcome
does not depend on arrival order, canonical events keep every source and their disagreements."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from sqlalchemy import select

from chronicle.link.incremental import link_incremental
from chronicle.link.relink import link_pending, rebuild
from chronicle.link.summary import disagreeing_events, linked_entities
from chronicle.link.tables import events_disagreements
from chronicle.store import Store
from chronicle.store.schema import documents, event_sources, events
from test_link_dataset import _load

DATA = Path(__file__).parent / "data" / "link"


def _docs():
    return _load()


def _partition(store: Store) -> set[frozenset[tuple[str, str]]]:
    """Linked events as sets of (outlet, evidence) per canonical events row."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(event_sources.c.event_id, event_sources.c.outlet,
                                   event_sources.c.evidence))
        groups: dict[int, set] = {}
        for r in rows:
            groups.setdefault(r.event_id, set()).add((r.outlet, r.evidence))
    return {frozenset(g) for g in groups.values()}


def _store_in_order(tmp_path: Path, name: str, order: list[str], batches: int) -> Store:
    docs = _docs()
    store = Store(tmp_path / name)
    step = max(1, len(order) // batches)
    for start in range(0, len(order), step):
        part = [docs[s] for s in order[start:start + step]]
        with store.engine.connect() as conn:
            before = conn.execute(select(documents.c.id)).scalars().all()
        store.add_documents(part)
        with store.engine.connect() as conn:
            after = conn.execute(select(documents.c.id)).scalars().all()
        link_incremental(store, sorted(set(after) - set(before)))
    return store


@pytest.fixture(scope="module")
def stems() -> list[str]:
    return sorted(p.stem for p in DATA.glob("*.json") if p.name != "clusters.json")


def test_incremental_matches_expected_clusters(tmp_path: Path, stems: list[str]) -> None:
    store = _store_in_order(tmp_path, "a.db", stems, batches=len(stems))
    expected = json.loads((DATA / "clusters.json").read_text())["events"]
    sizes = sorted(len(g) for g in _partition(store) if len(g) > 1)
    assert sizes == sorted(len(c) for c in expected)
    n_events = sum(len(d.events) for d in _docs().values())
    with store.engine.connect() as conn:
        rows = conn.execute(select(events.c.id)).scalars().all()
        assert len(rows) == n_events - sum(len(c) - 1 for c in expected)
    store.close()


def test_arrival_order_does_not_matter(tmp_path: Path, stems: list[str]) -> None:
    first = _store_in_order(tmp_path, "b.db", stems, batches=3)
    order = list(stems)
    random.Random(7).shuffle(order)
    second = _store_in_order(tmp_path, "c.db", order, batches=len(order))
    assert _partition(first) == _partition(second)
    first.close()
    second.close()


def test_sources_kept_and_disagreements_shown(tmp_path: Path, stems: list[str]) -> None:
    store = _store_in_order(tmp_path, "d.db", stems, batches=2)
    zhukov = [e for e in store.events() if e.recipient and "Zhukov" in e.recipient
              and e.type == "SANCTION" and len(e.sources) > 1]
    assert len(zhukov) == 1
    ev = zhukov[0]
    assert {s.outlet for s in ev.sources} == {"Volga Courier", "Rights Monitor"}
    assert all(s.evidence for s in ev.sources)
    with store.engine.connect() as conn:
        dis = conn.execute(select(events_disagreements.c.disagreements)
                           .where(events_disagreements.c.id == ev.id)).scalar_one()
    told = {(v["value"], v["outlet"]) for v in dis["sentence_years"]}
    assert told == {(6, "Volga Courier"), (6.5, "Rights Monitor")}
    assert any(d["event_id"] == ev.id for d in disagreeing_events(store))
    assert ev.location is not None and ev.location.lat is not None  # geocoded: Penza
    assert abs(ev.location.lat - 53.2) < 0.5
    store.close()


def test_petrov_aggregator_date_filled_from_dated_source(tmp_path: Path, stems: list[str]) -> None:
    order = ["a3_aggregator_petrov", *[s for s in stems if s != "a3_aggregator_petrov"]]
    store = _store_in_order(tmp_path, "e.db", order, batches=len(order))
    petrov = [e for e in store.events() if len(e.sources) == 3]
    assert len(petrov) == 1 and petrov[0].date == "2024-03-05"
    petrovs = [e for e in linked_entities(store, "PERSON") if "Petrov" in e.name]
    aleksandr = [e for e in petrovs if "A. Petrov" in [e.name, *e.aliases]]
    assert len(aleksandr) == 1 and aleksandr[0].documents == 3
    assert "." not in aleksandr[0].name  # shown under the complete spelling
    assert all("Dmitry" not in a for a in aleksandr[0].aliases)
    store.close()


def test_rebuild_and_pending_are_idempotent(tmp_path: Path, stems: list[str]) -> None:
    store = _store_in_order(tmp_path, "f.db", stems, batches=1)
    before = _partition(store)
    assert link_pending(store).documents == 0  # nothing left to link
    report = rebuild(store)
    assert report.documents == len(stems)
    assert _partition(store) == before
    store.close()


def test_incremental_on_both_backends(store_url: str, stems: list[str]) -> None:
    """The same clusters on SQLite and PostgreSQL (JSON columns, blocking queries)."""
    docs = _docs()
    expected = json.loads((DATA / "clusters.json").read_text())["events"]
    with Store(store_url) as store:
        for half in (stems[::2], stems[1::2]):
            with store.engine.connect() as conn:
                before = set(conn.execute(select(documents.c.id)).scalars())
            store.add_documents([docs[s] for s in half])
            with store.engine.connect() as conn:
                after = set(conn.execute(select(documents.c.id)).scalars())
            link_incremental(store, sorted(after - before))
        sizes = sorted(len(g) for g in _partition(store) if len(g) > 1)
    assert sizes == sorted(len(c) for c in expected)


def test_linked_entity_roles_dated_by_article(tmp_path: Path, stems: list[str]) -> None:
    store = _store_in_order(tmp_path, "g.db", stems, batches=1)
    daudov = [e for e in linked_entities(store, "PERSON") if e.name == "Magomed Daudov"]
    assert len(daudov) == 1 and daudov[0].documents == 3
    roles = [(r["date"], r["role"]) for r in daudov[0].roles]
    assert roles == sorted(roles)  # oldest first
    assert ("2023-06-03", "parliament speaker") in roles
    assert ("2023-06-01", "deputy chairman of the government") in roles
    store.close()
