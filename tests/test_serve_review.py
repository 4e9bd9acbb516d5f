"""Review mode: token, CSRF, read-only default, and originals that are never overwritten."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from chronicle.serve import review
from chronicle.serve.app import create_app
from chronicle.store import Store
from chronicle.store.schema import event_sources, events
from test_serve_support import build_crafted, crafted_documents

TOKEN = "test-token-123"  # Ann's
RITA = "rita-token-456"
REVIEWERS = {"Ann": TOKEN, "Rita Reviewer": RITA}
BASE = "http://127.0.0.1:8000"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def url(tmp_path) -> str:
    return build_crafted(tmp_path / "review.db")


@pytest.fixture
def client(url) -> TestClient:
    with TestClient(create_app(url, review=True, reviewers=REVIEWERS), base_url=BASE) as c:
        yield c


def event_id(client: TestClient, type_: str) -> int:
    return client.get("/api/events", params={"type": type_}).json()["items"][0]["id"]


def sign_in(client: TestClient, name: str = "Rita Reviewer", token: str = RITA) -> str:
    """Sign in through the form; returns the CSRF token shown on an event page."""
    r = client.post(
        "/review/login",
        data={"token": token, "reviewer": name, "next": "/events"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/events"
    assert "httponly" in r.headers["set-cookie"].lower()
    assert "samesite=strict" in r.headers["set-cookie"].lower()
    page = client.get(f"/events/{event_id(client, 'COERCE')}").text
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def test_read_only_without_review_flag(url):
    with TestClient(create_app(url, token=TOKEN), base_url=BASE) as c:
        eid = event_id(c, "COERCE")
        r = c.post(
            f"/api/events/{eid}/review", json={"action": "confirm", "reviewer": "x"}, headers=AUTH
        )
        assert r.status_code == 403 and "read-only" in r.json()["detail"]
        assert c.post(f"/events/{eid}/review", data={"action": "confirm"}).status_code == 403
        assert c.get("/review/login").status_code == 403
        assert "review-form" not in c.get(f"/events/{eid}").text


def test_api_correction_keeps_the_machine_original(client, url):
    eid = event_id(client, "COERCE")
    body = {
        "action": "correct",
        "reviewer": "Ann",
        "changes": {"date": "2024-03-02", "country": "kg", "recipient": "Aibek Tokonov"},
        "note": "date from para 2",
    }
    assert client.post(f"/api/events/{eid}/review", json=body).status_code == 403  # no token
    bad = {"Authorization": "Bearer wrong"}
    assert client.post(f"/api/events/{eid}/review", json=body, headers=bad).status_code == 403
    r = client.post(f"/api/events/{eid}/review", json=body, headers=AUTH)
    assert r.status_code == 200, r.text
    ev = r.json()
    assert ev["status"] == "corrected" and ev["date"] == "2024-03-02"
    # Only real changes are recorded (country and recipient were already so).
    assert ev["machine"] == {"date": "2024-03-03"}
    (rev,) = ev["reviews"]
    assert rev["reviewer"] == "Ann" and rev["note"] == "date from para 2"
    assert rev["changes"] == {"date": {"from": "2024-03-03", "to": "2024-03-02"}}
    assert re.match(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00", rev["at"])
    # The machine's row in the events table is untouched.
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(sa.select(events.c.date).where(events.c.id == eid)).scalar() == (
            "2024-03-03"
        )
    engine.dispose()
    # Filters and stats see the status.
    assert [e["id"] for e in client.get("/api/events?status=corrected").json()["items"]] == [eid]
    assert client.get("/api/stats").json()["events_by_status"]["corrected"] == 1


def test_invalid_reviews_are_refused(client):
    eid = event_id(client, "COERCE")
    post = lambda body: client.post(f"/api/events/{eid}/review", json=body, headers=AUTH)  # noqa: E731
    assert post({"action": "delete", "reviewer": "Ann"}).status_code == 422
    assert post({"action": "confirm", "reviewer": " "}).status_code == 422
    assert post({"action": "correct", "changes": {"date": "soon"}}).status_code == 422
    assert post({"action": "correct", "changes": {"type": "PARTY"}}).status_code == 422
    assert post({"action": "correct", "changes": {"lat": "1"}}).status_code == 422
    assert post({"action": "correct", "reviewer": "Ann", "changes": {}}).status_code == 422
    assert client.get(f"/api/events/{eid}").json()["reviews"] == []


def test_browser_flow_needs_session_and_csrf(client):
    eid = event_id(client, "ACCUSE")
    assert client.post(f"/events/{eid}/review", data={"action": "confirm"}).status_code == 403
    r = client.post("/review/login", data={"token": "nope", "reviewer": "X"})
    assert r.status_code == 403 and "Wrong name or token" in r.text
    # Ann's token does not sign Rita in.
    r = client.post("/review/login", data={"token": TOKEN, "reviewer": "Rita Reviewer"})
    assert r.status_code == 403
    csrf = sign_in(client)
    assert (
        client.post(
            f"/events/{eid}/review", data={"action": "confirm", "csrf": "forged"}
        ).status_code
        == 403
    )
    evil = {"origin": "http://attacker.example"}
    r = client.post(f"/events/{eid}/review", data={"action": "confirm", "csrf": csrf}, headers=evil)
    assert r.status_code == 403
    r = client.post(
        f"/events/{eid}/review",
        data={"action": "confirm", "csrf": csrf},
        headers={"origin": BASE},
        follow_redirects=False,
    )
    assert r.status_code == 303
    ev = client.get(f"/api/events/{eid}").json()
    assert ev["status"] == "confirmed" and ev["reviews"][0]["reviewer"] == "Rita Reviewer"
    # A correction through the form, then a rejection: the latest decision sets the status.
    form = {"action": "correct", "csrf": csrf, "type": "ACCUSE", "max_penalty_years": "5"}
    assert client.post(f"/events/{eid}/review", data=form).status_code == 200
    assert client.get(f"/api/events/{eid}").json()["max_penalty_years"] == 5.0
    client.post(f"/events/{eid}/review", data={"action": "reject", "csrf": csrf, "note": "dup"})
    ev = client.get(f"/api/events/{eid}").json()
    assert ev["status"] == "rejected" and [r["action"] for r in ev["reviews"]] == [
        "confirm",
        "correct",
        "reject",
    ]
    page = client.get(f"/events/{eid}").text
    assert "status-rejected" in page and "machine: 7.0" in page


def test_claim_review_and_reingest_keeps_decisions(client, url):
    claim = client.get("/api/claims").json()["items"][0]
    r = client.post(
        f"/api/claims/{claim['id']}/review",
        headers=AUTH,
        json={"action": "correct", "reviewer": "Ann", "changes": {"value": "14"}},
    )
    assert r.status_code == 200 and r.json()["value"] == 14.0 and r.json()["status"] == "corrected"
    eid = event_id(client, "SANCTION")
    client.post(
        f"/api/events/{eid}/review", headers=AUTH, json={"action": "reject", "reviewer": "Ann"}
    )
    # Re-running ingest over the same articles adds nothing and undoes nothing.
    with Store(url) as store:
        report = store.add_documents(crafted_documents())
    assert report.new == 0 and report.duplicates == 3
    assert client.get(f"/api/claims/{claim['id']}").json()["value"] == 14.0
    assert client.get(f"/api/events/{eid}").json()["status"] == "rejected"


def test_login_redirect_stays_on_this_site(client):
    r = client.post(
        "/review/login",
        follow_redirects=False,
        data={"token": TOKEN, "reviewer": "Ann", "next": "//evil.example/x"},
    )
    assert r.headers["location"] == "/"


def test_review_follows_its_event_when_linking_renumbers_rows(client, url, tmp_path):
    eid = event_id(client, "COERCE")
    r = client.post(
        f"/api/events/{eid}/review",
        headers=AUTH,
        json={"action": "correct", "reviewer": "Ann", "changes": {"date": "2024-03-02"}},
    )
    assert r.status_code == 200
    # What the link stage does when it merges: the sources move to another row, the old one goes.
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        row = dict(conn.execute(sa.select(events).where(events.c.id == eid)).mappings().one())
        new_id = conn.execute(events.insert().values({**row, "id": None})).inserted_primary_key[0]
        conn.execute(
            event_sources.update().where(event_sources.c.event_id == eid).values(event_id=new_id)
        )
        conn.execute(events.delete().where(events.c.id == eid))
        saved = [dict(r) for r in conn.execute(sa.select(review.reviews)).mappings()]
    engine.dispose()
    assert client.get(f"/api/events/{eid}").status_code == 404
    moved = client.get(f"/api/events/{new_id}").json()
    assert moved["status"] == "corrected" and moved["date"] == "2024-03-02"
    assert client.get("/api/stats").json()["events_by_status"]["corrected"] == 1
    # The same articles stored again in a new database: the decisions still find their events.
    fresh = build_crafted(tmp_path / "fresh.db")
    engine = sa.create_engine(fresh)
    with engine.begin() as conn:
        conn.execute(review.reviews.insert(), saved)
    engine.dispose()
    with TestClient(create_app(fresh), base_url=BASE) as c:
        (ev,) = c.get("/api/events", params={"status": "corrected"}).json()["items"]
        assert ev["type"] == "COERCE" and ev["date"] == "2024-03-02"
        assert ev["machine"] == {"date": "2024-03-03"}


def test_claim_form_on_the_document_page(client):
    csrf = sign_in(client)
    claim = client.get("/api/claims").json()["items"][0]
    page = client.get(f"/documents/{claim['document_id']}").text
    assert f'action="/claims/{claim["id"]}/review"' in page
    back = f"/documents/{claim['document_id']}#claim-{claim['id']}"
    form = {"action": "correct", "csrf": csrf, "metric": "detained", "value": "15", "back": back}
    r = client.post(f"/claims/{claim['id']}/review", data=form, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == back
    after = client.get(f"/api/claims/{claim['id']}").json()
    assert after["value"] == 15.0 and after["machine"] == {"value": 12.0}
    assert after["reviews"][0]["reviewer"] == "Rita Reviewer"
    assert "status-corrected" in client.get(f"/documents/{claim['document_id']}").text
