"""Event readings that need more than the trigger's own clause.

- ``not_an_event``: a generic count ("at least 900 people have been prosecuted since 2022",
  "dozens have been detained in similar cases") summarises many happenings, and a prosecutor
  asking the court for a term is trial procedure; neither is emitted as one event.
- ``fined_party`` / ``named_in_clause``: the person fined ("fined her 20,000 soms": her, not the
  sum) and a person named anywhere in an agentless "a case was opened over X's posts".
- ``adopt_suspects``: "A criminal case has been opened under the article on treason" names no
  one; the article is about the suspect of the arrest or charge told nearest before it, and the
  agency that acted on that suspect is the investigating one.
- ``condemned_acts``: "condemned the verdict" condemns the court that gave it, "denounced the
  detention" the detention of the person arrested (the seed gold's convention).
- ``blame_attackers``: "the governor blamed Ukrainian forces for the attack" names the attacker
  of an attack told without one in a neighbouring sentence.

Cue words: tables ``generic_counts``, ``trial_requests``, ``money_nouns``,
``condemned_event_nouns`` and ``attacks`` in ``data/events/modifiers.json``.
"""

from __future__ import annotations

from typing import Any

from chronicle.extract.events_args import pobj_of
from chronicle.extract.events_lexicon import lexicon
from chronicle.extract.events_np import entities_at, name_for
from chronicle.model import Document

_LEGAL = {"COERCE", "SANCTION", "ACCUSE", "THREATEN"}
_CASE_PREPS = {"over", "against", "into", "on", "for", "about", "regarding"}
_NEIGHBOURS = 2  # sentences either side where a blame can name an attack's attacker
# Drafts looked at on either side of one (an article has fewer: this only bounds book-length
# input, where comparing every pair of drafts would be quadratic).
WINDOW = 256


def _mods() -> dict[str, Any]:
    return lexicon().modifiers


def _phrase(tok: Any) -> str:
    return " ".join(t.lower_ for t in tok.subtree)


def _is_count(tok: Any) -> bool:
    """ "dozens", "at least 900 people", "more than 40 activists": a number of people."""
    table = _mods().get("generic_counts", {})
    if tok.lower_ in set(table.get("count_words", [])):
        return True
    if not any(c.dep_ == "nummod" or c.like_num for c in tok.children) and not tok.like_num:
        return False
    text = _phrase(tok)
    return any(text.startswith(q + " ") for q in table.get("qualifiers", []))


def _generic(trig: Any, rec: Any) -> bool:
    table = _mods().get("generic_counts", {})
    clause = " " + " ".join(t.lower_ for t in trig.subtree) + " "
    numbered = rec.like_num or any(c.dep_ == "nummod" for c in rec.children)
    if numbered and any(f" {c} " in clause for c in table.get("total_cues", [])):
        return True  # "four people in total have been detained": a tally, not an arrest
    if not _is_count(rec):
        return False
    cues = table.get("cues", [])
    if any(f" {c} " in clause for c in cues):
        return True
    perfect = any(c.dep_ == "aux" and c.lower_ in {"have", "has"} for c in trig.children)
    placed = any(t.ent_type_ in {"GPE", "DATE", "LOC", "FAC"} for t in trig.subtree)
    return perfect and not placed  # "have been detained in Moscow on Sunday": one happening


def not_an_event(typ: str, trig: Any, actor: Any | None, recs: list[Any]) -> bool:
    """Statistics and a prosecutor's sentencing request: reported, but not one PLOVER event."""
    if typ == "REQUEST" and actor is not None:
        table = _mods().get("trial_requests", {})
        if actor.lemma_.lower() in set(table.get("askers", [])) and any(
            t.lemma_.lower() in set(table.get("penalties", [])) for t in trig.subtree
        ):
            return True
    if actor is not None:  # statistics are told without an agent: "courts have sentenced 20"
        return False
    return bool(typ in _LEGAL and recs and all(_generic(trig, r) for r in recs))


