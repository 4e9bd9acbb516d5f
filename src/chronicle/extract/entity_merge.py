"""Merging entity mentions within one document: which surface forms name the same entity.

"Dzhamalov" is "Polat Dzhamalov" (a person's first or last name), "(RFE/RL)" after "Radio Free
Europe/Radio Liberty" is its alias (and so is an acronym of its initials), "Azattyk" is "Radio
Azattyk" (the tail of a fuller name), "Kazakh Diaspora" is Foundation “Kazakh Diaspora” (its
quoted name), "Kostanay" is "Kostanay Region", "Chechen Republic" is "Chechnya" (the same
gazetteer place, or the same word stem), and "X, better known as Y" is one entity. The type of
each surface form is voted from its mentions' labels and context signals.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from chronicle.extract.resolve import normalise_name
from chronicle.model import Document, Entity


@dataclass
class Mention:
    """One name occurrence in the body: body character offsets, the typed label, where it came
    from (``source``: "spacy", "org-head", "person-given"...) and context evidence
    (``signals``: "org-noun", "org-weak")."""

    start: int
    end: int
    text: str
    label: str
    source: str = "spacy"
    signals: set[str] = field(default_factory=set)
    token_start: int = 0
    token_end: int = 0

    @property
    def key(self) -> str:
        return normalise_name(self.text)


@dataclass
class MentionGroup:
    """The mentions of one entity, before it becomes a :class:`~chronicle.model.Entity`."""

    label: str
    mentions: list[Mention]
    role: str | None = None
    role_span: tuple[int, int] | None = None  # body offsets

    def _memo(self, what: str, make: Any) -> Any:
        # mentions are only ever added (``_absorb``): their count tells whether a value is stale
        memo = self.__dict__.setdefault("_cached", {})
        key = (what, len(self.mentions))
        if key not in memo:
            memo[key] = make()
        return memo[key]

    def forms(self) -> list[str]:
        """Distinct surface forms, first occurrence first."""
        return list(self._memo("forms", self._forms))

    def _forms(self) -> tuple[str, ...]:
        seen: dict[str, str] = {}
        for m in sorted(self.mentions, key=lambda m: m.start):
            seen.setdefault(m.key, m.text)
        return tuple(seen.values())

    def key_set(self) -> set[str]:
        return set(self._memo("keys", lambda: frozenset(m.key for m in self.mentions)))

    @property
    def name(self) -> str:
        """The fullest form: most words, then longest; a form in capitals only as last resort."""
        return self._memo("name", lambda: max(
            self._memo("forms", self._forms),
            key=lambda f: (not f.isupper(), len(f.split()), len(f))))

    def to_entity(self, doc: Document) -> Entity:
        name = self.name
        aliases = [f for f in self.forms() if f != name]
        ent = Entity(name=name, type=self.label, aliases=aliases)
        ent.mentions = [doc.raw_span(m.start, m.end) for m in sorted(self.mentions,
                                                                      key=lambda m: m.start)]
        return ent


_STRONG = {"org-quoted": 3, "org-head": 3, "org-prefix": 3, "place-suffix": 3,
           "person-given": 3, "spacy": 1, "person-surname": 1, "gazetteer": 1, "acronym": 1,
           "org-noun": 3}


def _vote(mentions: list[Mention], person_tokens: set[str]) -> str:
    """The type of one surface form from all its mentions' labels and context signals."""
    if any("org-noun" in m.signals for m in mentions):
        return "ORG"
    if any("place-noun" in m.signals for m in mentions):
        return "GPE"
    votes: Counter[str] = Counter()
    for m in mentions:
        votes[m.label] += _STRONG.get(m.source, 1)
        if "org-weak" in m.signals and m.key not in person_tokens:
            votes["ORG"] += 1.5
    return votes.most_common(1)[0][0]


def _acronym(text: str) -> str:
    return re.sub(r"[^A-Z]", "", text)


