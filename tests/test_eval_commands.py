"""``chronicle eval`` and ``chronicle bench`` end to end on the bundled seeds (no timing checks)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from chronicle.cli import app
from chronicle.evaluate.bench import build_corpus, copy_tag, edit_copy
from chronicle.model import content_hash

GOLD_SEEDS = Path(__file__).parent / "data" / "eval" / "seeds_gold"
SUMMARY_KEYS = {
    "cleaning": {"keep", "drop", "title", "outlet"},
    "entities": {"precision", "recall", "role_accuracy"},
    "claims": {"precision", "recall", "claimed_by", "unit", "per", "as_of"},
}


def _numbers(obj: Any) -> list[Any]:
    if isinstance(obj, dict):
        return [v for x in obj.values() for v in _numbers(x)]
    return [obj]


def _invoke(*args: str) -> Any:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result


def test_eval_json_on_the_seeds(sample_dir: Path) -> None:
    out = json.loads(_invoke("eval", "--gold", str(GOLD_SEEDS), "--texts", str(sample_dir),
                             "--json").stdout)
    assert out["documents"] == 5
    for section, keys in SUMMARY_KEYS.items():
        assert set(out[section]) == keys
    assert set(out["events"]) == {"precision", "recall", "f1", "arguments"}
    assert set(out["events"]["arguments"]) == {"mode", "date", "country", "actor", "penalty"}
    assert "linking" not in out  # no clusters.json in this gold set
    figures = _numbers({k: v for k, v in out.items() if k != "documents"})
    assert all(v is None or 0.0 <= v <= 1.0 for v in figures)
    # Every seed has body_keep passages and entities: these are always scored.
    assert out["cleaning"]["keep"] is not None and out["entities"]["recall"] is not None


def test_eval_tables_details_and_bad_files(tmp_path: Path, sample_dir: Path) -> None:
    gold = tmp_path / "gold"
    gold.mkdir()
    for name in ("000_48ced8085e3de91e.json", "003_b4e67750f86df172.json"):
        shutil.copy(GOLD_SEEDS / name, gold / name)
    (gold / "999_broken.json").write_text("{not json", "utf-8")
    (gold / "998_no_text.json").write_text("{}", "utf-8")
    clusters = [{"id": "k1", "members": [{"doc": "000_48ced8085e3de91e", "event": "e1"},
                                         {"doc": "003_b4e67750f86df172", "event": "e1"}]}]
    (gold / "clusters.json").write_text(json.dumps(clusters), "utf-8")
    result = _invoke("eval", "--gold", str(gold), "--texts", str(sample_dir), "--details")
    assert "999_broken.json: cannot read gold file" in result.stderr
    assert "998_no_text.json: no article with this stem" in result.stderr
    assert "Per document" in result.stdout and "003_b4e67750f86df172" in result.stdout
    assert "Missed gold items" in result.stdout or "Unmatched extracted" in result.stdout
    out = json.loads(_invoke("eval", "--gold", str(gold), "--texts", str(sample_dir),
                             "--json").stdout)
    assert out["documents"] == 2
    assert set(out["linking"]) == {"events", "entities"}
    assert set(out["linking"]["events"]) == {"precision", "recall", "f1"}


def test_eval_rejects_missing_directory(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["eval", "--gold", str(tmp_path / "nope"),
                                      "--texts", str(tmp_path)])
    assert result.exit_code == 2
    assert "nope: --gold is not a directory" in result.stderr


def test_bench_without_documents_is_a_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["bench", "--texts", str(tmp_path), "--json"])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{tmp_path}: no documents to benchmark"


def test_default_corpus_copies_are_distinct_articles(tmp_path: Path) -> None:
    files = build_corpus(None, None, tmp_path)
    assert len(files) >= 200
    texts = [p.read_text("utf-8") for p in files]
    assert len({content_hash(t) for t in texts}) == len(texts)
    original, copy = texts[0], edit_copy(texts[0], 7, "txt")
    short = [line for line in original.split("\n") if 0 < len(line.strip()) < 40]
    assert short and all(line in copy.split("\n") for line in short)  # chrome repeats
    long_lines = [line for line in original.split("\n") if len(line) >= 100]
    assert long_lines and not any(line in copy.split("\n") for line in long_lines)
    assert edit_copy("<p>Body text.</p>", 1, "html") != "<p>Body text.</p>"
    assert [copy_tag(k) for k in (0, 1, 25, 26)] == ["copya", "copyb", "copyz", "copyba"]


@pytest.mark.slow
def test_bench_json_end_to_end(tmp_path: Path, sample_dir: Path) -> None:
    texts = tmp_path / "texts"
    texts.mkdir()
    for path in sorted(sample_dir.glob("*.txt"))[:2]:
        shutil.copy(path, texts / path.name)
    (texts / "broken.txt").write_bytes(b"\x00\x01\x02 binary \xff\xfe")
    result = _invoke("bench", "--texts", str(texts), "--repeat", "2", "--cores", "1", "--json")
    assert "broken.txt" in result.stderr  # named, and the run went on
    out = json.loads(result.stdout)
    assert out["documents"] == 4 and "errors" not in out
    for stage in ("baseline", "clean", "pipeline", "ingest"):
        assert out[f"{stage}_docs_per_s"] > 0
        assert out[f"{stage}_words_per_s"] > 0
        assert out["peak_rss_mb"][stage] > 0
    assert out["pipeline_vs_baseline"] == pytest.approx(
        out["pipeline_docs_per_s"] / out["baseline_docs_per_s"])
    assert out["ingest_vs_baseline"] > 0
    assert out["peak_rss_mb_max"] == max(out["peak_rss_mb"].values())
    assert "multiprocess" not in out  # --cores 1 skips the multi-process runs


def test_bench_figures_and_table() -> None:
    from rich.console import Console

    from chronicle.evaluate.bench import _figures
    from chronicle.evaluate.bench_report import print_bench

    runs = {"baseline": {"seconds": 2.0, "documents": 10},
            "pipeline": {"seconds": 4.0, "documents": 10},
            "ingest": {"error": "RuntimeError: boom"}}
    figures = _figures(runs, 1000, ("baseline", "pipeline", "ingest"))
    assert figures["baseline_docs_per_s"] == 5.0 and figures["pipeline_words_per_s"] == 250.0
    assert figures["pipeline_vs_baseline"] == 0.5
    assert figures["ingest_docs_per_s"] is None and figures["ingest_vs_baseline"] is None
    result = {"documents": 10, "words": 1000, "cores": 2, "spacy_model": "m", **figures,
              "peak_rss_mb": {"baseline": 300.0, "pipeline": 500.0},
              "multiprocess": {"n_process": 2, **figures, "peak_rss_mb": {"baseline": 200.0},
                               "worker_peak_rss_mb": {"baseline": 250.0}},
              "errors": {"ingest@1": "RuntimeError: boom"}}
    console = Console(record=True, width=140)
    print_bench(result, console)
    text = console.export_text()
    assert "(c) full pipeline, no DB" in text and "0.500" in text and "250" in text
    assert "ingest@1 failed: RuntimeError: boom" in text
