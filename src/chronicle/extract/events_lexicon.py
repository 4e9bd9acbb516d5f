"""Event trigger lexicons: the data files under ``data/events/`` compiled to spaCy matchers.

Each rule of ``data/events/triggers/*.json`` (format in that folder's README) becomes one or two
``DependencyMatcher`` patterns: a trigger node (a verb or a noun by lemma) and, when the rule has
``with``, a second node that must hang on the trigger ("opened a *case*", "placed X in
*detention*", "found him *guilty*"). Matchers are built once per spaCy vocabulary.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.matcher import DependencyMatcher

DATA = Path(__file__).parent / "data" / "events"

_VIA = {
    # via -> (relation operator, attributes of the extra node)
    "obj": (">", {"DEP": {"IN": ["dobj", "nsubjpass", "attr", "pobj", "nsubj"]}}),
    "comp": (">>", {}),
    "any": (">>", {}),
}


@dataclass(frozen=True)
class Rule:
    """One trigger rule: what fires, what it means, where its arguments are."""

    key: str
    type: str
    mode: str
    context: tuple[str, ...]
    verbs: tuple[str, ...]
    nouns: tuple[str, ...]
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
        return (2 if self.with_lemmas else 0) + (1 if self.particle else 0)


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


def _patterns(rule: Rule) -> list[list[dict[str, Any]]]:
    out = []
    for pos, lemmas in (("VERB", rule.verbs), ("NOUN", rule.nouns)):
        if not lemmas:
            continue
        trigger = {
            "RIGHT_ID": "trigger",
            "RIGHT_ATTRS": {"LEMMA": {"IN": list(lemmas)}, "POS": pos},
        }
        if pos == "VERB":  # "the jailed activist": an adjective use is not an event
            trigger["RIGHT_ATTRS"]["DEP"] = {"NOT_IN": ["amod"]}
        pattern = [trigger]
        if rule.particle:
            pattern.append({
                "LEFT_ID": "trigger", "REL_OP": ">", "RIGHT_ID": "particle",
                "RIGHT_ATTRS": {"DEP": {"IN": ["prt", "prep", "advmod"]}, "LOWER": rule.particle},
            })  # fmt: skip
        if rule.with_lemmas:
            pattern.extend(_with_nodes(rule))
        out.append(pattern)
    return out


def _with_nodes(rule: Rule) -> list[dict[str, Any]]:
    lemmas = list(rule.with_lemmas)
    if rule.via == "prep":  # anywhere below: the parser often hangs "in detention" on the object
        return [{"LEFT_ID": "trigger", "REL_OP": ">>", "RIGHT_ID": "with",
                 "RIGHT_ATTRS": {"DEP": "pobj", "LEMMA": {"IN": lemmas}}}]  # fmt: skip
    if rule.via == "prep_word":
        return [{"LEFT_ID": "trigger", "REL_OP": ">", "RIGHT_ID": "with",
                 "RIGHT_ATTRS": {"DEP": {"IN": ["prep", "prt", "agent"]},
                                 "LOWER": {"IN": lemmas}}}]  # fmt: skip
    op, attrs = _VIA.get(rule.via, _VIA["any"])
    node_attrs = dict(attrs)
    node_attrs["LEMMA"] = {"IN": lemmas}
    return [{"LEFT_ID": "trigger", "REL_OP": op, "RIGHT_ID": "with", "RIGHT_ATTRS": node_attrs}]


_MATCHERS: dict[int, DependencyMatcher] = {}


def matcher_for(vocab: Any) -> DependencyMatcher:
    """The compiled matcher for one spaCy vocabulary (built on first use)."""
    key = id(vocab)
    if key not in _MATCHERS:
        m = DependencyMatcher(vocab)
        for rule in lexicon().rules:
            pats = _patterns(rule)
            if pats:
                m.add(rule.key, pats)
        _MATCHERS[key] = m
    return _MATCHERS[key]


def find_triggers(span: Any) -> list[tuple[Rule, Any, Any | None]]:
    """``(rule, trigger token, with-token)`` per trigger token in ``span``, best rule only."""
    doc = span.doc if hasattr(span, "doc") else span
    matcher = matcher_for(doc.vocab)
    lex = lexicon()
    best: dict[int, tuple[Rule, Any, Any | None]] = {}
    start, end = (span.start, span.end) if hasattr(span, "start") else (0, len(doc))
    for match_id, token_ids in matcher(doc):
        rule = lex.by_key[doc.vocab.strings[match_id]]
        trig = doc[token_ids[0]]
        if not start <= trig.i < end:
            continue
        with_tok = doc[token_ids[-1]] if rule.with_lemmas and len(token_ids) > 1 else None
        old = best.get(trig.i)
        if old is None or rule.specificity > old[0].specificity:
            best[trig.i] = (rule, trig, with_tok)
    return [best[i] for i in sorted(best)]
