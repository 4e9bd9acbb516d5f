"""Entity linking: one record per person or organisation across documents.

Unit of comparison: an :class:`EntityRef`, one PERSON/ORG entity of one document with its
aliases, role and the document's context (the places and organisations it names, its countries).
Within a document a surname-only person ("Sekerina") joins the one full name with that surname.

Across documents two refs merge when:

- people: surnames agree (equal or close transliteration keys) and first names agree; when one
  side gives no first name, or the surnames are only close (not equal), the documents must also
  share context (co-occurring places/organisations, or the linker's event evidence). Different
  first names never merge, and a cluster never gathers two disagreeing first names (so a bare
  "Kadyrov" cannot bridge Ramzan and Adam);
- organisations: equal keys, acronym of the other's name, or one name inside the other
  (``names.same_org_name``); a generic name ("Defence Ministry") also needs a common country.

Pairs are decided independently and merged in a fixed order (by content-derived keys), so the
clusters do not depend on the order documents arrive in.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from chronicle.link.names import (
    PersonName,
    given_agreement,
    org_name,
    person_name,
    same_org_name,
    surname_similarity,
)
from chronicle.link.textnorm import fold
from chronicle.link.unionfind import UnionFind

LINKED_TYPES = frozenset({"PERSON", "ORG"})
MIN_SHARED_CONTEXT = 2  # co-occurring names two documents must share to back a weak name match


@dataclass
class EntityRef:
    """One document's person or organisation, as the linker compares it."""

    key: str  # stable: document hash + folded name + type
    doc: str  # document key (content hash)
    type: str
    name: str
    aliases: tuple[str, ...] = ()
    role: str | None = None
    context: frozenset[str] = frozenset()  # folded names of co-occurring places/organisations
    countries: frozenset[str] = frozenset()  # the document's countries
    canonical_id: str | None = None  # set when already linked (store)
    extra: set[str] = field(default_factory=set)  # members merged into it within its document

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def person(self) -> PersonName | None:
        """The most complete person name among the ref's forms."""
        parsed = [p for p in (person_name(n) for n in self.names) if p is not None]
        return max(parsed, key=lambda p: (len(p.given), len(p.surname)), default=None)


def entity_key(doc_key: str, name: str, type_: str) -> str:
    """The stable key of one document's entity."""
    return f"{doc_key[:16]}:{type_}:{fold(name)}"


def canonical_for(keys: Iterable[str], prefix: str) -> str:
    """A canonical id derived from the smallest member key: independent of arrival order."""
    return prefix + hashlib.sha1(min(keys).encode("utf-8")).hexdigest()[:12]


def _person_match(a: EntityRef, b: EntityRef, shared: int) -> bool:
    pa, pb = a.person(), b.person()
    if pa is None or pb is None:
        return False
    sim = surname_similarity(pa, pb)
    if sim < 0.9:
        return False
    given = given_agreement(pa, pb)
    if given is False:
        return False
    if given is None or sim < 1.0:
        return shared >= MIN_SHARED_CONTEXT
    return True


def _org_match(a: EntityRef, b: EntityRef) -> bool:
    for x in a.names:
        for y in b.names:
            if same_org_name(x, y):
                ox, oy = org_name(x), org_name(y)
                generic = (ox is not None and ox.generic) or (oy is not None and oy.generic)
                countries_a = {ox.country} if ox and ox.country else set(a.countries)
                countries_b = {oy.country} if oy and oy.country else set(b.countries)
                if generic and countries_a and countries_b and not countries_a & countries_b:
                    continue
                return True
    return False


def refs_match(a: EntityRef, b: EntityRef) -> bool:
    """True when two refs of different documents name the same person or organisation."""
    shared = len(a.context & b.context)
    if a.type == "PERSON" and b.type == "PERSON":
        return _person_match(a, b, shared)
    if a.type == "ORG" and b.type == "ORG":
        return _org_match(a, b)
    # Extraction may type one name differently in two articles: accept a full personal name
    # that agrees exactly, or an identical name backed by shared context.
    pa, pb = a.person(), b.person()
    if "PERSON" in (a.type, b.type) and pa and pb and pa.given and pb.given:
        return pa.surname == pb.surname and bool(given_agreement(pa, pb))
    return fold(a.name) == fold(b.name) and len(fold(a.name)) > 3 and shared >= 1


def merge_within_document(refs: list[EntityRef]) -> list[EntityRef]:
    """Fold a surname-only person into the single full name of the same document that carries
    that surname; returns the remaining refs (the absorbed keys are in ``extra``)."""
    people = [r for r in refs if r.type == "PERSON"]
    full = [(r, r.person()) for r in people]
    absorbed: set[str] = set()
    for ref, parsed in full:
        if parsed is None or parsed.given:
            continue
        owners = [
            other for other, op in full
            if other is not ref and op is not None and op.given
            and surname_similarity(op, parsed) >= 0.95
        ]
        if len(owners) == 1:
            owner = owners[0]
            owner.aliases = tuple(dict.fromkeys((*owner.aliases, ref.name, *ref.aliases)))
            owner.extra |= {ref.key, *ref.extra}
            absorbed.add(ref.key)
    return [r for r in refs if r.key not in absorbed]


def _firsts(ref: EntityRef) -> set[str]:
    parsed = ref.person() if ref.type == "PERSON" else None
    return {"first:" + parsed.first} if parsed is not None and parsed.first else set()


def cluster_refs(refs: list[EntityRef], candidates: Iterable[tuple[int, int]] | None = None,
                 ) -> dict[str, str]:
    """Cluster refs (indices into ``refs``); returns ref key (and absorbed keys) -> canonical id.

    ``candidates`` limits the compared pairs (blocking); by default every cross-document pair.
    A ref that already has a ``canonical_id`` keeps it for its whole cluster (stable ids in the
    store); otherwise the id derives from the cluster's smallest key.
    """
    order = sorted(range(len(refs)), key=lambda i: refs[i].key)
    rank = {i: n for n, i in enumerate(order)}
    if candidates is None:
        candidates = [(i, j) for n, i in enumerate(order) for j in order[n + 1:]]
    pairs = sorted({(min(i, j, key=rank.get), max(i, j, key=rank.get)) for i, j in candidates},
                   key=lambda p: (rank[p[0]], rank[p[1]]))
    uf = UnionFind(len(refs), [_firsts(r) | {"doc:" + r.doc} for r in refs])
    uf.union_same_ids([r.canonical_id for r in refs])
    for i, j in pairs:
        a, b = refs[i], refs[j]
        if a.doc == b.doc or uf.find(i) == uf.find(j):
            continue
        if refs_match(a, b):
            uf.union_if_compatible(i, j, _firsts_compatible)
    out: dict[str, str] = {}
    for members in uf.groups().values():
        keys = [k for m in members for k in (refs[m].key, *refs[m].extra)]
        existing = sorted(refs[m].canonical_id for m in members if refs[m].canonical_id)
        cid = existing[0] if existing else canonical_for(keys, "ent_")
        for key in keys:
            out[key] = cid
    return out


def _firsts_compatible(a: set[str], b: set[str]) -> bool:
    """No document twice in one cluster (two records of one article are two entities), and no
    two first names that disagree."""
    if {x for x in a if x.startswith("doc:")} & b:
        return False
    firsts_a = [x[6:] for x in a if x.startswith("first:")]
    firsts_b = [y[6:] for y in b if y.startswith("first:")]
    for x in firsts_a:
        for y in firsts_b:
            if not given_agreement(PersonName((x,), ""), PersonName((y,), "")):
                return False
    return True
