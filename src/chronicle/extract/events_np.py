"""Noun phrases and names for event arguments and attribution sources.

Turns a head token of the dependency parse into the phrase an analyst would write ("several Kyrgyz
citizens", "a court in Bishkek"), and that phrase into an entity name when an entity covers it.
Pronouns ("he", "her") resolve to the nearest person named before them. Uses the entity helpers of
``chronicle.extract.resolve`` when that module is present, else ``Document.entities`` directly.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from chronicle.extract.docindex import (
    cache_of,
    ents_in,
    mention_index,
    sentence,
    sentence_no,
    sentences_starting_by,
)
from chronicle.model import Document, Entity

try:  # written by the entities helper; optional so that events work without it
    from chronicle.extract import resolve as _resolve
except ImportError:  # pragma: no cover - depends on the other helper's progress
    _resolve = None  # type: ignore[assignment]

# Dependents that start a new clause or a parallel phrase: not part of the noun phrase itself.
_CUT_DEPS = {"relcl", "appos", "conj", "cc", "acl", "advcl", "parataxis", "punct"}
_PERSONAL = {"he", "she", "him", "her", "his", "hers", "himself", "herself"}
_DROP_LEADING = {"the", "a", "an", "this", "that", "these", "those"}
# "BISHKEK (Reuters) - Kyrgyz authorities", "ASTANA. KAZINFORM – Russia's ...": a dateline.
# Each capitalised group is atomic: a group can only end where the next one cannot go on, so
# backtracking into it never finds another match, and without it the nested repetition made a
# run of capitalised words ("NATIONAL SECURITY COMMITTEE SPECIAL FORCES officers") exponential.
_DATELINE = re.compile(r"^(?>[A-Z][A-Z .]+(?:\([^)]*\))?\s*)+[–—-]\s+")


def np_bounds(token: Any, keep_acl: bool = False) -> tuple[int, int]:
    """Token index range ``[start, end)`` of the phrase headed by ``token``, clauses cut off."""
    start, end = token.i, token.i + 1
    for child in token.children:
        if child.dep_ in _CUT_DEPS and not (keep_acl and child.dep_ == "acl"):
            continue
        if child.dep_ == "prep" and child.i > token.i and child.lower_ not in {"of", "in", "from"}:
            continue  # "citizens of Kyrgyzstan" stays; "arrested X on charges" does not
        lo, hi = np_bounds(child, keep_acl)
        start, end = min(start, lo), max(end, hi)
    # A phrase never spans an opening quote or comma at its edges.
    doc = token.doc
    while start < end - 1 and (doc[start].is_punct or doc[start].lower_ in {"’s", "'s"}):
        start += 1
    while end - 1 > start and doc[end - 1].is_punct:
        end -= 1
    return start, end


def np_text(token: Any) -> str:
    """The phrase headed by ``token`` as text."""
    start, end = np_bounds(token)
    return token.doc[start:end].text


def conjuncts(token: Any) -> list[Any]:
    """``token`` and the heads coordinated with it ("X, Y and two others")."""
    out = [token]
    for c in token.conjuncts:
        if c.i > token.i and c not in out:
            out.append(c)
    return out


def entities_at(doc: Document, start: int, end: int) -> list[Entity]:
    """Entities with a mention inside the body range ``[start, end)`` (raw offsets compared)."""
    if _resolve is not None and hasattr(_resolve, "entity_at"):
        try:
            ent = _resolve.entity_at(doc, start, end)
        except Exception:  # a helper failure must not lose the event
            ent = None
        if ent is not None:
            return [ent]
    lo, hi = doc.body_to_raw(start), doc.body_to_raw(end)
    index = mention_index(doc)
    # per entity, its first mention (in mention order) inside [lo, hi]; entities by its start
    first: dict[int, tuple[int, int, Entity]] = {}
    left, right = bisect.bisect_left(index.starts, lo), bisect.bisect_right(index.starts, hi)
    for m_start, m_end, k, j, ent in index.rows[left:right]:
        if m_end <= hi and (k not in first or j < first[k][0]):
            first[k] = (j, m_start, ent)
    return [e for _, _, e in sorted((m_start, k, ent) for k, (_, m_start, ent) in first.items())]


def name_for(doc: Document, token: Any, prefer: tuple[str, ...] = ("PERSON", "ORG")) -> str:
    """Entity name for the phrase headed by ``token`` where one fits it, else the phrase itself."""
    if token.lower_ in _PERSONAL:
        person = person_before(doc, token.idx, token.lower_)
        if person:
            return person
    if token.text.isupper() and len(token.text) > 3:
        # "KAZINFORM – Russia's Investigative Committee": an agency dateline before the subject
        appos = next((c for c in token.children if c.dep_ == "appos"), None)
        if appos is not None:
            return name_for(doc, appos, prefer)
    if token.pos_ == "NOUN":
        # "the independent news outlet Vyorstka": the apposed proper name is the name.
        for child in token.children:
            if child.dep_ in {"appos", "compound"} and child.pos_ == "PROPN" and child.i > token.i:
                return name_for(doc, child, prefer)
        # "the driver Bakyt Osmonov" with the name misparsed: a person named right after
        nxt = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
        if nxt is not None and nxt.sent.start == token.sent.start:
            for ent in entities_at(doc, nxt.idx, nxt.idx + len(nxt.text)):
                if ent.type == "PERSON" and _covers_head(doc, ent, nxt):
                    return ent.name
    # The head itself named ("Osh Mayor's Office press secretary Sergei Lapushkin"): that entity.
    if token.pos_ == "PROPN":
        for ent in entities_at(doc, token.idx, token.idx + len(token.text)):
            if _covers_head(doc, ent, token) and ent.type in prefer:
                return ent.name
    start, end = np_bounds(token)
    span = token.doc[start:end]
    if token.pos_ in {"NOUN", "ADJ"}:  # ADJ: "the 32-year-old" is headed by "old"
        holder = _role_holder(doc, span.text)
        if holder:
            return holder  # "the Deputy Finance Minister" is the person with that role
        person = _described_person(doc, token, span)
        if person:
            return person  # "the defendant", "the 32-year-old": the person named before
    ents = entities_at(doc, span.start_char, span.end_char)
    for ent in ents:
        if _covers_head(doc, ent, token):
            return ent.name
    # A short phrase that is mostly one name ("Russia's Investigative Committee").
    named = [e for e in ents if e.type in prefer]
    if named and len(span) <= 4 and token.pos_ == "PROPN":
        return named[-1].name
    text = _DATELINE.sub("", span.text) or span.text
    words = text.split()
    if len(words) > 1 and words[0].lower() in _DROP_LEADING and token.pos_ == "PROPN":
        return " ".join(words[1:])
    return text


def _described_person(doc: Document, token: Any, span: Any) -> str | None:
    """A definite description of one person with no name in it ("the defendant", "the
    32-year-old", "the detained activist") refers back to the person named most recently."""
    if _AGED.fullmatch(span.text.lower()):
        return person_before(doc, span.start_char)
    if token.tag_ != "NN" or not any(c.dep_ == "det" and c.lower_ == "the" for c in token.children):
        return None
    if len(span) > 4 or any(t.pos_ == "PROPN" or t.ent_type_ for t in span if t.i != token.i):
        return None
    if token.lemma_.lower() not in set(_person_nouns()):
        return None
    return person_before(doc, token.idx)


_AGED = re.compile(r"the \d{1,3}-year-old")


def _person_nouns() -> list[str]:
    from chronicle.extract.events_lexicon import lexicon

    return lexicon().modifiers.get("person_nouns", [])


def _strip_det(text: str) -> str:
    words = text.lower().split()
    while words and words[0] in _DROP_LEADING:
        words = words[1:]
    return " ".join(words)


def _role_holder(doc: Document, phrase: str) -> str | None:
    """The one person whose stated role is this phrase ("the leader of the party")."""
    key = _strip_det(phrase)
    if len(key.split()) < 2:
        return None
    found = {e.name for e in doc.entities if e.type == "PERSON" and e.role
             and _strip_det(e.role) == key}  # fmt: skip
    return found.pop() if len(found) == 1 else None


def _covers_head(doc: Document, ent: Entity, token: Any) -> bool:
    raw = doc.body_to_raw(token.idx)
    return any(m.start <= raw < m.end for m in ent.mentions)


def _persons(sent: Any, before: int) -> list[tuple[Any, bool]]:
    """PERSON mentions in ``sent`` ending before ``before``, each with whether it is a subject."""
    out = []
    for ent in ents_in(sent):
        if ent.label_ != "PERSON" or ent.end_char > before:
            continue
        root = ent.root
        subj = root.dep_ in {"nsubj", "nsubjpass"} or (
            root.dep_ == "appos" and root.head.dep_ in {"nsubj", "nsubjpass"}
        )
        out.append((ent, subj))
    return out


_REPRESENT = {"represent", "defend"}


def _representative(ent: Any) -> bool:
    """ "represented by X", "defended by X": a lawyer, not the person the case is about."""
    head = ent.root.head
    return head.dep_ == "agent" or head.lower_ == "by" or head.head.lemma_ in _REPRESENT


def _has_lemma(sent: Any, words: set[str] | frozenset[str]) -> bool:
    return bool({t.lemma_.lower() for t in sent} & words)


def _legal_people(doc: Document, words: frozenset[str], upto: int) -> list[list[str]]:
    """Per sentence before sentence ``upto``: the people (not lawyers) named in it when it
    speaks of courts, cases or detention (``words``), else nothing. Built once per document
    and extended as later pronouns need more (it was rebuilt for every pronoun)."""
    sdoc = doc.nlp_doc
    cache = cache_of(sdoc).setdefault(("legal_people", words), [])
    while len(cache) < upto:
        sent = sentence(sdoc, len(cache))
        names: list[str] = []
        if _has_lemma(sent, words):
            people = [e for e, _ in _persons(sent, sent.end_char) if not _representative(e)]
            names = [name_for(doc, e.root) for e in people]
        cache.append(names)
    return cache[:upto]


def pronoun_antecedent(doc: Document, tok: Any, legal_words: set[str] | None = None) -> str | None:
    """The person a "he"/"him" refers to: subjects of the nearest sentences first.

    With ``legal_words`` (a court ruling, an arrest), only people named somewhere before in a
    sentence about courts, cases or detention qualify, and lawyers ("represented by X") never do.
    None when no person fits (callers then fall back to the nearest person)."""
    sdoc = doc.nlp_doc
    if sdoc is None:
        return None
    n_before = sentences_starting_by(sdoc, tok.idx)  # sentences with start_char <= tok.idx
    allowed: set[str] | None = None
    if legal_words:
        allowed = set()
        here = sentence_no(sdoc, tok.i)
        for k, names in enumerate(_legal_people(doc, frozenset(legal_words), here)):
            if k < n_before:
                allowed.update(names)
        if here < n_before and _has_lemma(sentence(sdoc, here), legal_words):
            # the pronoun's own sentence: only people named before the pronoun
            sent = sentence(sdoc, here)
            people = [e for e, _ in _persons(sent, tok.idx) if not _representative(e)]
            allowed.update(name_for(doc, e.root) for e in people)
    window = [sentence(sdoc, k) for k in range(max(0, n_before - (15 if allowed is not None
                                                                   else 4)), n_before)]
    wanted = _PRONOUN_GENDER.get(tok.lower_)
    for sent in reversed(window):
        found = sorted(_persons(sent, tok.idx), key=lambda p: (not p[1], -p[0].start))
        for ent, _ in found:
            if _representative(ent):
                continue
            name = name_for(doc, ent.root)
            if wanted and _gender_of(doc, name) not in {wanted, None}:
                continue  # "her" is not the man named before
            if allowed is None or name in allowed:
                return name
    return None


_PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
_FEMALE_WORDS = frozenset({"woman", "mother", "wife", "daughter", "sister", "girl", "widow",
                           "grandmother", "mrs", "mrs.", "ms", "ms.", "miss", "actress"})
_MALE_WORDS = frozenset({"man", "father", "husband", "son", "brother", "boy", "widower",
                         "grandfather", "mr", "mr.", "actor"})  # fmt: skip


def _gender_of(doc: Document, name: str) -> str | None:
    """ "f"/"m" when the text or the name tells: a gendered role noun ("his mother"), an
    honorific, or a Slavic surname ending (``resolve.name_gender``); else None."""
    told = _role_genders(doc).get(name)
    if told:
        return told
    if _resolve is not None and hasattr(_resolve, "name_gender"):
        return _resolve.name_gender(name)
    return None


def _role_genders(doc: Document) -> dict[str, str]:
    """Person name -> the gender the first role that tells one gives (once per document and
    entity list: asked for every pronoun and candidate)."""
    key = ("role_genders", id(doc.entities), len(doc.entities))
    cache = cache_of(doc.nlp_doc) if doc.nlp_doc is not None else {}
    if key not in cache:
        out: dict[str, str] = {}
        for ent in doc.entities:
            if ent.type == "PERSON" and ent.role and ent.name not in out:
                words = set(ent.role.lower().replace(",", " ").split())
                if words & _FEMALE_WORDS and not words & _MALE_WORDS:
                    out[ent.name] = "f"
                elif words & _MALE_WORDS and not words & _FEMALE_WORDS:
                    out[ent.name] = "m"
        cache[key] = out
    return cache[key]


def person_before(doc: Document, offset: int, pronoun: str | None = None) -> str | None:
    """The person named most recently before body ``offset`` (pronoun antecedent; a gendered
    ``pronoun`` passes over people whose name is of the other gender)."""
    if _resolve is not None and hasattr(_resolve, "nearest_person_before"):
        try:
            found = _resolve.nearest_person_before(doc, offset, pronoun=pronoun)
        except Exception:  # same: degrade to the fallback
            found = None
        if found is not None:
            return found if isinstance(found, str) else getattr(found, "name", None)
    raw = doc.body_to_raw(offset)
    best: tuple[int, str] | None = None
    # the person mention starting last among those ending by ``raw`` (the first such in entity
    # and mention order on a tie), from the index: walk back from the last start <= raw
    index = mention_index(doc)
    k = bisect.bisect_right(index.person_starts, raw) - 1
    top = None
    while k >= 0:
        m_start, m_end, _, _, ent = index.person_rows[k]
        if top is not None and m_start < top:
            break
        if m_end <= raw:
            top = m_start
            best = (m_start, ent.name)  # rows with the same start: the earliest in order wins
        k -= 1
    if best is None and doc.nlp_doc is not None:
        # entities not extracted yet: spaCy's own, the last person ending by ``offset``
        people = _spacy_people(doc.nlp_doc)
        k = bisect.bisect_right(people[0], offset) - 1
        if k >= 0:
            best = (0, people[1][k])
    return best[1] if best else None


def _spacy_people(sdoc: Any) -> tuple[list[int], list[str]]:
    """spaCy's PERSON entities ordered by end: (end offsets, texts), for ``person_before``."""
    cache = cache_of(sdoc)
    found = cache.get("spacy_people")
    if found is None:
        ents = [e for e in sdoc.ents if e.label_ == "PERSON"]
        found = cache["spacy_people"] = ([e.end_char for e in ents], [e.text for e in ents])
    return found
