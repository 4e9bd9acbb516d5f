"""Document-level finishing of event drafts: antecedents, cross-sentence legal detail, merging.

- "the court", "the same court", "investigators" take the fuller actor named earlier for the same
  kind of body ("A court in the Kyrgyz capital of Bishkek"), and its place;
- a penalty or charge stated in a sentence about a person ("Dzhamalov could face up to five
  years", "Sekerina and the three others face up to 15 years") goes to that person's events, or to
  all defendants when the subject is a group;
- negated and hypothetical drafts stay separate (reported, flagged) but lend their legal detail to
  the factual event about the same recipient;
- one event per (type, recipient): a charge joins the arrest or conviction of the same person
  (``also_type`` ACCUSE/allege), "Sekerina's arrest" joins the arrest of Natalia Sekerina, and a
  lede's unnamed "an employee of X" joins the first named event of the same type and mode.

Everything here is near-linear in the number of drafts: merging and cross-sentence legal detail
look parties up by name key (:class:`_Parties`) instead of comparing every pair, and the
searches for a lede's or a pronoun's event, an orphan case's suspect and the like look at the
nearest ``WINDOW`` drafts on either side (an article has far fewer, so for articles this is the
whole document; it only bounds the work on book-length input).
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from chronicle.extract.docindex import mention_index
from chronicle.extract.events_context import adopt_suspects, blame_attackers, condemned_acts
from chronicle.extract.events_lexicon import lexicon
from chronicle.extract.events_np import name_for
from chronicle.extract.legal import charge_in, is_group, penalty_in, sentence_subjects
from chronicle.model import Document, Event

_LEGAL_TYPES = {"COERCE", "SANCTION", "ACCUSE", "THREATEN"}
_NOT_LEGAL_MODES = {"disapprove", "violence", "censor", "seize"}
_PRONOUNS = {"he", "she", "him", "her", "they", "them", "it"}


def is_legal(ev: Event) -> bool:
    """An event that legal detail (charge, penalty) can belong to."""
    return ev.type in _LEGAL_TYPES and ev.mode not in _NOT_LEGAL_MODES
_BODIES = {
    "court", "investigator", "prosecutor", "police", "authority", "committee", "office",
    "ministry", "service", "judge", "agency", "officer", "department",
}  # fmt: skip
_FIELDS = ("actor", "date", "date_text", "location", "charge", "custody", "max_penalty_years",
           "sentence_years", "also_type")  # fmt: skip
# Drafts looked at on either side of one when searching for its antecedent, suspect or target.
WINDOW = 256


@dataclass
class Draft:
    """One event reading with the parse tokens it came from."""

    event: Event
    trig: Any
    sent: Any
    actor_tok: Any | None
    rec_tok: Any | None
    anaphoric: bool = False  # "the case was opened on ...": detail of an event told before
    orphan: bool = False  # "a case was opened" with no one named: the suspect told before

    @property
    def factual(self) -> bool:
        return not (self.event.negated or self.event.hypothetical)


def _key(text: str | None) -> str:
    if not text:
        return ""
    text = re.sub(r"^(the|a|an)\s+", "", text.lower().strip())
    return re.sub(r"[’'`]s\b|[^\w\s-]", "", text).strip()


def same_party(a: str | None, b: str | None) -> bool:
    """Two names of one party: equal, or one person's surname ("Sekerina" in "Natalia Sekerina")."""
    ka, kb = _key(a), _key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    ta, tb = ka.split(), kb.split()
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    return len(short) == 1 and short[0][:1].isalpha() and short[0] == long_[-1]


class _Parties:
    """Items by party name, for :func:`same_party` lookups without comparing every pair:
    :meth:`near` gives every item whose name can be the same party as the one asked (and maybe
    a few that are not: callers test ``same_party`` on what it gives)."""

    def __init__(self) -> None:
        self.full: defaultdict[tuple[Any, str], list[int]] = defaultdict(list)
        self.last: defaultdict[tuple[Any, str], list[int]] = defaultdict(list)

    def add(self, name: str | None, item: int, bucket: Any = None) -> None:
        key = _key(name)
        if key:
            self.full[bucket, key].append(item)
            self.last[bucket, key.split()[-1]].append(item)

    def near(self, name: str | None, bucket: Any = None) -> list[int]:
        key = _key(name)
        if not key:
            return []
        words = key.split()
        out = list(self.full.get((bucket, key), ()))
        if len(words) == 1:  # a surname: fuller names ending in it
            out += self.last.get((bucket, key), ())
        else:  # a fuller name: the surname alone
            out += self.full.get((bucket, words[-1]), ())
        return out


