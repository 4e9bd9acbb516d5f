"""Hostile text (issue 14, text handling): linear-time patterns, caps before spaCy, chunked
parsing with offsets kept, a failing document that does not cost its batch, and the time budget.

Most tests use a blank spaCy pipeline (tokenizer only) so that they are fast; the patterns are
checked against the exact behaviour of the expressions they replace.
"""

from __future__ import annotations

import re
import time

import numpy
import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language

from chronicle.extract import budget
from chronicle.extract.claims import _excluded_text, _word_before
from chronicle.extract.claims_lexicon import lexicon as claim_lexicon
from chronicle.extract.entities import _drop_punct_before_quote
from chronicle.extract.entity_merge import _KNOWN_AS
from chronicle.extract.events_np import _DATELINE
from chronicle.extract.legal import _CUSTODY_TERM
from chronicle.extract.numbers import NumberMention, _phone_spans
from chronicle.model import BodySegment, Document
from chronicle.parse import (
    CHUNK_CHARS,
    MAX_PUNCT_RUN,
    MAX_SENT_TOKENS,
    MAX_TOKEN_CHARS,
    Parser,
    cap_body,
    chunk_bounds,
)
from chronicle.pipeline import Pipeline

# --- patterns: the same answers as before, in linear time ----------------------------------

OLD_DATELINE = re.compile(r"^(?:[A-Z][A-Z .]+(?:\([^)]*\))?\s*)+[–—-]\s+")
OLD_PHONE = re.compile(r"\+?\d[\d ()]*\d(?:[-.]\d+){2,}")


def _fast(fn, limit: float = 1.0) -> None:
    started = time.perf_counter()
    fn()
    assert time.perf_counter() - started < limit


@given(st.text(alphabet="AB .()–-\n x", max_size=14))
def test_dateline_matches_the_old_pattern(text: str) -> None:
    assert _DATELINE.sub("", text) == OLD_DATELINE.sub("", text)


def test_dateline_on_capitalised_words_is_linear() -> None:
    # 51 characters of this took 264 s with the nested pattern
    text = "NATIONAL SECURITY COMMITTEE SPECIAL FORCES officers " * 200
    _fast(lambda: _DATELINE.sub("", text), 0.2)
    assert _DATELINE.sub("", "BISHKEK (Reuters) - Kyrgyz authorities") == "Kyrgyz authorities"


@given(st.text(alphabet="12 ()+-.x٣", max_size=18))
def test_phone_spans_match_the_old_pattern(text: str) -> None:
    assert _phone_spans(text) == [(m.start(), m.end()) for m in OLD_PHONE.finditer(text)]


def test_phone_spans_on_digits_and_spaces_are_linear() -> None:
    _fast(lambda: _phone_spans("1 " * 100_000), 0.5)
    _fast(lambda: _phone_spans("1" * 100_000 + ")"), 0.5)


@given(st.text(alphabet="ab1.#- \n(,", max_size=30))
def test_word_before_matches_the_old_search(text: str) -> None:
    old = re.search(r"([\w.#-]+)\s*$", text)
    assert _word_before(text, len(text)) == (old.group(1) if old else "")


def test_number_after_a_huge_token_is_quick() -> None:
    # a 20,000-character token before "(5 people were killed)" took 109 s
    text = "a" * 20_000 + " (5 people were killed)"
    start = text.index("5")
    m = NumberMention(start, start + 1, "5", 5.0, "cardinal", None, False, False)
    _fast(lambda: _excluded_text(text, m, claim_lexicon()), 0.2)


@given(st.text(alphabet='ab ,.;:”"»\n', max_size=16))
def test_punct_before_quote_matches_the_old_substitution(text: str) -> None:
    assert _drop_punct_before_quote(text) == re.sub(r"\s*[,.;:]+(?=[”\"»]$)", "", text)


@pytest.mark.parametrize("text", [" " * 200_000 + "x", "\u00a0" * 200_000 + " ("])
def test_space_runs_are_linear(text: str) -> None:
    _fast(lambda: _KNOWN_AS.match(text), 0.5)
    _fast(lambda: _CUSTODY_TERM.match(" until " + text), 0.5)