def fined_party(tok: Any) -> Any:
    """ "fined her 20,000 soms", "fined Meduza 2 million rubles": the party, not the sum."""
    if tok.lemma_.lower() not in set(_mods().get("money_nouns", [])):
        return tok
    for c in tok.children:
        if c.dep_ in {"poss", "nmod", "compound", "dative", "amod"} and c.i < tok.i \
                and not c.like_num \
                and c.pos_ in {"PRON", "PROPN", "NOUN"}:
            return c
    return tok


def named_in_clause(doc: Document, trig: Any, actor: Any | None, case: Any | None) -> list[Any]:
    """The first person named in the case's own phrases ("a case over Ivanov's posts"), not in
    the actor's phrase or an "according to" source; none when the case is "the case" (told
    before)."""
    if case is not None and any(c.lower_ in {"the", "this", "that"} for c in case.children):
        return []
    skip = {t.i for t in actor.subtree} if actor is not None else set()
    phrases = [case] if case is not None else []
    phrases += [c for c in trig.children if c.dep_ == "prep" and c.lower_ in _CASE_PREPS]
    for t in (t for p in phrases for t in p.subtree):
        if t.i in skip or t.pos_ != "PROPN":
            continue
        if t.ent_type_ == "PERSON" or any(
            e.type == "PERSON" for e in entities_at(doc, t.idx, t.idx + len(t.text))
        ):
            return [t]
    return []


def _suspect_source(drafts: list[Any], k: int) -> Any | None:
    """The nearest usable draft before draft ``k`` (in text order), else the nearest after,
    among the ``WINDOW`` drafts on either side."""
    d = drafts[k]

    def usable(m: Any) -> bool:
        return (m is not d and not m.orphan and m.factual and m.event.type in _LEGAL
                and m.event.mode != "disapprove" and bool(m.event.recipient))  # fmt: skip

    before = (m for m in reversed(drafts[max(0, k - WINDOW) : k + 1])
              if m.trig.i < d.trig.i and usable(m))  # fmt: skip
    after = (m for m in drafts[k : k + WINDOW + 1] if m.trig.i > d.trig.i and usable(m))
    return next(before, None) or next(after, None)


def adopt_suspects(doc: Document, drafts: list[Any]) -> list[Any]:
    """Orphan "a case was opened" drafts take the suspect (and agency) told nearest before.
    ``drafts`` are in text order."""
    out = []
    for k, d in enumerate(drafts):
        if not d.orphan:
            _adopt_agency(drafts, k)
            out.append(d)
            continue
        src = _suspect_source(drafts, k)
        if src is None:
            # "a case on recruitment has been opened, the ministry said": the announcing body
            # opened it; with no one to name and no source either, there is nothing to code
            said = [s for s in d.event.reported_by if s != doc.outlet]
            if said and d.event.actor is None:
                d.event.actor, d.orphan = said[0], False
                out.append(d)
            continue
        d.event.recipient, d.rec_tok = src.event.recipient, src.rec_tok
        if d.event.actor is None and src.event.actor:
            d.event.actor, d.actor_tok = src.event.actor, src.actor_tok
        d.orphan = False
        out.append(d)
    return out


def _adopt_agency(drafts: list[Any], k: int) -> None:
    """ "Police detained X. A case was opened against him": the detaining agency opened it (the
    nearest such draft among the ``WINDOW`` before)."""
    d = drafts[k]
    ev = d.event
    if ev.type != "ACCUSE" or ev.mode != "investigate" or ev.actor or not ev.recipient:
        return
    for m in reversed([m for m in drafts[max(0, k - WINDOW) : k + 1] if m.trig.i < d.trig.i]):
        if m.factual and not m.orphan and m.event.type in {"COERCE", "ACCUSE"} \
                and m.event.mode != "disapprove" and m.event.actor \
                and (m.event.recipient or "").lower() == ev.recipient.lower():
            ev.actor, d.actor_tok = m.event.actor, m.actor_tok
            return


def _condemned_noun(tok: Any) -> Any:
    """ "the ruling against the journalist": roles gave the journalist; the act is the ruling."""
    head = tok.head
    if tok.dep_ == "pobj" and head.lower_ in {"against", "of", "on"} and head.head.pos_ == "NOUN":
        return head.head
    return tok


