"""The JSON API over a real SQLite store: filters, pagination, detail records, errors, OpenAPI."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from chronicle.serve.app import create_app
from test_serve_support import crafted_db, seeds_db  # noqa: F401  (fixtures)


@pytest.fixture(scope="module")
def client(crafted_db) -> TestClient:  # noqa: F811
    with TestClient(create_app(crafted_db), base_url="http://127.0.0.1:8000") as c:
        yield c


def items(client: TestClient, **params) -> list[dict]:
    r = client.get("/api/events", params=params)
    assert r.status_code == 200, r.text
    return r.json()["items"]


def types_of(rows: list[dict]) -> list[str]:
    return sorted(r["type"] for r in rows)


def test_events_list_is_paginated_and_ordered(client):
    body = client.get("/api/events", params={"limit": 2}).json()
    assert body["total"] == 5 and body["limit"] == 2 and len(body["items"]) == 2
    everything = items(client, limit=50)
    dated = [e["date"] for e in everything if e["date"]]
    assert dated == sorted(dated, reverse=True)  # newest first
    assert everything[-1]["date"] is None  # undated last
    second_page = items(client, limit=2, offset=2)
    assert [e["id"] for e in second_page] == [e["id"] for e in everything[2:4]]


def test_event_filters(client):
    assert types_of(items(client, type="coerce")) == ["COERCE"]
    assert types_of(items(client, country="KZ")) == ["ACCUSE", "PROTEST"]
    assert types_of(items(client, mode="convict")) == ["SANCTION"]
    assert types_of(items(client, entity="serikova")) == ["ACCUSE"]
    assert types_of(items(client, since="2024-01-01", until="2024-05")) == [
        "ACCUSE",
        "COERCE",
        "PROTEST",
    ]
    assert types_of(items(client, until="2023")) == ["SANCTION"]
    # Full text: events whose evidence or whose source article matches.
    assert types_of(items(client, q="rallied")) == ["ACCUSE", "PROTEST"]
    assert types_of(items(client, q="sentenced blogger")) == ["ASSAULT", "SANCTION"]
    assert items(client, q="zeppelin") == []


def test_hostile_filter_values_are_data_not_sql(client):
    for value in ["' OR 1=1 --", "%", "_", '"; DROP TABLE events; --']:
        assert items(client, entity=value) == []
        assert client.get("/api/events", params={"q": value}).status_code == 200
    assert client.get("/api/stats").json()["events"] == 5


def test_bad_parameters_are_rejected(client):
    assert client.get("/api/events", params={"since": "last week"}).status_code == 422
    assert client.get("/api/events", params={"limit": 100000}).status_code == 422
    assert client.get("/api/events", params={"status": "maybe"}).status_code == 422
    assert client.get("/api/events/999999").status_code == 404
    assert client.get("/api/entities/999999").status_code == 404
    assert client.get("/api/documents/999999").status_code == 404


def test_event_detail_has_every_field_and_its_source(client):
    (ev,) = items(client, type="ACCUSE")
    detail = client.get(f"/api/events/{ev['id']}").json()
    assert detail["charge"] == "spreading false information"
    assert detail["max_penalty_years"] == 7.0
    assert detail["location"] == {
        "name": "Almaty",
        "country": "KZ",
        "admin1": None,
        "lat": 43.24,
        "lon": 76.89,
    }
    assert detail["status"] == "machine" and detail["reviews"] == []
    (src,) = detail["sources"]
    assert src["title"] == "Journalist charged in Almaty" and src["outlet"] == "Steppe Wire"
    doc = client.get(f"/api/documents/{src['document_id']}").json()
    raw = doc["raw_text"]
    assert raw[src["evidence_start"] : src["evidence_end"]] == detail["evidence"]


def test_entities_and_their_events(client):
    people = client.get("/api/entities", params={"type": "PERSON"}).json()
    names = {p["name"]: p for p in people["items"]}
    assert set(names) == {"Aibek Tokonov", "Dana Serikova", "Nika Beridze"}
    dana = client.get(f"/api/entities/{names['Dana Serikova']['id']}").json()
    assert dana["roles"] == ["journalist"]
    assert [(e["type"], e["entity_role"]) for e in dana["events"]] == [("ACCUSE", "recipient")]
    assert [m["title"] for m in dana["mentions"]] == ["Journalist charged in Almaty"] * 2
    assert client.get("/api/entities", params={"q": "bish"}).json()["total"] == 1


def test_documents_claims_and_stats(client):
    docs = client.get("/api/documents").json()
    assert docs["total"] == 3
    assert client.get("/api/documents", params={"q": "Tbilisi"}).json()["total"] == 1
    claims = client.get("/api/claims", params={"metric": "detained"}).json()
    assert claims["total"] == 1
    (claim,) = claims["items"]
    assert claim["value"] == 12 and claim["qualifier"] == "at least"
    assert claim["status"] == "machine"
    assert client.get("/api/claims", params={"metric": "killed"}).json()["total"] == 0
    stats = client.get("/api/stats").json()
    assert stats["documents"] == 3 and stats["events"] == 5 and stats["claims"] == 1
    assert stats["events_by_country"] == {"KZ": 2, "GE": 1, "KG": 1}
    assert stats["events_by_status"]["machine"] == 5
    assert stats["date_range"] == {"first": "2023-11-02", "last": "2024-05-20"}


def test_openapi_documents_every_endpoint(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in [
        "/api/events",
        "/api/events/{event_id}",
        "/api/entities",
        "/api/entities/{entity_id}",
        "/api/documents",
        "/api/documents/{doc_id}",
        "/api/claims",
        "/api/stats",
    ]:
        assert "get" in paths[path], path
    params = {p["name"] for p in paths["/api/events"]["get"]["parameters"]}
    assert {"type", "mode", "country", "entity", "since", "until", "q", "limit", "offset"} <= params


def test_seed_articles_are_served(seeds_db):  # noqa: F811
    with TestClient(create_app(seeds_db), base_url="http://127.0.0.1:8000") as c:
        stats = c.get("/api/stats").json()
        assert stats["documents"] == 5
        assert stats["events"] > 0
        events = c.get("/api/events", params={"limit": 500}).json()["items"]
        assert len(events) == stats["events"]
        for ev in events:
            assert c.get(f"/events/{ev['id']}").status_code == 200
        for doc in c.get("/api/documents").json()["items"]:
            assert c.get(f"/documents/{doc['id']}").status_code == 200
        assert c.get("/").status_code == 200
