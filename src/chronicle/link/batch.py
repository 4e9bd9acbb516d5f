"""In-memory cross-document linking of a list of processed Documents.

``link_documents`` geocodes every document, links its people and organisations to corpus-wide
records, then links its events; it writes ``Entity.canonical_id``, ``Entity.geo``,
``Event.canonical_id`` and the event locations' coordinates in place. The store's incremental
linking (``chronicle.link.store``) builds the same refs from stored rows.
"""

from __future__ import annotations

import re

from chronicle.link.entities import (
    LINKED_TYPES,
    EntityRef,
    cluster_refs,
    entity_key,
    merge_within_document,
)
from chronicle.link.events import EventRef, cluster_events, parse_date, publication_day
from chronicle.link.geo import context_names, document_countries, geocode_document
from chronicle.link.names import person_name, same_person_name
from chronicle.link.textnorm import fold
from chronicle.model import Document, Entity, Event


def entity_refs(doc: Document, doc_key: str) -> list[EntityRef]:
    """The PERSON/ORG refs of one geocoded document (before within-document merging)."""
    countries = document_countries(doc)
    context = context_names(doc)
    refs: dict[str, EntityRef] = {}
    for ent in doc.entities:
        if ent.type not in LINKED_TYPES or not fold(ent.name):
            continue
        key = entity_key(doc_key, ent.name, ent.type)
        if key in refs:  # one name listed twice: one ref
            continue
        refs[key] = EntityRef(
            key=key, doc=doc_key, type=ent.type, name=ent.name, aliases=tuple(ent.aliases),
            role=ent.role, context=frozenset(context.get(ent.name, ())), countries=countries,
        )
    return merge_within_document(list(refs.values()))


_DETERMINERS = frozenset({"the", "a", "an", "its", "his", "her", "their", "former", "then"})


def _stems(text: str) -> set[str]:
    return {w[:5] for w in re.findall(r"[a-z]+", fold(text)) if w not in _DETERMINERS
            and len(w) > 2}


def role_holder(party: str, entities: list[Entity]) -> Entity | None:
    """The one person of the document whose stated role a description names ("the Chechen
    leader" -> the person whose role is "leader of the Russian republic of Chechnya")."""
    words = _stems(party)
    if not words or not party.strip().lower().startswith(("the ", "a ")):
        return None
    holders = [e for e in entities
               if e.type == "PERSON" and e.role and words <= _stems(e.role)]
    return holders[0] if len(holders) == 1 else None


def party_entities(party: str | None, entities: list[Entity]) -> list[Entity]:
    """The document's entities that an event's actor/recipient string names (by name, alias,
    or a description of the role of exactly one person)."""
    if not party or not fold(party):
        return []
    holder = role_holder(party, entities)
    if holder is not None:
        return [holder]
    key = fold(party)
    found = []
    for ent in entities:
        if ent.type not in LINKED_TYPES:
            continue
        forms = [fold(n) for n in (ent.name, *ent.aliases) if fold(n)]
        named = key in forms or any(len(f) > 3 and (f in key or key in f) for f in forms)
        if named or (ent.type == "PERSON" and same_person_name(party, ent.name)):
            found.append(ent)
    return found


def event_ref(doc: Document, doc_key: str, index: int, ev: Event) -> EventRef:
    """The ref of one document's event (entity canonical ids must be set already)."""
    day, month = parse_date(ev.date, doc.published)
    loc = ev.location
    types = {ev.type}
    if ev.also_type:
        types.add(ev.also_type.split("/")[0])

    def ids(party: str | None) -> frozenset[str]:
        return frozenset(e.canonical_id for e in party_entities(party, doc.entities)
                         if e.canonical_id)

    place = None
    if loc and loc.lat is not None and loc.lon is not None:
        place = f"{round(loc.lat, 2)},{round(loc.lon, 2)}"
    return EventRef(
        key=f"{doc_key[:16]}:{index:04d}", doc=doc_key, types=frozenset(types), mode=ev.mode,
        actor=ev.actor, recipient=ev.recipient, actor_ids=ids(ev.actor),
        recipient_ids=ids(ev.recipient), day=day, month=month,
        approx_day=publication_day(doc.published), country=loc.country if loc else None,
        place=place, charge=ev.charge, max_penalty=ev.max_penalty_years, evidence=ev.evidence,
        evidence_ids=evidence_people(ev.evidence, doc.entities),
    )


def evidence_people(evidence: str, entities: list[Entity]) -> frozenset[str]:
    """Canonical ids of the people whose surname the evidence sentence contains."""
    words = set(re.findall(r"\w+", fold(evidence)))
    found = set()
    for ent in entities:
        if ent.type != "PERSON" or not ent.canonical_id:
            continue
        for form in (ent.name, *ent.aliases):
            parsed = person_name(form)
            if parsed is not None and len(parsed.surname) > 2 and fold(form).split()[-1] in words:
                found.add(ent.canonical_id)
    return frozenset(found)


def link_documents(docs: list[Document]) -> None:
    """Link ``docs`` to each other in place: geocoding, entity and event canonical ids.

    The result does not depend on the order of ``docs``.
    """
    keyed = sorted(((d.content_hash, d) for d in docs), key=lambda p: p[0])
    refs: list[EntityRef] = []
    for key, doc in keyed:
        geocode_document(doc)
        refs.extend(entity_refs(doc, key))
    ids = cluster_refs(refs)
    for key, doc in keyed:
        for ent in doc.entities:
            if ent.type in LINKED_TYPES:
                ent.canonical_id = ids.get(entity_key(key, ent.name, ent.type))
    event_refs: list[EventRef] = []
    events: list[Event] = []
    for key, doc in keyed:
        for index, ev in enumerate(doc.events):
            event_refs.append(event_ref(doc, key, index, ev))
            events.append(ev)
    cids = cluster_events(event_refs)
    for ref, ev in zip(event_refs, events, strict=True):
        ev.canonical_id = cids[ref.key]

