"""What a number counts: its metric and the counted phrase, read from the dependency parse.

Given the head token of a number in a parsed sentence, :func:`read_metric` decides whether the
number counts something the GUIDE's closed metric list covers and which metric:

1. money is ``payment`` (``fine`` next to a fine word) and a percentage is ``share``;
2. the counted noun names the metric itself ("10 criminal cases", "8 deaths");
3. a measure noun takes its value from its complement ("the number of deaths is 8,132",
   "the death toll rose to 150");
4. a predicate said of counted people gives it ("48,759 soldiers had died", "Two died",
   "holding four people", "the death of at least one soldier");
5. a role noun implies it ("12 detainees", "300 refugees"), and any other group of people is
   ``people``; a few countable things are ``munitions`` or ``other``.

Anything else (years, ages, durations, article numbers, a list of "three others") is not a claim
and gives ``None``. The lexicons are data (``data/claims/``, see :mod:`claims_lexicon`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chronicle.extract.claims_lexicon import ClaimLexicon, lexicon

_NOUNISH = {"NOUN", "PROPN"}
_VERBISH = {"VERB", "AUX"}
_SUBJ = {"nsubj", "nsubjpass", "csubj"}
_MOD_DEPS = {"nummod", "quantmod", "amod", "compound", "nmod", "npadvmod"}


@dataclass
class Reading:
    """How a number was understood: its metric, the counted noun and the clause it hangs on."""

    metric: str
    noun: Any | None  # head token of the counted phrase (None when elided: "Two died")
    clause: Any | None  # the verb the count hangs on (for the date and the claimant)
    partitive: bool = False


def _low(tok: Any) -> list[str]:
    return [tok.lemma_.lower(), tok.lower_]


def noun_keys(noun: Any) -> list[str]:
    """Lookup keys for a noun, most specific first: "criminal case", "prisoner of war", "case"."""
    keys: list[str] = []
    for child in noun.children:
        if child.dep_ in {"amod", "compound"} and child.i < noun.i:
            for a in _low(child):
                for b in _low(noun):
                    keys.append(f"{a} {b}")
        if child.dep_ == "prep" and child.lower_ == "of":
            for obj in child.children:
                if obj.dep_ == "pobj":
                    keys.append(f"{noun.lemma_.lower()} of {obj.lemma_.lower()}")
    return keys + _low(noun)


def _lookup(keys: list[str], table: dict[str, str]) -> str | None:
    for key in keys:
        if key in table:
            return table[key]
    return None


def predicate_metric(pred: Any, noun: Any | None, lex: ClaimLexicon) -> str | None:
    """Metric of a predicate said of the counted people ("died", "sign up", "taken prisoner")."""
    if any(c.dep_ == "neg" for c in pred.children):
        return None
    combos: list[str] = []
    for child in pred.children:
        if child.dep_ in {"prt", "dobj", "attr", "acomp", "oprd", "advmod"}:
            combos.append(f"{pred.lemma_.lower()}+{child.lemma_.lower()}")
        elif child.dep_ in {"prep", "agent"}:  # "held by Ukrainian forces", "in captivity"
            for obj in child.children:
                if obj.dep_ == "pobj":
                    combos.insert(0, f"{pred.lemma_.lower()}+{obj.lemma_.lower()}")
                    combos.append(f"{child.lower_}+{obj.lemma_.lower()}")
    if noun is not None:
        combos.append(f"{pred.lemma_.lower()}+{noun.lemma_.lower()}")
    found = _lookup(combos, lex.verb_metric)
    if found:
        return found
    for child in pred.children:
        if child.dep_ == "prep" and child.lower_ == "as":  # "living as refugees", "held as POWs"
            for obj in child.children:
                role = _lookup(noun_keys(obj), lex.role_metric) if obj.dep_ == "pobj" else None
                if role and role != "people":
                    return role
    found = _lookup(_low(pred), lex.verb_metric)
    if found or pred.pos_ not in _VERBISH:
        return found
    for child in pred.children:
        if child.dep_ in {"acomp", "attr", "oprd"}:  # "three are missing", "were dead"
            found = _lookup(_low(child), lex.verb_metric)
            if found:
                return found
    # Last resort, the verb's object names the metric: "pressured into signing contracts"
    # (an event metric only: "signed a petition" does not make the signers a petition count).
    for child in pred.children:
        objs = [child] if child.dep_ == "dobj" else []
        if child.dep_ == "prep":
            objs = [g for g in child.children if g.dep_ == "pobj"]
        for obj in objs:
            if _of_object(obj) is not None:
                continue  # "attended the funeral of three servicemen": about other people
            found = _lookup(noun_keys(obj), lex.noun_metric)
            if found and found not in {"other", "munitions", "people"}:
                return found
    return None


def _predicates(base: Any) -> tuple[list[Any], Any | None, str | None]:
    """Predicates said of ``base`` (nearest first), its governing verb, and an event noun's
    metric met on the way up ("the death of one soldier" -> killed)."""
    lex = lexicon()
    preds: list[Any] = []
    for child in base.children:
        if child.dep_ in {"amod", "acl", "relcl"}:
            own = [c for c in child.children if c.dep_ in {"nsubj", "nsubjpass"}]
            if any(c.lower_ not in {"who", "that", "which"} for c in own):
                continue  # "23 suspects, 15 of whom were arrested": said of someone else
            preds.append(child)
            preds.extend(c for c in child.children if c.dep_ in {"xcomp", "conj"})
    t = base
    while t.head.i != t.i:
        h = t.head
        if t.dep_ in {"ccomp", "advcl", "parataxis"}:
            break
        if t.dep_ == "pobj" and h.lower_ in {"of", "among"} and (
            h.head.pos_ in _VERBISH or h.head.pos_ == "NUM"
        ):  # "Of the 40 detainees, 12 were released", "five of the 12 detainees": not said of all
            return preds, _verb_above(h), None
        if h.pos_ in _VERBISH or (h.pos_ == "ADJ" and t.dep_ in _SUBJ):
            # "were mobilised and then killed", "were wounded and later died": the last
            # conjunct that tells what became of the people counted is what they became
            outcome = [c for c in h.children if c.dep_ == "conj" and c.pos_ in _VERBISH
                       and not any(g.dep_ in _SUBJ or g.like_num or g.pos_ == "NUM"
                                   for g in c.subtree if g.i < c.i)  # "4 killed and 9 injured"
                       and predicate_metric(c, base, lex) in _OUTCOMES]  # fmt: skip
            preds.extend(reversed(outcome))
            preds.append(h)
            for c in h.children:
                if c.dep_ == "xcomp":
                    preds.append(c)
                    preds.extend(g for g in c.children if g.dep_ == "xcomp")
                elif c.dep_ == "prep":  # "pressured into signing contracts"
                    preds.extend(g for g in c.children if g.dep_ == "pcomp")
            return preds, h, None
        if h.pos_ in _NOUNISH and t.dep_ == "prep" and t.lower_ in lex.through_prep:
            found = _lookup(noun_keys(h), lex.noun_metric)  # "the death of one soldier"
            if found:
                found = lex.through_prep[t.lower_].get(found, found)
                return preds, _verb_above(h), found
        t = h
    return preds, None, None


# Metrics that state what finally became of the people counted.
_OUTCOMES = frozenset({"killed", "injured", "missing", "captured", "released"})


def _verb_above(tok: Any) -> Any | None:
    while tok.head.i != tok.i:
        tok = tok.head
        if tok.pos_ in _VERBISH:
            return tok
    return None


def _of_object(tok: Any) -> Any | None:
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for obj in child.children:
                if obj.dep_ == "pobj":
                    return obj
    return None


def _event_subject(verb: Any | None, noun: Any, lex: ClaimLexicon) -> str | None:
    """"The mobilisation has affected 300,000 men": the event in subject position names it."""
    if verb is None or noun.dep_ not in {"dobj", "pobj"}:
        return None
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    found = _lookup(noun_keys(subj), lex.noun_metric) if subj is not None else None
    return found if found not in {None, "people", "other", "munitions"} else None


def counted_noun(root: Any) -> Any | None:
    """The noun a number modifies ("48,759 Russian soldiers" -> soldiers), else None."""
    while root.dep_ in {"quantmod", "conj"} and root.head.pos_ == "NUM" and root.head.i != root.i:
        root = root.head  # "37 of 42 drones", "between six and 14 years": hung on the first
    if root.dep_ in _MOD_DEPS and root.head.pos_ in _NOUNISH and root.head.i != root.i:
        return root.head
    return None


def measured_phrase(root: Any) -> Any | None:
    """The phrase a stand-alone number measures: "the number of deaths ... is 8,132", "the toll
    rose to 150", "putting them at 498" -> the measured head token, else None."""
    lex = lexicon()
    head = root.head
    if root.dep_ == "attr" and head.lemma_.lower() in lex.measure_verbs:
        return next((c for c in head.children if c.dep_ in _SUBJ), None)
    if root.dep_ == "pobj" and head.lower_ in {"at", "to"}:
        verb = head.head
        if verb.lemma_.lower() in lex.measure_verbs:
            obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
            return obj or next((c for c in verb.children if c.dep_ in _SUBJ), None)
    if root.dep_ == "dobj" and head.lemma_.lower() in lex.measure_verbs:
        return next((c for c in head.children if c.dep_ in _SUBJ), None)
    if root.dep_ == "nsubj" and head.lemma_.lower() == "be":
        return next((c for c in head.children if c.dep_ == "attr"), None)
    return None


