"""PLOVER events from a parsed article: trigger lexicons + dependency roles + legal detail.

``extract_events(doc)`` fills ``doc.events``. For every trigger the lexicon finds
(``events_lexicon``), it reads actor and recipient from the parse (``events_args``), names them
with the document's entities (``events_np``), flags negated / hypothetical / historical readings,
dates the event from the dates attached to the trigger's clause (never the date of the report),
places it (``events_place``), adds legal detail (``legal``) and the attribution chain
(``attribution``). ``events_merge`` then resolves "the court" to its antecedent, carries penalties
stated in other sentences to the right person, and merges mentions of the same event.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from chronicle.extract import budget
from chronicle.extract.attribution import reported_by
from chronicle.extract.dates import dates_in, resolve_anaphoric
from chronicle.extract.docindex import text_of
from chronicle.extract.events_args import (
    alleged,
    background,
    clause_chain,
    historical,
    hypothetical,
    is_offence,
    is_thing,
    negated,
    roles,
)
from chronicle.extract.events_attack import attack_args, is_attack_noun, is_weapon, weapon_mode
from chronicle.extract.events_context import fined_party, named_in_clause, not_an_event
from chronicle.extract.events_lexicon import Rule, lexicon
from chronicle.extract.events_merge import Draft, finalise
from chronicle.extract.events_np import entities_at, name_for, np_bounds, pronoun_antecedent
from chronicle.extract.events_place import event_location, place_of
from chronicle.extract.events_triggers import event_triggers
from chronicle.extract.legal import charge_in, custody_in, penalty_in, sentence_in
from chronicle.model import Document, Event

log = logging.getLogger(__name__)

_NOT_EVENT_DATE = {"until", "till", "through", "by", "before", "pending"}
_PRISON = {"prison", "jail", "colony", "imprisonment", "penal", "custody", "detention"}
_NOT_PRISON = {"suspended", "probation", "conditional", "fine", "fined"}
_MATTER_PREPS = {"over", "into", "on", "about", "regarding"}
# Readings of the factuality head reported as hypothetical. "alleged" is not among them: an
# accusation or a party's claim is still a reported event (the rules flag explicit "allegedly").
_NOT_ASSERTED = {"possible", "future", "generic"}
_DYADIC = {"CONSULT", "COOPERATE", "AGREE"}  # acts of two parties
_PER_PERSON = {"COERCE", "SANCTION", "ACCUSE", "THREATEN", "ASSAULT", "RETREAT"}


def extract_events(doc: Document) -> Document:
    """Fill ``doc.events`` from ``doc.nlp_doc`` (the spaCy parse of ``doc.body``)."""
    sdoc = doc.nlp_doc
    if sdoc is None or not doc.body:
        doc.events = []
        return doc
    ref_year = int(doc.published[:4]) if doc.published and doc.published[:4].isdigit() else None
    drafts: list[Draft] = []
    for found in event_triggers(sdoc):
        if budget.over():
            break  # the time budget is spent: merge what was read
        try:
            drafts.extend(_drafts(doc, found.rule, found.token, found.with_tok, ref_year,
                                  found.factuality, learned=found.source != "rules"))  # fmt: skip
        except Exception as exc:  # one odd parse must not cost the article its other events
            log.warning("%s: event at %r skipped (%s: %s)", doc.source, found.token.text,
                        type(exc).__name__, exc)  # fmt: skip
    doc.events = finalise(doc, drafts)
    return doc


def _chain(trig: Any) -> list[Any]:
    """The trigger and the verbs sharing its clause (coordinated heads, controllers)."""
    out = clause_chain(trig)
    if trig.pos_ == "NOUN":  # "ordered the arrest of X on Friday": the governing verb's date
        head = trig.head
        for _ in range(3):
            if head.pos_ in {"VERB", "AUX"}:
                out.append(head)
                break
            if head.head.i == head.i:
                break
            head = head.head
    out.extend(c for c in trig.children if c.dep_ == "conj" and c.pos_ == "VERB")
    return out


def _retype(rule: Rule, trig: Any, with_tok: Any | None) -> tuple[str, str]:
    """TYPE and mode after the retype table ("arrest in absentia" is a threat of arrest)."""
    typ, mode = rule.type, rule.mode
    skip = {t.i for c in trig.children if c.dep_ == "conj" for t in c.subtree}
    clause = " ".join(t.lower_ for t in trig.subtree if t.i not in skip)
    for rt in lexicon().modifiers.get("retype", []):
        src = rt["from"]
        if src not in {typ, f"{typ}/{mode}"}:
            continue
        if "phrase" in rt and rt["phrase"] in clause.lower():
            typ, mode = rt["to"].split("/")
        elif "complement" in rt:
            for comp in trig.subtree:
                if any(c.dep_ == "neg" for c in comp.children):
                    continue  # "urged citizens not to join": a warning, not recruitment
                if comp.lemma_.lower() in rt["complement"] and any(
                    o.lemma_.lower() in rt["object"] or o.lower_ in rt["object"]
                    for o in comp.subtree
                ):
                    typ, mode = rt["to"].split("/")
                    break
    if typ == "REQUEST" and rule.mode_by_complement:
        mode = _request_mode(trig)
    return typ, mode


def _request_mode(trig: Any) -> str:
    lex = lexicon()
    for comp in trig.subtree:
        if comp.i <= trig.i or comp.pos_ != "VERB":
            continue
        for mode, lemmas in lex.request_modes.items():
            if comp.lemma_.lower() in lemmas:
                return mode
        return lex.request_default
    return lex.request_default


def _drafts(doc: Document, rule: Rule, trig: Any, with_tok: Any | None, ref_year: int | None,
            factuality: str | None = None, learned: bool = False):
    """Event drafts for one trigger. ``learned``: the trained head found it, so it has already
    judged the word's sense; only the argument reading is left to the parse."""
    if background(trig):
        return []
    if rule.type == "ACCUSE" and rule.mode == "disapprove" and trig.dep_ == "acl":
        return []  # "posts criticising the war": what something says, not an act
    typ, mode = _retype(rule, trig, with_tok)
    actor_tok, rec_toks = roles(rule, trig, with_tok)
    rec_toks = [t for t in rec_toks if not is_offence(t)]
    attack = None
    if typ == "ASSAULT" and is_attack_noun(trig):
        attack = attack_args(trig, mode)  # "killed in a drone attack on X"
        if attack is None:
            return []
        mode, rec_toks, actor_tok = attack.mode, attack.recipients, attack.actor
    elif typ == "ASSAULT" and (
        (not learned and (not _agentive(actor_tok) or _bare_participle(trig)))
        or (learned and actor_tok is not None and not _agentive(actor_tok))
    ):
        return []  # "struck by the placement of the words", "suffered dead and wounded"
    elif typ == "ASSAULT" and rec_toks and all(is_weapon(t) for t in rec_toks):
        return []  # "air defences shot down 12 drones": interception, not an attack on people
    elif typ == "ASSAULT" and not mode and actor_tok is not None:
        mode = weapon_mode(list(actor_tok.subtree))  # "a Ukrainian drone struck a depot"
    if typ == "CONSULT" and rec_toks and all(is_thing(t) for t in rec_toks):
        return []  # "visited the site", "visited a colony": a place seen, not a party met
    if learned and typ in _DYADIC and not rec_toks and not _several(actor_tok):
        return []  # "a post in which X discussed ...": a meeting needs a second party
    if not_an_event(typ, trig, actor_tok, rec_toks):
        return []  # prosecution statistics, a prosecutor's sentencing request
    if typ == "SANCTION":
        rec_toks = [fined_party(t) for t in rec_toks]  # "fined her 20,000 soms": her
    rec_toks = [_named_member(doc, t) for t in rec_toks]
    if actor_tok is not None and actor_tok.pos_ == "PRON" and actor_tok.lower_ in {"who", "that"}:
        actor_tok = None
    if typ == "MOBILIZE" and mode == "recruit" and actor_tok is None:
        actor_tok = _joined_force(trig)
    need = "none" if attack is not None else rule.needs if typ == rule.type else "either"
    if learned and need == "recipient":
        need = "either"  # "authorities imposed a curfew": an act with no one named as its target
    anaphoric = orphan = False
    if mode == "investigate":  # "a case over the calls to join": the matter, not a suspect
        rec_toks = [t for t in rec_toks if not (
            is_thing(t) and t.head.lower_ in _MATTER_PREPS
            and not any(x.pos_ == "PROPN" for x in t.subtree)  # "a post by Jamalov": his
        )]  # fmt: skip
    if not rec_toks and mode == "investigate":
        # "a case was opened over Ivanov's posts": Ivanov
        rec_toks = named_in_clause(doc, trig, actor_tok, with_tok)
    if not _has_needed(need, actor_tok, rec_toks):
        # "the case was initiated on September 11": more about an event already told
        if with_tok is not None and any(c.lower_ in {"the", "this"} for c in with_tok.children):
            anaphoric = True
        elif mode == "investigate" and with_tok is not None:
            orphan = True  # "a criminal case was opened": against the suspect told before
        else:
            return []
    sent = trig.sent
    chain = _chain(trig)
    if attack is not None and attack.verb is not None:
        chain.append(attack.verb)  # "a strike hit a building in Kharkiv": the verb's place
    if with_tok is not None and with_tok.pos_ in {"VERB", "ADJ"}:
        chain.append(with_tok)  # "declared wanted ... in March": the phrase's own modifiers
    date = _event_date(doc, sent, trig, chain)
    neg, hyp = negated(trig), hypothetical(trig) or alleged(trig)
    year = int(date[0][:4]) if date and date[0] and date[0][:4].isdigit() else None
    hist = historical(trig, year, ref_year)
    if factuality is not None:  # the trained factuality head read this trigger
        neg = neg or factuality == "negated"
        hyp = hyp or factuality in _NOT_ASSERTED
        hist = hist or factuality == "historical"
    actor = name_for(doc, actor_tok) if actor_tok is not None else None
    location = None
    if attack is not None:
        location = place_of(doc, attack.places)
    elif typ == "ASSAULT" and rec_toks:  # "shelled Kherson": the place attacked, not the army's
        location = place_of(doc, list(rec_toks[0].subtree))
    location = location or event_location(doc, typ, chain, trig, actor_tok, mode)
    chain_src = reported_by(doc, sent, exclude=(actor,) if actor else ())
    out = []
    joined = None
    if typ not in _PER_PERSON and len(rec_toks) > 1:  # "called on Russia and Kazakhstan"
        joined = " and ".join(name_for(doc, t) for t in rec_toks)
        rec_toks = rec_toks[:1]
    for rec_tok in rec_toks or [None]:
        recipient = joined or _recipient_name(doc, typ, rec_tok)
        if recipient and actor and recipient == actor:
            continue
        ev = Event(
            type=typ, mode=mode or None, actor=actor, recipient=recipient,
            negated=neg, hypothetical=hyp, historical=hist,
            evidence=sent.text.strip(), evidence_span=doc.raw_span(sent.start_char, sent.end_char),
            trigger=doc.raw_span(trig.idx, trig.idx + len(trig.text)),
            location=location, reported_by=list(chain_src),
            confidence=0.6 if trig.pos_ == "NOUN" else 0.85,
        )  # fmt: skip
        if date:
            ev.date, ev.date_text = date[0], date[1]
            ev.spans["date"] = doc.raw_span(date[2], date[3])
        for role, tok in (("actor", actor_tok), ("recipient", rec_tok)):
            if tok is not None:
                s, e = np_bounds(tok)
                last = sent.doc[e - 1]
                ev.spans[role] = doc.raw_span(sent.doc[s].idx, last.idx + len(last.text))
        _legal(doc, ev, typ, mode, rule, sent, trig)
        ev.context = _contexts(rule, sent, ev)
        out.append(Draft(ev, trig, sent, actor_tok, rec_tok, anaphoric, orphan))
    return out


