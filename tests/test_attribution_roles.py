"""Role nouns as sources: "his lawyer told reporters", "according to the governor's statement",
"the ministry said" name the person or body that holds the role in the same article."""

from __future__ import annotations

import pytest

import chronicle
from chronicle.extract.attribution import attribution_chain, reported_by, speaker_of


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Police detained the teacher Erlan Abdiev in Taraz. His lawyer, Saule Mukanova, visited "
         "him on Friday. The lawyer told reporters that he had been beaten.", "Saule Mukanova"),
        ("Regional governor Roman Starovoit said a drone hit a factory. According to the "
         "governor's statement, two workers were injured.", "Roman Starovoit"),
        ("The Interior Ministry of Tajikistan confirmed the arrests on Monday. The ministry said "
         "the men had planned an attack.", "Interior Ministry of Tajikistan"),
        ("Ombudsman Tatyana Moskalkova raised the case in Moscow. The ombudsman said the soldier "
         "would be exchanged.", "Tatyana Moskalkova"),
        ("Azamat Nurov, a lawyer for the detained blogger, spoke on Tuesday. The lawyer said the "
         "charges were absurd.", "Azamat Nurov"),
    ],
)
def test_role_noun_speaker_named(text: str, speaker: str) -> None:
    doc = chronicle.extract(text)
    sent = list(doc.nlp_doc.sents)[-1]
    got = speaker_of(doc, sent)
    assert got is not None and speaker.lower() in got.lower(), (got, attribution_chain(doc, sent))
    assert reported_by(doc, sent)[0] == got


def test_role_noun_without_holder_stays() -> None:
    doc = chronicle.extract("The lawyer said the charges against the activist were absurd.")
    sent = next(iter(doc.nlp_doc.sents))
    assert (speaker_of(doc, sent) or "").lower().endswith("lawyer")
