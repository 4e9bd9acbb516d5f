"""Regression per gold article: body_keep kept, body_drop removed, title exact, outlet right.

Runs over the seeds (``../shared/gold/seeds``) and, as a generalisation check on other outlets'
chrome, over the scraped linking set (``../shared/gold/linking`` with ``../shared/linking/texts``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from chronicle.clean import clean_document
from chronicle.model import Document

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
PAIRS = [(SHARED / "gold" / "seeds", SHARED / "seeds"),
         (SHARED / "gold" / "linking", SHARED / "linking" / "texts")]
CASES = sorted(
    (g, t / f"{g.stem}.txt")
    for gold_dir, t in PAIRS if gold_dir.is_dir()
    for g in gold_dir.glob("*.json")
    if g.stem != "clusters" and (t / f"{g.stem}.txt").is_file()
)


def _ws(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.skipif(not CASES, reason="../shared is not beside this checkout")
@pytest.mark.parametrize(("gold_path", "text_path"), CASES, ids=lambda p: p.stem)
def test_clean_matches_gold(gold_path: Path, text_path: Path) -> None:
    gold = json.loads(gold_path.read_text("utf-8"))
    doc = clean_document(Document(source=str(text_path), raw_text=text_path.read_text("utf-8")))
    body = _ws(doc.body)
    assert [k for k in gold["body_keep"] if _ws(k) not in body] == []
    assert [d for d in gold["body_drop"] if _ws(d) in body] == []
    assert doc.title == gold["title"]
    if gold.get("outlet"):
        assert doc.outlet == gold["outlet"]
    assert doc.published == gold.get("published")
    assert doc.language == gold.get("language", "en")
    if gold.get("author"):
        assert doc.author == gold["author"]