def condemned_acts(doc: Document, merged: list[Any]) -> None:
    """A condemned verdict names its court; a condemned detention its detainee."""
    table = _mods().get("condemned_event_nouns", {})
    court_nouns, held_nouns = set(table.get("court", [])), set(table.get("detained", []))
    attack_nouns = set(_mods().get("attacks", {}).get("nouns", [])) | {"shell"}
    ordered = sorted(merged, key=lambda m: m.trig.i)
    for k, d in enumerate(ordered):
        ev = d.event
        if ev.type != "ACCUSE" or ev.mode != "disapprove" or d.rec_tok is None:
            continue
        near = ordered[max(0, k - WINDOW) : k + WINDOW + 1]
        noun = _condemned_noun(d.rec_tok)
        lemma = noun.lemma_.lower()
        agent = _agent_of(noun)
        if lemma in attack_nouns and agent is not None:
            ev.recipient = name_for(doc, agent)  # "condemned the shelling of X by Y": Y
        elif lemma in attack_nouns:
            pick = _nearest(near, d, ("ASSAULT",), lambda m: m.event.actor)
            if pick is not None:  # "criticised the shelling": of the attacker told nearby
                ev.recipient = pick.event.actor
        elif lemma in court_nouns:
            want = ("SANCTION",)
            judge = agent
            pick = _nearest(near, d, want, lambda m: m.event.actor)
            if judge is not None:  # "the sentence handed to X by the Tashkent court"
                ev.recipient = name_for(doc, judge)
            elif pick is not None:
                ev.recipient = pick.event.actor
        elif lemma in held_nouns and noun.i == d.rec_tok.i:
            held = pobj_of(noun, ("of",))  # "the jailing of the politician": the politician
            pick = _nearest(near, d, ("COERCE", "SANCTION"), lambda m: m.event.recipient)
            if held is not None:
                ev.recipient = name_for(doc, held)
            elif pick is not None:
                ev.recipient = pick.event.recipient


def _agent_of(noun: Any) -> Any | None:
    """ "the sentence handed to X by the court", "the shelling of X by Y": the doer."""
    for t in noun.subtree:
        if t.dep_ == "agent" or (t.dep_ == "prep" and t.lower_ == "by" and t.head.i == noun.i):
            obj = next((c for c in t.children if c.dep_ == "pobj"), None)
            if obj is not None:
                return obj
    return None


def _nearest(ordered: list[Any], d: Any, types: tuple[str, ...], field: Any) -> Any | None:
    fits = [m for m in ordered if m is not d and m.event.type in types and field(m)
            and m.factual]  # fmt: skip
    before = [m for m in fits if m.trig.i < d.trig.i]
    return before[-1] if before else (fits[0] if fits else None)


def blame_attackers(doc: Document, merged: list[Any]) -> None:
    """An attack without an attacker takes the party blamed for an attack nearby."""
    if doc.nlp_doc is None:
        return
    sent_no = {s.start: i for i, s in enumerate(doc.nlp_doc.sents)}
    attack_words = set(_mods().get("attacks", {}).get("nouns", []))
    blames = []
    for d in merged:
        if d.event.type != "ACCUSE" or not d.factual or not d.event.recipient:
            continue
        if d.trig.lemma_.lower() in {"blame", "accuse", "fault"} and any(
            t.lemma_.lower() in attack_words for t in d.trig.subtree
        ):
            blames.append(d)
    by_sent: dict[int, list[tuple[int, Any]]] = {}
    for k, b in enumerate(blames):
        by_sent.setdefault(sent_no.get(b.sent.start, 99), []).append((k, b))
    for d in merged:
        if d.event.type != "ASSAULT" or d.event.actor:
            continue
        here = sent_no.get(d.sent.start, -99)
        near = [b for _, b in sorted(
            (kb for n in range(here - _NEIGHBOURS, here + _NEIGHBOURS + 1)
             for kb in by_sent.get(n, ())), key=lambda kb: kb[0])]  # fmt: skip
        if near:
            best = min(near, key=lambda b: abs(b.trig.i - d.trig.i))
            d.event.actor = best.event.recipient
