"""Databases for the serve tests: a hand-made corpus (exact expectations, hostile text), the seeds.

The hand-made articles are stored through ``Store.add_documents`` (no NLP), so their events,
spans and coordinates are known exactly; one of them carries script and attribute-breaking markup
in its text, title and outlet. The seeds database runs the real pipeline over the bundled sample
once per test session (the file is cached in pytest's session temp folder and reused by the API
and browser tests).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from chronicle.model import BodySegment, Claim, Document, Entity, Event, Location, Span
from chronicle.store import Store

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
SAMPLE = Path(__file__).resolve().parents[1] / "src" / "chronicle" / "sample"


def _span(raw: str, text: str) -> Span:
    start = raw.index(text)
    return Span(start, start + len(text), text)


def make_doc(
    source: str,
    title: str,
    outlet: str,
    published: str | None,
    paragraphs: list[str],
    *,
    chrome: tuple[str, str] = ("Menu | Login | Donate", "Subscribe to our newsletter"),
) -> Document:
    """An article whose raw text wraps the paragraphs in site chrome the cleaner 'dropped'."""
    body = "\n\n".join(paragraphs)
    raw = f"{chrome[0]}\n\n{body}\n\n{chrome[1]}"
    start = raw.index(body)
    return Document(
        source=source,
        raw_text=raw,
        body=body,
        title=title,
        outlet=outlet,
        published=published,
        language="en",
        body_map=[BodySegment(0, start, len(body))],
    )


def add_event(doc: Document, evidence: str, **fields) -> Event:
    ev = Event(evidence=evidence, evidence_span=_span(doc.raw_text, evidence), **fields)
    doc.events.append(ev)
    return ev


def add_entity(doc: Document, name: str, type_: str, role: str | None = None) -> None:
    spans = []
    start = doc.raw_text.find(name)
    while start >= 0:
        spans.append(Span(start, start + len(name), name))
        start = doc.raw_text.find(name, start + 1)
    doc.entities.append(Entity(name, type_, role=role, mentions=spans))


def crafted_documents() -> list[Document]:
    """Three invented articles (none of the seeds' people or sentences)."""
    a = make_doc(
        "hostile.txt",
        f"Activist {SCRIPT} held",
        f"Test {IMG} News",
        "2024-03-04",
        [
            f"Police in Bishkek detained activist Aibek Tokonov on March 3, the outlet {IMG} said.",
            f"His lawyer posted {SCRIPT} on a forum, which moderators removed.",
            "At least 12 people were detained at the rally, officials said.",
        ],
        chrome=(f"Top stories {SCRIPT}", "Donate now"),
    )
    add_event(
        a,
        a.body.split("\n\n")[0],
        type="COERCE",
        mode="arrest",
        actor="Police",
        recipient="Aibek Tokonov",
        date="2024-03-03",
        location=Location("Bishkek", "KG", None, 42.87, 74.59),
    )
    a.claims.append(
        Claim(
            "detained",
            12,
            qualifier="at least",
            claimed_by=["officials"],
            evidence=a.body.split("\n\n")[2],
            evidence_span=_span(a.raw_text, a.body.split("\n\n")[2]),
        )
    )
    add_entity(a, "Aibek Tokonov", "PERSON", "activist")
    add_entity(a, "Bishkek", "GPE")
    add_entity(a, SCRIPT, "ORG")  # a hostile name reaches the entity list and its own page

    b = make_doc(
        "almaty.txt",
        "Journalist charged in Almaty",
        "Steppe Wire",
        "2024-05-21",
        [
            "Prosecutors in Almaty charged journalist Dana Serikova with spreading false "
            "information on May 12.",
            "Hundreds rallied outside the Almaty city court on May 20 to support Dana Serikova.",
            "She faces up to seven years in prison.",
        ],
    )
    add_event(
        b,
        b.body.split("\n\n")[0],
        type="ACCUSE",
        mode="allege",
        actor="Prosecutors",
        recipient="Dana Serikova",
        date="2024-05-12",
        charge="spreading false information",
        max_penalty_years=7.0,
        location=Location("Almaty", "KZ", None, 43.24, 76.89),
    )
    add_event(
        b,
        b.body.split("\n\n")[1],
        type="PROTEST",
        mode="demo",
        actor="Hundreds",
        recipient="Almaty city court",
        date="2024-05-20",
        location=Location("Almaty", "KZ", None, 43.24, 76.89),
    )
    add_entity(b, "Dana Serikova", "PERSON", "journalist")
    add_entity(b, "Almaty", "GPE")

    c = make_doc(
        "tbilisi.txt",
        "Blogger sentenced in Tbilisi",
        "Caucasus Daily",
        None,
        [
            "A court in Tbilisi sentenced blogger Nika Beridze to three years in prison on "
            "November 2, 2023.",
            "Unknown men beat a colleague of Beridze last week, his friends said.",
        ],
    )
    add_event(
        c,
        c.body.split("\n\n")[0],
        type="SANCTION",
        mode="convict",
        actor="court",
        recipient="Nika Beridze",
        date="2023-11-02",
        sentence_years=3.0,
        location=Location("Tbilisi", "GE", None, 41.72, 44.79),
    )
    add_event(
        c, c.body.split("\n\n")[1], type="ASSAULT", mode="beat", actor="Unknown men", recipient=None
    )
    add_entity(c, "Nika Beridze", "PERSON", "blogger")
    return [a, b, c]


def build_crafted(path: Path) -> str:
    url = f"sqlite:///{path}"
    with Store(url) as store:
        store.add_documents(crafted_documents())
    return url


@pytest.fixture(scope="session")
def crafted_db(tmp_path_factory) -> str:
    """URL of a fresh SQLite store holding the three hand-made articles."""
    return build_crafted(tmp_path_factory.mktemp("serve") / "crafted.db")


@pytest.fixture(scope="session")
def seeds_db(tmp_path_factory) -> str:
    """URL of a SQLite store with the bundled sample ingested by the real pipeline (built once)."""
    path = tmp_path_factory.getbasetemp() / "serve-seeds.db"
    if not path.exists():
        # Built under another name and renamed when complete, so a failed build is never reused.
        building = path.with_suffix(".building.db")
        with Store(f"sqlite:///{building}") as store:
            report = store.ingest([SAMPLE], progress=False)
        assert report.new == len(list(SAMPLE.glob("*.txt"))), report.failed
        building.rename(path)
    return f"sqlite:///{path}"
