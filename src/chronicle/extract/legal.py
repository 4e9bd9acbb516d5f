"""Legal detail of an event: charge, custody measure, maximum penalty and sentence handed down.

Readers take one parsed sentence (a spaCy ``Span``) and return the value with its body offsets:

- :func:`charge_in`: "on charges of X", "charged with X", "accused of X", "guilty of X",
  "arrested for X", "on mercenary charges", plus a quoted article ("Part 1 of Article 207.3");
- :func:`custody_in`: "pre-trial detention until June 17", "house arrest", "custody for two months";
- :func:`penalty_in`: "faces up to 15 years" -> 15, "punishable by 10 years" -> 10,
  "between seven and ten years" -> 10;
- :func:`sentence_in`: "4 years and 8 months" -> 4.667, "six-and-a-half years" -> 6.5.

:func:`sentence_subjects` names whom a penalty sentence is about, so that the event extractor can
attach "X could face up to five years" to X's event. Cue words live in
``data/events/legal.json``. Nothing here raises on odd text.
"""

from __future__ import annotations

import re
from typing import Any

from chronicle.extract.docindex import text_of
from chronicle.extract.events_lexicon import lexicon
from chronicle.extract.numbers import parse_number

Found = tuple[Any, int, int]  # value, body start, body end

_NUM = r"(?:\d+(?:\.\d+)?|[a-z]+(?:-[a-z]+)?)"
_HALF = r"(?P<half>[- ]and[- ]a[- ]half)?"
_TERM = re.compile(
    rf"\b(?P<n>{_NUM}){_HALF}[- ](?P<unit>years?|months?|days?)\b"
    rf"(?:\s+and\s+(?P<m>{_NUM})[- ]months?)?",
    re.I,
)
_UP_TO = re.compile(rf"\b(?:up\s+to|a\s+maximum\s+of|as\s+many\s+as|no\s+more\s+than)\s+"
                    rf"(?P<n>{_NUM}){_HALF}[- ](?:years?)\b", re.I)  # fmt: skip
_RANGE = re.compile(rf"\b(?:between|from)\s+(?P<a>{_NUM})\s+(?:and|to)\s+(?P<n>{_NUM})\s+years?\b"
                    rf"|\b(?P<a2>\d+)\s*(?:-|–|to)\s*(?P<n2>\d+)\s+years?\b", re.I)  # fmt: skip
_SPAN = re.compile(rf"\b(?P<a>{_NUM})\s*(?:to|-|–)\s*(?P<n>{_NUM})[- ]years?\b", re.I)
_PUNISHABLE = re.compile(rf"\b(?:punishable|punished|carries|carry|faces?|facing|risks?)\s+"
                         rf"(?:by\s+|with\s+)?(?P<n>{_NUM}){_HALF}[- ]years?\b", re.I)  # fmt: skip
_ARTICLE = re.compile(
    r"\b(?:(?:Part|paragraph)\s+\d+\s+of\s+)?Article\s+\d+(?:\.\d+)?"
    r"(?:\s+of\s+the\s+(?:[A-Z][\w-]*\s+)*(?:Criminal|Administrative)\s+Code"
    r"(?:\s+of\s+(?:the\s+)?(?:[A-Z][\w-]*\s?)+)?)?",
)
_AGE = re.compile(r"^[- ]?(?:old|olds)\b")
# "... detention until June 17": the term after a custody phrase, up to the next clause. The
# look-behind lets the stop test start only where a run of spaces starts (testing it inside a long
# run of spaces rescanned the run from every position).
_CUSTODY_TERM = re.compile(
    r"\s+(?:until|till|through|for)\s+[^,;.()]*?"
    r"(?=(?<!\s)\s+(?:on|over|in|for|after|pending)\s|[,;.()]|$)"
)


def _number(text: str) -> float | None:
    value = parse_number(text.replace("-", " ")) if text else None
    return float(value) if value is not None else None


def _years(m: re.Match[str]) -> float | None:
    n = _number(m.group("n"))
    if n is None:
        return None
    return n + (0.5 if m.groupdict().get("half") else 0.0)


def penalty_in(sent: Any) -> Found | None:
    """Maximum penalty in years stated in the sentence ("faces up to 15 years" -> 15)."""
    text, base = sent.text, sent.start_char
    for pattern in (_UP_TO, _RANGE, _SPAN, _PUNISHABLE):
        for m in pattern.finditer(text):
            if pattern is _SPAN and _number(m.group("a")) is None:
                continue
            if pattern in (_RANGE, _SPAN):
                n = _number(m.groupdict().get("n") or m.groupdict().get("n2") or "")
                value = n
            else:
                value = _years(m)
            if value is not None and 0 < value <= 100:
                return value, base + m.start(), base + m.end()
    return None


