"""HTML pages: hostile article text stays text, evidence is highlighted, charts and map render."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from chronicle.link.tables import events_disagreements
from chronicle.serve.app import create_app
from test_serve_support import IMG, SCRIPT, build_crafted, crafted_db  # noqa: F401  (fixture)

HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
def client(crafted_db) -> TestClient:  # noqa: F811
    with TestClient(create_app(crafted_db), base_url="http://127.0.0.1:8000") as c:
        yield c


def ids(client: TestClient, path: str, **params) -> dict[str, int]:
    """Ids of the listed rows keyed by event type, entity name or document title."""
    rows = client.get(path, params=params).json()["items"]
    key = {"/api/events": "type", "/api/entities": "name", "/api/documents": "title"}[path]
    return {r[key]: r["id"] for r in rows}


def hostile_pages(client: TestClient) -> list[str]:
    coerce = ids(client, "/api/events", type="COERCE")["COERCE"]
    doc = client.get(f"/api/events/{coerce}").json()["sources"][0]["document_id"]
    person = ids(client, "/api/entities", q="Tokonov")["Aibek Tokonov"]
    return [
        "/",
        "/events",
        "/events?q=moderators",
        f"/events/{coerce}",
        f"/documents/{doc}",
        "/documents",
        f"/entities/{person}",
        "/entities",
        f"/entities/{ids(client, '/api/entities', type='ORG')[SCRIPT]}",
    ]


def test_untrusted_text_is_escaped_on_every_page(client):
    for path in hostile_pages(client):
        r = client.get(path, headers=HTML)
        assert r.status_code == 200, path
        page = r.text
        assert SCRIPT not in page, path
        assert "<img" not in page, path
        assert "onerror=alert(1)>" not in page, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page or "&lt;img" in page, path
        assert r.headers["content-security-policy"].startswith("default-src 'self'")
    # The only <script> elements on any page would be our own files; there are none.
    assert "<script" not in client.get(hostile_pages(client)[3]).text


def test_event_page_highlights_the_evidence_inside_the_article(client):
    coerce = ids(client, "/api/events", type="COERCE")["COERCE"]
    page = client.get(f"/events/{coerce}", headers=HTML).text
    m = re.search(r'<span class="mark-evidence" id="evidence"[^>]*>([^<]*)</span>', page)
    assert m, "evidence span missing"
    assert m.group(1).startswith("Police in Bishkek detained activist Aibek Tokonov")
    # The article around it is shown too, and the dropped chrome is present but hidden.
    assert "At least 12 people were detained" in page
    assert re.search(r'class="boilerplate"[^>]*>Top stories &lt;script&gt;', page)
    assert 'class="toggle"' in page and "Show removed boilerplate" in page
    for label in ["Actor", "Recipient", "Date", "Place", "Country", "Coordinates"]:
        assert f"<th>{label}</th>" in page
    assert 'class="status status-machine"' in page


def test_document_page_marks_extracted_items(client):
    almaty = ids(client, "/api/documents")["Journalist charged in Almaty"]
    page = client.get(f"/documents/{almaty}", headers=HTML).text
    assert (
        page.count('class="mark-event"') + page.count('class="mark-entity-person mark-event"') >= 2
    )
    assert "mark-entity-person" in page and "mark-entity-gpe" in page
    assert re.search(r'class="boilerplate"[^>]*>Menu \| Login \| Donate', page)
    assert 'href="/events/' in page


def test_timeline_and_map_are_inline_svg(client):
    page = client.get("/events", headers=HTML).text
    assert page.count('<svg class="chart"') == 1
    for t in ["COERCE", "ACCUSE", "PROTEST", "SANCTION"]:
        assert f'data-type="{t}"' in page
    assert 'data-type="ASSAULT"' not in page  # undated: not on a time axis
    assert '<svg class="map"' in page
    assert page.count('<circle class="marker"') == 3  # Bishkek, Almaty (2 events), Tbilisi
    assert 'data-iso="KZ"' in page and 'data-iso="KG"' in page
    assert "tile" not in page.lower() and "cdn" not in page.lower()
    filtered = client.get("/events", params={"type": "SANCTION"}, headers=HTML).text
    assert filtered.count('<circle class="marker"') == 1
    assert 'data-type="COERCE"' not in filtered


def test_events_page_filters_and_entity_timeline(client):
    page = client.get("/events", params={"country": "KZ"}, headers=HTML).text
    assert "2 events" in page
    dana = ids(client, "/api/entities", q="Serikova")["Dana Serikova"]
    page = client.get(f"/entities/{dana}", headers=HTML).text
    assert "journalist" in page and 'class="chart timeline"' in page
    assert "recipient" in page


def test_missing_pages_say_so(client):
    r = client.get("/events/424242", headers=HTML)
    assert r.status_code == 404 and "no event 424242" in r.text and "<h1>Error 404</h1>" in r.text
    assert client.get("/events/424242").json() == {"detail": "no event 424242"}


def test_missing_database_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such database"):
        create_app(str(tmp_path / "absent.db"))


def test_linked_sources_disagreeing_are_all_shown(tmp_path):
    url = build_crafted(tmp_path / "disagree.db")
    values = [
        {"value": 7.0, "outlet": "Steppe Wire", "document_id": 2},
        {"value": 10.0, "outlet": "Other <b>Wire</b>", "document_id": 1},
    ]
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            events_disagreements.update()
            .where(events_disagreements.c.id == 2)
            .values(disagreements={"max_penalty_years": values})
        )
    engine.dispose()
    with TestClient(create_app(url), base_url="http://127.0.0.1:8000") as c:
        assert c.get("/api/events/2").json()["disagreements"] == {"max_penalty_years": values}
        page = c.get("/events/2", headers=HTML).text
        assert "Sources disagree" in page and "<b>7.0</b>" in page and "<b>10.0</b>" in page
        assert "Other &lt;b&gt;Wire&lt;/b&gt;" in page