def bare_measure(root: Any) -> bool:
    """"put the figure at 3,000", "the number rose to 40": a measure noun with no complement,
    which refers back to the count just mentioned."""
    measured = measured_phrase(root)
    if measured is None or measured.lemma_.lower() not in lexicon().measure_nouns:
        return False
    return _of_object(measured) is None and not any(
        c.dep_ in {"compound", "amod"} for c in measured.children
    )


def under_including(root: Any) -> bool:
    """A number inside "including five children": a part of the count before it."""
    for tok in [root, *root.ancestors][:4]:
        if tok.lower_ == "including" and tok.dep_ == "prep":
            return True
    return False


def _antecedent_metric(tok: Any) -> tuple[str | None, Any | None]:
    """For "them"/"it": the nearest noun before it in the sentence that names a metric."""
    lex = lexicon()
    for prev in reversed(list(tok.sent[: tok.i - tok.sent.start])):
        if prev.pos_ == "NOUN":
            found = _lookup(noun_keys(prev), lex.noun_metric)
            if found:
                return found, prev
    return None, None


def _from_measure(np: Any) -> tuple[str | None, Any | None]:
    lex = lexicon()
    if np.pos_ == "PRON":
        return _antecedent_metric(np)
    found = _lookup(noun_keys(np), lex.noun_metric)
    if found and np.lemma_.lower() not in lex.measure_nouns:
        return found, np
    if np.lemma_.lower() in lex.measure_nouns:
        if found:  # "the death toll"
            return found, np
        inner = _of_object(np)
        if inner is not None:
            found = _lookup(noun_keys(inner), lex.noun_metric)
            if found:
                return found, inner
            # "the number of people detained": the participle may hang on either noun
            extra = [c for c in np.children if c.dep_ in {"acl", "relcl", "amod"}]
            for pred in [*extra, *_predicates(inner)[0]]:
                found = predicate_metric(pred, inner, lex)
                if found:
                    return found, inner
            return _lookup(noun_keys(inner), lex.role_metric), inner
    return None, None


