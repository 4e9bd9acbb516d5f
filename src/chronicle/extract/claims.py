"""Numeric claims: every number that counts people, cases, money or shares, with its source.

``extract_claims(doc)`` reads each parsed sentence of ``doc.body`` and fills ``doc.claims`` with
:class:`~chronicle.model.Claim` records (GUIDE fields: metric, value, unit, per, qualifier,
subject, as_of, claimed_by, relayed_by, evidence). The work is split by question:

- :mod:`chronicle.extract.numbers` finds the numbers ("two", "48,759", "1.6 million rubles",
  "45%") and their kind;
- :mod:`chronicle.extract.claims_metric` decides what a number counts from the parse, and drops
  years, ages, durations, penalties, article numbers and lists of "others";
- :mod:`chronicle.extract.claims_source` finds who claims it and who relayed it;
- this module adds what the words around the number say: qualifier ("at least", "up to"), rate
  ("per month"), ranges ("between A and B" -> two claims), the as-of date, and the evidence.

Sentences that retract a number ("an earlier version of this article said seven") and verbless
lines (tickers, menus) give no claims.
"""

from __future__ import annotations

import re
from typing import Any

from chronicle.extract import budget
from chronicle.extract.claims_lexicon import ClaimLexicon, lexicon
from chronicle.extract.claims_metric import (
    Reading,
    bare_measure,
    measured_phrase,
    read_metric,
    under_including,
)
from chronicle.extract.claims_source import claim_sources
from chronicle.extract.claims_text import sentence_units, unit, unit_bounds, unit_no
from chronicle.extract.dates import dates_in
from chronicle.extract.events_np import np_bounds
from chronicle.extract.numbers import NumberMention, find_numbers
from chronicle.model import Claim, Document

_RANGE_GAP = re.compile(r"^\s*(?:and|to|-|–|—)\s*$", re.IGNORECASE)
_AS_OF_STRONG = re.compile(r"(?:as\s+of|as\s+at|by|through|until|up\s+to)\s+(?:the\s+)?$", re.I)
_AS_OF_WEAK = re.compile(
    r"(?:\bin|\bon|during|at\s+the\s+(?:end|start|beginning)\s+of)\s+(?:the\s+)?$", re.I
)
_NOT_RATE_AFTER = re.compile(r"^\s*(?:after|later|before|earlier|ago|and a half|or two)\b", re.I)
_CLAUSE_END = re.compile(r"[,;:()\[\]]|\s[–—]\s|\.\s")
# Matched at a position (``pattern.match(text, pos)``), never on a copy of the rest of the text:
# copying the text after every number made long sentences quadratic.
_AGE_AFTER = re.compile(r"(?:-|\s)(?:years?|months?)(?:-|\s)old\b|-year\b|-month\b", re.I)
_COMMA_AFTER = re.compile(r"\s*,")
_WORD_AFTER = re.compile(r"\s*(\w+)")
# Longest word looked at before a number: longer runs of word characters are no word of the
# lexicons (scanning them whole for every number made a long token quadratic).
_MAX_WORD = 100
_PRONOUN_ONE_BEFORE = {"the", "any", "every", "each", "this", "that", "which", "no", "someone"}


def extract_claims(doc: Document) -> Document:
    """Fill ``doc.claims`` from the parsed body (``doc.nlp_doc``); a no-op without a parse."""
    if doc.nlp_doc is None:
        return doc
    claims: list[Claim] = []
    seen: set[tuple[str, float, int]] = set()
    for sent in sentence_units(doc):
        if budget.over():
            break
        prior = {c.value for c in claims}
        for claim, start in _sentence_claims(doc, sent, prior):
            key = (claim.metric, claim.value, start)
            if key not in seen:
                seen.add(key)
                claims.append(claim)
    doc.claims = claims
    return doc


def _skip_space_back(text: str, end: int) -> int:
    """The index after the last non-space character before ``end`` (``\\s*$`` of a prefix)."""
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


def _word_before(text: str, end: int) -> str:
    """The run of word characters, dots, hashes and hyphens right before ``end`` (spaces between
    skipped): what ``([\\w.#-]+)\\s*$`` finds in ``text[:end]``; "" for none or a run longer
    than ``_MAX_WORD``."""
    stop = _skip_space_back(text, end)
    start = stop
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_.#-"):
        start -= 1
        if stop - start > _MAX_WORD:
            return ""
    return text[start:stop]


