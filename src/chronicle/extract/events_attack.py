"""Attacks told as nouns: "killed in a drone attack on Kursk region", "shelling of the village
left three civilians dead", "a missile strike hit a residential building".

News of strikes rarely names the attacker in the clause that reports the toll; the attack noun
is the trigger. ``attack_args`` reads from the parse what the attack did: its victims (the
subject of "were killed in ...", the object of "left N dead" / "killed N"), else the place or
object it hit ("an attack on X", "shelling of X", "hit a building"), its mode from the weapon
named with it (drone, missile, artillery, gunfire; table ``attacks`` in
``data/events/modifiers.json``) and an attacker named in the phrase ("by X", "X's attack").
Who the text blames in another sentence is found later (``events_context.blame_attackers``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from chronicle.extract.events_args import child, pobj_of
from chronicle.extract.events_lexicon import lexicon

_PARTICIPANT = {"nsubj", "nsubjpass", "dobj", "pobj"}


@dataclass
class AttackArgs:
    """What one attack noun says: mode, victims or target, attacker, the verb telling the toll."""

    mode: str
    recipients: list[Any] = field(default_factory=list)
    actor: Any | None = None
    verb: Any | None = None
    places: list[Any] = field(default_factory=list)  # the target's and the toll's place words


def _table() -> dict[str, Any]:
    return lexicon().modifiers.get("attacks", {})


def is_attack_noun(trig: Any) -> bool:
    """A nominal attack trigger, or a gerund used as one ("Shelling of the village left ...")."""
    if trig.pos_ == "NOUN":
        return trig.lemma_.lower() in set(_table().get("nouns", []))
    return trig.tag_ == "VBG" and trig.dep_ in _PARTICIPANT


def is_weapon(tok: Any) -> bool:
    """A projectile ("drones", "missiles"): what air defences shoot down."""
    return tok.lemma_.lower() in set(_table().get("projectiles", []))


def weapon_mode(tokens: list[Any], default: str = "") -> str:
    """The mode of the first weapon word among ``tokens`` ("drone" -> drone)."""
    for tok in tokens:
        for key in (tok.lower_, tok.lemma_.lower()):
            for mode, words in _table().get("weapon_modes", {}).items():
                if key in words:
                    return mode
    return default


def _victims(verb: Any) -> list[Any]:
    """Subjects of "were killed and five wounded": each casualty group once."""
    out = []
    for v in [verb, *[c for c in verb.children if c.dep_ == "conj"]]:
        subj = child(v, {"nsubjpass", "nsubj"})
        if subj is not None and subj.pos_ in {"NOUN", "PROPN", "NUM", "PRON"}:
            out.append(subj)
    return out[:1]


def attack_args(trig: Any, rule_mode: str) -> AttackArgs | None:
    """Arguments of an attack noun, or None when the sentence tells no victim and no target."""
    table = _table()
    casualty = set(table.get("casualty_verbs", []))
    hit = set(table.get("hit_verbs", []))
    mods = [c for c in trig.children if c.dep_ in {"compound", "amod", "nmod"} and c.i < trig.i]
    for m in list(mods):
        mods.extend(c for c in m.children if c.dep_ in {"compound", "amod"})
    mode = weapon_mode([*mods, trig], rule_mode)
    inherent = trig.lemma_.lower() in set(table.get("weapon_nouns", [])) or trig.pos_ == "VERB"
    found = AttackArgs(mode=mode)
    projectile = trig.lemma_.lower() in set(table.get("projectiles", []))
    if not projectile:  # "a drone of the Russian army" is the weapon's owner, not a target
        found.actor = pobj_of(trig, {"by"}) or child(trig, {"poss"})
    head = trig.head
    if trig.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in {"in", "during", "after"}:
        verb = head.head
        if verb.dep_ == "conj" and verb.head.lemma_.lower() in casualty:
            verb = verb.head  # "two were killed and five wounded in ...": the first toll
        if verb.pos_ == "VERB" and verb.lemma_.lower() in casualty:
            found.verb, found.recipients = verb, _victims(verb)  # "killed in a drone attack"
        elif verb.pos_ == "VERB" and verb.lemma_.lower() in hit:
            subj = child(verb, {"nsubjpass"})  # "a school was damaged in shelling"
            found.verb, found.recipients = verb, [subj] if subj is not None else []
    elif trig.dep_ == "nsubj" and head.pos_ == "VERB":
        obj = child(head, {"dobj"})
        lemma = head.lemma_.lower()
        if obj is not None and (lemma in casualty or lemma in hit):
            found.verb, found.recipients = head, [obj]  # "a strike killed two", "hit a building"
        elif obj is not None and lemma in set(table.get("toll_verbs", [])) and (
            obj.lower_ in casualty  # "left one civilian dead", parsed with "dead" the object
        ):
            found.verb, found.recipients = head, [obj]
        elif obj is not None and lemma in set(table.get("toll_verbs", [])) and any(
            c.dep_ in {"oprd", "xcomp", "acomp"} and c.lower_ in casualty | {"dead"}
            for c in head.children
        ):
            found.verb, found.recipients = head, [obj]  # "left three civilians dead"
    if not found.recipients and (inherent or mode) and not projectile:
        target = pobj_of(trig, ("on", "against", "of"))
        if target is not None and not target.like_num:
            found.recipients = [target]
    if not found.recipients:
        return None  # "Russia's attack on Ukraine" as background, a labour strike: no event
    target = pobj_of(trig, ("on", "against", "of", "in", "near", "at"))
    if target is not None:
        found.places.extend(target.subtree)
    for holder in (found.verb, *found.recipients):
        for c in holder.children if holder is not None else ():
            if c.dep_ == "prep" and c.lower_ in {"in", "near", "at", "outside"}:
                found.places.extend(c.subtree)  # "hit a building in Kharkiv"
    return found
