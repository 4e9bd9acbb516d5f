"""Entities: named people (PERSON), organisations (ORG) and places (GPE) of one article.

spaCy's small English model finds most names but is weak exactly where this domain needs it:
transliterated Russian and Central Asian names, one-word agency and outlet names, "X Region",
organisations with quoted names, places it calls ORG. So mentions come from three sources,
resolved by priority (longer and more specific wins where they overlap):

1. name patterns built from the word lists in ``data/entities/lexicon.json``: organisation heads
   ("... Committee", "... District Court of ...", "Radio ...", "Foundation “...”"), place
   suffixes ("... Region", "... republic"), given names ("Natalia ...");
2. spaCy's NER (PERSON, ORG, GPE, LOC, FAC; NORP is not an entity here);
3. gap fillers: unlabelled proper nouns with a surname shape (-ov, -enko...) or that the link
   stage's gazetteer knows as a place.

Each mention is then typed by evidence (an outlet noun before it, a reporting verb, a person-name
shape, the gazetteer), filtered (site chrome, headlines, demonyms, social platforms) and merged
within the document (``resolve.merge_mentions``). Roles come from ``roles.assign_roles``.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from chronicle.extract.resolve import Mention, merge_mentions, normalise_name
from chronicle.model import Document

DATA = Path(__file__).parent / "data" / "entities"
_QUOTES_OPEN = {"“", '"', "«", "„", "‘"}
_QUOTES_CLOSE = {"”", '"', "»", "“", "’"}
_POSS = {"'s", "’s", "'", "’"}
_SPACY_TYPES = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC", "FAC": "LOC"}
# Cities smaller than this are only accepted as places when their country is already in the
# article: many given names and surnames are also the names of small towns somewhere.
_MIN_CITY_POPULATION = 100_000


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
def _demonyms() -> frozenset[str]:
    """Adjectives/ethnonyms that are not also place names ("Kyrgyz", "Chechen"): not entities."""
    try:
        from chronicle.link.textnorm import data_lines, fold
    except ImportError:  # the link stage is optional for extraction
        return frozenset()
    return frozenset(fold(row[0]) for row in data_lines("demonyms.tsv") if len(row) == 2)


def _place(name: str, countries: frozenset[str] = frozenset()) -> Any:
    """The gazetteer entry for ``name`` if it is convincingly a place, else ``None``."""
    try:
        from chronicle.link.gazetteer import geocode
    except ImportError:
        return None
    place = geocode(name)
    if place is None:
        return None
    if place.feature == "city" and place.population < _MIN_CITY_POPULATION:
        return place if place.country in countries else None
    return place


def _is_demonym(text: str) -> bool:
    """ "Kyrgyz", "Chechen", "Kazakhs": a people or adjective, not a place or organisation. The
    link stage's demonym table also lists some region names, so a word the gazetteer resolves
    to a place of that very name ("Chechnya") is not a demonym."""
    key = text.lower().replace("’", "'")
    if key not in _demonyms():
        if not (key.endswith("s") and key[:-1] in _demonyms()):
            return False
        key = key[:-1]
    place = _place(text)
    return place is None or place.name.lower() != key


def _cap(tok: Any) -> bool:
    """A token that can be part of a proper name: a capitalised word ("Kazakh", "McDonald") or
    an acronym; not "The", not "U.S.-funded"."""
    t = tok.text
    if not t or not t[0].isupper() or tok.pos_ in {"DET", "PRON", "CCONJ", "ADP", "AUX"}:
        return False
    return tok.is_title or tok.is_upper or tok.pos_ == "PROPN"


def _joined(sdoc: Any, k: int) -> bool:
    """Token ``k`` is a hyphen or slash written without spaces between two capitalised words."""
    return (0 < k < len(sdoc) - 1 and sdoc[k].text in {"-", "/"} and not sdoc[k].whitespace_
            and not sdoc[k - 1].whitespace_ and _cap(sdoc[k - 1]) and _cap(sdoc[k + 1]))


def _chrome_tokens(sdoc: Any) -> set[int]:
    """Token indices on lines that are site chrome or headlines, where names are not news."""
    lex = lexicon()
    bad: set[int] = set()
    offset = 0
    for line in sdoc.text.split("\n"):
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
    if not _cap(tok):
        # "Ak Zhol party", but not "Russian news agency" or "Telegram channel".
        if low not in lex["org_generic_trailing"] or i == 0 or not _cap(sdoc[i - 1]):
            return None
        prev = sdoc[i - 1].text
        if _is_demonym(prev) or prev.lower() in lex["ignore_names"] or _place(prev) is not None:
            return None
    start = i
    while start > 0:
        prev = sdoc[start - 1]
        if _cap(prev) and prev.lower_ not in lex["ignore_words"]:
            start -= 1
        elif _joined(sdoc, start - 1):
            start -= 2  # "Karachay-Cherkess", "RFE/RL"
        elif (prev.text in _POSS and start >= 2 and _cap(sdoc[start - 2])
              and sdoc[start - 2].ent_type_ not in {"GPE", "LOC"}
              and _place(sdoc[start - 2].text) is None):
            start -= 2  # "Osh Mayor’s Office", but not "Russia’s Defense Ministry"
        else:
            break
    end = i + 1
    source = "org-head"
    # Quoted name after the head: Foundation “Kazakh Diaspora”.
    if end < len(sdoc) and sdoc[end].text in _QUOTES_OPEN:
        j = end + 1
        while j < len(sdoc) and j - end < 10 and sdoc[j].text not in _QUOTES_CLOSE:
            j += 1
        inner = [t for t in sdoc[end + 1 : j] if t.is_alpha]
        if j < len(sdoc) and inner and _cap(inner[0]):
            if not _cap(tok):  # "Internet agency ‘Caucasian Knot’": the name is the quoted part
                return end + 1, j, "org-quoted"
            return start, j + 1, "org-quoted"
    # Right extension: "of Kazakhstan", "for National Security", "Gazeta Europe".
    in_pp = False
    while end < len(sdoc):
        nxt = sdoc[end]
        if nxt.lower_ in lex["org_connectors"] and end + 1 < len(sdoc) and _cap(sdoc[end + 1]):
            if nxt.lower_ == "and" and not in_pp:
                break
            in_pp = in_pp or nxt.lower_ != "and"
            end += 1
        elif (_cap(nxt) and nxt.pos_ == "PROPN" and nxt.lower_ not in lex["ignore_words"]
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
    if tok.lower_ not in lex["org_prefixes"] or not _cap(tok) or i + 1 >= len(sdoc):
        return None
    end = i + 1
    if sdoc[end].lower_ in {"of", "for"}:
        end += 1
    k = end
    while k < len(sdoc) and (_cap(sdoc[k]) or (sdoc[k].text == "/" and k + 1 < len(sdoc)
                                              and _cap(sdoc[k + 1]))):
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
        if _cap(sdoc[start - 1]):
            start -= 1
        elif _joined(sdoc, start - 1):
            start -= 2
        else:
            break
    if start == i:
        return None
    # "the Chechen republic" names a place; "a former Soviet republic" and "the North Caucasus
    # republic of Dagestan" do not: lower-case suffixes need the gazetteer.
    if tok.text.islower() and (
        (i + 1 < len(sdoc) and sdoc[i + 1].lower_ == "of")
        or _place(sdoc[start : i + 1].text) is None
    ):
        return None
    return start, i + 1, "place-suffix"


def _person_scan(sdoc: Any, i: int) -> tuple[int, int, str] | None:
    """A run of capitalised proper nouns starting at ``i`` shaped like a person's name."""
    lex = lexicon()
    if not (_cap(sdoc[i]) and sdoc[i].pos_ == "PROPN") or (i > 0 and _cap(sdoc[i - 1])):
        return None
    end = i
    while end < len(sdoc) and end - i < 3 and _cap(sdoc[end]) and sdoc[end].pos_ == "PROPN":
        end += 1
    first, last = sdoc[i].lower_, sdoc[end - 1].lower_
    if end - i >= 2 and first in lex["given_names"]:
        return i, end, "person-given"
    if last.endswith(lex["person_surname_endings"]) and len(last) >= 5:
        return i, end, "person-surname"
    return None


