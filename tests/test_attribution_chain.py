"""Attribution chains and speakers on sentences of our own, and reported_by on events."""

from __future__ import annotations

import pytest

import chronicle
from chronicle.extract.attribution import attribution_chain, reported_by, speaker_of


def _doc(text: str):
    return chronicle.extract(text)


@pytest.mark.parametrize(
    ("text", "chain"),
    [
        ("Police detained two activists in Minsk, the rights group Viasna reported on Monday, "
         "citing a statement by the Belarusian Interior Ministry.",
         ["Belarusian Interior Ministry", "Viasna"]),
        ("According to Radio Ozodi, the court sentenced the lawyer to ten years.", ["Radio Ozodi"]),
        ("The governor of Kursk region said three people had died, TASS reported.",
         ["The governor of Kursk region", "TASS"]),
        ("Aliya Sarsenova told Reuters that police had detained her son.",
         ["Aliya Sarsenova", "Reuters"]),
        ("The ministry confirmed the detention in a statement on Telegram.",
         ["ministry", "Telegram"]),
        ("The weather was cold in Almaty on Monday.", []),
    ],
)
def test_chain(text: str, chain: list[str]) -> None:
    doc = _doc(text)
    sent = next(iter(doc.nlp_doc.sents))
    got = attribution_chain(doc, sent)
    assert len(got) == len(chain), got
    for want, have in zip(chain, got, strict=True):
        assert want.lower() in have.lower() or have.lower() in want.lower(), (got, chain)


def test_quoted_as_saying_by() -> None:
    doc = _doc("“We have nothing to hide,” Dilnoza Karimova was quoted as saying by Gazeta.uz.")
    sent = list(doc.nlp_doc.sents)[-1]
    chain = attribution_chain(doc, sent)
    assert chain[0].endswith("Karimova")
    assert chain[-1].startswith("Gazeta")
    assert speaker_of(doc, sent).endswith("Karimova")


def test_pronoun_speaker_resolved() -> None:
    doc = _doc("Bakhyt Omarov spoke to the press in Astana. He said the court acted unlawfully.")
    sent = list(doc.nlp_doc.sents)[1]
    assert speaker_of(doc, sent) == "Bakhyt Omarov"


def test_reported_by_ends_with_outlet() -> None:
    doc = _doc("Police in Osh detained the blogger Kanat Beishenov, Kloop reported on Friday.")
    doc.outlet = "Eurasianet"
    sent = next(iter(doc.nlp_doc.sents))
    assert reported_by(doc, sent)[-1] == "Eurasianet"
    assert reported_by(doc, sent)[0] == "Kloop"


def test_event_carries_its_chain() -> None:
    doc = _doc(
        "A court in Khujand sentenced the journalist Daler Sharipov to seven years, "
        "according to Asia-Plus."
    )
    (event,) = [e for e in doc.events if e.type == "SANCTION"]
    assert event.reported_by[0] == "Asia-Plus"