def _named_actor(tok: Any, cache: dict[int, bool]) -> bool:
    if tok.i not in cache:
        cache[tok.i] = any(t.pos_ == "PROPN" or t.ent_type_ for t in tok.subtree)
    return cache[tok.i]


def _resolve_bodies(drafts: list[Draft]) -> None:
    """A definite "the court" / "investigators" actor takes the fuller earlier name and place."""
    named: dict[int, bool] = {}
    # per actor lemma, the drafts before with that actor named ("A court in Bishkek"), each with
    # the position of the last earlier one whose actor is another token
    earlier: dict[str, list[tuple[Draft, int]]] = defaultdict(list)
    for d in drafts:
        tok = d.actor_tok
        if tok is not None and not (tok.pos_ == "PROPN" or tok.lemma_.lower() not in _BODIES):
            _take_body(d, tok, earlier.get(tok.lemma_.lower(), []))
        if tok is not None and _named_actor(tok, named):
            seen = earlier[tok.lemma_.lower()]
            k = len(seen) - 1
            while k >= 0 and seen[k][0].actor_tok.i == tok.i:
                k = seen[k][1]
            seen.append((d, k))


def _take_body(d: Draft, tok: Any, seen: list[tuple[Draft, int]]) -> None:
    sub = list(tok.subtree)
    # Only a bare "the court", "the same court", "investigators": no name, no modifier phrase.
    if len(sub) > 3 or any(t.pos_ in {"PROPN", "ADP"} for t in sub):
        return
    if sub[0].lower_ != "the" and tok.tag_ != "NNS":
        return
    k = len(seen) - 1  # the latest named one, not this very actor token
    if k >= 0 and seen[k][0].actor_tok.i == tok.i:
        k = seen[k][1]
    if k >= 0:
        prev = seen[k][0]
        d.event.actor = prev.event.actor
        if prev.event.location is not None:
            d.event.location = prev.event.location


def _subject_names(doc: Document, sent: Any) -> tuple[list[str], bool]:
    """Names the sentence is about, and whether it speaks of every defendant (a group, or the
    charge itself: "The offence is punishable by ...")."""
    subs = sentence_subjects(sent)
    names = [name_for(doc, s) for s in subs if not is_group(s)]
    charge_words = set(lexicon().modifiers.get("charge_subjects", []))
    group = any(
        is_group(s) or (s.tag_ == "NNS" and s.pos_ != "PROPN") or s.lemma_.lower() in charge_words
        for s in subs
    )
    return names, group