def test_known_as_and_custody_term_still_match() -> None:
    assert _KNOWN_AS.match(", better known as the ")
    assert _KNOWN_AS.match(" in Bishkek , also known as “")
    term = _CUSTODY_TERM.match(" until June 17 on charges of treason")
    assert term and term.group(0) == " until June 17"


# --- caps before spaCy ---------------------------------------------------------------------


def _doc(body: str) -> Document:
    doc = Document(source="t", raw_text=body, body=body)
    doc.body_map = [BodySegment(0, 0, len(body))]
    return doc


def test_cap_body_blanks_long_tokens_and_runs_in_place() -> None:
    body = ("Police said " + "x" * 20_000 + " (5 people were killed) " + ")" * 300
            + " and " + "»" * 40 + " more.")  # fmt: skip
    doc = cap_body(_doc(body))
    assert len(doc.body) == len(body)  # every offset still maps to the same raw offset
    assert "x" * (MAX_TOKEN_CHARS + 1) not in doc.body
    assert "(5 people were killed)" in doc.body
    assert "»" * MAX_PUNCT_RUN in doc.body and "»" * (MAX_PUNCT_RUN + 1) not in doc.body
    assert [w.split(":")[0] for w in doc.warnings] == ["body", "body"]
    assert all(a == b or b == " " for a, b in zip(body, doc.body, strict=True))


def test_cap_body_blanks_a_data_line_but_not_prose() -> None:
    data = '{"a": ' * 2_000 + "1" + "}" * 2_000
    prose = "Police detained 20 protesters in Almaty on Monday, the ministry said. " * 30
    doc = cap_body(_doc(prose + "\n" + data + "\n" + prose))
    assert doc.body.split("\n")[0] == prose and doc.body.split("\n")[2] == prose
    assert not doc.body.split("\n")[1].strip()
    assert any("of data, not prose" in w for w in doc.warnings)
    assert cap_body(_doc(prose)).warnings == []


@given(st.text(alphabet="ab.\n )»$", max_size=3_000))
@settings(max_examples=60)
def test_cap_body_keeps_length_and_newlines(body: str) -> None:
    doc = cap_body(_doc(body))
    assert len(doc.body) == len(body)
    assert [i for i, c in enumerate(doc.body) if c == "\n"] == [
        i for i, c in enumerate(body) if c == "\n"
    ]


# --- chunks, sentence cap, failing documents ------------------------------------------------