def _excluded_text(text: str, m: NumberMention, lex: ClaimLexicon) -> bool:
    """Surface signs that a number is a reference, an age or a pronoun, not a count."""
    prev = _word_before(text, m.start).lower()
    if prev in lex.not_count_before or prev.rstrip(".") in lex.not_count_before:
        return True
    if m.kind == "cardinal" and _AGE_AFTER.match(text, m.end):
        return True
    if m.kind == "cardinal" and not m.is_word and m.value < 120:
        stop = _skip_space_back(text, m.start)  # "[A-Za-z],\s*$" before the number
        if (stop >= 2 and text[stop - 1] == "," and text[stop - 2].isascii()
                and text[stop - 2].isalpha() and _COMMA_AFTER.match(text, m.end)):
            return True  # "The activist, 52, was detained": an age in apposition
    if m.text.lower() == "one":
        after = _WORD_AFTER.match(text, m.end)
        if after and after.group(1).lower() == "another":
            return True
        if after and after.group(1).lower() == "of":
            return True  # "one of the defendants": a member, not a count
    return False


def _words_before(text: str, end: int, chars: int = 200) -> str:
    """The last words before ``end``, lower-cased and single-spaced: a window of about
    ``chars`` characters cut back to a word start (the whole prefix for every number made long
    sentences quadratic; qualifier phrases are a few words)."""
    start = max(0, end - chars)
    while 0 < start < end and not text[start - 1].isspace():
        start += 1
    return " ".join(text[start:end].lower().split())


def _qualifier(text: str, m: NumberMention, sent: Any, lex: ClaimLexicon) -> str | None:
    before = _words_before(text, m.start)
    before = re.sub(r"\s(?:a|an)$", "", before)  # "up to a $250,000 fine"
    for phrase, qual in lex.qualifiers:
        if before == phrase or before.endswith(" " + phrase):
            # "handed over 20 bodies": "over" is the verb's particle, not a qualifier
            first = sent.start_char + m.start - 1 - len(phrase)
            tok = next((t for t in sent if t.idx >= first and t.idx < first + len(phrase) + 1
                        and t.lower_ == phrase.split()[0]), None)
            if tok is not None and tok.dep_ == "prt":
                return None
            return qual
    return None


def _rate_in(window: str, lex: ClaimLexicon) -> str | None:
    low = " " + " ".join(re.sub(r"[^\w\s-]", " ", window.lower()).split()) + " "
    for phrase, per in lex.rates:
        idx = low.find(" " + phrase + " ")
        if idx >= 0 and not _NOT_RATE_AFTER.match(low[idx + len(phrase) + 1 :]):
            return per
    return None


def _clause_window(text: str, start: int, end: int) -> tuple[str, str]:
    """Text before and after a number, each cut at the nearest clause boundary (40 chars)."""
    before = text[max(0, start - 40) : start]
    cut = list(_CLAUSE_END.finditer(before))
    if cut:
        before = before[cut[-1].end() :]
    after = text[end : end + 40]
    stop = _CLAUSE_END.search(after)
    if stop:
        after = after[: stop.start()]
    return before, after


def _per(
    text: str, m: NumberMention, reading: Reading, root: Any, lex: ClaimLexicon
) -> str | None:
    before, after = _clause_window(text, m.start, m.end)
    found = _rate_in(after, lex) or _rate_in(before, lex)
    measured = measured_phrase(root)
    if found is None and measured is not None:
        # "the monthly payment ... is 195,000 rubles": the rate sits in the subject
        found = _rate_in(" ".join(t.text for t in measured.subtree), lex)
    if found is None and reading.noun is not None:
        # "the average number of deaths per month ... is 8,132": the rate sits in the subject
        head = reading.noun
        while head.head.i != head.i and head.dep_ in {"pobj", "prep"}:
            head = head.head
        found = _rate_in(" ".join(t.text for t in head.subtree), lex)
    return found


def _dated(doc: Document, sent: Any, m_start: int) -> tuple[bool, str | None]:
    """Whether the sentence dates a count ("as of mid-August 2022", "by March", "registered in
    2022", "said on Tuesday"), and the ISO date when it can be resolved."""
    best: tuple[tuple[int, int], str | None] | None = None
    for start, _end, iso, surface in dates_in(sent, doc.published):
        lead = doc.body[max(sent.start_char, start - 25) : start]
        first = surface.split()[0].lower() if surface.split() else ""
        if first in {"on", "in", "by", "since", "until", "during"}:
            lead = f"{lead} {first} "  # the finder kept the preposition ("on Tuesday")
        rank = 0 if _AS_OF_STRONG.search(lead) else 1 if _AS_OF_WEAK.search(lead) else None
        if rank is None:
            continue
        key = (rank, abs(start - m_start) + (10_000 if iso is None else 0))
        if best is None or key < best[0]:
            best = (key, iso)
    return (best is not None), (best[1] if best else None)


