"""Where events are: trigger tokens from the learned reader, the trigger rules, or both.

``CHRONICLE_EVENT_READER`` chooses: ``learned`` (the trained trigger head alone, at
``CHRONICLE_TRIGGER_THRESHOLD``, 0.5), ``rules`` (the lexicon of ``events_lexicon`` alone) or
``combined`` (the default). Combined, the rules speak first: every rule trigger stands (a rule
and the head typing one word differently: the rule's type), and the head adds a trigger at
``CHRONICLE_COMBINED_THRESHOLD`` (0.8) in each sentence where no rule fired
(``CHRONICLE_BACKOFF_BY_TYPE=1``: where no rule fired for that type; more recall on unseen text,
less precision on the salient-events gold). ``CHRONICLE_TRIGGER_VETO`` (off by default) drops a
rule trigger the head calls "no event" with at least that probability.

A learned trigger borrows the argument settings (roles, prepositions, ``with`` word) of a
lexicon rule of the same type on the same word when there is one, so "placed X in detention"
keeps its recipient reading. A learned trigger carries the factuality head's reading (when the
head is at least ``CHRONICLE_FACTUALITY_THRESHOLD`` sure); a rule trigger keeps the rules' own
cues unless ``CHRONICLE_RULE_FACTUALITY=learned``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import Any

from chronicle.extract.events_lexicon import Rule, find_triggers, rules_for
from chronicle.extract.learned.reader import outside_prob, predictions

# A learned label is taken when its probability reaches this; a rule trigger is dropped when the
# trigger head gives "no event" at least VETO (chosen on the corpus development split).
THRESHOLD = float(os.environ.get("CHRONICLE_TRIGGER_THRESHOLD", "0.5"))
# Beside the rules, the head adds a trigger only when it is surer than this.
COMBINED_THRESHOLD = float(os.environ.get("CHRONICLE_COMBINED_THRESHOLD", "0.8"))
VETO = float(os.environ.get("CHRONICLE_TRIGGER_VETO", "1.01"))  # > 1: never
# Where a rule and the trained head type the same word differently, which one is kept.
RULE_WINS = os.environ.get("CHRONICLE_TRIGGER_CONFLICT", "rules") == "rules"
BACKOFF = os.environ.get("CHRONICLE_TRIGGER_BACKOFF", "1") == "1"
# How sure the head must be to override a bare-word rule's type ("went on strike": a protest,
# not the attack the bare noun "strike" names elsewhere).
SENSE_SURE = float(os.environ.get("CHRONICLE_SENSE_SURE", "0.9"))
BACKOFF_BY_TYPE = os.environ.get("CHRONICLE_BACKOFF_BY_TYPE", "0") == "1"
# A factuality reading other than the head's most likely one is never used; below this
# probability even that one is not (the rules' negation and modality cues still apply).
FACT_THRESHOLD = float(os.environ.get("CHRONICLE_FACTUALITY_THRESHOLD", "0.5"))


@dataclass
class Trigger:
    """One event trigger: its rule (type, mode, argument settings), token and factuality."""

    rule: Rule
    token: Any
    with_tok: Any | None
    factuality: str | None = None  # None: the rules decide (no learned reading)
    source: str = "rules"  # rules | learned | both


def reader_mode() -> str:
    mode = os.environ.get("CHRONICLE_EVENT_READER", "combined")
    return mode if mode in {"rules", "learned", "combined"} else "combined"


def _generic_rule(label: str, token: Any) -> Rule:
    typ, _, mode = label.partition("/")
    lemma = token.lemma_.lower()
    return Rule(key=f"learned:{label}", type=typ, mode=mode, context=(),
                verbs=(lemma,) if token.pos_ in {"VERB", "AUX"} else (),
                nouns=(lemma,) if token.pos_ != "VERB" else (), needs="either")  # fmt: skip


def _learned_rule(label: str, token: Any) -> tuple[Rule, Any | None]:
    """A lexicon rule of the learned type on this word (with its ``with`` token), else generic."""
    typ, _, mode = label.partition("/")
    for rule, with_tok in rules_for(token):
        if rule.type == typ:
            return replace(rule, mode=mode or rule.mode), with_tok
    return _generic_rule(label, token), None


def event_triggers(sdoc: Any) -> list[Trigger]:
    """Trigger tokens of the parsed document ``sdoc`` in text order (see the module docstring)."""
    mode = reader_mode()
    threshold = THRESHOLD if mode == "learned" else COMBINED_THRESHOLD
    learned = {p.token.i: p for p in predictions(sdoc, threshold)} if mode != "rules" else {}
    out: dict[int, Trigger] = {}
    for i, pred in learned.items():
        rule, with_tok = _learned_rule(pred.label, pred.token)
        out[i] = Trigger(rule, pred.token, with_tok, pred.factuality, "learned")
    if mode != "learned":
        for rule, tok, with_tok in find_triggers(sdoc):
            if tok.i in out:
                sure = learned[tok.i].prob >= SENSE_SURE if tok.i in learned else False
                if RULE_WINS and out[tok.i].rule.type != rule.type and not (
                    rule.specificity == 0 and sure
                ):  # a bare word rule knows no sense: the head, when sure, says which one
                    out[tok.i] = Trigger(rule, tok, with_tok, _rule_factuality(tok), "both")
                out[tok.i].source = "both"
                continue
            if mode == "rules":
                out[tok.i] = Trigger(rule, tok, with_tok)
                continue
            p_out = outside_prob(tok)
            if p_out is not None and p_out >= VETO:
                continue  # the trained head is sure this word names no event here
            out[tok.i] = Trigger(rule, tok, with_tok, _rule_factuality(tok), "rules")
    for trig in out.values():
        if trig.factuality is not None and _factuality_prob(trig.token) < FACT_THRESHOLD:
            trig.factuality = "asserted"  # the head is unsure: the rules' cues decide alone
    if BACKOFF and mode == "combined":
        # The rules speak first: a learned trigger stands only in a sentence where no rule fired
        # (the rules are precise on the phrasings they know; the head reads the rest).
        if BACKOFF_BY_TYPE:
            ruled = {(t.token.sent.start, t.rule.type) for t in out.values()
                     if t.source != "learned"}  # fmt: skip
            out = {i: t for i, t in out.items() if t.source != "learned"
                   or (t.token.sent.start, t.rule.type) not in ruled}  # fmt: skip
        else:
            ruled = {t.token.sent.start for t in out.values() if t.source != "learned"}
            out = {i: t for i, t in out.items() if t.source != "learned"
                   or t.token.sent.start not in ruled}  # fmt: skip
    return [out[i] for i in sorted(out)]


def _rule_factuality(tok: Any) -> str | None:
    """A rule trigger keeps the rules' own negation and modality cues unless asked otherwise
    (``CHRONICLE_RULE_FACTUALITY=learned``): the rules were written with those cues."""
    if os.environ.get("CHRONICLE_RULE_FACTUALITY", "rules") == "learned":
        return _factuality_at(tok)
    return None


def _factuality_prob(tok: Any) -> float:
    doc = tok.doc
    if not doc.has_extension("event_factuality_probs") or doc._.event_factuality_probs is None:
        return 0.0
    _, probs = doc._.event_factuality_probs
    return float(probs[tok.i].max()) if len(probs) > tok.i else 0.0


def _factuality_at(tok: Any) -> str | None:
    doc = tok.doc
    if not doc.has_extension("event_factuality_probs") or doc._.event_factuality_probs is None:
        return None
    labels, probs = doc._.event_factuality_probs
    return labels[int(probs[tok.i].argmax())] if len(probs) > tok.i else None
