"""Name patterns for the entity extractor: where a name starts and ends, and what it is.

Built from the word lists in ``data/entities/lexicon.json`` (so an analyst extends them without
touching code) plus two signals that generalise across outlets: capitalisation shape and the
link stage's gazetteer (``chronicle.link.gazetteer``). ``candidates`` returns every candidate
name span of a parsed body; ``chrome_tokens`` marks the lines (menus, credits, headlines) whose
names are not news.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from chronicle.extract import budget
from chronicle.extract.docindex import text_of

DATA = Path(__file__).parent / "data" / "entities"
QUOTES_OPEN = {"“", '"', "«", "„", "‘"}
QUOTES_CLOSE = {"”", '"', "»", "“", "’"}
POSS = {"'s", "’s", "'", "’"}
_SPACY_TYPES = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC", "FAC": "LOC"}
# Cities smaller than this are only accepted as places when their country is already in the
# article: many given names and surnames are also the names of small towns somewhere.
MIN_CITY_POPULATION = 100_000


@cache
def lexicon() -> dict[str, Any]:
    """The entity word lists, as sets (chrome patterns compiled)."""
    raw = json.loads((DATA / "lexicon.json").read_text(encoding="utf-8"))
    lex: dict[str, Any] = {k: set(v) for k, v in raw.items() if isinstance(v, list)}
    lex["chrome_line_patterns"] = [re.compile(p, re.I) for p in raw["chrome_line_patterns"]]
    lex["person_surname_endings"] = tuple(raw["person_surname_endings"])
    lex["org_word_endings"] = tuple(raw["org_word_endings"])
    return lex


@cache
def demonyms() -> frozenset[str]:
    """Adjectives/ethnonyms that are not also place names ("Kyrgyz", "Chechen"): not entities."""
    try:
        from chronicle.link.textnorm import data_lines, fold
    except ImportError:  # the link stage is optional for extraction
        return frozenset()
    return frozenset(fold(row[0]) for row in data_lines("demonyms.tsv") if len(row) == 2)


@lru_cache(maxsize=65536)  # pure (the gazetteer does not change); asked for every capitalised word
def place_of(name: str, countries: frozenset[str] = frozenset()) -> Any:
    """The gazetteer entry for ``name`` if it is convincingly a place, else ``None``."""
    try:
        from chronicle.link.gazetteer import geocode
    except ImportError:
        return None
    place = geocode(name)
    if place is None:
        return None
    # A one-word name must look like the place found: the gazetteer's transliteration keys let
    # "Kostanay" find "Qostanay" (fine) but also "Part" find "Perth".
    found = _fold(place.name)
    if " " not in name.strip() and max(
        fuzz.ratio(_fold(name), w) for w in [found, *found.replace("-", " ").split()]
    ) < 75:
        return None
    if place.feature == "city" and place.population < MIN_CITY_POPULATION:
        return place if place.country in countries else None
    return place


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def is_demonym(text: str) -> bool:
    """ "Kyrgyz", "Chechen", "Kazakhs": a people or adjective, not a place or organisation. The
    link stage's demonym table also lists some region names, so a word the gazetteer resolves
    to a place of that very name ("Chechnya") is not a demonym."""
    key = text.lower().replace("’", "'")
    if key not in demonyms():
        if not (key.endswith("s") and key[:-1] in demonyms()):
            return False
        key = key[:-1]
    place = place_of(text)
    return place is None or place.name.lower() != key


def is_cap(tok: Any) -> bool:
    """A token that can be part of a proper name: a capitalised word ("Kazakh", "McDonald") or
    an acronym; not "The", not "U.S.-funded"."""
    t = tok.text
    if not t or not t[0].isupper() or tok.pos_ in {"DET", "PRON", "CCONJ", "ADP", "AUX"}:
        return False
    return tok.is_title or tok.is_upper or tok.pos_ == "PROPN"


def joined(sdoc: Any, k: int) -> bool:
    """Token ``k`` is a hyphen or slash written without spaces between two capitalised words."""
    return (0 < k < len(sdoc) - 1 and sdoc[k].text in {"-", "/"} and not sdoc[k].whitespace_
            and not sdoc[k - 1].whitespace_ and is_cap(sdoc[k - 1]) and is_cap(sdoc[k + 1]))


def chrome_tokens(sdoc: Any) -> set[int]:
    """Token indices on lines that are site chrome or headlines, where names are not news."""
    lex = lexicon()
    bad: set[int] = set()
    offset = 0
    for line in text_of(sdoc).split("\n"):
        start, end = offset, offset + len(line)
        offset = end + 1
        words = re.findall(r"[^\W\d_][\w’'-]*", line)
        if not words:
            continue
        stripped = line.strip()
        chrome = any(p.search(stripped) for p in lex["chrome_line_patterns"])
        long_words = [w for w in words if len(w) > 3]
        headline = (
            len(words) >= 4
            and not stripped.endswith((".", "”", '"', "?", "!", ":", ";"))
            and sum(w[0].isupper() for w in long_words) >= 0.75 * max(len(long_words), 1)
        )
        # Short lines without sentence punctuation are menus, bylines and credits.
        short = len(words) < 5 and not stripped.endswith((".", "?", "!", "”", '"'))
        if chrome or headline or short:
            span = sdoc.char_span(start, end, alignment_mode="expand")
            if span is not None:
                bad.update(range(span.start, span.end))
    return bad


def _org_scan(sdoc: Any, i: int) -> tuple[int, int, str] | None:
    """An organisation name around the head word at token ``i`` ("National Security Committee
    of Kazakhstan", "Osh Mayor’s Office", "Moscow Foundation “Kazakh Diaspora”"), as
    (start, end, source) token bounds, or ``None``."""
    lex = lexicon()
    tok = sdoc[i]
    low = tok.lower_
    if low not in lex["org_heads"]:
        return None
    if tok.is_upper and low in lex["org_context_nouns"] and not (i > 0 and is_cap(sdoc[i - 1])):
        return None  # "the NGO Ostrovok": NGO describes the name that follows
    if not is_cap(tok):
        quoted = i + 1 < len(sdoc) and sdoc[i + 1].text in QUOTES_OPEN
        if i + 1 < len(sdoc) and sdoc[i + 1].text in lex["org_context_nouns"]:
            return None  # "TASS news agency": the name is "TASS" alone
        # "Ak Zhol party", "the party “New People”", not "Russian news agency".
        if low not in lex["org_generic_trailing"] or i == 0 or not (quoted or is_cap(sdoc[i - 1])):
            return None
        prev = sdoc[i - 1].text
        if not quoted and (is_demonym(prev) or prev.lower() in lex["ignore_names"]
                           or place_of(prev) is not None):
            return None
    start = i
    while start > 0:
        prev = sdoc[start - 1]
        if is_cap(prev) and prev.lower_ not in lex["ignore_words"] and not prev.is_stop:
            start -= 1  # but not "Several Committee members", "Many ... Church priests"
        elif joined(sdoc, start - 1):
            start -= 2  # "Karachay-Cherkess", "RFE/RL"
        elif (prev.text in POSS and start >= 2 and is_cap(sdoc[start - 2])
              and sdoc[start - 2].ent_type_ not in {"GPE", "LOC"}
              and place_of(sdoc[start - 2].text) is None):
            start -= 2  # "Osh Mayor’s Office", but not "Russia’s Defense Ministry"
        else:
            break
    end = i + 1
    source = "org-head"
    # Quoted name after the head: Foundation “Kazakh Diaspora”.
    if end < len(sdoc) and sdoc[end].text in QUOTES_OPEN:
        j = end + 1
        while j < len(sdoc) and j - end < 10 and sdoc[j].text not in QUOTES_CLOSE:
            j += 1
        inner = [t for t in sdoc[end + 1 : j] if t.is_alpha]
        if j < len(sdoc) and inner and is_cap(inner[0]):
            if not is_cap(tok):  # "Internet agency ‘Caucasian Knot’": the name is the quoted part
                return end + 1, j, "org-quoted"
            return start, j + 1, "org-quoted"
    # Right extension: "of Kazakhstan", "for National Security", "Gazeta Europe".
    in_pp = False
    while end < len(sdoc):
        nxt = sdoc[end]
        if nxt.lower_ in lex["org_connectors"] and end + 1 < len(sdoc) and is_cap(sdoc[end + 1]):
            if nxt.lower_ == "and" and not in_pp:
                break
            in_pp = in_pp or nxt.lower_ != "and"
            end += 1
        elif (is_cap(nxt) and nxt.pos_ == "PROPN" and nxt.lower_ not in lex["ignore_words"]
              and nxt.lower_ not in lex["given_names"]
              and not (nxt.ent_iob_ == "B" and nxt.ent_type_ == "PERSON")):
            end += 1
        else:
            break
    if start == i and end == i + 1:
        return None  # a bare head word ("Court") is not a name
    return start, end, source


def _prefix_scan(sdoc: Any, i: int) -> tuple[int, int, str] | None:
    """Head-first names: "Ministry of Defence", "Radio Azattyk", "University of Chicago"."""
    lex = lexicon()
    tok = sdoc[i]
    if tok.lower_ not in lex["org_prefixes"] or not is_cap(tok) or i + 1 >= len(sdoc):
        return None
    end = i + 1
    if sdoc[end].lower_ in {"of", "for"}:
        end += 1
    k = end
    while k < len(sdoc) and (is_cap(sdoc[k]) or (sdoc[k].text == "/" and k + 1 < len(sdoc)
                                              and is_cap(sdoc[k + 1]))):
        k += 1
    if k == end or (tok.lower_ != "radio" and end == i + 1):
        return None
    return i, k, "org-prefix"


def _place_scan(sdoc: Any, i: int) -> tuple[int, int, str] | None:
    """ "Kostanay Region", "Naryn region", "Chechen republic", "Kulinsky District"."""
    tok = sdoc[i]
    if tok.lower_ not in lexicon()["place_suffixes"] or i == 0:
        return None
    start = i
    while start > 0 and i - start < 4:
        if is_cap(sdoc[start - 1]) and not sdoc[start - 1].is_stop:
            start -= 1
        elif joined(sdoc, start - 1):
            start -= 2
        else:
            break
    if start == i:
        return None
    # "the Chechen republic" names a place; "a former Soviet republic" and "the North Caucasus
    # republic of Dagestan" do not: lower-case suffixes need the gazetteer.
    if tok.text.islower() and (
        (i + 1 < len(sdoc) and sdoc[i + 1].lower_ == "of")
        or place_of(sdoc[start : i + 1].text) is None
    ):
        return None
    return start, i + 1, "place-suffix"


def _person_scan(sdoc: Any, i: int) -> tuple[int, int, str] | None:
    """A run of capitalised proper nouns starting at ``i`` shaped like a person's name: a given
    name first ("Natalia ..."), or a surname ending (-ov, -enko ...) last. Leading places and
    nationalities are not part of it ("in Kazakhstan Azat Peruashev")."""
    lex = lexicon()
    if not (is_cap(sdoc[i]) and sdoc[i].pos_ == "PROPN") or (i > 0 and is_cap(sdoc[i - 1])):
        return None
    end = i
    while end < len(sdoc) and end - i < 4 and is_cap(sdoc[end]) and sdoc[end].pos_ == "PROPN":
        end += 1
    while i < end - 1 and (is_demonym(sdoc[i].text) or (sdoc[i].lower_ not in lex["given_names"]
                                                         and place_of(sdoc[i].text) is not None)):
        i += 1
    if end - i > 3:
        return None
    first, last = sdoc[i].lower_, sdoc[end - 1].lower_
    if end - i >= 2 and first in lex["given_names"]:
        return i, end, "person-given"
    if (last.endswith(lex["person_surname_endings"]) and len(last) >= 5
            and last not in lex["not_surnames"] and place_of(sdoc[i:end].text) is None):
        # A two-word run ending in a surname is a full name, as sure as a known given name.
        return i, end, "person-given" if end - i == 2 else "person-surname"
    return None


PRIORITY = {"org-quoted": 6, "org-head": 5, "org-prefix": 5, "place-suffix": 5,
             "person-given": 4, "spacy": 3, "person-surname": 2, "gazetteer": 1}
_LABEL = {"org-quoted": "ORG", "org-head": "ORG", "org-prefix": "ORG", "place-suffix": "GPE",
          "person-given": "PERSON", "person-surname": "PERSON", "gazetteer": "GPE"}


def candidates(sdoc: Any) -> list[tuple[int, int, str, str]]:
    """All candidate (start, end, label, source) token spans, before overlap resolution."""
    cands = [(e.start, e.end, _SPACY_TYPES[e.label_], "spacy") for e in sdoc.ents
             if e.label_ in _SPACY_TYPES]
    for i in range(len(sdoc)):
        if i % 64 == 0 and budget.over():
            break  # the time budget is spent: names found so far only
        for scan in (_org_scan, _prefix_scan, _place_scan, _person_scan):
            found = scan(sdoc, i)
            if found:
                cands.append((found[0], found[1], _LABEL[found[2]], found[2]))
    return cands