def _cross_sentence_legal(doc: Document, drafts: list[Draft]) -> None:
    legal = [d for d in drafts if is_legal(d.event)]
    if not legal:
        return
    # Each sentence's penalty or charge goes to the drafts it is about (found by name) or, for a
    # group, to every draft still without a penalty; drafts are in text order, so "the charge
    # named before" is the last charged one before the sentence's first draft.
    parties = _Parties()
    for k, d in enumerate(legal):
        parties.add(d.event.recipient, k)
    starts = [d.sent.start for d in legal]
    open_penalty = {k for k, d in enumerate(legal)
                    if d.event.max_penalty_years is None and not d.event.historical}
    charged = [k for k, d in enumerate(legal) if d.event.charge]
    for sent in doc.nlp_doc.sents:
        penalty = penalty_in(sent)
        charge = charge_in(sent)
        same = "same charge" in sent.text.lower()
        if not penalty and not same and not charge:
            continue
        names, group = _subject_names(doc, sent)
        about = {k for n in names for k in parties.near(n)
                 if same_party(n, legal[k].event.recipient)}  # fmt: skip
        # a group ("X and the three others face ...") means this story's defendants, not
        # people sentenced in the background
        touched = about | open_penalty if group and penalty else about
        for k in sorted(touched):
            d = legal[k]
            ev = d.event
            if d.sent.start == sent.start and not same:
                continue
            if penalty and ev.max_penalty_years is None:
                ev.max_penalty_years = penalty[0]
                ev.spans["max_penalty_years"] = doc.raw_span(penalty[1], penalty[2])
                open_penalty.discard(k)
            if charge and ev.charge is None and k in about:
                ev.charge = charge[0]
                ev.spans["charge"] = doc.raw_span(charge[1], charge[2])
                if ev.charge:
                    bisect.insort(charged, k)
        if same:  # "placed ... in detention on the same charges": the charge named before
            first = bisect.bisect_left(starts, sent.start)
            here = bisect.bisect_right(starts, sent.start)
            before = bisect.bisect_left(charged, first) - 1
            for k in range(first, here):
                d = legal[k]
                if d.event.charge is None and before >= 0:
                    d.event.charge = legal[charged[before]].event.charge
                    bisect.insort(charged, k)


def _named(names: frozenset[str], d: Draft) -> bool:
    """A recipient that is a name: a proper noun, a named entity, or an entity's name
    (``names``: the document's entity names)."""
    tok = d.rec_tok
    if tok is None:
        return False
    if tok.pos_ == "PROPN" or tok.ent_type_ in {"PERSON", "ORG", "GPE", "NORP"}:
        return True
    return d.event.recipient in names


def _unnamed_single(d: Draft) -> bool:
    """A recipient that can only be someone named elsewhere: "an employee of X", "they"."""
    tok = d.rec_tok
    if tok is None:
        return False
    if _anaphor(d):
        return True
    return tok.pos_ == "NOUN" and tok.tag_ == "NN" and not any(
        c.dep_ == "nummod" for c in tok.children
    )


def _absorb(into: Event, other: Event) -> None:
    for f in _FIELDS:
        if getattr(into, f) is None and getattr(other, f) is not None:
            setattr(into, f, getattr(other, f))
            if f in other.spans and f not in into.spans:
                into.spans[f] = other.spans[f]
    for c in other.context:
        if c not in into.context:
            into.context.append(c)
    for src in other.reported_by:
        if src not in into.reported_by:
            pos = len(into.reported_by) - (1 if into.reported_by else 0)
            into.reported_by.insert(max(pos, 0), src)
    into.confidence = max(into.confidence, other.confidence)


def _compatible(a: Event, b: Event) -> bool:
    """Same happening for merging purposes (types and modes as the guide's conventions say)."""
    if a.type == b.type:
        return a.type != "ACCUSE" or {a.mode, b.mode} <= {"investigate", "allege", None}
    pair = {f"{a.type}/{a.mode}", f"{b.type}/{b.mode}"}
    return "ACCUSE/allege" in pair and bool(pair & {"COERCE/arrest", "SANCTION/convict"})


def _dates_agree(a: str | None, b: str | None) -> bool:
    """Two ISO dates, possibly partial ("2023-09", "--06-17"), that can name the same day."""
    if not a or not b:
        return True
    pa, pb = a.split("-"), b.split("-")
    if a.startswith("--") or b.startswith("--"):  # month-day without a year: compare those
        return a[-5:] == b[-5:] or len(a) < 8 or len(b) < 8
    return all(x == y for x, y in zip(pa, pb, strict=False))


def _same_time(a: Event, b: Event) -> bool:
    """Mentions of one happening cannot differ in date where both give one. (Places are not
    compared: an event's place is often inferred from the article, not stated by the mention.)"""
    return _dates_agree(a.date, b.date)


