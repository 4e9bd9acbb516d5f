"""The article-body metric on hand-computed examples, and ``chronicle eval-bodies`` end to end."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chronicle.cli import app
from chronicle.evaluate.bodies import PageScore, aggregate, page_score, shingles

DATA = Path(__file__).parent / "data" / "clean"


def test_shingles_are_token_4grams_as_a_multiset() -> None:
    assert shingles("a b c d e") == {"a b c d": 1, "b c d e": 1}
    assert shingles("a b c d a b c d")["a b c d"] == 2
    assert shingles("one, two!") == {"one two": 1}  # shorter than 4 tokens: one shingle
    assert shingles("") == {}
    assert shingles("don't stop_me now 42") == {"don t stop_me now": 1, "t stop_me now 42": 1}


def test_page_scores_by_hand() -> None:
    s = page_score("a b c d e", "a b c d")  # tp 1, fp 0, fn 1 -> normalised 0.5 / 0 / 0.5
    assert (s.tp, s.fp, s.fn) == (0.5, 0.0, 0.5)
    assert (s.precision, s.recall) == (1.0, 0.5)
    s = page_score("a b c d a b c d", "a b c d")  # 5 true shingles, 1 shared
    assert s.recall == pytest.approx(0.2) and s.precision == 1.0
    s = page_score("A b c d", "a b c d")  # case is kept: nothing shared
    assert (s.precision, s.recall) == (0.0, 0.0)


def test_edge_pages() -> None:
    empty = page_score("", "")
    assert (empty.precision, empty.recall) == (1.0, 1.0)  # fp = fn = 0 scores 1 on both
    missed = page_score("a b c d", "")
    assert (missed.precision, missed.recall) == (None, 0.0)  # tp + fp = 0: not in precision
    extra = page_score("", "w x y z")
    assert (extra.precision, extra.recall) == (0.0, None)  # tp + fn = 0: not in recall


def test_aggregate_means_then_f1() -> None:
    pages = [PageScore(0.5, 0.0, 0.5), PageScore(0.0, 0.0, 1.0), PageScore(0.0, 1.0, 0.0)]
    out = aggregate(pages)
    assert out["precision"] == pytest.approx(0.5)  # (1 + 0) / 2; the middle page has no P
    assert out["recall"] == pytest.approx(0.25)  # (0.5 + 0) / 2; the last page has no R
    assert out["f1"] == pytest.approx(2 * 0.5 * 0.25 / 0.75)
    assert aggregate([]) == {"precision": None, "recall": None, "f1": None}


@pytest.fixture()
def tiny_benchmark(tmp_path: Path) -> Path:
    (tmp_path / "html").mkdir()
    truth = {}
    for pid in ("a01_court_bishkek", "a02_protest_tbilisi"):
        raw = (DATA / "html" / f"{pid}.html").read_bytes()
        (tmp_path / "html" / f"{pid}.html.gz").write_bytes(gzip.compress(raw))
        expected = json.loads((DATA / "expected" / f"{pid}.json").read_text("utf-8"))
        truth[pid] = {"articleBody": "\n".join(expected["body"]), "url": f"https://x/{pid}"}
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth), "utf-8")
    return tmp_path


def test_eval_bodies_json(tiny_benchmark: Path) -> None:
    result = CliRunner().invoke(app, ["eval-bodies", str(tiny_benchmark), "--json", "--details"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["pages"] == 2
    for system in ("chronicle", "trafilatura"):
        assert set(out[system]) == {"precision", "recall", "f1", "pages_per_s"}
        for key in ("precision", "recall", "f1"):
            assert 0.0 <= out[system][key] <= 1.0
    assert out["chronicle"]["f1"] > 0.95
    assert len(out["worst"]) == 2 and {"extra", "missed"} <= set(out["worst"][0])


def test_eval_bodies_table_and_bad_dir(tiny_benchmark: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["eval-bodies", str(tiny_benchmark)])
    assert result.exit_code == 0 and "chronicle" in result.output
    bad = CliRunner().invoke(app, ["eval-bodies", str(tmp_path / "nope")])
    assert bad.exit_code == 2
