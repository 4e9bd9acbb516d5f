"""Documents survive a to_dict/from_dict round trip (Spark output, `chronicle load`)."""

from __future__ import annotations

from chronicle.model import (
    BodySegment,
    Claim,
    Decision,
    Document,
    Entity,
    Event,
    Location,
    Span,
    content_hash,
)


def test_full_document_roundtrip() -> None:
    doc = Document(
        source="a.txt",
        raw_text="Header\n\nPolice detained Ivan Petrov in Kursk.",
        body="Police detained Ivan Petrov in Kursk.",
        body_map=[BodySegment(0, 8, 37)],
        decisions=[Decision(0, 6, False, "position: before headline", "Header")],
        title="T",
        published="2024-03-01",
        entities=[
            Entity("Ivan Petrov", "PERSON", ["Petrov"], "activist", [Span(24, 35, "Ivan Petrov")])
        ],
        events=[
            Event(
                "COERCE",
                "arrest",
                ["legal"],
                recipient="Ivan Petrov",
                location=Location("Kursk", "RU", lat=51.7, lon=36.2),
                evidence_span=Span(8, 45, "x"),
                spans={"recipient": Span(24, 35, "Ivan Petrov")},
            )
        ],
        claims=[Claim("detained", 1.0, claimed_by=["Police"], evidence_span=Span(8, 45))],
        meta={"feed": "x"},
    )
    again = Document.from_dict(doc.to_dict(include_raw=True))
    assert again.to_dict(include_raw=True) == doc.to_dict(include_raw=True)
    assert again.body_to_raw(0) == 8


def test_content_hash_ignores_whitespace_differences() -> None:
    assert content_hash("a  b\n\nc ") == content_hash("a b c")
    assert content_hash("a b c") != content_hash("a b d")
