"""Article-level behaviour of the event extractor on short texts of our own: one event per
happening (mentions merged), flagged readings kept apart, and spans that point into the raw text."""

from __future__ import annotations

import chronicle


def _factual(doc):
    return [e for e in doc.events if not (e.negated or e.hypothetical)]


def test_nominal_mentions_do_not_make_a_second_arrest() -> None:
    doc = chronicle.extract(
        "Police in Osh detained the blogger Kanat Ismailov on 3 June 2024. "
        "His lawyer said Ismailov's arrest was illegal. "
        "Rights groups condemned the detention of Ismailov."
    )
    arrests = [e for e in _factual(doc) if e.type == "COERCE"]
    assert len(arrests) == 1
    (arrest,) = arrests
    assert arrest.recipient == "Kanat Ismailov"
    assert arrest.date == "2024-06-03"
    assert arrest.location is not None and arrest.location.country == "KG"
    (condemnation,) = [e for e in doc.events if e.type == "ACCUSE" and e.mode == "disapprove"]
    assert condemnation.recipient == "Kanat Ismailov"  # the person the condemned arrest hit


def test_lede_description_joins_the_named_event() -> None:
    doc = chronicle.extract(
        "Kazakh authorities have arrested a former official on charges of treason. "
        "The National Security Committee detained Yerlan Sagadiyev in Astana on 2 May 2024, "
        "the agency said."
    )
    arrests = [e for e in _factual(doc) if e.type == "COERCE"]
    assert len(arrests) == 1
    (arrest,) = arrests
    assert arrest.recipient == "Yerlan Sagadiyev"
    assert arrest.charge == "treason"
    assert arrest.date == "2024-05-02"
    assert arrest.location.country == "KZ"


def test_charge_joins_the_arrest_as_also_type() -> None:
    doc = chronicle.extract(
        "Police in Tashkent detained the poet Nodir Karimov on Tuesday. "
        "Prosecutors later charged Karimov with insulting the president."
    )
    (arrest,) = [e for e in _factual(doc) if e.type == "COERCE"]
    assert arrest.also_type == "ACCUSE/allege"
    assert arrest.charge == "insulting the president"
    assert not [e for e in _factual(doc) if e.type == "ACCUSE"]


def test_denied_and_possible_events_are_flagged_not_facts() -> None:
    doc = chronicle.extract(
        "The prosecutor denied that police had beaten Aidar Zhumabekov. "
        "Zhumabekov could be charged with hooliganism."
    )
    assert not _factual(doc)
    assert any(e.negated and e.type == "ASSAULT" for e in doc.events)
    assert any(e.hypothetical and e.type == "ACCUSE" for e in doc.events)


def test_every_span_points_into_the_raw_text() -> None:
    text = (
        "A court in Bishkek on Friday placed the journalist Aigerim Tolonova in pre-trial "
        "detention until July 2 on charges of calling for riots, Kloop reported."
    )
    doc = chronicle.extract(text)
    (event,) = _factual(doc)
    assert event.custody == "pre-trial detention until July 2"
    assert event.charge == "calling for riots"
    assert event.date is None and event.date_text == "on Friday"
    assert event.reported_by[0] == "Kloop"
    for span in [event.evidence_span, event.trigger, *event.spans.values()]:
        assert text[span.start : span.end] == span.text


def test_that_year_takes_the_year_named_before() -> None:
    doc = chronicle.extract(
        "The blogger Ruslan Baisarov returned to Kazakhstan in April 2021. "
        "That year a court in Almaty sentenced him to two years in prison."
    )
    (conviction,) = [e for e in _factual(doc) if e.type == "SANCTION"]
    assert conviction.recipient == "Ruslan Baisarov"
    assert conviction.date == "2021"
    assert conviction.sentence_years == 2


def test_article_without_agents_codes_the_suspect_court_and_attacker() -> None:
    doc = chronicle.extract(
        "Officers of the Interior Ministry detained the blogger Rinat Khasanov in Ufa on 4 March "
        "2024. A criminal case was opened under the article on discrediting the army. "
        "A court in Ufa later sentenced Khasanov to three years. Rights groups condemned the "
        "verdict. Separately, two people were wounded in a drone attack on the city's airport. "
        "The regional head blamed Ukrainian forces for the attack."
    )
    events = _factual(doc)
    (case,) = [e for e in events if e.type == "ACCUSE" and e.mode == "investigate"]
    assert case.recipient == "Rinat Khasanov"  # the suspect of the arrest told before
    assert case.actor and "Interior Ministry" in case.actor
    (verdict,) = [e for e in events if e.type == "ACCUSE" and e.mode == "disapprove"
                  and e.actor == "Rights groups"]  # fmt: skip
    assert verdict.recipient and "court in Ufa" in verdict.recipient
    (attack,) = [e for e in events if e.type == "ASSAULT"]
    assert attack.mode == "drone"
    assert attack.recipient == "two people"
    assert attack.actor == "Ukrainian forces"
    assert attack.location is not None and attack.location.country == "RU"


def test_statistics_and_sentencing_requests_are_not_events() -> None:
    doc = chronicle.extract(
        "More than 700 people have been prosecuted under the law since 2022. "
        "In the latest case, prosecutors asked for six years for the teacher."
    )
    assert [e for e in _factual(doc) if e.type in {"ACCUSE", "REQUEST"}] == []
