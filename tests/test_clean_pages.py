"""Hand-written article pages (tests/data/clean, see build_pages.py) as HTML and scraped text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from chronicle.clean import clean_document
from chronicle.evaluate.bodies import page_score
from chronicle.model import Document

DATA = Path(__file__).parent / "data" / "clean"
IDS = sorted(p.stem for p in (DATA / "expected").glob("*.json"))


def _ws(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _expected(pid: str) -> dict:
    return json.loads((DATA / "expected" / f"{pid}.json").read_text("utf-8"))


def test_there_are_at_least_ten_pages() -> None:
    assert len(IDS) >= 10


@pytest.mark.parametrize("pid", IDS)
def test_html_page(pid: str) -> None:
    exp = _expected(pid)
    raw = (DATA / "html" / f"{pid}.html").read_text("utf-8")
    doc = clean_document(Document(source=pid, raw_text=raw, format="html"))
    body = _ws(doc.body)
    assert [p for p in exp["body"] if _ws(p) not in body] == []
    assert [d for d in exp["html_drop"] if _ws(d) in body] == []
    score = page_score("\n\n".join(exp["body"]), doc.body)
    assert score.precision is not None and score.precision > 0.97
    assert doc.title == exp["title"] and doc.outlet == exp["outlet"]
    assert doc.published == exp["published"]
    assert doc.language == "en"
    # Offsets: each paragraph maps to where its text starts in the markup.
    first = exp["body"][0]
    start = doc.body.index(first)
    assert raw[doc.body_to_raw(start):].startswith(first[:40])


@pytest.mark.parametrize("pid", IDS)
def test_text_page(pid: str) -> None:
    exp = _expected(pid)
    raw = (DATA / "text" / f"{pid}.txt").read_text("utf-8")
    doc = clean_document(Document(source=pid, raw_text=raw))
    assert doc.body == "\n\n".join(exp["body"])
    assert [d for d in exp["text_drop"] if _ws(d) in _ws(doc.body)] == []
    assert (doc.title, doc.outlet, doc.author, doc.published) == (
        exp["title"], exp["outlet"], exp["author"], exp["published"])
    for seg in doc.body_map:
        assert doc.body[seg.body_start: seg.body_start + seg.length] == raw[
            seg.raw_start: seg.raw_start + seg.length]


@pytest.mark.parametrize("pid", IDS[:3])
def test_truncated_html_still_gives_text(pid: str) -> None:
    raw = (DATA / "html" / f"{pid}.html").read_text("utf-8")
    cut = raw[: int(len(raw) * 0.6)]
    doc = clean_document(Document(source=pid, raw_text=cut, format="html"))
    assert _ws(_expected(pid)["body"][0]) in _ws(doc.body)


SCRAPED = json.loads((DATA / "scraped" / "expected.json").read_text("utf-8"))


@pytest.mark.parametrize("name", sorted(k for k in SCRAPED if not k.startswith("_")))
def test_scraped_pages_of_other_outlets(name: str) -> None:
    exp = SCRAPED[name]
    raw = (DATA / "scraped" / f"{name}.txt").read_text("utf-8")
    doc = clean_document(Document(source=name, raw_text=raw))
    body = _ws(doc.body)
    assert [k for k in exp["keep"] if _ws(k) not in body] == []
    assert [d for d in exp["drop"] if _ws(d) in body] == []
    assert (doc.title, doc.outlet, doc.author, doc.published) == (
        exp["title"], exp["outlet"], exp["author"], exp["published"])
