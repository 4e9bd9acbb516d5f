"""Event trigger lexicons: the data files under ``data/events/`` compiled to spaCy matchers.

A spaCy ``Matcher`` built from the trigger lemmas of ``data/events/triggers/*.json`` (format in
that folder's README) finds candidate verbs and nouns in one pass; each candidate is then checked
against its rules' conditions on the dependency tree: a ``with`` word that must hang on the
trigger ("opened a *case*", "placed X in *detention*", "found him *guilty*") and a particle
("sign *up*"). The most specific rule wins. (One two-pattern ``Matcher`` is several times faster
than a ``DependencyMatcher`` with a node pattern per rule.)
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.matcher import Matcher

DATA = Path(__file__).parent / "data" / "events"

@dataclass(frozen=True)
class Rule:
    """One trigger rule: what fires, what it means, where its arguments are."""

    key: str
    type: str
    mode: str
    context: tuple[str, ...]
    verbs: tuple[str, ...]
    nouns: tuple[str, ...]
    # Predicate adjectives ("was worried about X"): the trigger is the adjective complement.
    adjectives: tuple[str, ...] = ()
    with_lemmas: tuple[str, ...] = ()
    via: str = ""
    particle: str = ""
    roles: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    recipient_preps: tuple[str, ...] = ()
    needs: str = "recipient"
    also_type: str | None = None
    imprisons: bool = False
    mode_by_complement: bool = False

    @property
    def specificity(self) -> int:
        """Rules that demand more context win over bare-lemma rules on the same trigger."""
        # A required direct object outranks a preposition: "held a rally on Friday" is a rally
        with_ = (3 if self.via == "obj" else 2) if self.with_lemmas else 0
        return with_ + (1 if self.particle else 0)


@dataclass
class Lexicon:
    """All rules plus the modifier, context, request-mode and legal tables."""

    rules: list[Rule]
    modifiers: dict[str, Any]
    contexts: dict[str, list[str]]
    request_modes: dict[str, list[str]]
    request_default: str
    legal: dict[str, Any]
    by_key: dict[str, Rule] = field(default_factory=dict)


def _read(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path}: cannot read event lexicon ({exc})") from exc


def _rule(file_type: str, index: int, raw: dict[str, Any], stem: str) -> Rule:
    typ = raw.get("type", file_type)
    with_ = raw.get("with") or {}
    default_needs = "recipient" if typ in {"COERCE", "SANCTION", "ACCUSE"} else "either"
    return Rule(
        key=f"{stem}:{index}",
        type=typ,
        mode=raw.get("mode", ""),
        context=tuple(raw.get("context", [])),
        verbs=tuple(v.lower() for v in raw.get("verbs", [])),
        nouns=tuple(n.lower() for n in raw.get("nouns", [])),
        adjectives=tuple(a.lower() for a in raw.get("adjectives", [])),
        with_lemmas=tuple(w.lower() for w in with_.get("lemmas", [])),
        via=with_.get("via", ""),
        particle=raw.get("particle", ""),
        roles=dict(raw.get("roles", {})),
        recipient_preps=tuple(raw.get("recipient_preps", [])),
        needs=raw.get("needs", default_needs),
        also_type=raw.get("also_type"),
        imprisons=bool(raw.get("imprisons", False)),
        mode_by_complement=bool(raw.get("mode_by_complement", False)),
    )


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Every event data file, validated and loaded once per process."""
    rules: list[Rule] = []
    request_modes: dict[str, list[str]] = {}
    request_default = "change"
    for path in sorted((DATA / "triggers").glob("*.json")):
        data = _read(path)
        for i, raw in enumerate(data.get("rules", [])):
            rules.append(_rule(data.get("type", ""), i, raw, path.stem))
        if "mode_by_complement" in data:
            request_modes = data["mode_by_complement"]
            request_default = data.get("default_mode", "change")
    contexts = {k: v for k, v in _read(DATA / "contexts.json").items() if not k.startswith("_")}
    lex = Lexicon(
        rules=rules,
        modifiers=_read(DATA / "modifiers.json"),
        contexts=contexts,
        request_modes=request_modes,
        request_default=request_default,
        legal=_read(DATA / "legal.json"),
    )
    lex.by_key = {r.key: r for r in rules}
    return lex


_MATCHERS: dict[int, Matcher] = {}