def _initials(name: str, connectors: set[str]) -> str:
    words = re.findall(r"[A-Za-z]+", name)
    return "".join(w[0] for w in words if w.lower() not in connectors and w[0].isupper())


def _absorb(groups: list[MentionGroup], small: MentionGroup, big: MentionGroup) -> None:
    big.mentions.extend(small.mentions)
    groups.remove(small)


def _org_core_forms(group: MentionGroup, lex: dict[str, Any]) -> set[str]:
    """Forms an organisation is also known by: its quoted name (Foundation “Kazakh Diaspora”),
    itself without a generic trailing noun ("Ak Zhol party" -> "ak zhol")."""
    out = set(group.key_set())
    for m in group.mentions:
        quoted = re.search(r"[“\"«](.+?)[”\"»]", m.text)
        if quoted:
            out.add(normalise_name(quoted.group(1).strip(" ,")))
        words = m.key.split()
        if len(words) > 1 and words[-1] in lex["org_generic_trailing"]:
            out.add(" ".join(words[:-1]))
    return out


def merge_mentions(
    mentions: list[Mention], lex: dict[str, Any], body: str = ""
) -> list[MentionGroup]:
    """Group mentions into entities. ``lex`` is the entity lexicon (connectors, place suffixes,
    generic organisation nouns); ``body`` lets "(ACRONYM)" after a name become its alias."""
    person_tokens = {w for m in mentions if m.label == "PERSON" and " " in m.key
                     for w in m.key.split()}
    by_key: dict[str, list[Mention]] = {}
    for m in mentions:
        by_key.setdefault(m.key, []).append(m)
    groups = [MentionGroup(_vote(ms, person_tokens), ms) for ms in by_key.values()]
    _merge_known_as(groups, body)
    _merge_people(groups)
    _merge_orgs(groups, lex, body)
    _merge_places(groups, lex)
    return sorted(groups, key=lambda g: min(m.start for m in g.mentions))


_KNOWN_AS = re.compile(
    r"^(?:\s+(?:in|of)\s+[A-Z][\w-]+)?\s*(?:,\s*)?(?:also\s+|better\s+|locally\s+|widely\s+"
    r"|commonly\s+|formerly\s+|previously\s+)?(?:known|referred to)\s+(?:locally\s+)?as\s+"
    r"(?:the\s+)?[“\"«]?$", re.IGNORECASE)


def _merge_known_as(groups: list[MentionGroup], body: str) -> None:
    """ "the Russian Center for Science and Culture, better known as the Russian House": one
    entity under two names."""
    owner = {id(m): g for g in groups for m in g.mentions}
    alive = {id(g) for g in groups}
    ordered = sorted((m for g in groups for m in g.mentions), key=lambda m: m.start)
    # labels do not change here, so "the nearest earlier mention of the same type" is the
    # previous one of that label in text order
    last: dict[str, Mention] = {}
    for second in ordered:
        label = owner[id(second)].label
        # The nearest earlier mention of the same type: "X in Bishkek, better known as Y".
        first = last.get(label)
        last[label] = second
        if first is None:
            continue
        a, b = owner[id(first)], owner[id(second)]
        if a is b or id(a) not in alive or id(b) not in alive:
            continue
        if _KNOWN_AS.match(body[first.end : second.start]):
            _absorb(groups, b, a)
            alive.discard(id(b))
            for m in b.mentions:
                owner[id(m)] = a


