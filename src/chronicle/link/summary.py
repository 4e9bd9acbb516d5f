"""Read-side views of linking: one row per linked entity, and events whose sources disagree."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from chronicle.link.tables import events_disagreements
from chronicle.store.schema import documents, entities, entity_mentions, event_sources, events


@dataclass
class LinkedEntity:
    """One person or organisation across the corpus: every spelling, role, document, event."""

    canonical_id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    # Roles over time: each as its article stated it, dated by the article.
    roles: list[dict[str, Any]] = field(default_factory=list)
    documents: int = 0
    events: int = 0


def linked_entities(store, type_: str | None = None) -> list[LinkedEntity]:
    """Linked PERSON/ORG records, most documents first."""
    out: dict[str, LinkedEntity] = {}
    docs: dict[str, set[int]] = defaultdict(set)
    with store.engine.connect() as conn:
        stmt = (select(entities.c.canonical_id, entities.c.name, entities.c.type,
                       entities.c.aliases, entity_mentions.c.role, entity_mentions.c.document_id,
                       documents.c.published, documents.c.outlet)
                .join(entity_mentions, entity_mentions.c.entity_id == entities.c.id)
                .join(documents, documents.c.id == entity_mentions.c.document_id)
                .where(entities.c.canonical_id.is_not(None),
                       entities.c.type.in_([type_.upper()] if type_ else ["PERSON", "ORG"]))
                .order_by(entities.c.id))
        for r in conn.execute(stmt):
            rec = out.setdefault(r.canonical_id, LinkedEntity(r.canonical_id, r.name, r.type))
            for form in [r.name, *(r.aliases or [])]:
                if form != rec.name and form not in rec.aliases:
                    rec.aliases.append(form)
            dated = {"role": r.role, "date": r.published, "outlet": r.outlet}
            if r.role and dated not in rec.roles:
                rec.roles.append(dated)
            docs[r.canonical_id].add(int(r.document_id))
        names = {rec.canonical_id: {rec.name.casefold(), *(a.casefold() for a in rec.aliases)}
                 for rec in out.values()}
        counts: dict[str, set[int]] = defaultdict(set)
        by_name: dict[str, list[str]] = defaultdict(list)
        for cid, forms in names.items():
            for form in forms:
                by_name[form].append(cid)
        for r in conn.execute(select(events.c.id, events.c.actor, events.c.recipient)):
            for party in (r.actor, r.recipient):
                for cid in by_name.get((party or "").casefold(), []):
                    counts[cid].add(int(r.id))
    for cid, rec in out.items():
        # Shown under its most complete spelling ("Aleksandr Petrov", not "A. Petrov").
        forms = [rec.name, *rec.aliases]
        best = max(forms, key=lambda f: (len(f.split()), "." not in f, len(f)))
        rec.aliases = [f for f in forms if f != best]
        rec.name = best
        rec.roles.sort(key=lambda x: (x["date"] is None, x["date"] or ""))
        rec.documents = len(docs[cid])
        rec.events = len(counts[cid])
    return sorted(out.values(), key=lambda e: (-e.documents, -e.events, e.name))


def disagreeing_events(store) -> list[dict[str, Any]]:
    """Canonical events whose sources disagree, with every value and its outlet."""
    with store.engine.connect() as conn:
        n_sources = dict(conn.execute(select(event_sources.c.event_id, func.count())
                                      .group_by(event_sources.c.event_id)).all())
        rows = conn.execute(select(events_disagreements.c.id, events_disagreements.c.disagreements)
                            .where(events_disagreements.c.disagreements.is_not(None))
                            .order_by(events_disagreements.c.id))
        return [{"event_id": int(r.id), "sources": int(n_sources.get(r.id, 0)),
                 "disagreements": r.disagreements} for r in rows if r.disagreements]
