"""Entity and role extraction over hand-written sentences (tests/data/entity_sentences.jsonl).

Each line gives a sentence in the domain's style and every entity an analyst would record from
it (name, type, optional aliases and role). The sentences are not taken from the seed articles.
The run is scored like ``chronicle eval`` scores entities and must clear fixed thresholds.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from chronicle.extract.entities import extract_entities
from chronicle.extract.resolve import normalise_name
from chronicle.model import BodySegment, Document
from chronicle.nlp import load_nlp

DATA = Path(__file__).parent / "data" / "entity_sentences.jsonl"

# Below these the extractor has regressed. Measured on the 114 sentences when last tuned:
# recall 0.985, precision 0.970, role accuracy 0.977. (The last 45 sentences were first run
# unseen: recall 0.89, precision 0.90, role accuracy 0.79 before the fixes they prompted.)
MIN_RECALL = 0.93
MIN_PRECISION = 0.92
MIN_ROLE_ACCURACY = 0.90


def _cases() -> list[dict]:
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line]


def make_doc(text: str) -> Document:
    """A document whose body is ``text`` (no cleaning), parsed and run through the extractor."""
    doc = Document(source="test", raw_text=text, body=text,
                   body_map=[BodySegment(0, 0, len(text))])
    doc.nlp_doc = load_nlp()(text)
    return extract_entities(doc)


def role_matches(got: str | None, want: str) -> bool:
    """The guide's rule: token-set ratio >= 85 or one containing the other, case-insensitive."""
    if not got:
        return False
    g, w = got.lower().replace("’", "'"), want.lower().replace("’", "'")
    return fuzz.token_set_ratio(g, w) >= 85 or g in w or w in g


@cache
def _results() -> dict:
    cases = _cases()
    nlp = load_nlp()
    tp = fp = fn = roles_ok = roles_n = 0
    failures = []
    for case, parsed in zip(cases, nlp.pipe(c["text"] for c in cases), strict=True):
        doc = Document(source="t", raw_text=case["text"], body=case["text"],
                       body_map=[BodySegment(0, 0, len(case["text"]))])
        doc.nlp_doc = parsed
        got = extract_entities(doc).entities
        unused = list(got)
        for want in case["entities"]:
            forms = {normalise_name(f) for f in [want["name"], *want.get("aliases", [])]}
            hit = next((e for e in unused if e.type == want["type"] and forms
                        & {normalise_name(f) for f in [e.name, *e.aliases]}), None)
            if hit is None:
                fn += 1
                failures.append(("miss", case["text"], want["name"]))
            else:
                tp += 1
                unused.remove(hit)
            if want.get("role"):
                roles_n += 1
                ok = hit is not None and role_matches(hit.role, want["role"])
                roles_ok += ok
                if not ok:
                    failures.append(("role", want["role"], hit.role if hit else None))
        fp += len(unused)
        failures.extend(("extra", case["text"], e.name) for e in unused)
    return {"recall": tp / max(tp + fn, 1), "precision": tp / max(tp + fp, 1),
            "roles": roles_ok / max(roles_n, 1), "failures": failures, "n": len(cases)}


def test_enough_hand_written_sentences() -> None:
    cases = _cases()
    assert len(cases) >= 60
    assert sum(1 for c in cases for e in c["entities"] if e.get("role")) >= 20


@pytest.mark.parametrize(("figure", "floor"), [("recall", MIN_RECALL),
                                               ("precision", MIN_PRECISION),
                                               ("roles", MIN_ROLE_ACCURACY)])
def test_sentence_scores_clear_thresholds(figure: str, floor: float) -> None:
    res = _results()
    assert res[figure] >= floor, (res[figure], res["failures"])