def _recipient_name(doc: Document, typ: str, tok: Any | None) -> str | None:
    if tok is None:
        return None
    if tok.lower_ in {"him", "her", "he", "she"}:
        found = None
        if typ in {"COERCE", "SANCTION", "ACCUSE", "THREATEN"}:
            words = set(lexicon().modifiers.get("legal_context_words", []))
            found = pronoun_antecedent(doc, tok, words)
        found = found or pronoun_antecedent(doc, tok)
        if found:
            return found
    return name_for(doc, tok)


def _joined_force(trig: Any) -> Any | None:
    """Who recruits when the text only says whom people are recruited to join or fight for:
    "attempts to recruit locals to join Russian forces" -> Russian forces."""
    for comp in trig.subtree:
        if comp.pos_ != "VERB" or comp.i == trig.i:
            continue
        if comp.lemma_.lower() in {"join", "enlist"}:
            obj = next((c for c in comp.children if c.dep_ == "dobj"), None)
            if obj is not None:
                return obj
        if comp.lemma_.lower() in {"fight", "serve"}:
            for_ = next((c for c in comp.children if c.dep_ == "prep" and c.lower_ == "for"), None)
            obj = next((c for c in for_.children if c.dep_ == "pobj"), None) if for_ else None
            if obj is not None:
                return obj
    return None


