"""Robustness of the entity extractor: any text, offsets through a body map, empty input."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chronicle.extract.entities import extract_entities
from chronicle.model import BodySegment, Document
from chronicle.nlp import load_nlp

_WORDS = st.sampled_from([
    "Almaty", "Kassymov", "the", "Supreme", "Court", "of", "Kazakhstan", "said", ",", ".", "“",
    "”", "(", ")", "’s", "Region", "Radio", "Azattyk", "who", "heads", "a", "lawyer", "-", "/",
    "RFE", "Deputy", "Minister", "\n", "\n\n", "Photo:", "Ivan", "Petrov", "is", "known", "as",
    "Foundation", "party", "republic", "Chechen", "news", "agency", "Interfax", "123", "é",
])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_WORDS, max_size=40), st.integers(min_value=0, max_value=30))
def test_any_text_gives_consistent_entities(words: list[str], shift: int) -> None:
    body = " ".join(words)
    raw = "#" * shift + body + "\nSubscribe"
    doc = Document(source="h", raw_text=raw, body=body,
                   body_map=[BodySegment(0, shift, len(body))])
    doc.nlp_doc = load_nlp()(body)
    ents = extract_entities(doc).entities
    for ent in ents:
        assert ent.type in {"PERSON", "ORG", "GPE"}
        assert ent.name and ent.name not in ent.aliases
        for m in ent.mentions:
            assert 0 <= m.start < m.end <= len(raw)
            assert raw[m.start:m.end] == m.text
        if ent.role_span is not None:
            assert 0 <= ent.role_span.start <= ent.role_span.end <= len(raw)


def test_empty_and_unparsed_documents() -> None:
    doc = Document(source="e", raw_text="")
    assert extract_entities(doc).entities == []
    doc = Document(source="e", raw_text="", body="", body_map=[])
    doc.nlp_doc = load_nlp()("")
    assert extract_entities(doc).entities == []


def test_mentions_are_raw_offsets_after_dropped_chrome() -> None:
    chrome = "Menu\nHome\nWorld\n"
    body = "Police in Taraz detained Ermek Narymbaev. Narymbaev denied the charges."
    raw = chrome + body
    doc = Document(source="m", raw_text=raw, body=body,
                   body_map=[BodySegment(0, len(chrome), len(body))])
    doc.nlp_doc = load_nlp()(body)
    person = next(e for e in extract_entities(doc).entities if e.type == "PERSON")
    assert person.name == "Ermek Narymbaev"
    assert [raw[m.start:m.end] for m in person.mentions] == ["Ermek Narymbaev", "Narymbaev"]