def _merge_people(groups: list[MentionGroup]) -> None:
    """A one-word name that is the first or last word of exactly one fuller person's name."""
    people = [g for g in groups if g.label == "PERSON" and " " in g.name]
    is_person = {id(p) for p in people}
    # people by the first and last words of their names (people are never absorbed here, and
    # what they absorb are one-word names they already answer to)
    by_word: defaultdict[str, list[int]] = defaultdict(list)
    for n, p in enumerate(people):
        for k in p.key_set():
            words = k.split()
            for w in {words[0], words[-1]} if words else ():
                by_word[w].append(n)
    for g in list(groups):
        if " " in g.name or id(g) in is_person or any("org-noun" in m.signals for m in g.mentions):
            continue
        if g.label != "PERSON" and any(m.source != "spacy" for m in g.mentions):
            continue
        word = normalise_name(g.name)
        hosts = [people[n] for n in sorted(set(by_word.get(word, ())))]
        if hosts:
            host = max(hosts, key=lambda p: (len(p.mentions), -min(m.start for m in p.mentions)))
            _absorb(groups, g, host)


class _Groups:
    """The groups of one merging pass with their order at its start, which are still there,
    and look-ups by name key (kept current as groups absorb others and change name)."""

    def __init__(self, groups: list[MentionGroup], lex: dict[str, Any]) -> None:
        self.groups, self.lex = groups, lex
        self.order = {id(g): n for n, g in enumerate(groups)}
        self.by_order = list(groups)
        self.alive = set(self.order)
        self.by_key: defaultdict[str, set[int]] = defaultdict(set)
        self.by_acronym: defaultdict[str, set[int]] = defaultdict(set)
        self.by_core: defaultdict[str, set[int]] = defaultdict(set)
        for g in groups:
            self.index(g)

    def index(self, g: MentionGroup) -> None:
        n = self.order[id(g)]
        name = g.name
        self.by_key[normalise_name(name)].add(n)
        if name.isupper():
            self.by_acronym[_acronym(name)].add(n)
        if g.label == "ORG":
            for form in _core_forms(g, self.lex):
                self.by_core[form].add(n)

    def absorb(self, small: MentionGroup, big: MentionGroup) -> None:
        _absorb(self.groups, small, big)
        self.alive.discard(id(small))
        self.index(big)  # its name and forms may have grown

    def lookup(self, table: dict[str, set[int]], keys: Any) -> set[int]:
        return {n for k in keys for n in table.get(k, ())}


def _core_forms(group: MentionGroup, lex: dict[str, Any]) -> frozenset[str]:
    return group._memo("core", lambda: frozenset(_org_core_forms(group, lex)))


def _word_tails(keys: Any) -> set[str]:
    """Every ``t`` with ``k.endswith(" " + t)`` for a key ``k``: its last words."""
    return {k[j + 1 :] for k in keys for j, c in enumerate(k) if c == " "}


def _merge_orgs(groups: list[MentionGroup], lex: dict[str, Any], body: str) -> None:
    """Acronyms, names contained in a fuller organisation name, quoted names.

    Each organisation, longest name first, absorbs the groups (in their order) that are a tail
    of one of its names, its acronym, or one of its core forms. Candidates come from look-ups by
    name instead of a scan of every group; a group that becomes a tail only through a name just
    absorbed is still tried if it comes later in the order, as in the scan."""
    connectors = set(lex["org_connectors"]) | {"the"}
    orgs = sorted([g for g in groups if g.label == "ORG"], key=lambda g: -len(g.name))
    live = _Groups(groups, lex)
    for big in orgs:
        if id(big) not in live.alive:
            continue
        core = _core_forms(big, lex)
        initials = _initials(big.name, connectors)
        paren = set()
        for m in big.mentions:
            after = re.match(r"\s*\(([A-Z][A-Za-z/&.-]{1,11})\)", body[m.end:m.end + 16])
            if after:
                paren.add(normalise_name(after.group(1)))
        todo = (live.lookup(live.by_key, _word_tails(big.key_set()) | core | paren)
                | live.by_acronym.get(initials, set()) | live.lookup(live.by_core, core))
        todo = {n for n in todo if id(live.by_order[n]) in live.alive}
        heap = sorted(todo)
        tried: set[int] = set()
        while heap:
            n = heapq.heappop(heap)
            small = live.by_order[n]
            if n in tried or small is big or id(small) not in live.alive:
                continue
            tried.add(n)
            if _org_absorbs(big, small, core, initials, paren, lex):
                new_keys = small.key_set() - big.key_set()
                live.absorb(small, big)
                # names only now a tail of ``big``'s: tried if still ahead in the order
                for later in live.lookup(live.by_key, _word_tails(new_keys)):
                    if later > n and later not in tried:
                        heapq.heappush(heap, later)


