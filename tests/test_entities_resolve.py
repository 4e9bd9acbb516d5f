"""Unit tests for chronicle.extract.resolve over hand-built documents (no spaCy needed)."""

from __future__ import annotations

from chronicle.extract.resolve import (
    canonical_name,
    entity_at,
    entity_for,
    name_gender,
    nearest_person_before,
    normalise_name,
)
from chronicle.model import BodySegment, Document, Entity, Span


def _doc(body: str, names: list[tuple[str, str, list[str]]], shift: int = 0) -> Document:
    """A document whose raw text is ``shift`` chars of chrome followed by ``body``; each entity's
    mentions are every occurrence of its name and aliases."""
    raw = "x" * shift + body
    doc = Document(source="t", raw_text=raw, body=body, body_map=[BodySegment(0, shift, len(body))])
    for name, etype, aliases in names:
        ent = Entity(name=name, type=etype, aliases=aliases)
        for form in [name, *aliases]:
            start = body.find(form)
            while start >= 0:
                ent.mentions.append(Span(start + shift, start + shift + len(form), form))
                start = body.find(form, start + len(form))
        doc.entities.append(ent)
    return doc


BODY = (
    "Police in Almaty detained Aigerim Nurlanova on Monday. "
    "Nurlanova told reporters she was innocent. "
    "The Ministry of Interior said the case was ongoing."
)
ENTS = [
    ("Aigerim Nurlanova", "PERSON", ["Nurlanova"]),
    ("Almaty", "GPE", []),
    ("Ministry of Interior", "ORG", []),
]


def test_normalise_name_strips_possessive_and_the() -> None:
    assert normalise_name("the Kremlin’s") == "kremlin"
    assert normalise_name("  RFE/RL's ") == "rfe/rl"
    assert normalise_name("The Hague") == "hague"


def test_entity_at_maps_body_offsets_through_body_map() -> None:
    doc = _doc(BODY, ENTS, shift=17)
    start = BODY.index("Aigerim")
    ent = entity_at(doc, start, start + 7)
    assert ent is not None and ent.name == "Aigerim Nurlanova"
    assert entity_at(doc, 0, 6) is None  # "Police"
    loc = BODY.index("Almaty")
    assert entity_at(doc, loc + 2, loc + 2).name == "Almaty"  # an empty range inside a mention


def test_canonical_name_maps_surname_and_keeps_unknown() -> None:
    doc = _doc(BODY, ENTS)
    assert canonical_name(doc, "Nurlanova") == "Aigerim Nurlanova"
    assert canonical_name(doc, "Nurlanova’s") == "Aigerim Nurlanova"
    assert canonical_name(doc, "the Ministry of Interior") == "Ministry of Interior"
    assert canonical_name(doc, "Kazakhstan's Ministry of Interior") == "Ministry of Interior"
    assert canonical_name(doc, "the weather") == "the weather"
    assert entity_for(doc, "Nurlanova", etype="ORG") is None


def test_surname_shared_by_two_people_is_not_resolved() -> None:
    body = "Ramil Saidov and Olga Saidova met Timur Saidov."
    doc = _doc(body, [("Ramil Saidov", "PERSON", []), ("Timur Saidov", "PERSON", [])])
    assert canonical_name(doc, "Saidov") == "Saidov"


def test_nearest_person_before_pronoun() -> None:
    doc = _doc(BODY, ENTS, shift=5)
    she = BODY.index("she")
    ent = nearest_person_before(doc, she)
    assert ent is not None and ent.name == "Aigerim Nurlanova"
    assert nearest_person_before(doc, 3) is None


def test_nearest_person_is_none_when_two_people_compete() -> None:
    body = "Boris Kamenev told Lev Orlov that he would resign."
    doc = _doc(body, [("Boris Kamenev", "PERSON", []), ("Lev Orlov", "PERSON", [])])
    assert nearest_person_before(doc, body.index("he would")) is None


def test_nearest_person_respects_distance() -> None:
    body = "Lev Orlov spoke. " + "Filler text here. " * 50 + "He left."
    doc = _doc(body, [("Lev Orlov", "PERSON", [])])
    assert nearest_person_before(doc, body.index("He left")) is None
    assert nearest_person_before(doc, body.index("He left"), max_chars=2000).name == "Lev Orlov"


def test_pronoun_gender_settles_two_candidates() -> None:
    body = "Boris Kamenev told Olga Petrova that she would be charged. He said it twice."
    doc = _doc(body, [("Boris Kamenev", "PERSON", []), ("Olga Petrova", "PERSON", [])])
    she = body.index("she")
    assert nearest_person_before(doc, she) is None  # unclear without the pronoun
    assert nearest_person_before(doc, she, pronoun="she").name == "Olga Petrova"
    assert nearest_person_before(doc, body.index("He said"), pronoun="he").name == "Boris Kamenev"
    assert name_gender("Natalia Sekerina") == "f" and name_gender("Sergei Lapushkin") == "m"
    assert name_gender("Azamat Kadyrbekov") == "m" and name_gender("Leila Mirzoyeva") == "f"
    assert name_gender("John Smith") is None
