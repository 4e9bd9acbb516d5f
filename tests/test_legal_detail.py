"""Legal detail readers (charge, custody, maximum penalty, sentence) on parsed sentences, and
legal detail attached to the right event across sentences of one article."""

from __future__ import annotations

import pytest

import chronicle
from chronicle.extract.legal import charge_in, custody_in, penalty_in, sentence_in
from chronicle.nlp import load_nlp


def _sent(text: str):
    return next(iter(load_nlp()(text).sents))


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("He faces up to 15 years in prison.", 15),
        ("She could face up to five years if found guilty.", 5),
        ("The offence is punishable by seven to ten years in prison.", 10),
        ("The crime is punishable by 10 years in prison.", 10),
        ("The article carries between three and eight years.", 8),
        ("They risk up to six-and-a-half years behind bars.", 6.5),
        ("The charge carries a prison term of up to 12 years.", 12),
        ("He was detained on Monday.", None),
    ],
)
def test_penalty(text: str, years: float | None) -> None:
    found = penalty_in(_sent(text))
    assert (found[0] if found else None) == years


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("The court sentenced him to 4 years and 8 months in prison.", 4.667),
        ("She was sentenced to six-and-a-half years.", 6.5),
        ("A judge sentenced the blogger to two years in a penal colony.", 2),
        ("The activist was jailed for 18 months.", 1.5),
        ("The court sentenced him to 15 days of administrative detention.", 0.041),
        ("The 27-year-old was sentenced to 9 years.", 9),
        ("He was sentenced although he faces up to 20 years.", None),
    ],
)
def test_sentence(text: str, years: float | None) -> None:
    found = sentence_in(_sent(text))
    assert (found[0] if found else None) == years


@pytest.mark.parametrize(
    ("text", "charge"),
    [
        ("A court placed her in detention on charges of mercenary activities.",
         "mercenary activities"),
        ("He is accused of spreading false information about the army.",
         "spreading false information about the army"),
        ("Prosecutors charged the governor with organising two murders.", "organising two murders"),
        ("The court found him guilty of arbitrariness and sentenced him.", "arbitrariness"),
        ("Police arrested the blogger for insulting the president.", "insulting the president"),
        ("They were held on suspicion of treason, officials said.", "treason"),
        ("Courts have sentenced several citizens to prison on mercenary charges.", "mercenary"),
    ],
)
def test_charge(text: str, charge: str) -> None:
    found = charge_in(_sent(text))
    assert found is not None and found[0] == charge


def test_charge_with_article() -> None:
    found = charge_in(_sent("She is suspected under Part 1 of Article 416 of the Criminal Code."))
    assert found is not None and "Article 416" in found[0]


@pytest.mark.parametrize(
    ("text", "custody"),
    [
        ("The court placed him in pre-trial detention until June 17 on charges of fraud.",
         "pre-trial detention until June 17"),
        ("She was placed under house arrest.", "house arrest"),
        ("He was remanded in custody for two months, his lawyer said.", "custody for two months"),
        ("The court fined him.", None),
    ],
)
def test_custody(text: str, custody: str | None) -> None:
    found = custody_in(_sent(text))
    assert (found[0] if found else None) == custody


def test_penalty_in_another_sentence_goes_to_that_person() -> None:
    text = (
        "Investigators in Kazan opened a criminal case against the blogger Timur Valiev on "
        "5 March 2024. The police also detained the journalist Olga Petrova in Moscow. "
        "Valiev could face up to seven years in prison if found guilty of extremism."
    )
    doc = chronicle.extract(text)
    by_recipient = {e.recipient: e for e in doc.events if not e.hypothetical}
    valiev = next(e for r, e in by_recipient.items() if r and "Valiev" in r)
    petrova = next(e for r, e in by_recipient.items() if r and "Petrova" in r)
    assert valiev.max_penalty_years == 7
    assert valiev.date == "2024-03-05"
    assert petrova.max_penalty_years is None
    span = valiev.spans["max_penalty_years"]
    assert doc.raw_text[span.start : span.end] == span.text


def test_group_penalty_goes_to_every_defendant() -> None:
    text = (
        "A court in Osh placed the teacher Asel Nurbekova in pre-trial detention on charges of "
        "mercenarism. The court also placed the driver Bakyt Osmonov in pre-trial detention on "
        "the same charges. Nurbekova and the two others face up to 10 years in prison."
    )
    doc = chronicle.extract(text)
    arrests = [e for e in doc.events if e.type == "COERCE" and not e.hypothetical]
    assert len(arrests) == 2
    assert all(e.max_penalty_years == 10 for e in arrests)
    assert all(e.charge == "mercenarism" for e in arrests)
    assert all(e.location and e.location.country == "KG" for e in arrests)
