"""``chronicle serve`` as a real process, the bounded load test, and review data for exports."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx
import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from chronicle.cli import app
from chronicle.serve import review
from chronicle.serve.app import create_app
from chronicle.serve.loadtest import free_port, require_loopback, run_load, running_server
from test_serve_support import build_crafted


@pytest.fixture(scope="module")
def url(tmp_path_factory) -> str:
    return build_crafted(tmp_path_factory.mktemp("cli") / "cli.db")


def test_serve_refuses_a_missing_database(tmp_path):
    result = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "nope.db")])
    assert result.exit_code == 1
    assert "no such database" in result.output


def test_serve_process_prints_token_and_answers(url):
    port = free_port()
    env = {**os.environ, "CHRONICLE_TOKEN": "from-the-environment"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "chronicle.cli",
            "serve",
            "--db",
            url,
            "--port",
            str(port),
            "--review",
            "--reviewer",
            "CLI",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        lines = []  # read the banner (warnings on stderr may come first)
        while not any("Token:" in line for line in lines) and len(lines) < 40:
            lines.append(proc.stdout.readline())
        assert any(line.startswith(f"Chronicle on http://127.0.0.1:{port}/") for line in lines)
        assert "Token: from-the-environment  (signs as 'CLI')" in "".join(lines)
        deadline = time.monotonic() + 60
        while True:
            try:
                stats = httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=5).json()
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "server did not come up"
                time.sleep(0.2)
        assert stats["events"] == 5
        r = httpx.post(
            f"http://127.0.0.1:{port}/api/events/1/review",
            json={"action": "confirm", "reviewer": "CLI"},
            headers={"Authorization": "Bearer from-the-environment"},
        )
        assert r.status_code == 200 and r.json()["status"] == "confirmed"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_bounded_load_has_no_errors(url):
    with running_server(create_app(url)) as base:
        result = run_load(f"{base}/api/events?limit=20", requests=200, concurrency=10)
    summary = result.summary()
    assert summary["failures"] == 0 and result.statuses == {200: 200}
    assert len(result.latencies_ms) == 200
    assert summary["p50_ms"] <= summary["p95_ms"] <= summary["p99_ms"] <= summary["max_ms"]


@pytest.mark.parametrize(
    "target", ["http://10.0.0.1/api", "http://example.com/", "http://192.168.1.2"]
)
def test_load_test_only_targets_this_machine(target):
    with pytest.raises(ValueError, match="this machine"):
        require_loopback(target)
    require_loopback("http://127.0.0.1:8000/api/events")
    require_loopback("http://[::1]:8000/")


def test_export_rows_carry_review_status(url):
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        review.add_review(
            conn,
            kind="event",
            target_id="2",
            action="correct",
            reviewer="R",
            current={"location_name": "Almaty"},
            changes={"location_name": "Astana"},
        )
        rows = review.annotate_rows(
            conn,
            "event",
            [{"id": 3, "location": "Bishkek"}, {"id": 2, "location": "Almaty"}],
            rename={"location_name": "location"},
        )
    engine.dispose()
    assert rows[0] == {"id": 3, "location": "Bishkek", "review_status": "machine"}
    assert rows[1]["location"] == "Astana" and rows[1]["machine_location"] == "Almaty"
    assert rows[1]["review_status"] == "corrected"
