"""Comparing names across documents: people by given name + surname, organisations by key.

People: a name is split into given names and a surname, both reduced to transliteration keys
(``textnorm.translit_key``). Surnames agree when their keys are equal or close (Jaro-Winkler on
the keys, which tolerates a swapped letter: Sekerina/Serekina). Given names must not disagree:
"Adam Kadyrov" is never "Ramzan Kadyrov"; an initial agrees with a name that starts with it.

Organisations: a name is folded, rewritten by ``data/org_synonyms.tsv`` ("Ministry of Defence" ->
"defense ministry", "Mayor's Office" -> "city hall"), a leading country adjective is split off
("Russian Defence Ministry" -> RU + "defense ministry"), and the rest reduced to a token key. A
name made only of generic words (``data/org_generic.txt``) does not identify one body by itself:
the linker then also requires the articles' countries to agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from rapidfuzz.distance import JaroWinkler

from chronicle.link.textnorm import data_lines, fold, translit_key

SURNAME_SIMILARITY = 0.9  # Jaro-Winkler on transliteration keys
GIVEN_SIMILARITY = 0.9
_POSSESSIVE = re.compile(r"'s?$")


@cache
def _titles() -> frozenset[str]:
    return frozenset(row[0].strip() for row in data_lines("name_titles.txt"))


@cache
def generic_words() -> frozenset[str]:
    """Transliteration keys of the words that alone identify no organisation."""
    return frozenset(translit_key(row[0].strip()) for row in data_lines("org_generic.txt"))


@cache
def _org_rules() -> tuple[tuple[re.Pattern[str], str], ...]:
    rows = data_lines("org_synonyms.tsv")
    return tuple((re.compile(row[0]), row[1] if len(row) > 1 else "") for row in rows)


@dataclass(frozen=True)
class PersonName:
    """Transliteration keys of a person's given names and surname."""

    given: tuple[str, ...]
    surname: str

    @property
    def first(self) -> str:
        return self.given[0] if self.given else ""


@lru_cache(maxsize=65536)
def person_name(name: str) -> PersonName | None:
    """Split a person's name; ``None`` when nothing name-like is left."""
    tokens = [_POSSESSIVE.sub("", t) for t in fold(name).replace("-", "_").split()]
    tokens = [t for t in tokens if t and t not in _titles()]
    if not tokens:
        return None
    keys = [translit_key(t.replace("_", "-")) for t in tokens]
    return PersonName(tuple(keys[:-1]), keys[-1])


def surname_similarity(a: PersonName, b: PersonName) -> float:
    """1.0 for equal surname keys, else Jaro-Winkler similarity of the keys."""
    if a.surname == b.surname:
        return 1.0
    return JaroWinkler.normalized_similarity(a.surname, b.surname)


def given_agreement(a: PersonName, b: PersonName) -> bool | None:
    """True/False when both give a first name (or initial), None when one does not."""
    fa, fb = a.first, b.first
    if not fa or not fb:
        return None
    if len(fa) == 1 or len(fb) == 1:
        return fa[0] == fb[0]
    return fa == fb or JaroWinkler.normalized_similarity(fa, fb) >= GIVEN_SIMILARITY


def same_person_name(a: str, b: str, *, need_given: bool = False) -> bool:
    """True when two surface forms may name one person (surname close, given names agree;
    with ``need_given`` both must give a first name or initial)."""
    pa, pb = person_name(a), person_name(b)
    if pa is None or pb is None or surname_similarity(pa, pb) < SURNAME_SIMILARITY:
        return False
    given = given_agreement(pa, pb)
    return bool(given) if need_given else given is not False


@dataclass(frozen=True)
class OrgName:
    """An organisation's comparison key: its words (country adjective split off)."""

    tokens: tuple[str, ...]
    country: str | None
    acronym: str

    @property
    def key(self) -> str:
        return " ".join(self.tokens)

    @property
    def generic(self) -> bool:
        """True when every word is generic ("defense ministry", "investigative committee")."""
        return all(t in generic_words() for t in self.tokens)


@lru_cache(maxsize=65536)
def org_name(name: str) -> OrgName | None:
    """The :class:`OrgName` of a surface form; ``None`` when it is empty."""
    from chronicle.link.gazetteer import demonym_country  # the gazetteer loads lazily

    text = fold(name)
    for pattern, repl in _org_rules():
        text = pattern.sub(repl, text)
    words = [w for w in text.replace("'", "").split() if w not in {"of", "the", "and", "for"}]
    if not words:
        return None
    tokens = tuple(translit_key(w) for w in words)
    country = None
    # A leading country adjective qualifies a generic body ("Russian Defence Ministry"); in a
    # proper name it is part of the name ("Kazakh Diaspora").
    if len(tokens) > 1 and all(t in generic_words() for t in tokens[1:]):
        country = demonym_country(words[0])
        if country:
            tokens = tokens[1:]
    skip = {"of", "the", "for", "and"}
    acronym = "".join(w[0] for w in fold(name).replace("/", " ").split() if w not in skip)
    return OrgName(tokens, country, acronym)


def _compact(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(name))


def same_org_name(a: str, b: str) -> bool:
    """True when two surface forms may name one organisation (countries aside: the caller checks
    them for generic names)."""
    oa, ob = org_name(a), org_name(b)
    if oa is None or ob is None:
        return False
    if oa.country and ob.country and oa.country != ob.country:
        return False
    if oa.key == ob.key:
        # "House" alone is not "Russian House": a one-word generic name needs the same country.
        return not (len(oa.tokens) == 1 and oa.generic) or oa.country == ob.country
    # An acronym of the other's full name: RFE/RL = Radio Free Europe/Radio Liberty.
    for short, long_ in ((a, ob), (b, oa)):
        compact = _compact(short)
        if 3 <= len(compact) <= 8 and compact == long_.acronym and len(long_.tokens) >= 3:
            return True
    small, large = sorted((set(oa.tokens), set(ob.tokens)), key=len)
    # One name contained in the other: "Kazakh Diaspora" in "Moscow Foundation Kazakh Diaspora".
    return len(small) >= 2 and small < large and not small <= generic_words()