_PRIORITY = {"org-quoted": 6, "org-head": 5, "org-prefix": 5, "place-suffix": 5,
             "person-given": 4, "spacy": 3, "person-surname": 2, "gazetteer": 1}
_LABEL = {"org-quoted": "ORG", "org-head": "ORG", "org-prefix": "ORG", "place-suffix": "GPE",
          "person-given": "PERSON", "person-surname": "PERSON", "gazetteer": "GPE"}


def _candidates(sdoc: Any) -> list[tuple[int, int, str, str]]:
    """All candidate (start, end, label, source) token spans, before overlap resolution."""
    cands = [(e.start, e.end, _SPACY_TYPES[e.label_], "spacy") for e in sdoc.ents
             if e.label_ in _SPACY_TYPES]
    for i in range(len(sdoc)):
        for scan in (_org_scan, _prefix_scan, _place_scan, _person_scan):
            found = scan(sdoc, i)
            if found:
                cands.append((found[0], found[1], _LABEL[found[2]], found[2]))
    return cands


def _resolve_overlaps(cands: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    ranked = sorted(cands, key=lambda c: (-_PRIORITY[c[3]], -(c[1] - c[0]), c[0]))
    taken: set[int] = set()
    chosen = []
    for c in ranked:
        if taken.isdisjoint(range(c[0], c[1])):
            chosen.append(c)
            taken.update(range(c[0], c[1]))
    return sorted(chosen)


def _trim(sdoc: Any, start: int, end: int) -> tuple[int, int]:
    """Leading lower-case (or sentence-initial) "the", trailing possessive and punctuation off;
    cut at a line break."""
    while end > start and (
        sdoc[end - 1].text in _POSS
        or (sdoc[end - 1].is_punct and sdoc[end - 1].text not in _QUOTES_CLOSE | {")"})
        or (sdoc[end - 1].text.islower() and sdoc[end - 1].pos_ in {"ADP", "CCONJ", "DET"})
    ):
        end -= 1  # "Dzhamalov’s", "Dzhamalov on"
    # "in The Hague" / "by The Moscow Times": a capital "The" mid-sentence is part of the name.
    if (end > start and sdoc[start].lower_ == "the"
            and not (sdoc[start].text == "The" and not sdoc[start].is_sent_start)):
        start += 1
    for k in range(start, end):
        if "\n" in sdoc[k].text or (k > start and "\n" in sdoc[k - 1].whitespace_):
            return start, k
    return start, end


def _signals(sdoc: Any, start: int, end: int) -> set[str]:
    """Evidence about a mention's type from its context in the parse."""
    lex = lexicon()
    out: set[str] = set()
    span = sdoc[start:end]
    last = span[-1]
    # "the independent news outlet Vyorstka", "the Russian news agency Interfax".
    if start >= 1 and sdoc[start - 1].text in lex["org_context_nouns"]:
        out.add("org-noun")
    if (start >= 2 and sdoc[start - 1].lower_ in {"called", "named"}
            and sdoc[start - 2].lower_ in lex["org_context_nouns"]):
        out.add("org-noun")  # "an NGO called ..."
    # Wire datelines: "BISHKEK (Reuters) -", "ASTANA, (KAZINFORM) -" name the outlet.
    if (start >= 2 and end < len(sdoc) and sdoc[start - 1].text == "(" and sdoc[end].text == ")"
            and sdoc[start - 2 if sdoc[start - 2].text != "," else max(start - 3, 0)].is_upper):
        out.add("org-noun")
    root = span.root
    if root.dep_ in {"nsubj", "nsubjpass"} and root.head.lemma_ in lex["org_reporting_verbs"]:
        out.add("org-weak")
    if root.dep_ == "poss" and root.head.lemma_ in {"report", "publication", "website"}:
        out.add("org-weak")
    if len(span) == 1 and last.lower_.endswith(lex["org_word_endings"]) and len(last) > 7:
        out.add("org-noun")
    return out


def _spacy_tail(sdoc: Any, start: int, end: int) -> int:
    """Start of the name inside a spaCy span that swallowed a description: "Internet agency
    ‘Caucasian Knot’" -> "Caucasian Knot" (the capitalised run after the last lower-case word)."""
    lex = lexicon()
    for k in range(end - 1, start - 1, -1):
        t = sdoc[k]
        if t.is_alpha and t.text.islower() and t.lower_ not in lex["org_connectors"] | {"the"}:
            if t.lower_ in lex["place_suffixes"] | lex["org_generic_trailing"] and k == end - 1:
                continue  # "Naryn region", "Ak Zhol party"
            return k + 1 if t.lower_ in lex["org_context_nouns"] else -1
    return start


def _mentions(doc: Document) -> list[Mention]:
    """Typed, filtered mentions of the parsed body, in text order."""
    sdoc = doc.nlp_doc
    lex = lexicon()
    chrome = _chrome_tokens(sdoc)
    out: list[Mention] = []
    for start, end, label, source in _resolve_overlaps(_candidates(sdoc)):
        start, end = _trim(sdoc, start, end)
        if source == "spacy":
            start = _spacy_tail(sdoc, start, end)
            if start < 0:
                continue  # "Kazakh diaspora": a lower-case word inside is not a name
            while start < end and sdoc[start].text in _QUOTES_OPEN:
                start += 1
        if end <= start or not chrome.isdisjoint(range(start, end)):
            continue
        span = sdoc[start:end]
        # Foundation “Kazakh Diaspora,” -> Foundation “Kazakh Diaspora”
        text = re.sub(r"\s*[,.;:]+(?=[”\"»]$)", "", span.text)
        if sum(text.count(q) for q in "“”\"«»") % 2:
            text = text.strip("‘’“”\"«» ")  # an unbalanced quote is not part of the name
        words = [t for t in span if t.is_alpha]
        if not words or not any(t.text[0].isupper() for t in words):
            continue
        if normalise_name(text) in lex["ignore_names"] or (
            len(words) == 1 and words[0].lower_ in lex["ignore_words"] | lex["org_heads"]
        ):
            continue
        if (len(words) == 1 or label != "PERSON") and _is_demonym(text):
            continue
        if end < len(sdoc) and sdoc[end].text == ":" and (start == 0 or "\n" in sdoc[start - 1].text
                                                          or "\n" in sdoc[start - 1].whitespace_):
            continue  # a section label: "Background: ..."
        out.append(Mention(start=span.start_char, end=span.start_char + len(text), text=text,
                           label=label, source=source, signals=_signals(sdoc, start, end),
                           token_start=start, token_end=end))
    _fill_places(sdoc, out, chrome)
    return sorted(out, key=lambda m: m.start)


def _fill_places(sdoc: Any, found: list[Mention], chrome: set[int]) -> None:
    """Add proper nouns spaCy left unlabelled that the gazetteer knows ("Kursk and Penza
    regions"), and type spaCy LOC/FAC mentions: places if the gazetteer knows them, else drop."""
    covered = {i for m in found for i in range(m.token_start, m.token_end)}
    countries = frozenset(
        p.country for m in found if m.label == "GPE" and (p := _place(m.text)) is not None
    )
    person_words = {w for m in found if m.label == "PERSON" and " " in m.text
                    for w in m.text.split()}
    for m in list(found):
        place = _place(m.text, countries) if m.source == "spacy" else None
        if m.label == "LOC":
            if place is None and m.source == "spacy":
                found.remove(m)
            else:
                m.label = "GPE"
        elif m.label == "ORG" and place is not None and not m.signals and not any(
            w.lower() in lexicon()["org_heads"] for w in m.text.split()
        ):
            m.label = "GPE"  # spaCy calls "Crimea" and "Bucha" organisations
        elif (m.label == "PERSON" and place is not None and " " not in m.text
              and m.text not in person_words and m.text.lower() not in lexicon()["given_names"]
              and (place.feature != "city" or place.population >= _MIN_CITY_POPULATION)):
            m.label = "GPE"  # "a visit to Grozny"
    for tok in sdoc:
        if (tok.i in covered or tok.i in chrome or tok.pos_ not in {"PROPN", "NOUN"}
                or not _cap(tok) or not tok.is_alpha
                or (tok.i > 0 and _cap(sdoc[tok.i - 1]) and tok.i - 1 not in covered)
                or (tok.i + 1 < len(sdoc) and (_cap(sdoc[tok.i + 1]) or sdoc[tok.i + 1].like_num))
                or tok.lower_ in lexicon()["given_names"] | lexicon()["ignore_names"]
                or _is_demonym(tok.text)):
            continue
        acronym = tok.text.isupper() and len(tok.text) <= 5
        end = tok.i + 1
        while acronym and _joined(sdoc, end) and sdoc[end + 1].is_upper:
            end += 2  # "RFE/RL"
        if not acronym and tok.pos_ == "PROPN" and _place(tok.text, countries) is not None:
            label, source = "GPE", "gazetteer"
        elif acronym and len(tok.text) >= 2 and _place(tok.text) is None:
            label, source = "ORG", "acronym"  # "CSTO": unlabelled acronyms are organisations
        else:
            continue
        span = sdoc[tok.i:end]
        covered.update(range(tok.i, end))
        found.append(Mention(start=span.start_char, end=span.end_char, text=span.text,
                             label=label, source=source, signals=set(),
                             token_start=tok.i, token_end=end))


def extract_entities(doc: Document) -> Document:
    """Fill ``doc.entities`` (with mentions in raw coordinates and roles) from ``doc.nlp_doc``."""
    if doc.nlp_doc is None:
        doc.entities = []
        return doc
    from chronicle.extract.roles import assign_roles

    groups = merge_mentions(_mentions(doc), lexicon(), doc.nlp_doc.text)
    doc.entities = [g.to_entity(doc) for g in groups]
    assign_roles(doc, groups)
    return doc
