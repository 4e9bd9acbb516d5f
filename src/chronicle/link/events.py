"""Event linking: the same happening reported by several documents becomes one canonical event.

Blocking (a pair is compared only if): the types overlap (``type`` or ``also_type``), the
documents differ, the dates are compatible (within ``DATE_WINDOW_DAYS`` when both are known; an
event without a date is placed at its article's publication date with a wider window) and the
countries do not contradict each other.

Agreement (a pair is merged when): the participants agree — recipients must agree when both
name one (same linked entity, or person/organisation names that match); with no recipient on
either side the actors must agree — and the score of the agreeing details (actor, mode, date,
place, charge, penalty, evidence wording) reaches ``MERGE_SCORE``. Disagreeing details (one source
says 15 years, another 10) lower the score but never block: both values are kept by the store.

Events of one document are never merged together. Pairs are decided independently and applied
in a fixed order (best score first, then content-derived keys): order of arrival does not matter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz

from chronicle.link.entities import canonical_for
from chronicle.link.names import org_name, person_name, same_org_name, same_person_name
from chronicle.link.textnorm import fold
from chronicle.link.unionfind import UnionFind

DATE_WINDOW_DAYS = 7  # two known dates of one happening (arrest vs. court ruling)
APPROX_WINDOW_DAYS = 21  # when a date is only the article's publication date
MERGE_SCORE = 2.0
PHYSICAL_TYPES = frozenset({"COERCE", "ASSAULT", "PROTEST", "MOBILIZE", "SANCTION", "RETREAT",
                            "AID"})
_WORD = re.compile(r"[a-z]{4,}")
_FUNCTION = frozenset({"the", "of", "and", "for", "in", "de", "al"})


@dataclass
class EventRef:
    """One document's event, as the linker compares it."""

    key: str  # document hash + event index
    doc: str
    types: frozenset[str]
    mode: str | None
    actor: str | None
    recipient: str | None
    actor_ids: frozenset[str]  # canonical ids of the entities the actor names
    recipient_ids: frozenset[str]
    day: date | None  # the event's own date, resolved against the publication year
    month: tuple[int, int] | None  # (year, month) when only that is known
    approx_day: date | None  # publication date, used when the event has none
    country: str | None
    place: str | None
    charge: str | None
    max_penalty: float | None
    evidence: str
    evidence_ids: frozenset[str] = frozenset()  # people the evidence sentence names
    canonical_id: str | None = None  # set when already linked (store)


def parse_date(
    value: str | None, published: str | None
) -> tuple[date | None, tuple[int, int] | None]:
    """(day, (year, month)) of an ISO date, possibly partial ("--04-17", "2023-09")."""
    if not value:
        return None, None
    pub_year = int(published[:4]) if published and published[:4].isdigit() else None
    m = re.match(r"^(?:(\d{4})|--)-?(\d{2})?(?:-(\d{2}))?", value)
    if not m:
        return None, None
    year = int(m.group(1)) if m.group(1) else pub_year
    month = int(m.group(2)) if m.group(2) else None
    day = int(m.group(3)) if m.group(3) else None
    if year is None or month is None:
        return None, None
    try:
        return (date(year, month, day) if day else None), (year, month)
    except ValueError:
        return None, (year, month)


def publication_day(published: str | None) -> date | None:
    """The publication date of an article as a ``date``."""
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def _dates_compatible(a: EventRef, b: EventRef) -> tuple[bool, bool]:
    """(compatible, equal) for two events' dates."""
    if a.day and b.day:
        gap = abs((a.day - b.day).days)
        return gap <= DATE_WINDOW_DAYS, gap == 0
    if a.month and b.month:
        months = abs((a.month[0] * 12 + a.month[1]) - (b.month[0] * 12 + b.month[1]))
        return months <= 1, False
    da = a.day or a.approx_day
    db = b.day or b.approx_day
    if da and db:
        return abs((da - db).days) <= APPROX_WINDOW_DAYS, False
    return True, False


def _names_agree(x: str, y: str) -> bool:
    if fold(x) == fold(y) and fold(x):
        return True
    if same_person_name(x, y):
        return True
    ox, oy = org_name(x), org_name(y)
    if ox is not None and oy is not None and (ox.generic or oy.generic):
        return ox.key == oy.key and (not ox.country or not oy.country or ox.country == oy.country)
    return same_org_name(x, y)


def is_proper_name(text: str) -> bool:
    """True for a name ("Natalia Serekina", "Russian House"), False for a description
    ("Ukrainian forces", "a man who fought in Ukraine")."""
    words = [w for w in re.split(r"[\s/]+", text.strip()) if w and w.lower() not in _FUNCTION]
    return bool(words) and all(w[0].isupper() or w[0].isdigit() for w in words)


def descriptor_country(text: str) -> str | None:
    """The country a description names first ("the Ukrainian forces" -> UA)."""
    from chronicle.link.gazetteer import demonym_country

    for word in re.findall(r"[A-Z][\w.]*", text):
        found = demonym_country(re.sub(r"['’]s$", "", word))
        if found:
            return found
    return None


