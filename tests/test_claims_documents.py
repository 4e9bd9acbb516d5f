"""Numeric claims across sentences: quotations, source labels, relays, dates, disagreements."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chronicle.extract.claims import extract_claims
from chronicle.extract.claims_claimant import parse_role
from chronicle.extract.entities import extract_entities
from chronicle.model import BodySegment, Claim, Document
from chronicle.pipeline import Pipeline

ARTICLES = {
    "quote_then_speaker": (
        "The regional leader has admitted losses for the first time.\n\n"
        "“Our republic has paid a heavy price. Four of our fighters were killed and nine more "
        "were wounded,” Governor Aslan Temirov wrote on Telegram on Sunday.\n\n"
        "He did not say where the men had died."
    ),
    "source_label": (
        "Governor Bulat Serikov has confirmed the first losses among volunteers from his "
        "region.\n\n"
        "Source: Serikov's Telegram channel\n\n"
        "Quote: \"Unfortunately, three of our volunteers were killed in action.\"\n\n"
        "Details: Serikov made the announcement in a post on Monday."
    ),
    "disagreement": (
        "The Interior Ministry said 120 people had been detained during the protests in the city. "
        "The rights group Freedom Watch said at least 340 people had been detained.\n\n"
        "An earlier version of this article said 430 people had been detained."
    ),
    "relay_chain": (
        "According to the news agency Kaktus, the State Committee for National Security has "
        "opened 17 criminal cases against citizens who fought in Ukraine."
    ),
    "hard_wrapped": (
        "The regional prosecutor said on Friday that\n14 people had been detained over the\n"
        "weekend in connection with the attack."
    ),
    "report_antecedent": (
        "The State Committee for National Security released its annual report on Thursday. "
        "The report says 41 people were detained on suspicion of mercenarism in 2024."
    ),
    "unnamed_speaker": (
        "“Eleven of our guys are dead,” he said. “Another twenty are in hospital.”\n\n"
        "The speaker, a battalion commander, asked not to be named."
    ),
    "dated_statement": (
        "The death of a second soldier from the district was announced on March 4 by Mayor "
        "Olga Ivanova. Ivanova said that two servicemen from the district had been killed so far."
    ),
}


def _identity_clean(doc: Document) -> Document:
    doc.body = doc.raw_text
    doc.body_map = [BodySegment(0, 0, len(doc.raw_text))]
    return doc


@pytest.fixture(scope="module")
def docs() -> dict[str, Document]:
    pipe = Pipeline(
        cleaners=[("identity", _identity_clean)],
        extractors=[("entities", extract_entities), ("claims", extract_claims)],
    )
    made = [Document(source=k, raw_text=v, published="2024-03-06") for k, v in ARTICLES.items()]
    made[0].outlet = "The Steppe Herald"
    return {d.source: d for d in pipe.pipe(made)}


def _find(doc: Document, metric: str, value: float) -> Claim:
    for claim in doc.claims:
        if claim.metric == metric and claim.value == value:
            return claim
    raise AssertionError(f"no {metric} {value} in {[(c.metric, c.value) for c in doc.claims]}")


def test_quotation_speaker_named_after_the_quote(docs) -> None:
    doc = docs["quote_then_speaker"]
    killed, injured = _find(doc, "killed", 4), _find(doc, "injured", 9)
    for claim in (killed, injured):
        assert any("Temirov" in c for c in claim.claimed_by)
        assert "Telegram" in claim.relayed_by and "The Steppe Herald" in claim.relayed_by
    assert len(doc.claims) == 2


def test_source_label_names_the_claimant_and_details_date_it(docs) -> None:
    claim = _find(docs["source_label"], "killed", 3)
    assert any("Serikov" in c for c in claim.claimed_by)
    assert claim.as_of == "2024-03-04"  # "on Monday" before the 6 March 2024 publication


def test_two_sources_two_claims_and_retraction_ignored(docs) -> None:
    doc = docs["disagreement"]
    official, rights = _find(doc, "detained", 120), _find(doc, "detained", 340)
    assert any("Interior Ministry" in c for c in official.claimed_by)
    assert any("Freedom Watch" in c for c in rights.claimed_by)
    assert rights.qualifier == "at least" and official.qualifier is None
    assert all(c.value != 430 for c in doc.claims)


def test_according_to_names_the_claimant(docs) -> None:
    """An explicit "according to X" beats inferring the source from the clause's actor."""
    claim = _find(docs["relay_chain"], "criminal_cases", 17)
    assert any("Kaktus" in c for c in claim.claimed_by)


