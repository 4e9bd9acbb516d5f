"""Hostile requests against the real app (issue 14, web): each is answered 4xx, never 500, and
every answer, errors included, carries the security headers.

Covers integers past 64 bits, malformed review bodies, absurd penalties, the Host allow-list, the
body size limit, login and token back-off, sign-out, session expiry and reviewers as named
accounts (a token signs as its own reviewer only).
"""

from __future__ import annotations

import json
import re

import httpx
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from chronicle.cli import app as cli_app
from chronicle.serve import review
from chronicle.serve.app import create_app
from chronicle.serve.loadtest import running_server
from chronicle.serve.security import (
    SECURITY_HEADERS,
    AccountError,
    allowed_hosts,
    host_name,
    load_accounts,
)
from test_serve_support import build_crafted

BASE = "http://127.0.0.1:8000"
ANN, RITA = "ann-token-0001", "rita-token-0002"
REVIEWERS = {"Ann": ANN, "Rita Reviewer": RITA}
HTML = {"accept": "text/html"}
BIG = 2**63
MAX_ID = 2**31 - 1  # a PostgreSQL integer
HEADER_NAMES = [name.decode() for name, _ in SECURITY_HEADERS]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def secured(r) -> bool:
    """Whether ``r`` carries every security header, exactly once."""
    return all(len(r.headers.get_list(name)) == 1 for name in HEADER_NAMES)


