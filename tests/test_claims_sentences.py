"""Numeric claims on hand-written sentences (tests/data/claim_sentences.jsonl), scored in one batch.

Each line holds a sentence and the claims an analyst expects from it: metric and value always;
unit, per, qualifier and claimed_by where the line gives them (``claimed_by: null`` expects no
claimant). ``optional`` claims may be missed and are not counted as false when found. The
sentences are our own (casualty admissions, prosecutions, recruitment payments, shares, ranges,
rates, attributions, and numbers that are not claims: years, ages, penalties, article numbers).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chronicle.extract.claims import extract_claims
from chronicle.extract.entities import extract_entities
from chronicle.model import BodySegment, Document
from chronicle.pipeline import Pipeline

DATA = Path(__file__).parent / "data" / "claim_sentences.jsonl"
FIELDS = ("unit", "per", "qualifier", "claimed_by")


def _identity_clean(doc: Document) -> Document:
    doc.body = doc.raw_text
    doc.body_map = [BodySegment(0, 0, len(doc.raw_text))]
    return doc


def _same_name(expected: str, got: list[str]) -> bool:
    e = expected.lower()
    return any(e in g.lower() or g.lower() in e for g in got if g)


@pytest.fixture(scope="module")
def results() -> list[tuple[dict, Document]]:
    rows = [json.loads(line) for line in DATA.read_text("utf-8").splitlines() if line.strip()]
    pipe = Pipeline(
        cleaners=[("identity", _identity_clean)],
        extractors=[("entities", extract_entities), ("claims", extract_claims)],
    )
    docs = [
        Document(source=f"sentence-{i}", raw_text=r["text"], published=r.get("published"))
        for i, r in enumerate(rows)
    ]
    return list(zip(rows, pipe.pipe(docs), strict=True))


def _score(results: list[tuple[dict, Document]]) -> dict:
    tally = {"required": 0, "found": 0, "extracted": 0, "correct": 0}
    fields = {f: [0, 0] for f in FIELDS}
    failures: list[str] = []
    for row, doc in results:
        got = list(doc.claims)
        tally["extracted"] += len(got)
        for exp in row["claims"]:
            match = next(
                (c for c in got if c.metric == exp["metric"] and c.value == exp["value"]), None
            )
            if not exp.get("optional"):
                tally["required"] += 1
            if match is None:
                if not exp.get("optional"):
                    failures.append(f"MISSED {exp} in {row['text']!r}")
                continue
            got.remove(match)
            tally["correct"] += 1
            tally["found"] += 0 if exp.get("optional") else 1
            for f in FIELDS:
                if f not in exp:
                    continue
                fields[f][1] += 1
                if f == "claimed_by":
                    ok = (not match.claimed_by) if exp[f] is None else _same_name(
                        exp[f], match.claimed_by
                    )
                else:
                    ok = getattr(match, f) == exp[f]
                fields[f][0] += ok
                if not ok:
                    failures.append(
                        f"{f}: expected {exp[f]!r} got {getattr(match, f)!r} in {row['text']!r}"
                    )
        for extra in got:
            failures.append(f"EXTRA {extra.metric} {extra.value} in {row['text']!r}")
    return {"tally": tally, "fields": fields, "failures": failures}


def test_claim_sentences_recall_precision_and_fields(results) -> None:
    scored = _score(results)
    t = scored["tally"]
    recall = t["found"] / t["required"]
    precision = t["correct"] / max(t["extracted"], 1)
    report = "\n".join(scored["failures"])
    accuracy = ", ".join(f"{f} {ok}/{n}" for f, (ok, n) in scored["fields"].items())
    print(f"{len(results)} sentences: recall {t['found']}/{t['required']}, precision "
          f"{t['correct']}/{t['extracted']}, {accuracy}")
    print(report)
    assert len(results) >= 80
    assert recall >= 0.9, f"recall {recall:.3f}\n{report}"
    assert precision >= 0.9, f"precision {precision:.3f}\n{report}"
    for field, (ok, n) in scored["fields"].items():
        assert n and ok / n >= 0.85, f"{field} accuracy {ok}/{n}\n{report}"


def test_non_claim_sentences_give_no_claims(results) -> None:
    """Years, ages, penalties, article numbers, ordinals, retractions: never claims."""
    wrong = [
        (row["text"], [(c.metric, c.value) for c in doc.claims])
        for row, doc in results
        if not row["claims"] and doc.claims
    ]
    assert len(wrong) <= 1, wrong


def test_claims_carry_raw_spans(results) -> None:
    for _row, doc in results:
        for claim in doc.claims:
            span = claim.spans["value"]
            assert doc.raw_text[span.start : span.end] == span.text == claim.value_text
            assert claim.evidence and claim.evidence in doc.raw_text