def _drop_bare_repeats(drafts: list[Draft]) -> list[Draft]:
    """Mentions that only repeat another event of their own sentence:
    - an event noun with fewer participants than a mention of the same type beside it ("found X
      guilty and handed him a suspended sentence", "launched an investigation ... against X");
    - a charge inside the phrase of an arrest or conviction ("detained X on charges of Y",
      "placed in detention on suspicion of Y"): the charge is that event's legal detail."""
    keep = []
    by_sentence: defaultdict[int, list[Draft]] = defaultdict(list)
    for d in drafts:
        by_sentence[d.sent.start].append(d)
    for d in drafts:
        siblings = [o for o in by_sentence[d.sent.start] if o is not d]
        if any(_repeats(d, o) for o in siblings):
            continue
        if d.event.type == "ACCUSE" and d.event.mode == "allege" and d.trig.pos_ == "NOUN" and any(
            o.event.type in {"COERCE", "SANCTION"} and _governs(o.trig, d.trig) for o in siblings
        ):
            continue
        keep.append(d)
    return keep


def _repeats(d: Draft, o: Draft) -> bool:
    """``d`` names ``o``'s event again with less: same type, no recipient of its own where
    ``o`` has one (or no participant at all), and no different actor."""
    if d.event.type != o.event.type or d.trig.pos_ != "NOUN" or d.event.recipient:
        return False
    if not (o.event.recipient or o.event.actor):
        return False
    if d.event.actor is None:
        return True
    return bool(o.event.recipient) and (o.event.actor is None or same_party(d.event.actor,
                                                                          o.event.actor))


def _governs(head: Any, tok: Any) -> bool:
    """``tok`` lies in the phrase under ``head`` (three steps up at most)."""
    cur = tok
    for _ in range(3):
        if cur.head.i == cur.i:
            return False
        cur = cur.head
        if cur.i == head.i:
            return True
    return False


def _primary(a: Draft, b: Draft) -> tuple[Draft, Draft]:
    """Which of two drafts of one event leads: verbs over nouns, arrest over charge, then order."""
    def rank(d: Draft) -> tuple[int, int, int, int]:
        return (
            0 if d.trig.pos_ == "VERB" else 1,
            0 if d.event.type in {"COERCE", "SANCTION"} else 1,
            0 if d.event.mode == "investigate" else 1,  # the opened case carries date and place
            d.trig.i,
        )

    return (a, b) if rank(a) <= rank(b) else (b, a)


def finalise(doc: Document, drafts: list[Draft]) -> list[Event]:
    """Resolve, enrich and merge drafts into the document's events (text order)."""
    drafts.sort(key=lambda d: d.trig.i)
    drafts = _drop_bare_repeats(drafts)
    drafts = adopt_suspects(doc, drafts)
    _resolve_bodies(drafts)
    drafts = _fold_anaphoric(drafts)
    drafts = _fold_consequences(drafts)
    _cross_sentence_legal(doc, drafts)
    merged = _merge(drafts)
    _fold_unnamed(doc, merged)
    condemned_acts(doc, merged)
    blame_attackers(doc, merged)
    _lend_from_flagged(merged)
    _date_from_publication(doc, merged)
    return [d.event for d in sorted(merged, key=lambda d: d.trig.i)]


def _same_event(m: Draft, d: Draft) -> bool:
    """Whether draft ``d`` tells the event ``m`` already holds."""
    if m.factual != d.factual or not _compatible(m.event, d.event):
        return False
    if not _same_time(m.event, d.event):
        return False  # a re-arrest a month later is another arrest
    if d.event.recipient is None and m.event.recipient is None:
        return same_party(m.event.actor, d.event.actor) and m.event.mode == d.event.mode
    return same_party(m.event.recipient, d.event.recipient)


_IA = {"investigate", "allege", None}


def _kind(ev: Event) -> str | None:
    """Which events ``ev`` can merge with: its type (ACCUSE only as an investigation or an
    allegation; other accusations never merge)."""
    if ev.type != "ACCUSE":
        return ev.type
    return "ACCUSE" if ev.mode in _IA else None


def _kinds_for(ev: Event) -> tuple[str, ...]:
    """The kinds of event ``ev`` can join (see :func:`_compatible`)."""
    kind = _kind(ev)
    if kind is None:
        return ()
    if kind == "ACCUSE":
        return ("ACCUSE", "COERCE", "SANCTION") if ev.mode == "allege" else ("ACCUSE",)
    if f"{ev.type}/{ev.mode}" in {"COERCE/arrest", "SANCTION/convict"}:
        return (kind, "ACCUSE")
    return (kind,)


