"""Store round trips with hand-built Documents, on SQLite and PostgreSQL (``store_url``)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from chronicle.model import Claim, Document, Entity, Event, Location, Span
from chronicle.store import Store
from chronicle.store.export import EXPORTERS

TEXT_A = (
    "Police in Tomsk detained activist Irina Volkova on Monday, the rights group OVD-Info said. "
    "She faces up to five years in prison. At least 12 people were detained at the rally."
)
TEXT_B = (
    "Officers arrested Irina  VOLKOVA in Tomsk, a local outlet reported, and opened a case "
    "against the blogger Pavel Orlov."
)


def _span(text: str, part: str) -> Span:
    start = text.index(part)
    return Span(start, start + len(part), part)


def doc_a() -> Document:
    sentence = TEXT_A.split(". ")[0] + "."
    return Document(
        source="a.txt",
        raw_text=TEXT_A,
        body=TEXT_A,
        title="Activist detained in Tomsk",
        outlet="Siberia Daily",
        published="2024-03-05",
        entities=[
            Entity("Irina Volkova", "PERSON", [], "activist",
                   [_span(TEXT_A, "Irina Volkova")]),
            Entity("OVD-Info", "ORG", mentions=[_span(TEXT_A, "OVD-Info")]),
            Entity("Tomsk", "GPE", mentions=[_span(TEXT_A, "Tomsk")]),
        ],
        events=[
            Event(
                "COERCE",
                mode="arrest",
                actor="Police",
                recipient="Irina Volkova",
                date="2024-03-04",
                location=Location("Tomsk", "RU"),
                max_penalty_years=5,
                reported_by=["OVD-Info"],
                evidence=sentence,
                evidence_span=_span(TEXT_A, sentence),
            )
        ],
        claims=[
            Claim(
                "detained",
                12,
                qualifier="at least",
                claimed_by=["OVD-Info"],
                evidence="At least 12 people were detained at the rally.",
                evidence_span=_span(TEXT_A, "At least 12 people were detained at the rally."),
                value_text="12",
            )
        ],
    )  # fmt: skip


def doc_b() -> Document:
    return Document(
        source="b.txt",
        raw_text=TEXT_B,
        body=TEXT_B,
        outlet="Ural Post",
        entities=[
            Entity("Irina  VOLKOVA", "PERSON", mentions=[_span(TEXT_B, "Irina  VOLKOVA")]),
            Entity("Pavel Orlov", "PERSON", role="blogger"),
            Entity("Tomsk", "GPE", mentions=[_span(TEXT_B, "Tomsk")]),
        ],
        events=[
            Event("COERCE", mode="arrest", recipient="Irina  VOLKOVA", date="2024-03",
                  location=Location("Tomsk", "RU"), evidence=TEXT_B),
            Event("ACCUSE", mode="investigate", recipient="Pavel Orlov", evidence=TEXT_B),
        ],
    )  # fmt: skip


@pytest.fixture
def store(store_url: str):
    with Store(store_url) as s:
        report = s.add_documents([doc_a(), doc_b()])
        assert (report.new, report.duplicates) == (2, 0)
        yield s


def test_events_with_sources_and_filters(store: Store) -> None:
    events = store.events()
    assert [(e.type, e.date) for e in events] == [
        ("COERCE", "2024-03"), ("COERCE", "2024-03-04"), ("ACCUSE", None),
    ]  # fmt: skip
    arrest = store.events(since="2024-03-02")[0]
    assert arrest.recipient == "Irina Volkova" and arrest.location.country == "RU"
    assert arrest.max_penalty_years == 5 and arrest.reported_by == ["OVD-Info"]
    (src,) = arrest.sources
    assert (src.outlet, src.published) == ("Siberia Daily", "2024-03-05")
    assert src.title == "Activist detained in Tomsk"
    assert TEXT_A[src.evidence_start : src.evidence_end] == src.evidence == arrest.evidence
    assert src.event["recipient"] == "Irina Volkova"  # the event as this source told it
    assert len(store.events(type="coerce")) == 2
    assert [e.type for e in store.events(country="ru")] == ["COERCE", "COERCE"]
    assert store.events(country="UA") == []
    by_name = store.events(entity="irina volkova")  # every stored spelling of the entity
    assert [e.recipient for e in by_name] == ["Irina  VOLKOVA", "Irina Volkova"]
    assert [e.type for e in store.events(entity="Orlov")] == ["ACCUSE"]
    assert [e.date for e in store.events(until="2024-03")] == ["2024-03", "2024-03-04"]
    assert [e.date for e in store.events(until="2024-03-03")] == ["2024-03"]
    assert len(store.events(limit=1)) == 1
    assert store.event(arrest.id).to_dict()["sources"][0]["document_id"] == src.document_id
    assert store.event(10_000) is None


def test_entities_attach_by_normalised_name(store: Store) -> None:
    people = {e.name: e for e in store.entities(type="PERSON")}
    assert set(people) == {"Irina Volkova", "Pavel Orlov"}
    volkova = people["Irina Volkova"]
    assert volkova.aliases == ["Irina  VOLKOVA"]
    assert (volkova.document_count, volkova.mention_count, volkova.roles) == (2, 2, ["activist"])
    assert people["Pavel Orlov"].mention_count == 1  # no span: the document still names him
    assert store.entities()[0].document_count == 2
    assert {e.type for e in store.entities()} == {"PERSON", "ORG", "GPE"}


def test_claims_documents_and_search(store: Store) -> None:
    (claim,) = store.claims()
    assert (claim.metric, claim.value, claim.qualifier) == ("detained", 12.0, "at least")
    assert claim.claimed_by == ["OVD-Info"] and claim.outlet == "Siberia Daily"
    assert TEXT_A[claim.evidence_span.start : claim.evidence_span.end] == claim.evidence
    docs = store.documents()
    assert [d.source for d in docs] == ["a.txt", "b.txt"]
    assert docs[0].content_hash == doc_a().content_hash and docs[0].ingested_at
    hits = store.search("detained rally")
    assert [h.document_id for h in hits] == [docs[0].id]
    assert "detained" in hits[0].snippet.replace("\x02", "").replace("\x03", "")
    assert {h.source for h in store.search("Tomsk")} == {"a.txt", "b.txt"}
    assert store.search("nonexistentword") == []
    for hostile in ['"', "AND OR NOT", "title:*", "'; DROP TABLE documents; --", "(", "NEAR("]:
        store.search(hostile)  # never a syntax error
    assert store.counts()["documents"] == 2


def test_event_order_puts_year_less_and_undated_last(store: Store) -> None:
    doc = Document(
        source="c.txt",
        raw_text="Three more events.",
        body="Three more events.",
        events=[Event("PROTEST", date="--06-17"), Event("PROTEST", date="2023-01-02")],
    )
    store.add_documents([doc])
    dates = [e.date for e in store.events()]
    assert dates == ["2023-01-02", "2024-03", "2024-03-04", "--06-17", None]
    assert [e.date for e in store.events(since="2000")] == ["2023-01-02", "2024-03", "2024-03-04"]


def test_idempotent_add(store: Store) -> None:
    before = store.counts()
    report = store.add_documents([doc_b(), doc_a()])
    assert (report.new, report.duplicates) == (0, 2)
    assert "0 new, 2 already stored" in report.summary()
    assert store.counts() == before


def test_pandas_and_exporters(store: Store, tmp_path: Path) -> None:
    events = store.to_pandas("events")
    assert list(events["type"]) == ["COERCE", "COERCE", "ACCUSE"]
    assert events.loc[1, "outlets"] == "Siberia Daily"
    assert len(store.to_pandas("entities")) == 4
    assert store.to_pandas("claims").loc[0, "claimed_by"] == "OVD-Info"
    assert "raw_text" not in store.to_pandas("documents").columns
    with pytest.raises(ValueError, match="unknown kind"):
        store.to_pandas("nope")
    assert set(EXPORTERS) >= {"csv", "json", "parquet"}
    for fmt, exporter in EXPORTERS.items():
        if fmt not in {"csv", "json", "parquet"}:
            continue
        path = tmp_path / f"out.{fmt}"
        assert exporter(store, path) == 3
        if fmt == "csv":
            assert pd.read_csv(path)["recipient"].tolist()[1] == "Irina Volkova"
        elif fmt == "json":
            assert json.loads(path.read_text())[1]["sources"][0]["outlet"] == "Siberia Daily"
        else:
            assert pd.read_parquet(path)["date"].tolist()[0] == "2024-03"


def test_reopen_keeps_data_and_schema_version(store_url: str) -> None:
    from alembic.script import ScriptDirectory
    from sqlalchemy import text

    from chronicle.store.db import alembic_config

    with Store(store_url) as s:
        s.add_documents([doc_a()])
    with Store(store_url) as s:
        assert s.counts()["documents"] == 1
        with s.engine.connect() as conn:
            versions = {r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version"))}
        # Every migration branch (other stages add theirs on 0001_initial) is applied.
        assert versions == set(ScriptDirectory.from_config(alembic_config()).get_heads())
        assert len(s.events()) == 1
