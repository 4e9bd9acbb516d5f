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

import re
from typing import Any

from chronicle.extract import budget
from chronicle.extract.docindex import text_of
from chronicle.extract.entity_merge import Mention, merge_mentions
from chronicle.extract.entity_patterns import (
    MIN_CITY_POPULATION,
    POSS,
    PRIORITY,
    QUOTES_CLOSE,
    QUOTES_OPEN,
    candidates,
    chrome_tokens,
    is_cap,
    is_demonym,
    joined,
    lexicon,
    place_of,
)
from chronicle.extract.resolve import normalise_name
from chronicle.model import Document, Entity, Span


def _resolve_overlaps(cands: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    ranked = sorted(cands, key=lambda c: (-PRIORITY[c[3]], -(c[1] - c[0]), c[0]))
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
        sdoc[end - 1].text in POSS
        or (sdoc[end - 1].is_punct and sdoc[end - 1].text not in QUOTES_CLOSE | {")"})
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
    return start, _extend_hyphen(sdoc, end)


def _extend_hyphen(sdoc: Any, end: int) -> int:
    """ "Rostov" + "-on-Don", "Kara" + "-Murza", "OVD" + "-Info", "Sibir" + ".Realii": names
    spaCy cut at a hyphen or dot written without spaces; but not "Riga" + "-based"."""
    while end + 1 < len(sdoc) and not sdoc[end - 1].whitespace_:
        nxt, after = sdoc[end], sdoc[end + 1]
        if (nxt.text in {"-", "."} and not nxt.whitespace_ and after.is_alpha
                and (after.text[0].isupper() or after.lower_ in {"on", "na", "upon", "media"})):
            end += 2
        elif re.fullmatch(r"\.[A-Za-z]\w+", nxt.text):
            end += 1
        else:
            break
    return end


def _drop_punct_before_quote(text: str) -> str:
    """ "Foundation “Kazakh Diaspora,”" -> "Foundation “Kazakh Diaspora”": what
    ``re.sub(r"\\s*[,.;:]+(?=[”\\"»]$)", "", text)`` does, in one pass from the end (the
    pattern rescanned long runs of spaces or commas from every position)."""
    close = len(text) - 1 if text[-1:] in _CLOSING else None
    if close is None and text.endswith("\n") and text[-2:-1] in _CLOSING and len(text) > 1:
        close = len(text) - 2  # "$" also matches before a final line break
    if close is None:
        return text
    start = close
    while start > 0 and text[start - 1] in ",.;:":
        start -= 1
    if start == close:
        return text
    while start > 0 and text[start - 1].isspace():
        start -= 1
    return text[:start] + text[close:]


_CLOSING = ("”", '"', "»")


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
    # "Meduza, a Riga-based news site": an apposition says what the name is.
    for child in span.root.children:
        if child.dep_ == "appos" and child.i >= end:
            if child.lemma_.lower() in lex["org_context_nouns"]:
                out.add("org-noun")
            elif child.lemma_.lower() in lex["place_context_nouns"]:
                out.add("place-noun")
    if (start >= 2 and sdoc[start - 2].lower_ == "according" and sdoc[start - 1].lower_ == "to"
            and len(span) == 1 and not _person_shaped(span.text)):
        out.add("org-weak")  # "according to Mediazona"
    # "the TASS news agency", "the Vlast outlet".
    nxt = sdoc[end : end + 2]
    if ((len(nxt) and nxt[0].text in lex["org_context_nouns"])
            or (len(nxt) == 2 and nxt[0].text == "news" and nxt[1].text in lex["org_context_nouns"])
            ) and place_of(span.text) is None:  # but "the Moscow foundation ..." is a place
        out.add("org-noun")
    # "the Ukrainian town of Bucha", "the republic of Dagestan".
    if (start >= 2 and sdoc[start - 1].lower_ == "of"
            and sdoc[start - 2].text in lex["place_context_nouns"]):
        out.add("place-noun")
    root = span.root
    if root.dep_ in {"nsubj", "nsubjpass"} and root.head.lemma_ in lex["org_reporting_verbs"]:
        out.add("org-weak")
    if root.dep_ == "poss" and root.head.lemma_ in {"report", "publication", "website"}:
        out.add("org-weak")
    if len(span) == 1 and last.lower_.endswith(lex["org_word_endings"]) and len(last) > 7:
        out.add("org-noun")
    return out


def _person_shaped(word: str) -> bool:
    """A single word that looks like a (Russian/Central Asian) surname or a given name."""
    lex = lexicon()
    low = word.lower()
    return low not in lex["not_surnames"] and (
        low in lex["given_names"]
        or (len(low) >= 5 and low.endswith(lex["person_surname_endings"])))


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
    chrome = chrome_tokens(sdoc)
    out: list[Mention] = []
    for start, end, label, source in _resolve_overlaps(candidates(sdoc)):
        if budget.over():
            break
        start, end = _trim(sdoc, start, end)
        if source == "spacy":
            start = _spacy_tail(sdoc, start, end)
            if start < 0:
                continue  # "Kazakh diaspora": a lower-case word inside is not a name
            if (end - start > 1 and sdoc[start].lower_ in lex["org_context_nouns"]
                    and not sdoc[start].is_title):
                start += 1  # "NGO Ostrovok"
            while start < end and sdoc[start].text in QUOTES_OPEN:
                start += 1
        if end <= start or not chrome.isdisjoint(range(start, end)):
            continue
        span = sdoc[start:end]
        # Foundation “Kazakh Diaspora,” -> Foundation “Kazakh Diaspora”
        text = _drop_punct_before_quote(span.text)
        if sum(text.count(q) for q in "“”\"«»") % 2:
            text = text.strip("‘’“”\"«» ")  # an unbalanced quote is not part of the name
        words = [t for t in span if any(c.isalpha() for c in t.text)]
        if not words or not any(t.text[0].isupper() for t in words):
            continue
        if normalise_name(text) in lex["ignore_names"] or (
            len(words) == 1 and words[0].lower_ in lex["ignore_words"] | lex["org_heads"]
        ):
            continue
        if (len(words) == 1 or label != "PERSON") and is_demonym(text):
            continue
        if end < len(sdoc) and sdoc[end].text == ":" and (start == 0 or "\n" in sdoc[start - 1].text
                                                          or "\n" in sdoc[start - 1].whitespace_):
            continue  # a section label: "Background: ..."
        out.append(Mention(start=span.start_char, end=span.start_char + len(text), text=text,
                           label=label, source=source, signals=_signals(sdoc, start, end),
                           token_start=start, token_end=end))
    _retype_and_fill(sdoc, out, chrome)
    return sorted(out, key=lambda m: m.start)


def _retype_and_fill(sdoc: Any, found: list[Mention], chrome: set[int]) -> None:
    """Correct spaCy's types with the gazetteer and name shapes (LOC/FAC kept only as known
    places, "Crimea" ORG -> GPE, lone surnames -> PERSON, "Grozny" PERSON -> GPE), then add
    proper nouns spaCy left unlabelled: places the gazetteer knows ("Kursk and Penza regions"),
    names after an organisation noun ("the group Memorial"), acronyms ("CSTO")."""
    covered = {i for m in found for i in range(m.token_start, m.token_end)}
    countries = frozenset(
        p.country for m in found if m.label == "GPE" and (p := place_of(m.text)) is not None
    )
    person_words = {w for m in found if m.label == "PERSON" and " " in m.text
                    for w in m.text.split()}
    lex = lexicon()
    org_named = {m.text for m in found if "org-noun" in m.signals}
    for m in list(found):
        place = place_of(m.text, countries) if m.source == "spacy" else None
        words = m.text.split()
        if all(w.lower() in lex["portfolio_words"] for w in words):
            found.remove(m)  # "Defense" of "Deputy Defense Minister"
        elif (m.source == "spacy" and m.label != "PERSON" and place is None and not m.signals
              and len(words) <= 2 and _person_shaped(words[-1])
              and not any(w.lower() in lex["org_heads"] for w in words)):
            m.label = "PERSON"  # spaCy calls lone surnames ("Usmonov's relatives") ORG or GPE
        elif m.label == "LOC":
            if place is not None or m.source != "spacy":
                m.label = "GPE"
            elif m.text in org_named:
                m.label = "ORG"  # "the news agency Asia-Plus" ... "told Asia-Plus"
            else:
                found.remove(m)
        elif m.label == "ORG" and place is not None and not m.signals and not any(
            w.lower() in lex["org_heads"] for w in words
        ):
            m.label = "GPE"  # spaCy calls "Crimea" and "Bucha" organisations
        elif (m.label == "PERSON" and place is not None and " " not in m.text
              and m.text not in person_words
              and (not _person_shaped(m.text) or sdoc[m.token_start - 1].lower_ in _LOCATIVE)
              and (place.feature != "city" or place.population >= MIN_CITY_POPULATION)):
            m.label = "GPE"  # "a visit to Grozny", "a court in Rostov"
    _names_after_org_nouns(sdoc, found, covered, chrome)
    for tok in sdoc:
        if tok.i % 64 == 0 and budget.over():
            break
        if (tok.i in covered or tok.i in chrome or tok.pos_ not in {"PROPN", "NOUN"}
                or not is_cap(tok) or not tok.is_alpha
                or (tok.i > 0 and is_cap(sdoc[tok.i - 1]) and tok.i - 1 not in covered)
                or (tok.i + 1 < len(sdoc) and (is_cap(sdoc[tok.i + 1]) or sdoc[tok.i + 1].like_num))
                or tok.lower_ in lex["given_names"] | lex["ignore_names"] | lex["org_heads"]
                or is_demonym(tok.text)):
            continue
        signals = _signals(sdoc, tok.i, tok.i + 1)
        org_word = len(tok.text) > 7 and tok.lower_.endswith(tuple(lex["org_word_endings"]))
        if ("org-noun" in signals or org_word) and not _person_shaped(tok.text):
            # "the rights group Memorial", "Meduza, a news site", "Roskomnadzor"
            covered.add(tok.i)
            found.append(Mention(start=tok.idx, end=tok.idx + len(tok.text), text=tok.text,
                                 label="ORG", source="org-noun", signals=signals | {"org-noun"},
                                 token_start=tok.i, token_end=tok.i + 1))
            continue
        acronym = tok.text.isupper() and len(tok.text) <= 5
        end = tok.i + 1
        while acronym and joined(sdoc, end) and sdoc[end + 1].is_upper:
            end += 2  # "RFE/RL"
        if not acronym and tok.pos_ == "PROPN" and place_of(tok.text, countries) is not None:
            label, source, end = "GPE", "gazetteer", _extend_hyphen(sdoc, tok.i + 1)
        elif acronym and len(tok.text) >= 2 and place_of(tok.text) is None:
            label, source = "ORG", "acronym"  # "CSTO": unlabelled acronyms are organisations
        else:
            continue
        span = sdoc[tok.i:end]
        covered.update(range(tok.i, end))
        found.append(Mention(start=span.start_char, end=span.end_char, text=span.text,
                             label=label, source=source, signals=set(),
                             token_start=tok.i, token_end=end))


_LOCATIVE = {"in", "near", "outside", "from", "to", "across", "around", "inside"}


def _names_after_org_nouns(sdoc: Any, found: list[Mention], covered: set[int],
                           chrome: set[int]) -> None:
    """ "the investigative outlet The Insider", "the human rights group Memorial": capitalised
    words right after an organisation noun that no other source labelled are its name."""
    lex = lexicon()
    for noun in sdoc:
        if (noun.lower_ not in lex["org_context_nouns"] or noun.is_title or noun.i in chrome):
            continue  # "the group ...", "the NGO ..."; a title-case "Group" is inside a name
        start = end = noun.i + 1
        if end < len(sdoc) and sdoc[end].text == "The":
            end += 1
        while end < len(sdoc) and is_cap(sdoc[end]) and end not in covered and end - start < 5:
            end += 1
        if (end > start and end < len(sdoc) and sdoc[end].like_num
                and sdoc[end - 1].lower_ in lex["org_heads"]):
            end += 1  # "the movement Group 24"
        if end == start or sdoc[end - 1].text == "The" or not covered.isdisjoint(range(start, end)):
            continue
        if (end - start == 1 and _person_shaped(sdoc[start].text)) or normalise_name(
                sdoc[start:end].text) in lex["ignore_names"]:
            continue  # "the lawyer Ivanov", "the social network Vkontakte"
        span = sdoc[start:end]
        covered.update(range(start, end))
        found.append(Mention(start=span.start_char, end=span.end_char, text=span.text,
                             label="ORG", source="org-noun", signals={"org-noun"},
                             token_start=start, token_end=end))


def extract_entities(doc: Document) -> Document:
    """Fill ``doc.entities`` (with mentions in raw coordinates and roles) from ``doc.nlp_doc``."""
    if doc.nlp_doc is None:
        doc.entities = []
        return doc
    from chronicle.extract.roles import assign_roles

    groups = merge_mentions(_mentions(doc), lexicon(), text_of(doc.nlp_doc))
    doc.entities = [g.to_entity(doc) for g in groups]
    for ent in doc.entities:
        _add_unqualified_alias(ent)
    assign_roles(doc, groups)
    _add_author(doc)
    return doc


def _add_unqualified_alias(ent: Entity) -> None:
    """ "Russian Ministry of Defence" is also written "Ministry of Defence", "Tajik Interior
    Ministry" "Interior Ministry": an organisation named with a nationality adjective gets the
    name without it as an alias (never merged on; other outlets use either form)."""
    words = ent.name.split()
    if ent.type != "ORG" or len(words) < 3 or not is_demonym(words[0]):
        return
    rest = " ".join(words[1:])
    if any(w.lower() in lexicon()["org_heads"] for w in words[1:]) and rest not in ent.aliases:
        ent.aliases.append(rest)


def _add_author(doc: Document) -> None:
    """The article's author (found by the clean stage in the byline) is a person named in the
    page: record them, with the title printed under the name if there is one."""
    from chronicle.extract.resolve import entity_for
    from chronicle.extract.roles import byline_role

    name = (doc.author or "").strip()
    words = name.split()
    if not 2 <= len(words) <= 4 or not all(w[:1].isupper() and w.isalpha() for w in words):
        return
    if any(w.lower() in lexicon()["org_heads"] for w in words) or entity_for(doc, name):
        return
    spans = [Span(m.start(), m.end(), name) for m in re.finditer(re.escape(name), doc.raw_text)]
    ent = Entity(name=name, type="PERSON", mentions=spans)
    if spans:
        found = byline_role(doc.raw_text, spans[0].end)
        if found:
            ent.role, ent.role_span = found[0], Span(found[1], found[2], found[0])
    doc.entities.append(ent)