def _merge(drafts: list[Draft]) -> list[Draft]:
    """One draft per event: each joins the first earlier event it tells (``_same_event``), found
    by the name of its recipient (or, with none, its actor) instead of a scan of all events."""
    merged: list[Draft] = []
    recipients, actors = _Parties(), _Parties()

    def index(pos: int) -> None:
        m = merged[pos]
        kind = _kind(m.event)
        if kind is None:
            return
        if m.event.recipient is None:
            actors.add(m.event.actor, pos, (m.factual, kind))
        else:
            recipients.add(m.event.recipient, pos, (m.factual, kind))

    for d in drafts:
        names = actors if d.event.recipient is None else recipients
        name = d.event.actor if d.event.recipient is None else d.event.recipient
        near = {pos for kind in _kinds_for(d.event) for pos in names.near(name, (d.factual, kind))}
        target = next((pos for pos in sorted(near) if _same_event(merged[pos], d)), None)
        if target is None:
            merged.append(d)
            index(len(merged) - 1)
            continue
        lead, other = _primary(merged[target], d)
        _join(lead, other)
        merged[target] = lead
        index(target)
    return merged


def _date_from_publication(doc: Document, merged: list[Draft]) -> None:
    """ "Putin has conferred the title ...": news in the present perfect happened by the day of
    the report, so an otherwise undated event takes the publication date."""
    if not doc.published or len(doc.published) < 10:
        return
    for d in merged:
        ev = d.event
        if ev.date or ev.date_text or ev.historical or not d.factual:
            continue
        auxes = {c.lower_ for c in d.trig.children if c.dep_ == "aux"}
        if auxes & {"has", "have"} and d.trig.tag_ == "VBN":
            ev.date, ev.date_text = doc.published[:10], "publication date (present perfect)"


def _fold_consequences(drafts: list[Draft]) -> list[Draft]:
    """ "shelled the town, killing two civilians": one attack, the participle tells its toll;
    "punching and kicking X": one beating, the object hangs on the last verb only."""
    out: list[Draft] = []
    at: defaultdict[int, list[Draft]] = defaultdict(list)  # drafts of ``out`` by trigger
    gone: set[int] = set()
    for d in drafts:
        head = d.trig.head
        lead = None
        here = at.get(head.i, [])
        if d.trig.dep_ == "advcl" and d.trig.tag_ == "VBG":
            lead = next((m for m in here if m.event.type == d.event.type), None)
            ask = next((m for m in here if m.event.type == "REQUEST"), None)
            if lead is None and ask is not None and d.event.type == "THREATEN":
                # "urged citizens not to join ..., warning that it is punishable": one warning
                here.remove(ask)
                gone.add(id(ask))
                d.event.recipient = d.event.recipient or ask.event.recipient
                d.event.also_type = f"REQUEST/{ask.event.mode}" if ask.event.mode else "REQUEST"
        elif d.trig.dep_ == "conj":
            lead = next((m for m in here if m.event.type == d.event.type
                         and m.event.recipient is None), None)  # fmt: skip
            if lead is not None:
                lead.event.recipient, lead.rec_tok = d.event.recipient, d.rec_tok
        if lead is None:
            out.append(d)
            at[d.trig.i].append(d)
        else:
            _absorb(lead.event, d.event)
    return [m for m in out if id(m) not in gone]


def _fold_anaphoric(drafts: list[Draft]) -> list[Draft]:
    out: list[Draft] = []
    last: dict[tuple[str, str | None], Draft] = {}  # the latest kept draft of each type/mode
    for d in drafts:
        if not d.anaphoric:
            out.append(d)
            last[d.event.type, d.event.mode] = d
            continue
        prev = last.get((d.event.type, d.event.mode))
        if prev is not None and d.factual:
            _absorb(prev.event, d.event)
    return out


