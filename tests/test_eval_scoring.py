"""The scorer on hand-made gold/prediction pairs whose scores are worked out by hand."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chronicle.evaluate.scoring import score_document, summarise
from chronicle.evaluate.textmatch import date_matches, form_matches, number_matches


def gold_doc(**kw: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"title": None, "outlet": None, "body_keep": [], "body_drop": [],
                            "entities": [], "events": [], "claims": []}
    base.update(kw)
    return base


def pred_doc(**kw: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"title": None, "outlet": None, "body": "", "entities": [],
                            "events": [], "claims": []}
    base.update(kw)
    return base


def ev(type_: str, recipient: str | None = None, actor: str | None = None, **kw: Any) -> dict:
    return {"type": type_, "recipient": recipient, "actor": actor, **kw}


def gev(id_: str, type_: str, recipient: list[str], actor: list[str] | None = None,
        required: bool = True, **kw: Any) -> dict:
    return {"id": id_, "type": type_, "recipient": recipient, "actor": actor or [],
            "required": required, "mode": kw.pop("mode", []), **kw}


def summary(gold: dict, pred: dict) -> dict[str, Any]:
    return summarise([score_document(gold, pred, "d")])


# --- primitives -------------------------------------------------------------------------------

@pytest.mark.parametrize(("got", "gold", "ok"), [
    ("2025-04-17", "--04-17", True),      # month-day gold: any year
    ("--04-17", "--04-17", True),
    ("2025-04-18", "--04-17", False),
    ("2023-09-11", "2023-09", True),      # month gold: any day of that month
    ("2023-09", "2023-09-11", False),     # the extracted date lacks the day gold has
    ("2022-05-01", "2022", True),
    ("2023-09-11T08:00:00+00:00", "2023-09-11", True),
    (None, None, True),                   # gold null: the system must not invent a date
    ("2023-01-01", None, False),
    (None, "2023-01-01", False),
])
def test_date_matches_on_the_parts_gold_has(got, gold, ok) -> None:
    assert date_matches(got, gold) is ok


@pytest.mark.parametrize(("a", "b", "ok"), [
    ("the Kyrgyz authorities", "Kyrgyz authorities", True),
    ("KYRGYZ AUTHORITIES", "kyrgyz authorities", True),
    ("Sekerina", "Natalia Sekerina", True),                 # containment
    ("Investigative Committee of Russia", "Russia's Investigative Committee", True),
    ("Russian House", "Rossotrudnichestvo", False),
    ("he", "the court", False),                             # containment is on whole words
    ("Adam Kadyrov", "Ramzan Kadyrov", False),
    ("", "Kyrgyz authorities", False),
])
def test_form_matching(a, b, ok) -> None:
    assert form_matches(a, b) is ok


def test_penalty_tolerance() -> None:
    assert number_matches(4.67, 4.667)
    assert number_matches("15", 15)
    assert not number_matches(4.6, 4.667)
    assert not number_matches(None, 5)


# --- events -----------------------------------------------------------------------------------

def test_optional_gold_event_counts_for_precision_not_recall() -> None:
    gold = gold_doc(events=[gev("e1", "COERCE", ["Natalia Sekerina"]),
                            gev("e2", "ACCUSE", ["Kyrgyz authorities"], required=False)])
    only_optional = summary(gold, pred_doc(events=[ev("ACCUSE", "the Kyrgyz authorities")]))
    assert only_optional["events"]["recall"] == 0.0
    assert only_optional["events"]["precision"] == 1.0
    both = summary(gold, pred_doc(events=[ev("ACCUSE", "Kyrgyz authorities"),
                                          ev("COERCE", "Sekerina"), ev("ASSAULT", "someone")]))
    assert both["events"]["recall"] == 1.0
    assert both["events"]["precision"] == pytest.approx(2 / 3)
    assert both["events"]["f1"] == pytest.approx(2 * (2 / 3) / (1 + 2 / 3))


def test_also_type_is_an_accepted_type_and_names_the_mode() -> None:
    gold = gold_doc(events=[gev("e1", "SANCTION", ["Balashov"], mode=["convict"],
                                also_type="COERCE/arrest")])
    right = summary(gold, pred_doc(events=[ev("COERCE", "Balashov", mode="arrest")]))
    assert right["events"]["recall"] == 1.0
    assert right["events"]["arguments"]["mode"] == 1.0
    wrong_mode = summary(gold, pred_doc(events=[ev("COERCE", "Balashov", mode="convict")]))
    assert wrong_mode["events"]["recall"] == 1.0
    assert wrong_mode["events"]["arguments"]["mode"] == 0.0
    other_type = summary(gold, pred_doc(events=[ev("ACCUSE", "Balashov")]))
    assert other_type["events"]["recall"] == 0.0


def test_actor_decides_where_gold_has_no_recipient() -> None:
    gold = gold_doc(events=[gev("e1", "ACCUSE", [], actor=["International Criminal Court"])])
    assert summary(gold, pred_doc(events=[ev("ACCUSE", None, "the International Criminal Court")])
                   )["events"]["recall"] == 1.0
    assert summary(gold, pred_doc(events=[ev("ACCUSE", None, "Kyrgyz authorities")])
                   )["events"]["recall"] == 0.0


def test_negated_and_hypothetical_events_are_not_scored() -> None:
    gold = gold_doc(events=[gev("e1", "COERCE", ["Lapushkin"])])
    pred = pred_doc(events=[ev("COERCE", "Lapushkin", negated=True),
                            ev("ASSAULT", "civilians", hypothetical=True)])
    out = summary(gold, pred)
    assert out["events"]["recall"] == 0.0
    assert out["events"]["precision"] is None  # nothing scoreable was extracted
    pred["events"].append(ev("COERCE", "Sergei Lapushkin"))
    out = summary(gold, pred)
    assert (out["events"]["recall"], out["events"]["precision"]) == (1.0, 1.0)


def test_pairing_is_optimal_not_greedy() -> None:
    # Greedy would give the first gold event the only extracted event the second one accepts.
    gold = gold_doc(events=[gev("e1", "COERCE", ["Natalia Sekerina", "four people"]),
                            gev("e2", "COERCE", ["Natalia Sekerina"])])
    pred = pred_doc(events=[ev("COERCE", "Natalia Sekerina"), ev("COERCE", "four people")])
    assert summary(gold, pred)["events"]["recall"] == 1.0


def test_pairing_prefers_required_gold_events() -> None:
    gold = gold_doc(events=[gev("e1", "COERCE", ["Lapushkin"], required=False),
                            gev("e2", "COERCE", ["Sergei Lapushkin"])])
    out = summary(gold, pred_doc(events=[ev("COERCE", "Sergei Lapushkin")]))
    assert out["events"]["recall"] == 1.0


def test_pairing_prefers_agreeing_arguments() -> None:
    gold = gold_doc(events=[gev("e1", "COERCE", ["Sekerina"], date="2025-04-17"),
                            gev("e2", "COERCE", ["Sekerina"], date="2025-04-20")])
    pred = pred_doc(events=[ev("COERCE", "Sekerina", date="2025-04-20"),
                            ev("COERCE", "Sekerina", date="2025-04-17")])
    assert summary(gold, pred)["events"]["arguments"]["date"] == 1.0


def test_argument_accuracy_per_field() -> None:
    gold = gold_doc(events=[
        gev("e1", "COERCE", ["Natalia Sekerina"], actor=["Kyrgyz authorities"], mode=["arrest"],
            date="--04-17", location={"name": "Bishkek", "country": "KG"}, max_penalty_years=15),
        gev("e2", "SANCTION", ["Balashov"], actor=["the court"], mode=["convict"], date=None,
            sentence_years=4.667),
    ])
    pred = pred_doc(events=[
        ev("COERCE", "Sekerina", "the Kyrgyz authorities", mode="arrest", date="2025-04-17",
           location={"name": "Bishkek", "country": "kg"}, max_penalty_years=10.0),
        ev("SANCTION", "Balashov", "Kazakh police", mode="convict", date="2024-11-19",
           sentence_years=4.67),
    ])
    args = summary(gold, pred)["events"]["arguments"]
    assert args == {"mode": 1.0, "date": 0.5, "country": 1.0, "actor": 0.5, "penalty": 0.5}


def test_mode_any_is_not_scored() -> None:
    gold = gold_doc(events=[gev("e1", "AGREE", ["her Ukrainian colleague"])])
    out = summary(gold, pred_doc(events=[ev("AGREE", "Ukrainian colleague", mode=None)]))
    assert out["events"]["recall"] == 1.0
    assert out["events"]["arguments"]["mode"] is None


# --- entities ---------------------------------------------------------------------------------

def test_entities_aliases_types_and_roles() -> None:
    gold = gold_doc(entities=[
        {"name": "Ramzan Kadyrov", "type": "PERSON", "aliases": ["Kadyrov"],
         "role": "Chechen leader"},
        {"name": "International Criminal Court", "type": "ORG", "aliases": ["ICC"]},
        {"name": "Chechnya", "type": "GPE", "aliases": []},
    ])
    pred = pred_doc(entities=[
        {"name": "Kadyrov", "type": "PERSON", "role": "the Chechen leader"},
        {"name": "ICC", "type": "ORG"},
        {"name": "Chechnya", "type": "ORG"},           # wrong type: neither hit nor match
        {"name": "Monday", "type": "DATE"},            # a type gold does not annotate
    ])
    out = summary(gold, pred)["entities"]
    assert out == {"precision": pytest.approx(2 / 3), "recall": pytest.approx(2 / 3),
                   "role_accuracy": 1.0}
    pred["entities"][0]["role"] = "President"
    assert summary(gold, pred)["entities"]["role_accuracy"] == 0.0


def test_duplicate_extracted_entity_is_a_false_positive() -> None:
    gold = gold_doc(entities=[{"name": "Polat Dzhamalov", "type": "PERSON",
                               "aliases": ["Dzhamalov"]}])
    pred = pred_doc(entities=[{"name": "Polat Dzhamalov", "type": "PERSON"},
                              {"name": "Dzhamalov", "type": "PERSON"}])
    out = summary(gold, pred)["entities"]
    assert (out["precision"], out["recall"]) == (0.5, 1.0)


# --- claims -----------------------------------------------------------------------------------

def test_claims_metric_value_and_arguments() -> None:
    gold = gold_doc(claims=[
        {"id": "c1", "metric": "killed", "value": 48759, "as_of": "2022-08",
         "claimed_by": ["Irina Okladnikova"]},
        {"id": "c2", "metric": "payment", "value": 195000, "unit": "RUB", "per": "month",
         "claimed_by": []},
        {"id": "c3", "metric": "other", "value": 7, "required": False, "claimed_by": ["TASS"]},
    ])
    pred = pred_doc(claims=[
        {"metric": "killed", "value": 48759.0, "as_of": "2022-08-15",
         "claimed_by": ["Deputy Finance Minister Irina Okladnikova"]},
        {"metric": "payment", "value": 195000, "unit": "USD", "per": "month",
         "claimed_by": ["The Moscow Times"]},
        {"metric": "share", "value": 7, "claimed_by": ["TASS"]},   # gold `other`: value decides
        {"metric": "injured", "value": 48759, "claimed_by": []},
    ])
    out = summary(gold, pred)["claims"]
    assert out["recall"] == 1.0
    assert out["precision"] == 0.75
    assert out["claimed_by"] == pytest.approx(2 / 3)   # c2 gold names nobody, pred invents one
    assert (out["unit"], out["per"], out["as_of"]) == (0.0, 1.0, 1.0)


# --- cleaning and metadata --------------------------------------------------------------------

def test_cleaning_collapses_whitespace_and_metadata_normalises() -> None:
    gold = gold_doc(title="Kadyrov Admits  Chechen Casualties", outlet="The Moscow Times",
                    body_keep=["Two died, six\u00a0more sustained injuries", "not there"],
                    body_drop=["Support The Moscow Times!", "Read more"])
    pred = pred_doc(title="kadyrov admits chechen casualties ", outlet="Moscow Times",
                    body="Two died,\nsix more   sustained injuries. Read more")
    out = summary(gold, pred)["cleaning"]
    assert out == {"keep": 0.5, "drop": 0.5, "title": 1.0, "outlet": 0.0}


def test_null_metadata_must_stay_null() -> None:
    gold = gold_doc()
    assert summary(gold, pred_doc(outlet="Facebook"))["cleaning"]["outlet"] == 0.0
    assert summary(gold, pred_doc())["cleaning"]["outlet"] == 1.0


def test_empty_document_scores_nothing() -> None:
    out = summary(gold_doc(), pred_doc())
    assert out["events"] == {"precision": None, "recall": None, "f1": None,
                             "arguments": dict.fromkeys(
                                 ("mode", "date", "country", "actor", "penalty"))}
    assert out["entities"] == {"precision": None, "recall": None, "role_accuracy": None}
    assert out["claims"]["recall"] is None
    assert (out["cleaning"]["keep"], out["cleaning"]["drop"]) == (None, None)
    assert summarise([])["documents"] == 0


def test_micro_average_over_documents() -> None:
    one = score_document(gold_doc(events=[gev("e1", "COERCE", ["A B"])]),
                         pred_doc(events=[ev("COERCE", "A B")]))
    three = score_document(gold_doc(events=[gev(f"e{i}", "ASSAULT", [f"X{i}"]) for i in range(3)]),
                           pred_doc())
    assert summarise([one, three])["events"]["recall"] == 0.25  # macro would be 0.5


# --- order independence -----------------------------------------------------------------------

ORDER_GOLD = gold_doc(
    entities=[{"name": "Natalia Sekerina", "type": "PERSON", "aliases": ["Sekerina"],
               "role": "staff member"},
              {"name": "Osh", "type": "GPE", "aliases": []}],
    events=[gev("e1", "COERCE", ["Natalia Sekerina", "four people"], date="--04-17"),
            gev("e2", "COERCE", ["Natalia Sekerina"], date="2025-04-20", required=False),
            gev("e3", "ACCUSE", ["Kyrgyz authorities"], actor=["Russian House"])],
    claims=[{"id": "c1", "metric": "detained", "value": 4, "claimed_by": ["SCNS"]}],
)
ORDER_PRED = [
    ev("COERCE", "Natalia Sekerina", date="2025-04-20"), ev("COERCE", "four people"),
    ev("COERCE", "Sekerina", date="2025-04-17"), ev("ACCUSE", "Kyrgyz authorities", "Moscow"),
    ev("ACCUSE", "Kyrgyz authorities", "Russian House"), ev("PROTEST", "Osh"),
]


@settings(max_examples=40, deadline=None)
@given(st.permutations(ORDER_PRED), st.permutations(ORDER_GOLD["events"]))
def test_scores_do_not_depend_on_order(pred_events, gold_events) -> None:
    base = summary(ORDER_GOLD, pred_doc(events=ORDER_PRED))
    gold = dict(ORDER_GOLD, events=list(gold_events))
    assert summary(gold, pred_doc(events=list(pred_events))) == base


@given(st.dates())
def test_a_full_date_matches_every_partial_form_of_itself(day) -> None:
    iso = day.isoformat()
    for gold in (iso, iso[:7], f"{day.year:04d}", f"--{iso[5:]}"):
        assert date_matches(iso, gold)
        assert date_matches(iso + "T12:30:00", gold)
    assert not date_matches(iso[:7], iso)  # less precise than gold is not a match


def test_typographic_quotes_do_not_break_title_or_cleaning() -> None:
    gold = gold_doc(title="Russia Accuses Head of Kazakh Diaspora of ‘War Fakes’ – Vyorstka",
                    body_keep=["Russia’s state-funded agency"])
    pred = pred_doc(title="Russia Accuses Head of Kazakh Diaspora of 'War Fakes' - Vyorstka",
                    body="Russia's state-funded agency said")
    out = summary(gold, pred)["cleaning"]
    assert (out["title"], out["keep"]) == (1.0, 1.0)


def test_unmatched_entity_evidence_is_its_sentence() -> None:
    from chronicle.evaluate.sections import sentence_around

    body = "Title line\nPolice came. They detained John Smith in Moscow. Then left."
    assert sentence_around(body, "John Smith") == "They detained John Smith in Moscow."
    assert sentence_around(body, "Title") == "Title line"
    assert sentence_around(body, "absent") == "absent"
    out = score_document(gold_doc(), pred_doc(body=body, entities=[
        {"name": "John Smith", "type": "PERSON", "mentions": [{"text": "John Smith"}]}]))
    assert out.spurious[0]["evidence"] == "They detained John Smith in Moscow."
