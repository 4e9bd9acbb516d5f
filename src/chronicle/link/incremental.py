"""Incremental linking over the store: new documents are linked to what is stored, without
re-linking the whole database.

For each batch of newly stored documents: geocode them, build their entity and event refs,
fetch only the stored refs that share a blocking key (entities: surname prefix, name words,
acronym; events: a day window, or the participant key when undated), cluster new + fetched refs
with the same rules as :func:`chronicle.link.link_documents`, and write the outcome:

- ``link_entity_refs``/``link_event_refs`` rows for the new refs, new canonical ids where
  clusters merged (stored ids are kept: the smallest existing id wins, so ids stay stable);
- ``entities.canonical_id`` and ``geo``; the events' coordinates;
- one canonical ``events`` row per cluster: every source's ``event_sources`` row points at it,
  emptied rows are deleted, and ``events.disagreements`` lists the values sources disagree on
  (see :mod:`chronicle.link.canonical`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Connection, and_, or_, select

from chronicle.link.batch import entity_refs, event_ref
from chronicle.link.blocking import candidate_pairs, event_keys
from chronicle.link.canonical import consolidate
from chronicle.link.entities import EntityRef, cluster_refs, entity_key
from chronicle.link.events import APPROX_WINDOW_DAYS, PHYSICAL_TYPES, EventRef, cluster_events
from chronicle.link.geo import geocode_document
from chronicle.link.names import generic_words, org_name, person_name
from chronicle.link.tables import (
    entity_ref_from_json,
    entity_ref_to_json,
    event_ref_from_json,
    event_ref_to_json,
    link_entity_blocks,
    link_entity_refs,
    link_event_refs,
)
from chronicle.link.textnorm import fold
from chronicle.model import Document, Entity, event_from_dict
from chronicle.store.schema import documents, entities, entity_mentions, event_sources, events


@dataclass
class LinkReport:
    """What one incremental run did."""

    documents: int = 0
    entity_refs: int = 0
    event_refs: int = 0
    candidates_compared: int = 0
    events_merged: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)


def _place_word(token: str) -> bool:
    """True for a word naming a country, people or sizeable place ("bishkek", "kazakh"): too
    common in organisation names to block on."""
    from chronicle.link.gazetteer import demonym_country, geocode

    if demonym_country(token):
        return True
    place = geocode(token)
    return place is not None and (place.feature != "city" or place.population >= 15000)


def entity_blocks(ref: EntityRef) -> set[str]:
    """Blocking keys of an entity ref: refs that could match share at least one."""
    keys: set[str] = set()
    for form in ref.names:
        keys.add("n:" + fold(form))
        person = person_name(form)
        org = org_name(form)
        looks_personal = org is not None and not set(org.tokens) & generic_words()
        if person is not None and len(person.surname) >= 2 and (
                ref.type == "PERSON" or (looks_personal and person.given)):
            # Prefix, and the set of consonants (tolerates swapped letters: Sekerina/Serekina).
            keys.add("p:" + person.surname[:3])
            keys.add("c:" + "".join(sorted(set(person.surname) - set("aeiouy"))))
        if ref.type != "ORG" or org is None:
            continue
        if org.generic:  # "Defence Ministry": only within the countries of its article
            keys.update(f"g:{org.key}@{c}" for c in (ref.countries or {"?"}))
            continue
        keys.add("k:" + org.key)
        keys.update("o:" + t for t in org.tokens
                    if len(t) > 2 and t not in generic_words() and not _place_word(t))
        compact = "".join(ch for ch in fold(form) if ch.isalnum())
        if len(org.acronym) >= 3:
            keys.add("a:" + org.acronym)
        if 3 <= len(compact) <= 8:
            keys.add("a:" + compact)
    return keys


def event_day(ref: EventRef) -> int | None:
    """The day number an event is filed under (its date, else its article's)."""
    if ref.day:
        return ref.day.toordinal()
    if ref.month:
        from datetime import date

        return date(ref.month[0], ref.month[1], 15).toordinal()
    return ref.approx_day.toordinal() if ref.approx_day else None


def party_key(ref: EventRef) -> str | None:
    """The participant key of an event (recipient, else actor): for undated events."""
    party = ref.recipient or ref.actor
    parsed = person_name(party) if party else None
    return parsed.surname[:3] if parsed and parsed.surname else None


def load_document(conn: Connection, document_id: int) -> tuple[Document, list[int], list[int]]:
    """A stored document rebuilt for linking: (document, event source ids, entity row ids)."""
    row = conn.execute(select(documents).where(documents.c.id == document_id)).one()
    doc = Document(source=row.source, raw_text=row.raw_text, body=row.body, title=row.title,
                   outlet=row.outlet, published=row.published, url=row.url)
    forms: dict[int, dict[str, None]] = defaultdict(dict)
    info: dict[int, tuple[str, str, str | None]] = {}
    stmt = (select(entity_mentions.c.entity_id, entity_mentions.c.name, entity_mentions.c.role,
                   entities.c.name.label("ename"), entities.c.type)
            .join(entities, entities.c.id == entity_mentions.c.entity_id)
            .where(entity_mentions.c.document_id == document_id)
            .order_by(entity_mentions.c.id))
    for m in conn.execute(stmt):
        info.setdefault(m.entity_id, (m.ename, m.type, m.role))
        forms[m.entity_id][m.name] = None
    entity_ids = sorted(info)
    for eid in entity_ids:
        name, type_, role = info[eid]
        aliases = [f for f in forms[eid] if f != name]
        doc.entities.append(Entity(name=name, type=type_, aliases=aliases, role=role))
    source_ids: list[int] = []
    for s in conn.execute(select(event_sources.c.id, event_sources.c.event)
                          .where(event_sources.c.document_id == document_id)
                          .order_by(event_sources.c.id)):
        doc.events.append(event_from_dict(dict(s.event or {})))
        source_ids.append(int(s.id))
    return doc, source_ids, entity_ids


def _link_entities(conn: Connection, new: list[tuple[int, EntityRef]],
                   report: LinkReport) -> dict[str, str]:
    """Cluster the new entity refs with the stored ones sharing a block; persist; key -> id."""
    blocks = {ref.key: entity_blocks(ref) for _, ref in new}
    wanted = sorted(set().union(*blocks.values())) if blocks else []
    stored: dict[int, tuple[EntityRef, str | None]] = {}
    for chunk in (wanted[i:i + 500] for i in range(0, len(wanted), 500)):
        # Ids first: PostgreSQL cannot DISTINCT over a JSON column.
        ref_ids = select(link_entity_blocks.c.ref_id).where(link_entity_blocks.c.block.in_(chunk))
        stmt = (select(link_entity_refs.c.id, link_entity_refs.c.ref,
                       link_entity_refs.c.canonical_id)
                .where(link_entity_refs.c.id.in_(ref_ids)))
        for r in conn.execute(stmt):
            stored[int(r.id)] = (entity_ref_from_json(dict(r.ref), r.canonical_id),
                                 r.canonical_id)
    old = [ref for ref, _ in stored.values()]
    refs = old + [ref for _, ref in new]
    n_old = len(old)
    keys = [entity_blocks(ref) for ref in old] + [blocks[ref.key] for _, ref in new]
    pairs = candidate_pairs(keys, [i >= n_old for i in range(len(refs))])
    report.candidates_compared += len(pairs)
    ids = cluster_refs(refs, pairs)
    for ref, cid in stored.values():
        if ids[ref.key] != cid:  # two stored clusters merged through a new document
            conn.execute(link_entity_refs.update().where(link_entity_refs.c.canonical_id == cid)
                         .values(canonical_id=ids[ref.key]))
            conn.execute(entities.update().where(entities.c.canonical_id == cid)
                         .values(canonical_id=ids[ref.key]))
    # A cluster needs each of its spellings in the blocks once: a name repeated by many articles
    # ("TASS") is then compared once, and a block grows with spellings, not with mentions.
    represented = {_signature(ref, ids[ref.key]) for ref in old}
    for doc_id, ref in new:
        ref_id = conn.execute(link_entity_refs.insert().values(
            document_id=doc_id, ref_key=ref.key, ref=entity_ref_to_json(ref),
            canonical_id=ids[ref.key])).inserted_primary_key[0]
        signature = _signature(ref, ids[ref.key])
        if signature in represented:
            continue
        represented.add(signature)
        conn.execute(link_entity_blocks.insert(),
                     [{"ref_id": ref_id, "block": b} for b in sorted(blocks[ref.key])])
    report.entity_refs += len(new)
    return ids


def _signature(ref: EntityRef, cid: str) -> tuple[str, str, tuple[str, ...]]:
    return cid, ref.type, tuple(sorted({fold(n) for n in ref.names}))


def _stored_events(conn: Connection, new: list[EventRef], skip_docs: set[int]
                   ) -> dict[int, tuple[EventRef, int]]:
    """Stored event refs in a new ref's day window or (undated) with its participant key."""
    conds = []
    for ref in new:
        day = event_day(ref)
        if day is not None:
            window = link_event_refs.c.day_ord.between(day - APPROX_WINDOW_DAYS,
                                                       day + APPROX_WINDOW_DAYS)
            if ref.country and ref.types <= PHYSICAL_TYPES:  # elsewhere: never the same
                window = and_(window, or_(link_event_refs.c.country == ref.country,
                                          link_event_refs.c.country.is_(None)))
            conds.append(window)
        key = party_key(ref)
        if key:
            conds.append(and_(link_event_refs.c.party_key == key,
                              or_(link_event_refs.c.day_ord.is_(None), day is None)))
    out: dict[int, tuple[EventRef, int]] = {}
    for chunk in (conds[i:i + 200] for i in range(0, len(conds), 200)):
        stmt = select(link_event_refs).where(or_(*chunk))
        for r in conn.execute(stmt):
            if r.document_id not in skip_docs:
                out[int(r.id)] = (event_ref_from_json(dict(r.ref), r.canonical_id),
                                  int(r.source_id))
    return out


def link_incremental(store, document_ids: Iterable[int]) -> LinkReport:
    """Link newly stored documents to the rest of the store (and to each other)."""
    import time

    started = time.monotonic()
    report = LinkReport()
    ids = sorted(set(int(i) for i in document_ids))
    with store.engine.begin() as conn:
        loaded = {i: load_document(conn, i) for i in ids}
        new_entities: list[tuple[int, EntityRef]] = []
        for doc_id, (doc, _, entity_ids) in loaded.items():
            geocode_document(doc)
            for ent, eid in zip(doc.entities, entity_ids, strict=True):
                if ent.geo is not None:
                    conn.execute(entities.update().where(entities.c.id == eid)
                                 .values(geo=ent.geo, canonical_id=ent.canonical_id))
            new_entities.extend((doc_id, r) for r in entity_refs(doc, doc.content_hash))
        ent_ids = _link_entities(conn, new_entities, report)
        new_events: list[tuple[int, int, EventRef]] = []
        for doc_id, (doc, source_ids, entity_ids) in loaded.items():
            for ent, eid in zip(doc.entities, entity_ids, strict=True):
                cid = ent_ids.get(entity_key(doc.content_hash, ent.name, ent.type))
                if cid:
                    ent.canonical_id = cid
                    conn.execute(entities.update().where(entities.c.id == eid)
                                 .values(canonical_id=cid))
            for index, (ev, source_id) in enumerate(zip(doc.events, source_ids, strict=True)):
                new_events.append((doc_id, source_id, event_ref(doc, doc.content_hash, index, ev)))
                _update_event_place(conn, source_id, ev)
        report.documents = len(loaded)
        report.events_merged = _link_events(conn, new_events, set(ids), report)
    report.seconds = time.monotonic() - started
    return report


def _update_event_place(conn: Connection, source_id: int, ev) -> None:
    loc = ev.location
    if loc is None or loc.lat is None:
        return
    event_id = conn.execute(select(event_sources.c.event_id)
                            .where(event_sources.c.id == source_id)).scalar_one()
    conn.execute(events.update().where(events.c.id == event_id, events.c.lat.is_(None))
                 .values(lat=loc.lat, lon=loc.lon, country=loc.country, admin1=loc.admin1))


def _link_events(conn: Connection, new: list[tuple[int, int, EventRef]], skip: set[int],
                 report: LinkReport) -> int:
    stored = _stored_events(conn, [r for _, _, r in new], skip)
    old = list(stored.values())
    refs = [r for r, _ in old] + [r for _, _, r in new]
    sources = [s for _, s in old] + [s for _, s, _ in new]
    n_old = len(old)
    keys = [event_keys(r, event_day(r), party_key(r)) for r in refs]
    pairs = candidate_pairs(keys, [i >= n_old for i in range(len(refs))])
    report.candidates_compared += len(pairs)
    cids = cluster_events(refs, pairs)
    for (doc_id, source_id, ref) in new:
        conn.execute(link_event_refs.insert().values(
            source_id=source_id, document_id=doc_id, day_ord=event_day(ref),
            party_key=party_key(ref), country=ref.country, ref=event_ref_to_json(ref),
            canonical_id=cids[ref.key]))
    report.event_refs += len(new)
    clusters: dict[str, list[int]] = defaultdict(list)
    for i, ref in enumerate(refs):
        clusters[cids[ref.key]].append(i)
    merged = 0
    for cid, members in sorted(clusters.items()):
        if not any(m >= n_old for m in members):
            continue  # only stored refs: nothing changed for them
        old_ids = {refs[m].canonical_id for m in members if m < n_old} - {cid, None}
        if old_ids:  # stored clusters joined: their other stored sources follow
            conn.execute(link_event_refs.update()
                         .where(link_event_refs.c.canonical_id.in_(sorted(old_ids)))
                         .values(canonical_id=cid))
        merged += consolidate(conn, cid, [sources[m] for m in members], sorted(old_ids))
    return merged