class Clock:
    """A clock the test moves by hand (for back-off and session expiry)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def url(tmp_path_factory) -> str:
    return build_crafted(tmp_path_factory.mktemp("hostile") / "hostile.db")


@pytest.fixture
def web(url):
    """A review-mode app with two named reviewers and a hand-moved clock."""
    app = create_app(url, review=True, reviewers=REVIEWERS)
    clock = Clock()
    app.state.chronicle.guard.clock = clock
    app.state.clock = clock
    return app


@pytest.fixture
def client(web) -> TestClient:
    with TestClient(web, base_url=BASE, raise_server_exceptions=False) as c:
        yield c


def first_id(client: TestClient, what: str, **params) -> int:
    return client.get(f"/api/{what}", params=params).json()["items"][0]["id"]


def review_count(client: TestClient, eid: int) -> int:
    return len(client.get(f"/api/events/{eid}").json()["reviews"])


def sign_in(client: TestClient, name: str = "Rita Reviewer", token: str = RITA) -> str:
    r = client.post(
        "/review/login", data={"reviewer": name, "token": token}, follow_redirects=False
    )
    assert r.status_code == 303, r.text
    return re.search(r'name="csrf" value="([^"]+)"', client.get("/events").text).group(1)


# -- integers past 64 bits ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        f"/api/events/{BIG}",
        f"/api/entities/{BIG}",
        f"/api/documents/{BIG}",
        f"/api/claims/{BIG}",
        f"/api/events/{10**30}",
        f"/api/events/{-BIG - 1}",
        f"/events/{BIG}",
        f"/entities/{BIG}",
        f"/documents/{BIG}",
        f"/api/events?offset={BIG}",
        f"/api/events?limit={BIG}",
        f"/api/events?document={BIG}",
        f"/api/claims?document={BIG}",
        f"/api/claims?offset={BIG}",
        f"/api/entities?offset={BIG}",
        f"/api/documents?offset={BIG}",
        f"/events?offset={BIG}",
        f"/entities?offset={BIG}",
        f"/documents?offset={BIG}",
        "/api/events?offset=-1",
        f"/api/events?offset={'9' * 5000}",
    ],
)
def test_huge_integers_are_refused_not_crashed(client, path):
    for headers in ({}, HTML):
        r = client.get(path, headers=headers)
        assert r.status_code == 422, (path, r.status_code, r.text[:200])
        assert secured(r)


def test_the_largest_id_is_just_not_found(client):
    r = client.get(f"/api/events/{MAX_ID}")
    assert r.status_code == 404 and secured(r)
    r = client.get(f"/api/events/{MAX_ID + 1}")
    assert r.status_code == 422 and secured(r)
    r = client.get("/api/events", params={"offset": 2**31 - 1})
    assert r.status_code == 200 and r.json()["items"] == []


def test_huge_ids_in_review_writes(client):
    body = {"action": "confirm"}
    r = client.post(f"/api/events/{BIG}/review", json=body, headers=bearer(ANN))
    assert r.status_code == 422 and secured(r)
    r = client.post(f"/api/claims/{BIG}/review", json=body, headers=bearer(ANN))
    assert r.status_code == 422 and secured(r)
    csrf = sign_in(client)
    r = client.post(f"/events/{BIG}/review", data={"action": "confirm", "csrf": csrf})
    assert r.status_code == 422 and secured(r)


# -- review bodies ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        {"action": "confirm", "note": 123},
        {"action": "confirm", "note": {"text": "x"}},
        {"action": "confirm", "note": ["x"]},
        {"action": "confirm", "note": True},
        {"action": "confirm", "note": "x" * 2001},
        {"action": "confirm", "note": "nul \x00 inside"},
        {"action": "confirm", "reviewer": 7},
        {"action": "confirm", "reviewer": ["Ann"]},
        {"action": "confirm", "reviewer": "  "},
        {"action": 1},
        {"action": None},
        {"action": "confirm", "changes": "date=2024"},
        {"action": "correct", "changes": {"date": ["2024"]}},
        {"action": "correct", "changes": {"date": {"y": 2024}}},
        {"action": "correct", "changes": {"actor": "a\x00b"}},
        {"action": "correct", "changes": {"actor": "x" * 501}},
        {"action": "confirm", "admin": True},
        ["confirm"],
        "confirm",
        None,
    ],
)
def test_malformed_review_bodies_answer_422(client, body):
    eid = first_id(client, "events")
    before = review_count(client, eid)
    r = client.post(f"/api/events/{eid}/review", json=body, headers=bearer(ANN))
    assert r.status_code == 422, (body, r.status_code, r.text[:300])
    assert secured(r)
    assert review_count(client, eid) == before


@pytest.mark.parametrize(
    "raw",
    [
        b'{"action": "confirm", "note": "\\ud800"}',  # a lone surrogate
        b'{"action": "correct", "changes": {"\\udfff": "1"}}',
        b'{"action": "confirm", "note": "' + b"\xff\xfe" + b'"}',  # not UTF-8
        b'{"action": "confirm"',  # cut short
        b"[" * 100_000,  # nested past the parser's recursion limit
        b'{"action": "confirm", "note": 1' + b"0" * 5000 + b"}",  # past int() digit limit
    ],
)
def test_unparseable_review_bodies_answer_4xx(client, raw):
    eid = first_id(client, "events")
    headers = {**bearer(ANN), "content-type": "application/json"}
    r = client.post(f"/api/events/{eid}/review", content=raw, headers=headers)
    assert r.status_code in (400, 422), (raw[:60], r.status_code, r.text[:300])
    assert secured(r)
    r.json()  # the error itself is valid JSON


def test_reviewer_null_is_signed_by_the_token_owner(client, url):
    eid = first_id(client, "events")
    r = client.post(
        f"/api/events/{eid}/review",
        json={"action": "confirm", "reviewer": None},
        headers=bearer(ANN),
    )
    assert r.status_code == 200, r.text
    assert r.json()["reviews"][-1]["reviewer"] == "Ann"
    r = client.post(f"/api/events/{eid}/review", json={"action": "confirm"}, headers=bearer(RITA))
    assert r.json()["reviews"][-1]["reviewer"] == "Rita Reviewer"
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        names = set(conn.execute(sa.select(review.reviews.c.reviewer)).scalars())
    engine.dispose()
    assert "None" not in names and {"Ann", "Rita Reviewer"} <= names


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("max_penalty_years", -5),
        ("max_penalty_years", 1e308),
        ("max_penalty_years", 101),
        ("max_penalty_years", "1e999"),
        ("max_penalty_years", "-1e999"),
        ("max_penalty_years", "nan"),
        ("sentence_years", "inf"),
        ("sentence_years", "-0.5"),
        ("sentence_years", "Infinity"),
        ("sentence_years", 10**400),
    ],
)
def test_absurd_penalties_are_refused(client, field, value):
    eid = first_id(client, "events", type="SANCTION")
    body = {"action": "correct", "changes": {field: value}}
    r = client.post(f"/api/events/{eid}/review", json=body, headers=bearer(ANN))
    assert r.status_code == 422, (value, r.text)
    assert secured(r)


@pytest.mark.parametrize("token", [b"NaN", b"Infinity", b"-Infinity"])
def test_json_nan_and_infinity_are_refused(client, token):
    eid = first_id(client, "events", type="SANCTION")
    raw = b'{"action": "correct", "changes": {"sentence_years": ' + token + b"}}"
    headers = {**bearer(ANN), "content-type": "application/json"}
    r = client.post(f"/api/events/{eid}/review", content=raw, headers=headers)
    assert r.status_code == 422 and secured(r)


def test_sensible_penalties_and_claim_values(client):
    eid = first_id(client, "events", type="SANCTION")
    body = {"action": "correct", "changes": {"sentence_years": 100, "max_penalty_years": "0"}}
    r = client.post(f"/api/events/{eid}/review", json=body, headers=bearer(ANN))
    assert r.status_code == 200, r.text
    assert r.json()["sentence_years"] == 100.0 and r.json()["max_penalty_years"] == 0.0
    cid = first_id(client, "claims")
    for value in (-1, 1e16, "nan"):
        r = client.post(
            f"/api/claims/{cid}/review",
            json={"action": "correct", "changes": {"value": value}},
            headers=bearer(ANN),
        )
        assert r.status_code == 422, value


def test_form_writes_refuse_control_characters_and_bad_numbers(client):
    csrf = sign_in(client)
    eid = first_id(client, "events", type="SANCTION")
    for form in (
        {"action": "correct", "sentence_years": "1e308"},
        {"action": "correct", "sentence_years": "-5"},
        {"action": "correct", "actor": "a\x00b"},
        {"action": "confirm", "note": "x" * 2001},
        {"action": "x" * 100},
    ):
        r = client.post(f"/events/{eid}/review", data={**form, "csrf": csrf}, headers=HTML)
        assert r.status_code == 422, (form, r.status_code)
        assert secured(r) and "Error 422" in r.text
    # A percent-encoded lone surrogate is not UTF-8: decoded as U+FFFD, or refused; never a 500.
    r = client.post(
        f"/events/{eid}/review",
        content=f"action=confirm&csrf={csrf}&note=%ED%A0%80".encode(),
        headers={"content-type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert r.status_code in (303, 400, 422) and secured(r)


# -- headers on every response -------------------------------------------------------------------


def test_security_headers_on_every_kind_of_answer(web, client):
    @web.get("/api/test-crash")
    def crash() -> None:
        raise RuntimeError("boom")

    @web.get("/api/test-busy")
    def busy() -> None:
        raise sa.exc.OperationalError("INSERT", {}, Exception("database is locked"))

    eid = first_id(client, "events")
    answers = {
        200: client.get("/api/stats"),
        303: client.post(
            "/review/login", data={"reviewer": "Ann", "token": ANN}, follow_redirects=False
        ),
        400: client.get("/api/stats", headers={"host": "evil.example"}),
        403: client.post(f"/api/events/{eid}/review", json={"action": "confirm"}),
        404: client.get("/api/events/999999"),
        405: client.delete("/api/events"),
        413: client.post("/review/login", content=b"x" * (1 << 21)),
        422: client.get("/api/events", params={"limit": 0}),
        500: client.get("/api/test-crash"),
        503: client.get("/api/test-busy"),
    }
    for status, r in answers.items():
        assert r.status_code == status, (status, r.status_code, r.text[:200])
        assert secured(r), status
    assert answers[500].json() == {"detail": "internal server error"}
    assert "boom" not in answers[500].text
    assert answers[503].headers["retry-after"]
    for path in ("/static/style.css", "/", "/docs", "/openapi.json", "/review/login"):
        r = client.get(path, headers=HTML)
        assert r.status_code == 200 and secured(r), path
    r = client.get("/events/999999", headers=HTML)
    assert r.status_code == 404 and secured(r) and "<h1>Error 404</h1>" in r.text


def test_a_500_page_has_headers_in_a_real_server_too(url):
    app = create_app(url)

    @app.get("/api/test-crash")
    def crash() -> None:
        raise RuntimeError("boom")

    with running_server(app) as base:
        r = httpx.get(f"{base}/api/test-crash", timeout=10)
        assert r.status_code == 500 and secured(r)
        r = httpx.get(f"{base}/api/stats", headers={"host": "attacker.example"}, timeout=10)
        assert r.status_code == 400 and secured(r)
        assert httpx.get(f"{base}/api/stats", timeout=10).status_code == 200


# -- host allow-list ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("127.0.0.1:8000", 200),
        ("localhost", 200),
        ("LOCALHOST:8000", 200),
        ("[::1]:8000", 200),
        ("evil.example", 400),
        ("evil.example:8000", 400),
        ("127.0.0.1.evil.example", 400),
        ("localhost.", 400),
        ("", 400),
        ("[::1", 400),
    ],
)
def test_host_header_allow_list(client, host, status):
    r = client.get("/api/stats", headers={"host": host})
    assert r.status_code == status and secured(r)


def test_allowed_hosts_from_option_and_environment(url, monkeypatch):
    app = create_app(url, hosts=["chronicle.lan", "203.0.113.7"])
    with TestClient(app, base_url="http://chronicle.lan:8000") as c:
        assert c.get("/api/stats").status_code == 200
        assert c.get("/api/stats", headers={"host": "203.0.113.7:8000"}).status_code == 200
        assert c.get("/api/stats", headers={"host": "other.lan"}).status_code == 400
    monkeypatch.setenv("CHRONICLE_ALLOWED_HOSTS", "a.example, b.example")
    with TestClient(create_app(url), base_url="http://b.example") as c:
        assert c.get("/api/stats").status_code == 200
    monkeypatch.setenv("CHRONICLE_ALLOWED_HOSTS", "*")
    with TestClient(create_app(url), base_url="http://anything.example") as c:
        assert c.get("/api/stats").status_code == 200


def test_host_names_are_parsed_like_browsers_send_them():
    assert host_name("Example.COM:8000") == "example.com"
    assert host_name("[::1]:8000") == "::1"
    assert host_name("[2001:db8::1]") == "2001:db8::1"
    assert host_name("::1") == "::1"  # bare IPv6 (no port): kept whole
    hosts = allowed_hosts(["::1", "Serve.Example:8080"], environ={})
    assert {"localhost", "127.0.0.1", "::1", "serve.example"} == hosts


def test_nul_in_the_url_is_refused(client):
    for path in ("/api/events?q=a%00b", "/api/entities?q=%00", "/events?entity=x%00"):
        r = client.get(path)
        assert r.status_code == 400 and secured(r), path


def test_oversized_and_streamed_bodies(client):
    eid = first_id(client, "events")
    r = client.post(
        f"/api/events/{eid}/review",
        content=b'{"action": "confirm", "note": "' + b"x" * (2 << 20) + b'"}',
        headers={**bearer(ANN), "content-type": "application/json"},
    )
    assert r.status_code == 413 and secured(r)

    def stream(size: int):
        for _ in range(size // 65536):
            yield b" " * 65536
        yield b'{"action": "confirm"}'

    headers = {**bearer(ANN), "content-type": "application/json"}
    r = client.post(f"/api/events/{eid}/review", content=stream(2 << 20), headers=headers)
    assert r.status_code == 413 and secured(r)
    r = client.post(f"/api/events/{eid}/review", content=stream(1 << 16), headers=headers)
    assert r.status_code == 200, r.text


# -- login back-off ----------------------------------------------------------------------------


def wrong_login(client: TestClient, name: str = "Ann") -> int:
    return client.post("/review/login", data={"reviewer": name, "token": "guess"}).status_code


def test_wrong_tokens_back_off_per_address_with_growing_delay(web, client):
    clock = web.state.clock
    assert [wrong_login(client) for _ in range(5)] == [403] * 5  # five free tries
    assert wrong_login(client) == 403  # the sixth is checked, and starts the back-off
    r = client.post("/review/login", data={"reviewer": "Ann", "token": ANN})
    assert r.status_code == 429 and secured(r)  # even the right token waits
    assert "try again" in r.text
    delays = [int(r.headers["retry-after"])]
    for _ in range(4):
        clock.now += delays[-1]  # wait as told, then guess wrong once more: the wait doubles
        assert wrong_login(client) == 403
        r = client.post("/review/login", data={"reviewer": "Ann", "token": ANN})
        assert r.status_code == 429
        delays.append(int(r.headers["retry-after"]))
    assert delays == [1, 2, 4, 8, 16]
    # The bearer token on the API is the same guess, from the same address: it waits too.
    eid = first_id(client, "events")
    r = client.post(f"/api/events/{eid}/review", json={"action": "confirm"}, headers=bearer(ANN))
    assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1 and secured(r)
    # Once the wait is over, the right token works and clears the count.
    clock.now += 10_000
    r = client.post("/review/login", data={"reviewer": "Ann", "token": ANN}, follow_redirects=False)
    assert r.status_code == 303
    assert wrong_login(client) == 403


def test_another_site_cannot_spend_the_tries(client):
    evil = {"origin": "http://attacker.example"}
    for _ in range(10):
        r = client.post("/review/login", data={"reviewer": "Ann", "token": "x"}, headers=evil)
        assert r.status_code == 403 and secured(r)
    r = client.post(
        "/review/login",
        data={"reviewer": "Ann", "token": ANN},
        headers={"origin": BASE},
        follow_redirects=False,
    )
    assert r.status_code == 303


def test_back_off_per_reviewer_across_addresses(web):
    def from_address(n: int) -> TestClient:
        return TestClient(web, base_url=BASE, client=(f"127.0.0.{n}", 40000 + n))

    for n in range(2, 8):  # six addresses, one wrong guess each, all for Rita
        assert wrong_login(from_address(n), "Rita Reviewer") == 403
    other = from_address(20)
    r = other.post("/review/login", data={"reviewer": "Rita Reviewer", "token": RITA})
    assert r.status_code == 429  # Rita's account waits, whichever address asks
    r = other.post("/review/login", data={"reviewer": "Ann", "token": ANN}, follow_redirects=False)
    assert r.status_code == 303  # Ann's does not


def test_wrong_bearer_tokens_back_off(web, client):
    eid = first_id(client, "events")
    codes = [
        client.post(
            f"/api/events/{eid}/review", json={"action": "confirm"}, headers=bearer(f"w{i}")
        ).status_code
        for i in range(30)
    ]
    assert codes[:6] == [403] * 6 and set(codes[6:]) == {429}
    web.state.clock.now += 10_000
    r = client.post(f"/api/events/{eid}/review", json={"action": "confirm"}, headers=bearer(ANN))
    assert r.status_code == 200


# -- sessions: sign-out and expiry ---------------------------------------------------------------


def test_logout_ends_the_session(client):
    csrf = sign_in(client)
    assert "Reviewing as <b>Rita Reviewer</b>" in client.get("/events").text
    assert client.post("/review/logout").status_code == 403  # no CSRF token: another site
    r = client.post("/review/logout", data={"csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303 and secured(r)
    cookie = r.headers["set-cookie"].lower()
    assert "chronicle_session=" in cookie and "max-age=0" in cookie
    page = client.get("/events").text
    assert "Sign in to review" in page and "Reviewing as" not in page
    eid = first_id(client, "events")
    # The old session id is dead on the server, even if a copy of the cookie was kept.
    r = client.post(f"/events/{eid}/review", data={"action": "confirm", "csrf": csrf})
    assert r.status_code == 403


def replay_cookie(client: TestClient, sid: str) -> None:
    client.cookies.set("chronicle_session", sid)


def test_sessions_expire_when_idle_and_after_eight_hours(web, client):
    clock = web.state.clock
    guard = web.state.chronicle.guard
    eid = first_id(client, "events")
    before = review_count(client, eid)
    csrf = sign_in(client)
    sid = client.cookies.get("chronicle_session")
    clock.now += guard.idle_seconds + 1
    r = client.post(f"/events/{eid}/review", data={"action": "confirm", "csrf": csrf})
    assert r.status_code == 403 and "expire" in r.text
    assert sid not in guard.sessions
    # Used every 50 minutes, a session still ends 8 hours after sign-in.
    csrf = sign_in(client)
    for _ in range(int(guard.max_seconds // 3000)):
        clock.now += 3000
        assert "Reviewing as" in client.get("/events").text
    clock.now += 3000
    assert "Reviewing as" not in client.get("/events").text
    r = client.post(f"/events/{eid}/review", data={"action": "confirm", "csrf": csrf})
    assert r.status_code == 403
    assert review_count(client, eid) == before


def test_login_sets_a_strict_bounded_cookie(client):
    r = client.post("/review/login", data={"reviewer": "Ann", "token": ANN}, follow_redirects=False)
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "max-age=28800" in cookie


# -- reviewers as named accounts -------------------------------------------------------------------


def test_a_token_signs_as_its_own_reviewer_only(client):
    eid = first_id(client, "events")
    body = {"action": "confirm", "reviewer": "Rita Reviewer"}
    r = client.post(f"/api/events/{eid}/review", json=body, headers=bearer(ANN))
    assert r.status_code == 403 and "cannot sign as someone else" in r.json()["detail"]
    r = client.post("/review/login", data={"reviewer": "Rita Reviewer", "token": ANN})
    assert r.status_code == 403
    body["reviewer"] = " ann "  # its own name, however spelt, is fine
    r = client.post(f"/api/events/{eid}/review", json=body, headers=bearer(ANN))
    assert r.status_code == 200 and r.json()["reviews"][-1]["reviewer"] == "Ann"
    # A signed-in browser signs with the session's name; a 'reviewer' form field changes nothing.
    csrf = sign_in(client, " rita reviewer ", RITA)
    form = {"action": "reject", "csrf": csrf, "reviewer": "Ann"}
    assert client.post(f"/events/{eid}/review", data=form).status_code == 200
    assert client.get(f"/api/events/{eid}").json()["reviews"][-1]["reviewer"] == "Rita Reviewer"


def test_accounts_from_environment_and_file(tmp_path):
    env = {"CHRONICLE_REVIEWERS": "Ann:tok-a, Dr. B: Smith:tok-b"}
    accounts = load_accounts(environ=env)
    assert accounts.names == ["Ann", "Dr. B: Smith"] and accounts.token is None
    assert accounts.owner("tok-b") == "Dr. B: Smith" and accounts.owner("tok-") is None
    listing = tmp_path / "reviewers.txt"
    listing.write_text("# name:token\nCara:tok-c\n\nDan : tok-d\n", encoding="utf-8")
    accounts = load_accounts(reviewers_file=listing, token="tok-x", environ={})
    assert accounts.names == ["Cara", "Dan", "analyst"] and accounts.owner("tok-x") == "analyst"
    # The single token of old is one named reviewer; with nothing configured, a fresh token.
    assert load_accounts(token="t", reviewer="Zed", environ={}).names == ["Zed"]
    fresh = load_accounts(environ={})
    assert fresh.names == ["analyst"] and len(fresh.token) >= 24
    legacy = load_accounts(environ={"CHRONICLE_TOKEN": "s3cret", "CHRONICLE_REVIEWER": "Eve"})
    assert legacy.owner("s3cret") == "Eve"
    for bad in ("Ann", "Ann:", ":tok", "Ann:t1,ann:t2", "Ann:t1,Bob:t1", "A\x01:t"):
        with pytest.raises(AccountError):
            load_accounts(environ={"CHRONICLE_REVIEWERS": bad})


def test_serve_refuses_a_broken_reviewers_file(url, tmp_path):
    listing = tmp_path / "reviewers.txt"
    listing.write_text("Ann:tok\nno colon here\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli_app, ["serve", "--db", url, "--review", "--reviewers", str(listing)]
    )
    assert result.exit_code == 1 and f"{listing}:2: expected 'name:token'" in result.output
    result = CliRunner().invoke(
        cli_app, ["serve", "--db", url, "--review", "--reviewers", str(tmp_path / "absent.txt")]
    )
    assert result.exit_code == 1 and "cannot read the reviewers file" in result.output


def test_read_only_server_ignores_configured_tokens(url, monkeypatch):
    monkeypatch.setenv("CHRONICLE_REVIEWERS", "Ann:" + ANN)
    with TestClient(create_app(url), base_url=BASE) as c:
        eid = first_id(c, "events")
        r = c.post(f"/api/events/{eid}/review", json={"action": "confirm"}, headers=bearer(ANN))
        assert r.status_code == 403 and "read-only" in r.json()["detail"]


def test_openapi_documents_the_review_body(client):
    schema = client.get("/openapi.json").json()
    body = schema["components"]["schemas"]["ReviewBody"]
    assert body["properties"]["action"]["enum"] == ["confirm", "reject", "correct"]
    assert "reviewer" not in body.get("required", [])
    json.dumps(schema)


def test_probes_on_postgresql(pg_url):
    """The same probes where the database is strictest: PostgreSQL refuses NUL and checks ranges."""
    from chronicle.store import Store
    from test_serve_support import crafted_documents

    with Store(pg_url) as store:
        store.add_documents(crafted_documents())
    app = create_app(pg_url, review=True, reviewers=REVIEWERS)
    with TestClient(app, base_url=BASE, raise_server_exceptions=False) as c:
        for path in (f"/api/events/{BIG}", f"/api/events?offset={BIG}", f"/events/{BIG}"):
            r = c.get(path)
            assert r.status_code == 422 and secured(r), path
        for path in (f"/api/events/{MAX_ID + 1}", f"/api/claims?document={MAX_ID + 1}"):
            assert c.get(path).status_code == 422, path
        assert c.get(f"/api/events/{MAX_ID}").status_code == 404
        assert c.get(f"/api/claims?document={MAX_ID}").json()["items"] == []
        assert c.get(f"/api/events?document={MAX_ID}").json()["items"] == []
        assert c.get("/api/events", params={"offset": 2**31 - 1}).json()["items"] == []
        assert c.get("/api/events?q=a%00b").status_code == 400
        eid = first_id(c, "events")
        for body in (
            {"action": "confirm", "note": "a\x00b"},
            {"action": "correct", "changes": {"actor": "a\x00b"}},
            {"action": "correct", "changes": {"sentence_years": 1e308}},
        ):
            r = c.post(f"/api/events/{eid}/review", json=body, headers=bearer(ANN))
            assert r.status_code == 422 and secured(r), body
        r = c.post(
            f"/api/events/{eid}/review",
            json={"action": "confirm", "reviewer": None},
            headers=bearer(RITA),
        )
        assert r.status_code == 200 and r.json()["reviews"][-1]["reviewer"] == "Rita Reviewer"
