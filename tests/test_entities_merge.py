"""Within-document merging of entity mentions (chronicle.extract.entity_merge.merge_mentions), on
hand-built mentions and on short parsed texts."""

from __future__ import annotations

from chronicle.extract.entity_merge import Mention, merge_mentions
from chronicle.extract.entity_patterns import lexicon
from chronicle.model import Document


def _m(text: str, start: int, label: str, source: str = "spacy", **kw) -> Mention:
    return Mention(start=start, end=start + len(text), text=text, label=label, source=source, **kw)


def _names(groups) -> dict[str, tuple[str, list[str]]]:
    return {g.name: (g.label, sorted(g.forms())) for g in groups}


def test_surname_joins_the_full_name() -> None:
    groups = merge_mentions([_m("Aibek Toktosunov", 0, "PERSON"), _m("Toktosunov", 40, "PERSON"),
                             _m("Toktosunov", 80, "ORG")], lexicon())
    assert _names(groups) == {
        "Aibek Toktosunov": ("PERSON", ["Aibek Toktosunov", "Toktosunov"])}


def test_shared_surname_goes_to_the_most_mentioned_person() -> None:
    groups = merge_mentions([_m("Ramil Nabiev", 0, "PERSON"), _m("Ramil Nabiev", 30, "PERSON"),
                             _m("Timur Nabiev", 60, "PERSON"), _m("Nabiev", 90, "PERSON")],
                            lexicon())
    by_name = _names(groups)
    assert by_name["Ramil Nabiev"][1] == ["Nabiev", "Ramil Nabiev"]
    assert by_name["Timur Nabiev"][1] == ["Timur Nabiev"]


def test_parenthesised_acronym_is_an_alias() -> None:
    # The initials (KIBHRRL) differ from the acronym: only the parentheses tie them.
    name = "Kazakhstan International Bureau for Human Rights and Rule of Law"
    body = f"The {name} (KIBHR) said so. Later KIBHR added more."
    groups = merge_mentions([_m(name, 4, "ORG", "org-head"),
                             _m("KIBHR", body.index("KIBHR added"), "ORG", "acronym")],
                            lexicon(), body)
    assert _names(groups) == {name: ("ORG", ["KIBHR", name])}
    alone = merge_mentions([_m(name, 4, "ORG", "org-head"),
                            _m("KIBHR", body.index("KIBHR added"), "ORG", "acronym")],
                           lexicon(), "")
    assert len(alone) == 2


def test_acronym_by_initials_without_parentheses() -> None:
    groups = merge_mentions([_m("Collective Security Treaty Organization", 0, "ORG"),
                             _m("CSTO", 60, "ORG")], lexicon())
    assert len(groups) == 1 and groups[0].name == "Collective Security Treaty Organization"


def test_tail_of_an_organisation_name_and_quoted_name() -> None:
    groups = merge_mentions([_m("Radio Ozodlik", 0, "ORG", "org-prefix"), _m("Ozodlik", 40, "ORG"),
                             _m("Foundation “Open Steppe”", 80, "ORG", "org-quoted"),
                             _m("Open Steppe", 120, "PERSON"),
                             _m("Open Steppe NGO", 160, "ORG", "org-head")], lexicon())
    assert _names(groups) == {
        "Radio Ozodlik": ("ORG", ["Ozodlik", "Radio Ozodlik"]),
        "Foundation “Open Steppe”": ("ORG", ["Foundation “Open Steppe”", "Open Steppe",
                                             "Open Steppe NGO"]),
    }


def test_generic_word_is_not_merged_into_a_name() -> None:
    groups = merge_mentions([_m("Supreme Court", 0, "ORG", "org-head"), _m("Court", 30, "ORG")],
                            lexicon())
    assert len(groups) == 2


def test_place_with_and_without_its_suffix() -> None:
    groups = merge_mentions([_m("Zhambyl Region", 0, "GPE", "place-suffix"),
                             _m("Zhambyl", 40, "GPE")], lexicon())
    assert _names(groups) == {"Zhambyl Region": ("GPE", ["Zhambyl", "Zhambyl Region"])}


def test_region_adjective_form_merges_with_the_region() -> None:
    groups = merge_mentions([_m("Chechen Republic", 0, "GPE", "place-suffix"),
                             _m("Chechnya", 40, "GPE")], lexicon())
    assert len(groups) == 1


def test_known_as_makes_one_entity() -> None:
    body = "The Center for Civic Initiatives, better known as Kloop, said."
    groups = merge_mentions([_m("Center for Civic Initiatives", 4, "ORG", "org-head"),
                             _m("Kloop", body.index("Kloop"), "ORG")], lexicon(), body)
    assert len(groups) == 1 and sorted(groups[0].forms()) == ["Center for Civic Initiatives",
                                                              "Kloop"]


def test_outlet_noun_makes_an_organisation_of_a_person_label() -> None:
    groups = merge_mentions([_m("Vlast", 0, "PERSON", signals={"org-noun"}),
                             _m("Vlast", 40, "PERSON")], lexicon())
    assert _names(groups) == {"Vlast": ("ORG", ["Vlast"])}


def test_extracted_entities_carry_raw_mentions(nlp_doc_factory=None) -> None:
    from test_entities_sentences import make_doc

    text = "Kairat Ospanov, a lawyer, met Ospanov's client in Taraz. Ospanov left."
    doc: Document = make_doc(text)
    person = next(e for e in doc.entities if e.type == "PERSON")
    assert person.name == "Kairat Ospanov" and person.aliases == ["Ospanov"]
    assert [m.text for m in person.mentions] == ["Kairat Ospanov", "Ospanov", "Ospanov"]
    assert all(text[m.start:m.end] == m.text for m in person.mentions)
    assert person.role == "lawyer" and text[person.role_span.start:person.role_span.end] == "lawyer"