def _party_agree(ids_a: frozenset[str], ids_b: frozenset[str], a: str | None,
                 b: str | None) -> tuple[float, bool] | None:
    """(strength, named) of two parties' agreement; strength 0 = disagreement; ``None`` when
    a side names no party or the two cannot be compared. ``named``: both are proper names."""
    if not a or not b:
        return None
    if ids_a & ids_b:
        return 1.0, True
    named_a, named_b = bool(ids_a) or is_proper_name(a), bool(ids_b) or is_proper_name(b)
    if named_a and named_b:
        return (1.0 if _names_agree(a, b) else 0.0), True
    ca, cb = descriptor_country(a), descriptor_country(b)
    if not named_a and not named_b and ca and cb:
        return (0.5 if ca == cb else 0.0), False
    return None


def _is_person(text: str | None) -> bool:
    parsed = person_name(text) if text else None
    return parsed is not None and bool(parsed.given) and is_proper_name(text or "")


def _words(text: str) -> set[str]:
    return set(_WORD.findall(fold(text)))


def is_physical(a: EventRef, b: EventRef) -> bool:
    """True when the events are physical happenings, which have one place. A statement
    (ACCUSE, REQUEST...) is placed inconsistently by reports: its country does not block."""
    return bool((a.types | b.types) & PHYSICAL_TYPES)


def pair_score(a: EventRef, b: EventRef) -> float | None:
    """The agreement score of two events, ``None`` when they cannot be one happening."""
    if a.doc == b.doc or not (a.types & b.types):
        return None
    compatible, same_day = _dates_compatible(a, b)
    if not compatible:
        return None
    if a.country and b.country and a.country != b.country and is_physical(a, b):
        return None  # an arrest in Kyrgyzstan is not an arrest in Russia
    recipient = _party_agree(a.recipient_ids, b.recipient_ids, a.recipient, b.recipient)
    actor = _party_agree(a.actor_ids, b.actor_ids, a.actor, b.actor)
    if recipient is not None and recipient[0] == 0.0:
        return None  # two different targets: two happenings
    if actor is not None and actor[0] == 0.0 and _is_person(a.actor) and _is_person(b.actor):
        return None  # two different named people acting
    shared_people = bool(a.evidence_ids & b.evidence_ids)
    named = (recipient is not None and recipient[1]) or (actor is not None and actor[0] > 0
                                                          and actor[1]) or shared_people
    if not named:
        return None  # agreement on descriptions alone ("Kyrgyz authorities") is too weak
    score = 3.0 * recipient[0] if recipient else 0.0
    if actor is not None:
        score += 2.0 * actor[0] if actor[0] else -0.5
    if shared_people and not (recipient and recipient[1]):
        score += 2.0
    if a.mode and b.mode:
        score += 0.5 if a.mode == b.mode else -0.5
    if same_day:
        score += 1.0
    if a.place and b.place and a.place == b.place:
        score += 0.5
    elif a.country and b.country and a.country != b.country:
        score -= 0.5
    if a.charge and b.charge and fuzz.token_set_ratio(fold(a.charge), fold(b.charge)) >= 60:
        score += 0.5
    if a.max_penalty and b.max_penalty and abs(a.max_penalty - b.max_penalty) < 0.05:
        score += 0.3
    wa, wb = _words(a.evidence), _words(b.evidence)
    if wa and wb and len(wa & wb) / len(wa | wb) >= 0.3:
        score += 1.0
    return score


def cluster_events(refs: list[EventRef], candidates: Iterable[tuple[int, int]] | None = None,
                   ) -> dict[str, str]:
    """Cluster event refs; returns ref key -> canonical id. ``candidates`` limits the compared
    pairs (blocking); by default every pair. Existing canonical ids are kept (store)."""
    if candidates is None:
        candidates = [(i, j) for i in range(len(refs)) for j in range(i + 1, len(refs))]
    scored: list[tuple[float, str, str, int, int]] = []
    for i, j in candidates:
        score = pair_score(refs[i], refs[j])
        if score is not None and score >= MERGE_SCORE:
            ka, kb = sorted((refs[i].key, refs[j].key))
            scored.append((-score, ka, kb, i, j))
    scored.sort()
    uf = UnionFind(len(refs), [{r.doc} for r in refs])
    uf.union_same_ids([r.canonical_id for r in refs])
    for _, _, _, i, j in scored:
        # Two events of one document stay apart, even through a third document.
        uf.union_if_compatible(i, j, lambda x, y: not (x & y))
    out: dict[str, str] = {}
    for members in uf.groups().values():
        keys = [refs[m].key for m in members]
        existing = sorted(refs[m].canonical_id for m in members if refs[m].canonical_id)
        cid = existing[0] if existing else canonical_for(keys, "evt_")
        for key in keys:
            out[key] = cid
    return out