@given(st.text(alphabet="ab \n.", min_size=0, max_size=4_000), st.integers(50, 900))
@settings(max_examples=80)
def test_chunks_cover_the_text_and_end_after_space(text: str, size: int) -> None:
    bounds = chunk_bounds(text, size)
    assert "".join(text[a:b] for a, b in bounds) == text
    assert all(b - a <= size for a, b in bounds)
    for a, b in bounds[:-1]:
        if any(c.isspace() for c in text[a + size // 2 : a + size]):
            assert text[b - 1].isspace()


@pytest.fixture(scope="module")
def blank() -> Language:
    return spacy.blank("en")


def test_a_body_over_max_length_is_parsed_in_chunks_with_offsets_kept(blank) -> None:
    para = "Police detained Ivan Petrov in Almaty on Monday, the ministry said.\n\n"
    body = para * (1_200_000 // len(para))
    assert len(body) > blank.max_length  # spaCy alone raises E088 here
    doc = _doc(body)
    parsed = next(Parser(blank, budget=None).pipe([doc]))
    assert parsed.nlp_doc is not None and parsed.nlp_doc.text == body
    tok = parsed.nlp_doc[-3]
    assert body[tok.idx : tok.idx + len(tok.text)] == tok.text
    assert len(chunk_bounds(body)) > 1 and len(body) > CHUNK_CHARS


def test_chunks_keep_per_token_arrays_that_components_leave_on_the_doc() -> None:
    from spacy.tokens import Doc

    if not Doc.has_extension("h_text_probs"):
        Doc.set_extension("h_text_probs", default=None)
    nlp = spacy.blank("en")

    @Language.component("h_text_probs")
    def probs(sdoc):  # one row per token: its index in the chunk, its length
        sdoc._.h_text_probs = (["i", "len"], numpy.array([[t.i, len(t)] for t in sdoc]))
        return sdoc

    nlp.add_pipe("h_text_probs")
    body = ("Police detained Ivan Petrov in Almaty on Monday.\n\n" * 2_000)
    parsed = next(Parser(nlp, budget=None).pipe([_doc(body)]))
    labels, rows = parsed.nlp_doc._.h_text_probs
    assert labels == ["i", "len"] and len(rows) == len(parsed.nlp_doc)
    assert [int(r[1]) for r in rows] == [len(t) for t in parsed.nlp_doc]


def test_a_long_run_without_punctuation_gets_sentence_starts(blank) -> None:
    nlp = spacy.blank("en")
    doc = _doc(" ".join(["word"] * (3 * MAX_SENT_TOKENS)))
    parsed = next(Parser(nlp, budget=None).pipe([doc]))
    starts = [t.i for t in parsed.nlp_doc if t.is_sent_start]
    assert starts[:3] == [0, MAX_SENT_TOKENS, 2 * MAX_SENT_TOKENS]
    assert parsed.warnings == [f"body: 2 sentence starts forced after {MAX_SENT_TOKENS} tokens "
                               f"without a sentence end or line break"]
    prose = _doc("One sentence here. " * 200)
    parsed = next(Parser(nlp, budget=None).pipe([prose]))
    assert not any(t.is_sent_start for t in parsed.nlp_doc[1:])  # prose: left to the parser
    assert not parsed.warnings


def test_one_failing_document_does_not_cost_its_batch() -> None:
    nlp = spacy.blank("en")

    @Language.component("boom_on_boom")
    def boom(sdoc):
        if "BOOM" in sdoc.text:
            raise ValueError("this document breaks the parser")
        return sdoc

    nlp.add_pipe("boom_on_boom")
    docs = [_doc(f"Article number {i} says {'BOOM' if i == 3 else 'nothing'}.") for i in range(8)]
    out = list(Parser(nlp, batch_size=4, budget=None).pipe(docs))
    assert [d.source for d in out] == ["t"] * 8 and out == docs  # all of them, in order
    assert out[3].nlp_doc is None and "parse failed" in out[3].warnings[0]
    assert all(d.nlp_doc is not None and not d.warnings for k, d in enumerate(out) if k != 3)


# --- the time budget -----------------------------------------------------------------------


def _slow(doc: Document) -> Document:
    while not budget.over():
        time.sleep(0.01)
    doc.meta["slow"] = "stopped"
    return doc


def _never(doc: Document) -> Document:
    doc.meta["never"] = "ran"
    return doc


def test_the_time_budget_stops_extraction_with_a_warning(blank, monkeypatch) -> None:
    monkeypatch.setattr("chronicle.pipeline.load_nlp", lambda model=None: spacy.blank("en"))
    pipe = Pipeline(cleaners=[], extractors=[("slow", _slow), ("later", _never)],
                    time_budget=0.2)  # fmt: skip
    started = time.perf_counter()
    doc = pipe(_doc("Police detained 20 people."))
    assert time.perf_counter() - started < 5
    assert doc.meta == {"slow": "stopped"}
    assert doc.warnings[0].startswith("slow: stopped early")
    assert doc.warnings[1].startswith("later: not read")
    assert doc.deadline is None


def test_an_extractor_that_raises_costs_only_its_output(monkeypatch) -> None:
    monkeypatch.setattr("chronicle.pipeline.load_nlp", lambda model=None: spacy.blank("en"))

    def broken(doc: Document) -> Document:
        raise RuntimeError("bug")

    pipe = Pipeline(cleaners=[], extractors=[("broken", broken), ("after", _never)])
    docs = list(pipe.pipe([_doc("One."), _doc("Two.")]))
    assert len(docs) == 2 and all(d.meta == {"never": "ran"} for d in docs)
    assert docs[0].warnings == ["broken: failed (RuntimeError: bug)"]


def test_budget_setting(monkeypatch) -> None:
    monkeypatch.setenv(budget.ENV, "0")
    assert budget.default_seconds() is None
    monkeypatch.setenv(budget.ENV, "3.5")
    assert budget.default_seconds() == 3.5
    monkeypatch.delenv(budget.ENV)
    assert budget.default_seconds() == budget.DEFAULT_SECONDS
    assert not budget.over()  # outside the pipeline there is no deadline