def _money_metric(root: Any, lex: ClaimLexicon) -> str:
    near = [root, *root.ancestors][:5]
    near += [c for t in near for c in t.children]
    for tok in near:
        if tok.lemma_.lower() in lex.money_fine or tok.lower_ in lex.money_fine:
            return "fine"
    return "payment"


def is_excluded_noun(noun: Any, lex: ClaimLexicon) -> bool:
    """Counted nouns that make the number a non-claim: time units, references, "others"."""
    keys = _low(noun)
    if any(k in lex.not_counts for k in keys) or noun.lower_.endswith("-year-old"):
        return True
    if any(k in lex.exclude_modifiers for k in keys):
        return True
    return any(
        c.dep_ in {"amod", "det", "advmod"} and c.lower_ in lex.exclude_modifiers
        for c in noun.children
    )


def read_metric(root: Any, kind: str) -> Reading | None:
    """The metric of the number whose head token is ``root`` (``kind`` from the number finder),
    or ``None`` when it counts nothing the metric list covers."""
    lex = lexicon()
    noun = counted_noun(root)
    if noun is not None and is_excluded_noun(noun, lex):
        return None
    if kind == "money":
        return Reading(_money_metric(root, lex), noun, _verb_above(root))
    if kind == "percent":
        return Reading("share", _of_object(root) or noun, _verb_above(root))
    if any(k in lex.not_counts for k in _low(root)):
        return None
    if noun is not None:
        found = _lookup(noun_keys(noun), lex.noun_metric)
        preds, verb, event_metric = _predicates(noun)
        if found:
            return Reading(found, noun, verb)
        if event_metric:
            return Reading(event_metric, noun, verb)
        role = _lookup(noun_keys(noun), lex.role_metric)
        if role is None and noun.pos_ == "PROPN" and noun.ent_type_ == "NORP":
            role = "people"  # "200 Kyrgyz", "6.3 million Ukrainians"
        if role is not None:
            for pred in preds:
                found = predicate_metric(pred, noun, lex)
                if found:
                    return Reading(found, noun, verb)
            found = _event_subject(verb, noun, lex)
            if found:
                return Reading(found, noun, verb)
        return Reading(role, noun, verb) if role else None
    # No noun: a measure ("... is 8,132"), a partitive ("two of them") or an elided subject.
    measured = measured_phrase(root)
    if measured is not None:
        found, inner = _from_measure(measured)
        if found:
            return Reading(found, inner, _verb_above(root))
    of_obj = _of_object(root)
    if of_obj is not None and is_excluded_noun(of_obj, lex):
        return None
    if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.lemma_.lower() in (
        lex.kin_nouns
    ):
        return None  # "a father of three"
    preds, verb, event_metric = _predicates(root)
    if of_obj is not None:  # "37 of 42 drones", "two of the cases"
        found = _lookup(noun_keys(of_obj), lex.noun_metric)
        if found:
            return Reading(found, of_obj, verb, partitive=True)
    if event_metric and of_obj is None:
        return Reading(event_metric, None, verb)
    for pred in preds:
        found = predicate_metric(pred, of_obj, lex)
        if found:
            return Reading(found, of_obj, verb, partitive=of_obj is not None)
    return None