def _as_of(doc: Document, sent: Any, m_start: int, claimed_by: list[str]) -> str | None:
    """The date the count holds at: from its own sentence, else from a neighbouring sentence
    that dates the claimant's statement ("Melikov announced on February 27 ...")."""
    found, iso = _dated(doc, sent, m_start)
    if found or not claimed_by:
        return iso
    surname = claimed_by[0].split()[-1].lower()
    if len(surname) < 3:
        return None
    idx = unit_no(doc, sent.start)
    if idx is None:
        return None
    count = len(unit_bounds(doc))
    near = sorted(range(max(0, idx - 3), min(count, idx + 4)), key=lambda k: abs(k - idx))
    for k in near:
        if k == idx:
            continue
        for tok in unit(doc, k):
            if tok.lower_ != surname:
                continue
            # the claimant must be the one acting: "X made the admission on Tuesday", "was
            # announced on February 27 by X"; not "the case against X was opened on ..."
            if tok.dep_ == "nsubj":
                verb = tok.head
            elif tok.dep_ == "pobj" and tok.head.dep_ == "agent":
                verb = tok.head.head
            else:
                continue
            lo = min(t.idx for t in verb.subtree)
            hi = max(t.idx + len(t) for t in verb.subtree)
            span = doc.nlp_doc.char_span(lo, hi, alignment_mode="expand")
            if span is not None:
                found, iso = _dated(doc, span, span.start_char)
                if found:
                    return iso
    return None


_EVENT_METRICS = {"killed", "injured", "killed_or_injured", "missing", "detained", "released"}


def _phrase(tokens: list[Any]) -> str | None:
    """Tokens as text without a leading article, number or qualifier ("the 498 servicemen")."""
    while tokens and (
        tokens[0].pos_ in {"DET", "PUNCT", "ADP", "NUM", "SCONJ"}
        or tokens[0].dep_ in {"quantmod", "nummod"}
        or tokens[0].like_num
    ):
        tokens = tokens[1:]
    text = " ".join(t.text for t in tokens)
    return text.replace(" ’s", "’s").replace(" 's", "'s") or None


def _subject(reading: Reading, root: Any) -> str | None:
    """The counted group: its noun phrase, or for an elided count or an event noun ("Two
    died", "six more sustained injuries") the group named just before."""
    noun = reading.noun
    lex = lexicon()
    event_noun = (
        noun is not None
        and reading.metric in _EVENT_METRICS
        and noun.lemma_.lower() not in lex.role_metric
        and lex.noun_metric.get(noun.lemma_.lower()) == reading.metric
    )
    if noun is None or event_noun:
        return _antecedent(root) or (None if noun is None else _np_without(noun, root))
    return _np_without(noun, root)


def _np_without(noun: Any, root: Any) -> str | None:
    lo, hi = np_bounds(noun)
    skip = {t.i for t in root.subtree} if root.i < noun.i or root.head.i == noun.i else set()
    return _phrase([t for t in noun.doc[lo:hi] if t.i not in skip])


def _antecedent(root: Any) -> str | None:
    """For an elided count ("Two died"), the group named just before it in the text."""
    lex = lexicon()
    doc = root.doc
    for tok in reversed(doc[max(0, root.i - 60) : root.i]):
        if tok.pos_ == "NOUN" and (tok.lemma_.lower() in lex.role_metric):
            lo, hi = np_bounds(tok)
            return _phrase(list(doc[lo:hi]))
    return None


def _ranges(text: str, mentions: list[NumberMention]) -> dict[int, int]:
    """Index of each range's first number -> index of its second ("between 189,000 and
    273,000", "from 5 to 10", "10-15")."""
    out: dict[int, int] = {}
    for i in range(len(mentions) - 1):
        a, b = mentions[i], mentions[i + 1]
        gap = text[a.end : b.start]
        if not _RANGE_GAP.match(gap) or (a.kind != b.kind and a.kind != "cardinal"):
            continue
        stop = _skip_space_back(text, a.start)
        if gap.strip().lower() == "and" and text[max(0, stop - 7) : stop].lower() != "between":
            continue
        if a.value < b.value:
            out[i] = i + 1
    return out