def sentence_in(sent: Any, after: int = 0) -> Found | None:
    """The prison term handed down, in years, first one at or after body offset ``after``."""
    text, base = sent.text, sent.start_char
    for m in _TERM.finditer(text):
        if base + m.start() < after or _AGE.match(text[m.end() :]):
            continue
        before = text[max(0, m.start() - 12) : m.start()].lower()
        if "up to" in before or "maximum" in before:
            continue  # that is the maximum penalty, not the sentence
        n = _number(m.group("n"))
        if n is None or n <= 0:
            continue
        unit = m.group("unit").lower()
        units = lexicon().legal["penalty_units"]
        years = n * units.get(unit, 1.0) + (0.5 if m.group("half") else 0.0)
        if m.group("m"):
            months = _number(m.group("m"))
            years += (months or 0.0) / 12
        return round(years, 3), base + m.start(), base + m.end()
    return None


def _phrase(tok: Any) -> tuple[int, int]:
    """Character range of the phrase under ``tok``, cut at the first comma or new clause."""
    toks = sorted(tok.subtree, key=lambda t: t.i)
    end_i = toks[-1].i
    for t in toks:
        if t.i > tok.i and (t.text in {",", ";", "(", "—", "–"} or t.dep_ in {"relcl", "cc"}):
            end_i = t.i - 1
            break
    start_tok = toks[0]
    end_tok = tok.doc[max(end_i, start_tok.i)]
    return start_tok.idx, end_tok.idx + len(end_tok.text)


def _of_object(tok: Any, preps: set[str]) -> Any | None:
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in preps:
            for g in c.children:
                if g.dep_ in {"pobj", "pcomp"} and not g.like_num:
                    return g
    return None


def charge_in(sent: Any, trigger: Any | None = None) -> Found | None:
    """The offence named in the sentence, with a quoted article appended when there is one."""
    legal = lexicon().legal
    heads, not_charges = set(legal["charge_heads"]), set(legal["not_charges"])
    found: tuple[int, int] | None = None
    for tok in sent:
        low = tok.lower_
        obj = None
        if low in heads or tok.lemma_.lower() in heads:
            obj = _of_object(tok, {"of"})
        if obj is None and tok.lemma_.lower() in set(legal["charge_verbs_with"]):
            obj = _of_object(tok, {"with"})
        if obj is None and tok.lemma_.lower() in heads and tok.pos_ == "VERB":
            dobj = next((c for c in tok.children if c.dep_ == "dobj"), None)
            obj = _of_object(dobj, {"of"}) if dobj is not None else None  # "convicted X of Y"
        if obj is None and tok.lemma_.lower() in set(legal["charge_verbs_for"]):
            obj = _of_object(tok, {"for", "over"})
            for c in tok.children:  # "sentenced him to 16 years for sabotage"
                if obj is None and c.dep_ in {"prep", "dobj"}:
                    for g in [c, *c.children]:
                        obj = obj or _of_object(g, {"for"})
            if obj is not None and (obj.ent_type_ in {"DATE", "TIME"} or obj.pos_ == "PROPN"):
                obj = None
        if obj is not None:
            found = _phrase(obj)
            break
        if tok.lemma_.lower() in set(legal["charge_adjective_heads"]) and tok.pos_ == "NOUN":
            mods = [c for c in tok.children if c.dep_ in {"amod", "compound"} and c.i < tok.i]
            mods = [m for m in mods if m.lower_ not in not_charges]
            if mods and tok.lower_ in {"charge", "charges"}:
                found = (mods[0].idx, mods[-1].idx + len(mods[-1].text))
                break
    art = _ARTICLE.search(sent.text)
    if found is None and art is None:
        return None
    doc_text = text_of(sent.doc)
    if found is None:
        s, e = sent.start_char + art.start(), sent.start_char + art.end()
        return doc_text[s:e], s, e
    text = doc_text[found[0] : found[1]].strip(" “”\"'")
    if art is not None and art.group(0) not in text:
        text = f"{text} ({art.group(0)})"
    return text, found[0], found[1]


def custody_in(sent: Any) -> Found | None:
    """The custody measure with its term ("pre-trial detention until June 17")."""
    legal = lexicon().legal
    text, base = sent.text, sent.start_char
    low = text.lower()
    for phrase in sorted(legal["custody_phrases"], key=len, reverse=True):
        i = low.find(phrase)
        if i < 0:
            continue
        end = i + len(phrase)
        rest = _CUSTODY_TERM.match(text[end:])
        if rest:
            end += rest.end()
        return text[i:end], base + i, base + end
    return None


def sentence_subjects(sent: Any) -> list[Any]:
    """Subject tokens of the sentence's main clause, coordinated ones included."""
    root = sent.root
    subj = next((c for c in root.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    if subj is None:
        return []
    return [subj, *[c for c in subj.conjuncts if c.i > subj.i]]


def is_group(tok: Any) -> bool:
    """A subject that stands for several defendants ("the three others", "they")."""
    return tok.lower_ in set(lexicon().legal["group_words"])