def _org_absorbs(big: MentionGroup, small: MentionGroup, core: frozenset[str], initials: str,
                 paren: set[str], lex: dict[str, Any]) -> bool:  # fmt: skip
    if len(small.name) >= len(big.name) and small.label == "ORG":
        return False
    key = normalise_name(small.name)
    tail = any(k.endswith(" " + key) for k in big.key_set()) and small.label == "ORG"
    acro = small.name.isupper() and len(_acronym(small.name)) >= 2 and (
        key in paren or _acronym(small.name) == initials)
    inner = key in core and small.label in {"ORG", "PERSON"}
    stripped = _core_forms(small, lex) & core and small.label == "ORG"
    generic = key in lex["org_heads"] or key in lex["org_generic_trailing"]
    return bool((tail or acro or inner or stripped) and not generic)


def _same_stem(a: str, b: str) -> bool:
    """ "chechen" ~ "chechnya", "karachay-cherkess" ~ "karachay-cherkessia": one word each,
    sharing a prefix of at least five letters and 70% of the shorter."""
    if " " in a or " " in b:
        return False
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n >= 5 and n >= 0.7 * min(len(a), len(b))


def _merge_places(groups: list[MentionGroup], lex: dict[str, Any]) -> None:
    """ "Kostanay" is "Kostanay Region"; "Chechen Republic" is "Chechnya" (same gazetteer place)."""
    try:
        from chronicle.link.gazetteer import geocode
    except ImportError:
        geocode = None
    places = [g for g in groups if g.label == "GPE"]
    order = {id(g): n for n, g in enumerate(places)}
    alive = {id(g) for g in groups}
    # places (by their order) under their name key, the first five letters of a one-word key
    # (``_same_stem`` needs five in common) and the gazetteer place their name finds
    by_key: defaultdict[str, set[int]] = defaultdict(set)
    by_prefix: defaultdict[str, set[int]] = defaultdict(set)
    by_place: defaultdict[tuple[Any, Any], set[int]] = defaultdict(set)

    def index(n: int) -> None:
        key = normalise_name(places[n].name)
        by_key[key].add(n)
        if " " not in key and len(key) >= 5:
            by_prefix[key[:5]].add(n)
        found = geocode(places[n].name) if geocode else None
        if found is not None:
            by_place[found.name, found.country].add(n)

    for n in range(len(places)):
        index(n)
    for big in sorted(places, key=lambda g: -len(g.name)):
        if id(big) not in alive:
            continue
        words = normalise_name(big.name).split()
        suffixed = len(words) > 1 and words[-1] in lex["place_suffixes"]
        stem = " ".join(words[:-1]) if suffixed else None
        where = geocode(big.name) if geocode else None
        near: set[int] = set()
        if stem is not None:
            near |= by_key.get(stem, set()) | by_prefix.get(stem[:5], set())
        if where is not None and where.feature != "city":
            near |= by_place.get((where.name, where.country), set())
        for k in sorted(near):
            small = places[k]
            if small is big or id(small) not in alive:
                continue
            other_key = normalise_name(small.name)
            same = stem is not None and (other_key == stem or _same_stem(stem, other_key))
            if not same and where is not None and where.feature != "city":
                other = geocode(small.name)
                same = other is not None and (other.name, other.country) == (
                    where.name, where.country)
            if same:
                _absorb(groups, small, big)
                alive.discard(id(small))
                index(order[id(big)])
