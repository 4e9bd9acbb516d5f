"""Linking cost as the store grows: time to link one new article against 1k, 10k... events.

The store is filled with synthetic duplicate reports (each happening told by two articles with
spelling variants of its people, spread over a year, in several countries); then new articles,
each a further report of a stored happening, are stored and linked one at a time with
:func:`chronicle.link.incremental.link_incremental`, as ``chronicle ingest`` does. Blocking keeps
the compared candidates to the events of a date window and the entities sharing a name key, so
the time per new article should stay roughly flat as the store grows.

``chronicle bench`` (the evaluate stage) calls :func:`bench_linking`.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from chronicle.model import Document, Entity, Event, Location

_SYLLABLES = ("ka", "ra", "mo", "li", "ne", "su", "to", "vi", "da", "zhe", "sha", "ko", "ni",
              "ta", "ro", "mi", "la", "be", "go", "dy", "ar", "ul", "in", "ye")
_GIVEN = ("Natalya", "Sergey", "Yevgeny", "Dmitry", "Aleksandr", "Yuri", "Marat", "Aigul",
          "Timur", "Olga", "Ruslan", "Azamat", "Irina", "Bakyt", "Zarina", "Oleg")
_CITIES = (("Bishkek", "KG"), ("Osh", "KG"), ("Almaty", "KZ"), ("Astana", "KZ"),
           ("Penza", "RU"), ("Kursk", "RU"), ("Elista", "RU"), ("Grozny", "RU"),
           ("Makhachkala", "RU"), ("Dushanbe", "TJ"), ("Tashkent", "UZ"), ("Kharkiv", "UA"))
_TYPES = (("COERCE", "arrest"), ("ACCUSE", "investigate"), ("SANCTION", "convict"),
          ("PROTEST", "demo"), ("ASSAULT", "drone"))


def _variant(name: str) -> str:
    # The second outlet romanises differently: y/i and ye/e alternate, as in real reports.
    return name.replace("y", "i").replace("Ye", "E") if "y" in name else name.replace("i", "y")


EVENTS_PER_DAY = 10  # a store grows by adding days of news: its density stays about the same


def synthetic_documents(n_events: int, seed: int = 0, start: int = 0) -> list[Document]:
    """``n_events`` one-event articles: pairs of reports of ``n_events // 2`` happenings, at
    ``EVENTS_PER_DAY`` (so a 10k store spans ten times the days of a 1k store)."""
    rng = random.Random(seed)
    base = date(2020, 1, 1)
    docs: list[Document] = []
    for i in range(start, start + n_events):
        h = i // 2
        hr = random.Random(h * 7919)  # the happening's facts: the same in every report
        surname = "".join(hr.choice(_SYLLABLES) for _ in range(3)).capitalize() + "ov"
        person = f"{hr.choice(_GIVEN)} {surname}"
        if i % 2:
            person = _variant(person)
        city, country = hr.choice(_CITIES)
        kind, mode = hr.choice(_TYPES)
        day = base + timedelta(days=(2 * h) // EVENTS_PER_DAY)
        court = f"{city} District Court"
        text = (f"Report {i}: the {court} ruled against {person} in {city} on {day.isoformat()}"
                f" (case {h}, outlet {i % 2}, nonce {rng.random():.12f}).")
        doc = Document(source=f"synthetic-{i}.txt", raw_text=text, body=text,
                       outlet=f"Outlet {i % 5}", published=(day + timedelta(days=1)).isoformat())
        doc.entities = [Entity(person, "PERSON"), Entity(court, "ORG"), Entity(city, "GPE")]
        doc.events = [Event(type=kind, mode=mode, actor=court, recipient=person,
                            date=day.isoformat(), location=Location(city, country),
                            evidence=text)]
        docs.append(doc)
    return docs


def _fill(store, docs: list[Document]) -> None:
    """Store many documents in one transaction (the bench's set-up, not what it measures)."""
    from chronicle.store.writer import write_document

    with store.engine.begin() as conn:
        for doc in docs:
            write_document(conn, doc, doc.content_hash, store.fulltext)


def _new_ids(store, before: int) -> list[int]:
    from sqlalchemy import select

    from chronicle.store.schema import documents

    with store.engine.connect() as conn:
        return [int(i) for i in conn.execute(
            select(documents.c.id).where(documents.c.id > before)).scalars()]


def bench_linking(sizes: tuple[int, ...] = (1000, 10000), new_articles: int = 20,
                  seed: int = 0, workdir: str | Path | None = None) -> list[dict[str, Any]]:
    """For each store size: seconds to store+link one new article (median, p90), the stored
    candidates it was compared with, and the time the store took to build."""
    from chronicle.link.relink import link_pending
    from chronicle.store import Store

    results = []
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        for size in sizes:
            path = Path(tmp) / f"bench-{size}.db"
            store = Store(path)
            try:
                started = time.monotonic()
                _fill(store, synthetic_documents(size, seed))
                link_pending(store, batch=1000)
                built = time.monotonic() - started
                times, compared = [], []
                # New reports of stored happenings (same people, another spelling).
                # Spread over the stored period: a report of a happening of any day.
                extra = synthetic_documents(size, seed + 1)
                step = max(1, len(extra) // new_articles) | 1  # odd: the other outlet's report
                for doc in extra[1::step][:new_articles]:
                    before = max(_new_ids(store, 0), default=0)
                    t0 = time.monotonic()
                    store.add_documents([doc])
                    report = _link_new(store, before)
                    times.append(time.monotonic() - t0)
                    compared.append(report.candidates_compared)
                results.append({
                    "stored_events": size,
                    "new_articles": len(times),
                    "seconds_per_article_median": round(statistics.median(times), 4),
                    "seconds_per_article_p90": round(sorted(times)[int(0.9 * (len(times) - 1))],
                                                     4),
                    "candidates_compared_median": statistics.median(compared),
                    "build_seconds": round(built, 1),
                })
            finally:
                store.close()
    return results


def _link_new(store, before: int):
    from chronicle.link.incremental import link_incremental

    return link_incremental(store, _new_ids(store, before))