def matcher_for(vocab: Any) -> Matcher:
    """One spaCy ``Matcher`` per vocabulary: every trigger lemma as a verb or a noun."""
    key = id(vocab)
    if key not in _MATCHERS:
        rules = lexicon().rules
        verbs = sorted({v for r in rules for v in r.verbs})
        nouns = sorted({n for r in rules for n in r.nouns})
        adjectives = sorted({a for r in rules for a in r.adjectives})
        m = Matcher(vocab)
        # "the jailed activist": an adjectival participle is not an event
        m.add("VERB", [[{"LEMMA": {"IN": verbs}, "POS": "VERB", "DEP": {"NOT_IN": ["amod"]}}]])
        m.add("NOUN", [[{"LEMMA": {"IN": nouns}, "POS": "NOUN"}]])
        # "X was worried about Y": only as the complement of a copula, not "a worried mother"
        m.add("ADJ", [[{"LOWER": {"IN": adjectives}, "POS": {"IN": ["ADJ", "VERB"]},
                        "DEP": "acomp"}]])
        _MATCHERS[key] = m
    return _MATCHERS[key]


@lru_cache(maxsize=1)
def _rules_by_lemma() -> dict[tuple[str, str], list[Rule]]:
    table: dict[tuple[str, str], list[Rule]] = {}
    for rule in lexicon().rules:
        for v in rule.verbs:
            table.setdefault(("VERB", v), []).append(rule)
        for n in rule.nouns:
            table.setdefault(("NOUN", n), []).append(rule)
        for a in rule.adjectives:
            table.setdefault(("ADJ", a), []).append(rule)
    return table


def _with_token(rule: Rule, trig: Any) -> Any | None:
    """The token that satisfies the rule's ``with`` condition on ``trig`` (see the README)."""
    lemmas = set(rule.with_lemmas)
    if rule.via == "obj":
        deps = {"dobj", "nsubjpass", "attr", "pobj", "nsubj"}
        return next((c for c in trig.children if c.dep_ in deps and c.lemma_.lower() in lemmas),
                    None)  # fmt: skip
    if rule.via == "prep_word":
        deps = {"prep", "prt", "agent"}
        return next((c for c in trig.children if c.dep_ in deps and c.lower_ in lemmas), None)
    below = (t for t in trig.subtree if t.i != trig.i)
    if rule.via == "prep":  # anywhere below: the parser often hangs "in detention" on the object
        return next((t for t in below if t.dep_ == "pobj" and t.lemma_.lower() in lemmas), None)
    return next((t for t in below if t.lemma_.lower() in lemmas or t.lower_ in lemmas), None)


def _fits(rule: Rule, trig: Any) -> tuple[bool, Any | None]:
    if rule.particle and not any(
        c.dep_ in {"prt", "prep", "advmod"} and c.lower_ == rule.particle for c in trig.children
    ):
        return False, None
    if not rule.with_lemmas:
        return True, None
    tok = _with_token(rule, trig)
    return tok is not None, tok


def rules_for(trig: Any) -> list[tuple[Rule, Any | None]]:
    """Every rule whose word is ``trig`` (as verb, noun or adjective) and whose conditions hold,
    most specific first, each with its ``with`` token."""
    table = _rules_by_lemma()
    found = []
    for pos in ("VERB", "NOUN", "ADJ"):
        word = trig.lower_ if pos == "ADJ" else trig.lemma_.lower()
        for rule in table.get((pos, word), []):
            ok, with_tok = _fits(rule, trig)
            if ok:
                found.append((rule, with_tok))
    return sorted(found, key=lambda rw: -rw[0].specificity)


def find_triggers(span: Any) -> list[tuple[Rule, Any, Any | None]]:
    """``(rule, trigger token, with-token)`` per trigger token in ``span``, best rule only."""
    doc = span.doc if hasattr(span, "doc") else span
    table = _rules_by_lemma()
    out = []
    for match_id, start, _ in matcher_for(doc.vocab)(span):
        trig = span[start] if hasattr(span, "start") else doc[start]
        pos = doc.vocab.strings[match_id]
        best: tuple[Rule, Any, Any | None] | None = None
        word = trig.lower_ if pos == "ADJ" else trig.lemma_.lower()
        for rule in table.get((pos, word), []):
            ok, with_tok = _fits(rule, trig)
            if ok and (best is None or rule.specificity > best[0].specificity):
                best = (rule, trig, with_tok)
        if best is not None:
            out.append(best)
    return sorted(out, key=lambda b: b[1].i)


@lru_cache(maxsize=1)
def trigger_lemmas() -> frozenset[str]:
    """Every noun lemma that names an event ("arrest", "detention", "release")."""
    return frozenset(n for r in lexicon().rules for n in r.nouns)
