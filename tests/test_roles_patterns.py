"""Role patterns (chronicle.extract.roles) over short sentences of my own."""

from __future__ import annotations

import pytest

from chronicle.extract.roles import byline_role
from test_entities_sentences import make_doc


def _role(text: str, person: str) -> str | None:
    doc = make_doc(text)
    ent = next((e for e in doc.entities if e.type == "PERSON" and person in [e.name, *e.aliases]),
               None)
    assert ent is not None, [(e.name, e.type) for e in doc.entities]
    if ent.role is not None:  # the role span points at the words in the raw text
        assert ent.role_span is not None and ent.role_span.end > ent.role_span.start
    return ent.role


@pytest.mark.parametrize(("text", "person", "role"), [
    ("Deputy Labour Minister Oksana Belova resigned on Friday.", "Oksana Belova",
     "Deputy Labour Minister"),
    ("Kazan City Hall spokesman Ilnur Gabdrakhmanov confirmed the fire.", "Ilnur Gabdrakhmanov",
     "spokesman of the Kazan City Hall"),
    ("Gulnara Bazhkenova, the editor of the news site Orda.kz, was questioned.",
     "Gulnara Bazhkenova", "editor of the news site Orda.kz"),
    ("The chairman of the Kyrgyz Supreme Court, Zamir Sydykov, denied the claim.",
     "Zamir Sydykov", "chairman of the Kyrgyz Supreme Court"),
    ("Maxim Galkin, who leads the Moscow Bar Chamber, said so.", "Maxim Galkin",
     "leader of the Moscow Bar Chamber"),
    ("Ruslan Gainutdinov was described as a senior officer of the local police.",
     "Ruslan Gainutdinov", "senior officer of the local police"),
    ("Daniyar Ashimbayev is a political analyst based in Astana.", "Daniyar Ashimbayev",
     "political analyst"),
    ("Rights groups described Timur Akhmedov as a former adviser to the mayor.",
     "Timur Akhmedov", "former adviser to the mayor"),
    ("Aliya Sultanova, a reporter regarded as a leading voice on labour rights, was detained.",
     "Aliya Sultanova", "reporter regarded as a leading voice on labour rights"),
    ("The chairman of the Kyrgyz Supreme Court, Zamir Sydykov, denied the claim.",
     "Zamir Sydykov", "chairman of the Kyrgyz Supreme Court"),
    ("His lawyer, Bakyt Osmonov, said the court ignored the evidence.", "Bakyt Osmonov",
     "lawyer"),
    ("Col. Ruslan Zakirov, the commander of the border unit, was dismissed.", "Ruslan Zakirov",
     "commander of the border unit"),
])
def test_role_forms(text: str, person: str, role: str) -> None:
    got = _role(text, person)
    assert got is not None and role.lower() in got.lower(), got


@pytest.mark.parametrize(("text", "person"), [
    ("Vadim Osipov is a Kazakh citizen.", "Vadim Osipov"),  # citizenship is not a role
    ("According to Sergei Orlov, the officer kept firing.", "Sergei Orlov"),  # not apposition
    ("Yuri Dud, Ivan Urgant and Maxim Galkin left Russia.", "Yuri Dud"),  # a list of people
])
def test_no_role(text: str, person: str) -> None:
    assert _role(text, person) is None


def test_byline_role() -> None:
    raw = "Article image\nAigerim Tulegenova\n\nSenior Correspondent\n\nAigerim writes about..."
    name_end = raw.index("Tulegenova") + len("Tulegenova")
    role, start, end = byline_role(raw, name_end)
    assert role == "Senior Correspondent" and raw[start:end] == role
    assert byline_role("Aigerim Tulegenova\n\nShe wrote this article yesterday.", 18) is None