def _bare_participle(trig: Any) -> bool:
    return trig.tag_ == "VBN" and not any(c.dep_ in {"aux", "auxpass"} for c in trig.children) \
        and trig.dep_ not in {"relcl", "acl", "advcl"}


def _named_member(doc: Document, tok: Any) -> Any:
    """ "four people, among them Natalia Serekina": the named member stands for the group."""
    if tok.pos_ != "NOUN" or tok.tag_ != "NNS":
        return tok
    window = list(tok.doc[tok.i + 1 : min(tok.i + 5, tok.sent.end)])
    words = [t.lower_ for t in window]
    cue = next((i for i, w in enumerate(words) if w in {"including", "among"}), None)
    if cue is None:
        return tok
    for t in tok.doc[window[cue].i + 1 : min(window[cue].i + 6, tok.sent.end)]:
        if t.ent_type_ == "PERSON" or any(
            e.type == "PERSON" for e in entities_at(doc, t.idx, t.idx + len(t.text))
        ):
            return t
    return tok


def _several(tok: Any | None) -> bool:
    """A plural or coordinated party ("the two sides", "Russia and China")."""
    if tok is None:
        return False
    return tok.tag_ in {"NNS", "NNPS"} or any(c.dep_ == "conj" for c in tok.children)


def _agentive(tok: Any | None) -> bool:
    """An attacker: a named actor, a pronoun, or a noun for people, forces or weapons."""
    if tok is None:
        return False
    if tok.pos_ in {"PROPN", "PRON"} or tok.ent_type_ in {"PERSON", "ORG", "NORP", "GPE"}:
        return True
    mods = lexicon().modifiers
    agents = set(mods.get("agent_nouns", [])) | set(mods.get("people_nouns", []))
    return tok.lemma_.lower() in agents