def _join(lead: Draft, other: Draft) -> None:
    le, oe = lead.event, other.event
    if other.actor_tok is not None and other.actor_tok.pos_ == "PROPN" and (
        lead.actor_tok is None or lead.actor_tok.pos_ != "PROPN"
    ):
        le.actor = oe.actor  # a named actor over a description of the same one
    if {le.type, oe.type} != {le.type} and oe.type == "ACCUSE" and le.also_type is None:
        le.also_type = "ACCUSE/allege"
    if le.type == oe.type == "ACCUSE" and "investigate" in {le.mode, oe.mode}:
        le.mode = "investigate"  # an opened case is the investigation (guide convention)
    if _key(oe.recipient) and len(oe.recipient or "") > len(le.recipient or ""):
        le.recipient = oe.recipient
    _absorb(le, oe)


def _window(items: list[Any], k: int, gone: set[int] | None = None) -> Iterable[Any]:
    """The items within ``WINDOW`` places of item ``k``, in order (those in ``gone`` left out)."""
    for m in items[max(0, k - WINDOW) : k + WINDOW + 1]:
        if gone is None or id(m) not in gone:
            yield m


def _fold_unnamed(doc: Document, merged: list[Draft]) -> None:
    """A lede's "an employee of X" (or a later "they") is the named person of the same story."""
    names = mention_index(doc).names
    gone: set[int] = set()  # drafts folded into another (removed from ``merged`` at the end)
    for k, d in enumerate(list(merged)):
        if not d.factual or _named(names, d) or not _unnamed_single(d):
            continue
        fits = [
            m for m in _window(merged, k, gone)
            if m.trig.i != d.trig.i and m.factual and _named(names, m)
            and _compatible(m.event, d.event)
            and (m.event.mode == d.event.mode or d.event.type == "ACCUSE")
        ]  # fmt: skip
        if not fits:
            target = _pronoun_target(_window(merged, k, gone), d)
            if target is not None:
                _absorb(target.event, d.event)
                gone.add(id(d))
            continue
        before = [m for m in fits if m.trig.i < d.trig.i]
        target = before[-1] if before and _anaphor(d) else fits[0]
        target = _pronoun_target(_window(merged, k, gone), d) or target
        if target.event.actor is None:
            target.event.actor = d.event.actor
        if d.event.type == "ACCUSE" and target.event.type != "ACCUSE":
            target.event.also_type = target.event.also_type or "ACCUSE/allege"
        _absorb(target.event, d.event)
        gone.add(id(d))
    merged[:] = [m for m in merged if id(m) not in gone]


def _anaphor(d: Draft) -> bool:
    """A recipient that points back: "him", "they", "all four", "both"."""
    tok = d.rec_tok
    if tok is None:
        return False
    if tok.lower_ in _PRONOUNS:
        return bool(d.event.recipient) and d.event.recipient.lower() in _PRONOUNS
    if tok.lower_ in {"both", "all"}:
        return True
    return tok.pos_ == "NUM" and any(c.lower_ in {"all", "the", "both"} for c in tok.children)


def _pronoun_target(merged: Iterable[Draft], d: Draft) -> Draft | None:
    """ "he was detained on August 1" after "authorities detained a man": the same event."""
    if not _anaphor(d):
        return None
    prev = [
        m for m in merged
        if m.trig.i < d.trig.i and m.factual and m.trig.i != d.trig.i
        and _compatible(m.event, d.event) and m.event.recipient
    ]  # fmt: skip
    return prev[-1] if prev else None


def _lend_from_flagged(merged: list[Draft]) -> None:
    parties = _Parties()
    for k, m in enumerate(merged):
        if m.factual and is_legal(m.event):
            parties.add(m.event.recipient, k)
    for d in merged:
        if d.factual:
            continue
        for k in sorted(set(parties.near(d.event.recipient))):
            m = merged[k]
            if same_party(m.event.recipient, d.event.recipient):
                for f in ("charge", "max_penalty_years"):
                    if getattr(m.event, f) is None and getattr(d.event, f) is not None:
                        setattr(m.event, f, getattr(d.event, f))
                        if f in d.event.spans:
                            m.event.spans[f] = d.event.spans[f]
