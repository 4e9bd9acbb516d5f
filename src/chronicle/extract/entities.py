"""Entities: people, organisations and places from spaCy NER (placeholder, to be refined)."""

from __future__ import annotations

from chronicle.model import Document, Entity

_TYPES = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "GPE", "NORP": None}


def extract_entities(doc: Document) -> Document:
    seen: dict[tuple[str, str], Entity] = {}
    for ent in doc.nlp_doc.ents:
        etype = _TYPES.get(ent.label_)
        if not etype:
            continue
        key = (ent.text, etype)
        if key not in seen:
            seen[key] = Entity(name=ent.text, type=etype)
        seen[key].mentions.append(doc.raw_span(ent.start_char, ent.end_char))
    doc.entities = list(seen.values())
    return doc