def test_as_of_from_the_claimants_dated_statement(docs) -> None:
    claim = _find(docs["dated_statement"], "killed", 2)
    assert any("Ivanova" in c for c in claim.claimed_by)
    assert claim.as_of == "2024-03-04"


def test_hard_wrapped_lines_keep_their_sentence(docs) -> None:
    claim = _find(docs["hard_wrapped"], "detained", 14)
    assert any("prosecutor" in c for c in claim.claimed_by)


def test_the_report_is_its_issuers_claim(docs) -> None:
    claim = _find(docs["report_antecedent"], "detained", 41)
    assert claim.claimed_by == ["State Committee for National Security"]
    assert claim.as_of == "2024"


def test_an_unresolved_pronoun_is_no_claimant(docs) -> None:
    doc = docs["unnamed_speaker"]
    killed, injured = _find(doc, "killed", 11), _find(doc, "injured", 20)
    for claim in (killed, injured):
        assert not claim.claimed_by and "he" not in claim.relayed_by


# Claimants named by their function ("his lawyer", "the ministry", "the head of the republic")
# that the article identifies elsewhere; and phrases that must stay as they are (plural,
# indefinite, no entity fits, an organisation with another modifier). Our own articles.
ROLE_DOCS = Path(__file__).parent / "data" / "claim_role_documents.jsonl"
ROLE_ROWS = [json.loads(x) for x in ROLE_DOCS.read_text("utf-8").splitlines() if x.strip()]


@pytest.fixture(scope="module")
def role_docs() -> dict[str, Document]:
    pipe = Pipeline(
        cleaners=[("identity", _identity_clean)],
        extractors=[("entities", extract_entities), ("claims", extract_claims)],
    )
    made = [Document(source=r["id"], raw_text=r["text"], published="2024-03-06") for r in ROLE_ROWS]
    return {d.source: d for d in pipe.pipe(made)}


@pytest.mark.parametrize("row", ROLE_ROWS, ids=[r["id"] for r in ROLE_ROWS])
def test_role_phrase_claimant_resolves_to_the_named_entity(role_docs, row) -> None:
    claim = _find(role_docs[row["id"]], row["metric"], row["value"])
    assert claim.claimed_by == [row["claimed_by"]]
    if "not" in row:
        assert all(row["not"] not in c for c in claim.claimed_by)
    if "relayed_by" in row:  # another holder of the same role is not a relay
        assert claim.relayed_by == row["relayed_by"]


def test_role_phrases_parsed() -> None:
    lawyer = parse_role("his lawyer")
    assert lawyer is not None and {"lawyer", "attorney"} <= lawyer.heads
    head = parse_role("head of the republic")
    assert head is not None and "leader" in head.heads and head.context == ("republic",)
    ministry = parse_role("Kazakhstan's defence ministry")
    assert ministry is not None and ministry.modifiers == ("defence",)
    office = parse_role("the prosecutor's office")
    assert office is not None and "prosecutor general's office" in office.heads
    assert parse_role("Police") is not None  # capitalised only because it opens the sentence
    assert parse_role("Interior Ministry") is None and parse_role("Kaktus") is None


@given(st.text(max_size=60), st.text(alphabet="abcdefghijklmnopqrstuvwxyzKLM '-", max_size=40))
def test_parse_role_never_fails_and_names_stay_names(text: str, words_text: str) -> None:
    role = parse_role(text)
    assert role is None or (role.heads and role.text)
    glue = {"of", "for", "at", "in", "from", "with", "on", "the", "this", "that"}
    glue |= {"his", "her", "its", "their", "our", "my", "your"}
    words = [w.capitalize() for w in words_text.split() if w.isalpha() and w.lower() not in glue]
    name = " ".join(words)
    if len(words) > 1:  # "Interior Ministry", "Aliya Nurova": already names
        assert parse_role(name) is None