def _sentence_claims(doc: Document, sent: Any, prior: set[float]) -> list[tuple[Claim, int]]:
    lex = lexicon()
    text = sent.text
    if any(cue in text.lower() for cue in lex.retraction):
        return []
    words = [t for t in sent if not (t.is_space or t.is_punct)]
    prose = len(words) >= 6 and text.rstrip().endswith((".", "!", "?", "”", '"'))
    if not prose and not any(t.pos_ in {"VERB", "AUX"} for t in sent):
        return []  # ticker lines, menus, captions (a mis-tagged verb in prose is kept)
    mentions = [m for m in find_numbers(text) if not m.vague]
    dates = [(s, e) for s, e, _iso, _surf in dates_in(sent, doc.published)]
    ranges = _ranges(text, mentions)
    partner = {b: a for a, b in ranges.items()}
    out: list[tuple[Claim, int]] = []
    for i, m in enumerate(mentions):
        start, end = sent.start_char + m.start, sent.start_char + m.end
        if any(s < end and start < e for s, e in dates) or _excluded_text(text, m, lex):
            continue
        read_from = mentions[ranges[i]] if i in ranges else m
        root = _root(doc, sent, read_from)
        if root is None:
            continue
        if root.lower_ == "one" and root.dep_ != "nummod" and root.i > sent.start and (
            root.nbor(-1).lower_ in _PRONOUN_ONE_BEFORE
        ):
            continue  # "no one", "the one who": a pronoun
        if _anaphoric(root, m, prior):
            continue
        reading = read_metric(root, read_from.kind)
        if under_including(root):
            continue  # "8 suspects, including two police officers": a part of a count
        if out and reading is None and bare_measure(root):
            # "activists put the figure at 3,000": the count just mentioned
            reading = Reading(out[-1][0].metric, None, None)
        if reading is None or _is_source_description(reading, lex):
            continue
        if reading.metric == "people" and _definite(root):
            continue  # "the two defendants": people the story already introduced
        qualifier = _qualifier(text, m, sent, lex)
        if i in ranges:
            qualifier = "at least"
        elif i in partner:
            qualifier = "up to"
        claimed, relayed = claim_sources(doc, sent, root, reading.noun)
        unit = read_from.currency if read_from.kind == "money" else (
            "percent" if read_from.kind == "percent" else None
        )
        claim = Claim(
            metric=reading.metric,
            value=m.value,
            unit=unit,
            per=_per(text, read_from, reading, root, lex),
            qualifier=qualifier,
            subject=_subject(reading, root),
            as_of=_as_of(doc, sent, start, claimed),
            claimed_by=claimed,
            relayed_by=relayed,
            evidence=text.strip(),
            evidence_span=doc.raw_span(sent.start_char, sent.end_char),
            value_text=m.text,
            spans={"value": doc.raw_span(start, end)},
        )
        out.append((claim, start))
    return out


def _is_source_description(reading: Reading, lex: ClaimLexicon) -> bool:
    """"Two people briefed on the talks said ...", "three officials told Reuters": the counted
    people are the speakers of the sentence, not a count the sentence reports."""
    noun = reading.noun
    if noun is None or noun.dep_ not in {"nsubj", "nsubjpass"}:
        return False
    head = noun.head
    return head.lemma_.lower() in lex.speech_verbs and reading.metric == "people"


def _definite(root: Any) -> bool:
    tok = root
    while tok.dep_ in {"compound", "quantmod"} and tok.head.i != tok.i:
        tok = tok.head
    return tok.i > tok.sent.start and tok.doc[tok.i - 1].lower_ in {"the", "its", "their", "his"}


def _anaphoric(root: Any, m: NumberMention, prior: set[float]) -> bool:
    """"all four", "these two", or "the four" after four was already counted: a group the
    text has introduced before, not a new count."""
    tok = root
    while tok.dep_ in {"compound", "quantmod"} and tok.head.i != tok.i:
        tok = tok.head
    if tok.i == tok.sent.start:
        return False
    prev = tok.doc[tok.i - 1].lower_
    if prev in {"all", "these", "those", "both"}:
        return True
    return prev == "the" and m.value in prior


def _root(doc: Document, sent: Any, m: NumberMention) -> Any | None:
    span = doc.nlp_doc.char_span(
        sent.start_char + m.start, sent.start_char + m.end, alignment_mode="expand"
    )
    if span is None or len(span) == 0:
        return None
    if m.kind == "money":
        return span.root
    # The number itself, not a currency or percent sign it modifies, heads a plain count.
    nums = [t for t in span if t.like_num or t.pos_ == "NUM"]
    return span.root if not nums or m.kind == "percent" else _top(nums)


def _top(tokens: list[Any]) -> Any:
    ids = {t.i for t in tokens}
    for t in tokens:
        if t.head.i not in ids or t.head.i == t.i:
            return t
    return tokens[-1]