def _has_needed(need: str, actor: Any | None, recs: list[Any]) -> bool:
    if need == "recipient":
        return bool(recs)
    if need == "actor":
        return actor is not None
    if need == "either":
        return actor is not None or bool(recs)
    return True


def _legal(doc: Document, ev: Event, typ: str, mode: str, rule: Rule, sent: Any, trig: Any) -> None:
    if typ not in {"COERCE", "SANCTION", "ACCUSE", "THREATEN"}:
        return
    charge = charge_in(sent, trig)
    if charge:
        ev.charge = charge[0]
        ev.spans["charge"] = doc.raw_span(charge[1], charge[2])
    if typ in {"COERCE", "THREATEN"}:
        custody = custody_in(sent)
        if custody:
            ev.custody = custody[0]
            ev.spans["custody"] = doc.raw_span(custody[1], custody[2])
    penalty = penalty_in(sent)
    if penalty:
        ev.max_penalty_years = penalty[0]
        ev.spans["max_penalty_years"] = doc.raw_span(penalty[1], penalty[2])
    if typ == "SANCTION" and mode == "convict":
        term = sentence_in(sent, after=trig.idx)
        if term and not (penalty and penalty[1] <= term[1] < penalty[2]):
            ev.sentence_years = term[0]
            ev.spans["sentence_years"] = doc.raw_span(term[1], term[2])
        words = {t.lower_ for t in sent}
        if rule.imprisons and (words & _PRISON or term) and not words & _NOT_PRISON:
            ev.also_type = "COERCE/arrest"


def _contexts(rule: Rule, sent: Any, ev: Event) -> list[str]:
    out = list(rule.context)
    text = " " + re.sub(r"\s+", " ", sent.text.lower()) + " "
    lemmas = {t.lemma_.lower() for t in sent}
    for ctx, words in lexicon().contexts.items():
        if ctx in out:
            continue
        for w in words:
            if (" " in w and w in text) or w in lemmas or (ev.charge and w in ev.charge.lower()):
                out.append(ctx)
                break
    return out


def _event_date(doc: Document, sent: Any, trig: Any, chain: list[Any]):
    """(iso or None, surface, body start, body end) of the date attached to the event."""
    chain_ids = {t.i for t in chain}
    direct, fronted, loose = [], [], []
    for start, end, iso, surface in dates_in(sent, doc.published):
        span = sent.doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        before = text_of(sent.doc)[max(sent.start_char, start - 12) : start].lower().split()
        if before and (before[-1] in _NOT_EVENT_DATE or before[-2:] == ["as", "of"]):
            continue
        gov = _governor(span.root, trig)
        item = (iso, surface, start, end)
        if gov is None:
            loose.append(item)
        elif gov.i in chain_ids or gov.i == trig.i:
            direct.append(item)
        elif gov.i == sent.root.i and span.end <= sent.root.i and span.start - sent.start <= 3:
            # "On 12 March, police detained X and opened a case": a fronted time expression
            # sets the time of every event of its sentence that has no closer date of its own
            fronted.append(item)
        # else: the date of another clause: of the report ("the office reported on June 30")
        # or of a background happening ("since Russia seized Crimea in 2014")
    pick = direct or fronted or loose
    if not pick:
        return None
    iso, surface, start, end = pick[0]
    if iso is None and surface.lower().split()[0] in {"that", "the"}:
        # "That year Moscow courts sentenced him": the year named just before
        text = text_of(sent.doc)[max(0, sent.start_char - 1500) : sent.start_char]
        earlier = [d[2] for d in dates_in(text, doc.published)]
        iso = resolve_anaphoric(surface, earlier)
    return iso, surface, start, end


def _governor(tok: Any, trig: Any) -> Any | None:
    """The first verb (or the trigger) above a date token."""
    cur = tok
    for _ in range(6):
        if cur.i == trig.i or (cur.pos_ in {"VERB", "AUX"} and cur.i != tok.i):
            return cur
        if cur.head.i == cur.i:
            return cur if cur.pos_ in {"VERB", "AUX"} else None
        cur = cur.head
    return None
