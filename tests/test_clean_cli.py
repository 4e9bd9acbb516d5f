"""``chronicle clean FILE [--diff] [--json]`` end to end."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from chronicle.cli import app

DATA = Path(__file__).parent / "data" / "clean"
PAGE = DATA / "text" / "a01_court_bishkek.txt"


def test_clean_prints_the_body() -> None:
    result = CliRunner().invoke(app, ["clean", str(PAGE)])
    assert result.exit_code == 0
    assert result.output.startswith("A district court in Bishkek on Thursday sentenced")
    assert "All rights reserved" not in result.output


def test_clean_diff_names_the_signal() -> None:
    result = CliRunner().invoke(app, ["clean", str(PAGE), "--diff"])
    assert result.exit_code == 0
    assert "[notice(cookie/copyright/legal)]" in result.output
    assert "[headline]" in result.output and "keep" in result.output


def test_clean_json_and_html(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["clean", str(DATA / "html" / "a02_protest_tbilisi.html"),
                                      "--json"])
    out = json.loads(result.output)
    assert out["title"] == "Police detain 14 protesters outside Georgian parliament"
    assert any(not d["kept"] for d in out["decisions"])


def test_clean_missing_file_is_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["clean", str(tmp_path / "missing.txt")])
    assert result.exit_code == 1
    assert "missing.txt" in result.output
