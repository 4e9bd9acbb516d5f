"""Argument roles and auxiliary flags of one event trigger, read from the dependency parse.

- actor: the subject of an active trigger, the "by" agent of a passive one; a relative pronoun
  resolves to its antecedent, a coordinated or controlled verb borrows its head's subject, and
  "it"/"they" under a reporting verb is that verb's subject ("The court said it was
  investigating").
- recipient: the object of an active trigger, the subject of a passive one, "against X", or the
  rule's own prepositions ("conferred the title on X"); "Sekerina's arrest" gives Sekerina.
- negated / hypothetical / historical from the cues in ``data/events/modifiers.json``.
"""

from __future__ import annotations

from typing import Any

from chronicle.extract.events_lexicon import Rule, lexicon, trigger_lemmas

_SUBJ = {"nsubj", "nsubjpass", "csubj"}
_REL_PRON = {"who", "which", "that", "whom"}
_CLAUSE_UP = {"conj", "xcomp", "advcl", "pcomp"}


def child(tok: Any, deps: set[str], lower: set[str] | None = None) -> Any | None:
    """First child of ``tok`` with a dependency in ``deps`` (and text in ``lower``)."""
    for c in tok.children:
        if c.dep_ in deps and (lower is None or c.lower_ in lower):
            return c
    return None


def pobj_of(tok: Any, preps: set[str] | tuple[str, ...]) -> Any | None:
    """Object of a preposition in ``preps`` hanging on ``tok`` ("against X" -> X).

    With a tuple, earlier prepositions win ("against X" before "into Y")."""
    order = list(preps)
    found: list[tuple[int, Any]] = []
    for c in tok.children:
        if c.dep_ in {"prep", "agent", "dative"} and c.lower_ in order:
            obj = child(c, {"pobj", "pcomp"})
            if obj is not None:
                found.append((order.index(c.lower_), obj))
    return min(found, key=lambda p: p[0])[1] if found else None


def same(a: Any | None, b: Any | None) -> bool:
    """Two parse tokens are the same token (spaCy makes a new object on every access)."""
    return a is not None and b is not None and a.i == b.i


def is_passive(tok: Any) -> bool:
    """Passive voice, including "X was killed and wounded" (the conjunct) and "ordered him held"."""
    if any(c.dep_ in {"nsubjpass", "auxpass"} for c in tok.children):
        return True
    if tok.tag_ != "VBN" or any(c.dep_ == "aux" for c in tok.children):
        return False
    if main_verb_misparse(tok):
        return False
    if tok.dep_ in {"acl", "relcl"} and child(tok, {"nsubj"}) is None:
        return True
    if tok.dep_ == "advcl" and child(tok, {"nsubj"}) is None:  # "If convicted, X faces ..."
        return True
    if tok.dep_ == "conj" and is_passive(tok.head):
        return True
    return small_clause(tok)


def main_verb_misparse(tok: Any) -> bool:
    """ "Hundreds of residents protested ...", parsed as a noun root with a reduced relative:
    the verb is the sentence's main verb and the noun its subject."""
    return tok.dep_ == "acl" and tok.head.dep_ == "ROOT" and tok.head.pos_ in {"NOUN", "PROPN"} \
        and tok.tag_ in {"VBN", "VBD"} and child(tok, {"agent"}) is None


def small_clause(tok: Any) -> bool:
    """ "The court ordered him held": a bare participle whose subject is the one acted on."""
    return tok.tag_ == "VBN" and tok.dep_ in {"ccomp", "xcomp", "oprd"} and not any(
        c.dep_ in {"aux", "auxpass"} for c in tok.children
    )


def _antecedent(subj: Any) -> Any:
    """A relative pronoun's antecedent: "a man who was detained" -> man; "who"/"whom" climbs to
    the person when the parser hangs the clause on a place ("X, a specialist of Osh City Hall,
    whom investigators suspect")."""
    if subj.lower_ not in _REL_PRON or subj.head.dep_ != "relcl":
        return subj
    ante = subj.head.head
    if subj.lower_ in {"who", "whom"}:
        cur = ante
        for _ in range(8):
            if cur.ent_type_ == "PERSON" or cur.lemma_.lower() in _people():
                return cur
            if cur.head.i == cur.i:
                break
            cur = cur.head
    return ante


def _people() -> set[str]:
    return set(lexicon().modifiers.get("people_nouns", []))


# English support verbs: their subject is the agent of the event noun they carry ("police
# *carried out* raids", "miners *went on* strike", "the army *launched* an offensive").
_SUPPORT_VERBS = frozenset({
    "carry", "conduct", "stage", "hold", "launch", "mount", "make", "take", "join",
    "lead", "organise", "organize", "begin", "start", "continue", "go", "resume", "announce",
    "call", "declare", "perform", "commit", "unleash", "wage", "step", "intensify", "escalate",
    "impose", "introduce", "issue", "open", "file", "bring", "level", "hand", "deliver", "pass",
    "sign", "reach", "strike", "give", "grant", "provide", "send", "offer", "extend",
})  # fmt: skip
# Event nouns whose possessor is the one who acts ("Russia's attack", "the miners' strike",
# "Japan's aid"); for the legal types the possessor is the one acted on ("his arrest").
_AGENT_POSSESSOR = frozenset({"ASSAULT", "PROTEST", "MOBILIZE", "CONSULT", "AID", "SUPPORT",
                              "COOPERATE", "AGREE", "REQUEST", "REJECT", "RETREAT", "CONCEDE"})
# Modifiers that name an agent inside the event noun's phrase ("a *police* raid", "*Israeli*
# air strikes", "an *army* offensive"): named groups, nationalities and organisations.
_AGENT_ENTS = frozenset({"NORP", "ORG", "GPE"})


def _support_verb_subject(noun: Any) -> Any | None:
    """The subject of the support verb an event noun is the object of, if any."""
    head = noun.head
    if noun.dep_ == "pobj" and head.dep_ == "prep":  # "went on strike", "took part in a rally"
        head = head.head
        if head.pos_ == "NOUN" and head.dep_ in {"dobj", "attr"}:  # "took part in"
            head = head.head
    elif noun.dep_ not in {"dobj", "attr", "nsubjpass"}:
        return None
    if head.pos_ not in {"VERB", "AUX"} or head.lemma_.lower() not in _SUPPORT_VERBS:
        return None
    if noun.dep_ == "nsubjpass":  # "a raid was carried out by police"
        return pobj_of(head, {"by"})
    return subject(head)


def _agent_modifier(noun: Any) -> Any | None:
    """A named agent modifying the event noun ("a police raid", "Russian shelling")."""
    for c in noun.children:
        if c.dep_ in {"amod", "compound", "nmod"} and c.i < noun.i and (
            c.ent_type_ in _AGENT_ENTS or c.lemma_.lower() in _agent_nouns()
        ):
            return c
    return None


def _agent_nouns() -> frozenset[str]:
    return frozenset(lexicon().modifiers.get("agent_nouns", []))


def subject(verb: Any) -> Any | None:
    """The grammatical subject of ``verb``, borrowed from a governing verb when it has none."""
    tok, hops = verb, 0
    while hops < 4:
        subj = child(tok, _SUBJ)
        if subj is not None:
            return _antecedent(subj)
        if tok.dep_ == "relcl" and tok.tag_ == "VBN":  # "people arrested by police"
            return None
        if tok.dep_ in _CLAUSE_UP and tok.head.i != tok.i:
            # "ordered police to arrest": the controller is the head's object
            if tok.dep_ == "xcomp":
                obj = child(tok.head, {"dobj"})
                if obj is not None:
                    return obj
            tok, hops = tok.head, hops + 1
            continue
        if main_verb_misparse(tok):
            return tok.head
        if tok.dep_ == "acl" and tok.head.pos_ in {"NOUN", "PROPN"}:
            return None
        return None
    return None


def _reporting_subject(tok: Any) -> Any | None:
    """Subject of the reporting verb that governs ``tok``'s clause."""
    head = tok
    for _ in range(4):
        if head.dep_ in {"ccomp", "parataxis"} and head.head.i != head.i:
            subj = child(head.head, {"nsubj"})
            if subj is not None and subj.pos_ != "PRON":
                return subj
        if head.head.i == head.i:
            return None
        head = head.head
    return None


def roles(rule: Rule, trig: Any, with_tok: Any | None) -> tuple[Any | None, list[Any]]:
    """(actor token, recipient tokens) for one trigger."""
    actor = recipient = None
    passive = is_passive(trig)
    if trig.pos_ == "NOUN":
        poss = child(trig, {"poss"})
        if rule.type in _AGENT_POSSESSOR and poss is not None:
            # "Russia's invasion", "the union's strike": the possessor of an act-noun is its
            # agent; of a patient-noun ("his arrest", "her conviction") its recipient
            actor, poss = poss, None
        recipient = poss or pobj_of(trig, ("of", "against"))
        for c in trig.children:  # "the arrest in absentia of X"
            if recipient is None and c.dep_ == "prep":
                for g in c.children:
                    recipient = recipient or pobj_of(g, ("of",))
        actor = actor or pobj_of(trig, {"by"}) or _support_verb_subject(trig) or _agent_modifier(
            trig
        )
        if recipient is None and with_tok is not None:
            recipient = pobj_of(with_tok, ("of", "against"))
    elif trig.dep_ == "acomp":  # "the centre was worried about X": the copula's subject
        actor = subject(trig.head)
    elif passive:
        recipient = child(trig, {"nsubjpass"}) or subject(trig)
        actor = pobj_of(trig, {"by"})
        if actor is not None and (actor.ent_type_ in {"DATE", "TIME"} or actor.like_num):
            actor = None  # "killed by mid-August": a time, not an agent
        if actor is None and small_clause(trig):
            actor = subject(trig.head)
    else:
        actor = subject(trig)
        objs = [c for c in trig.children if c.dep_ in {"dobj", "dative"}]
        # "arrested blogger Otabek Sattoriy" (two objects): the name
        recipient = next((o for o in objs if o.pos_ == "PROPN"), objs[0] if objs else None)
    for role, where in rule.roles.items():
        found = _by_role(trig, where)
        if role == "actor":
            actor = found
        else:
            recipient = found
    adopting = set(lexicon().modifiers.get("adopting_verbs", []))
    if trig.pos_ == "NOUN" and trig.dep_ == "dobj" and trig.head.lemma_.lower() in adopting:
        actor = subject(trig.head)  # "Kadyrov echoed Putin's characterization of X"
    if rule.recipient_preps and (
        recipient is None or same(recipient, with_tok) or _is_thing(recipient)
    ):
        alt = pobj_of(trig, rule.recipient_preps)
        if alt is None and with_tok is not None:
            alt = pobj_of(with_tok, rule.recipient_preps)
        obj = child(trig, {"dobj"})
        if alt is None and obj is not None:  # "conferred the title on X"
            alt = pobj_of(obj, rule.recipient_preps)
        if alt is None and with_tok is not None:  # "brought charges of fraud against X"
            for inner in with_tok.subtree:
                if alt is None and inner.i != with_tok.i:
                    alt = pobj_of(inner, rule.recipient_preps)
        recipient = alt if alt is not None else recipient
    if recipient is None or (same(recipient, with_tok) and "recipient" not in rule.roles):
        recipient = pobj_of(trig, {"against"}) or (
            pobj_of(with_tok, {"against"}) if with_tok is not None else None
        )
    if recipient is None and with_tok is not None and with_tok.dep_ == "dobj":
        # "branded Ukraine's leadership 'terrorists'": the named party hangs on the label
        recipient = child(with_tok, {"nmod", "nsubj"})
    if recipient is not None:
        recipient = _antecedent(recipient)
    if recipient is not None and _is_thing(recipient):
        # "an investigation into war fakes against the head of X": the person, not the matter
        against = pobj_of(recipient, ("against",))
        if against is not None:
            recipient = against
    if recipient is not None and recipient.pos_ == "NOUN":
        # "alarm over Sekerina's arrest", "cases over nationals' participation": the possessor.
        poss = child(recipient, {"poss"})
        if poss is not None and poss.pos_ in {"PROPN", "NOUN"}:
            recipient = poss
        elif recipient.lemma_.lower() in trigger_lemmas():
            # "condemned the arrest of Ismailov": the person the condemned act was done to
            recipient = pobj_of(recipient, ("of",)) or recipient
    if actor is not None and actor.lower_ in {"it", "they", "he", "she"}:
        # "The court said it was investigating", "the ombudswoman said she has agreed"
        actor = _reporting_subject(trig) or actor
    explicit = "recipient" in rule.roles  # "blocked the website": the object is the target
    if recipient is not None and (
        recipient.i == trig.i or (same(recipient, with_tok) and not explicit)
    ):
        recipient = None
    return actor, _spread(recipient)


def _by_role(trig: Any, where: str) -> Any | None:
    if where.startswith("prep:"):
        return pobj_of(trig, {where[5:]})
    if where == "agent":
        return pobj_of(trig, {"by"})
    if where == "nsubj":
        return subject(trig)
    if where == "none":
        return None
    return child(trig, {where})


def is_thing(tok: Any) -> bool:
    """Public name of ``_is_thing`` for the event builder."""
    return _is_thing(tok)


def _is_thing(tok: Any) -> bool:
    """A common noun that is not a person or group: an award, a title, a document."""
    people = set(lexicon().modifiers.get("people_nouns", []))
    return tok.pos_ == "NOUN" and tok.ent_type_ == "" and tok.lemma_.lower() not in people


def is_offence(tok: Any) -> bool:
    """A noun naming an offence ("suspect war crimes"): the matter, not the accused."""
    return tok.lemma_.lower() in set(lexicon().modifiers.get("offence_nouns", []))


def _spread(recipient: Any | None) -> list[Any]:
    """Coordinated recipients: the named ones when any is named, else the first phrase."""
    if recipient is None:
        return []
    if recipient.dep_ == "conj" and recipient.head.i < recipient.i:
        return [recipient]
    conj = [recipient, *[c for c in recipient.conjuncts if c.i > recipient.i]]
    named = [c for c in conj if c.pos_ == "PROPN" or c.ent_type_ in {"PERSON", "ORG"}]
    return named if named and len(conj) > 1 else [recipient]


def _ancestors(tok: Any, limit: int = 4) -> list[Any]:
    out, cur = [], tok
    for _ in range(limit):
        if cur.head.i == cur.i:
            break
        out.append(cur.head)
        cur = cur.head
    return out


def clause_chain(trig: Any) -> list[Any]:
    """The trigger and the verbs its clause shares auxiliaries with (conj, xcomp heads)."""
    chain, cur = [trig], trig
    while cur.dep_ in {"conj", "xcomp"} and cur.head.i != cur.i and len(chain) < 4:
        cur = cur.head
        chain.append(cur)
    return chain


def negated(trig: Any) -> bool:
    mods = lexicon().modifiers
    words, heads = set(mods["negation_words"]), set(mods["negation_heads"])
    for tok in clause_chain(trig):
        if any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for c in tok.children):
            return True
    if trig.pos_ == "NOUN":
        verb = next((a for a in _ancestors(trig, 3) if a.pos_ in {"VERB", "AUX"}), None)
        if verb is not None and any(c.dep_ == "neg" for c in verb.children):
            return True
    prev = trig
    for anc in _ancestors(trig, 3):
        # "denied arresting", "refused to release": the event sits in the head's complement
        if anc.lemma_.lower() in heads and anc.pos_ == "VERB" and prev.dep_ in _COMPLEMENT:
            return True
        if anc.lower_ in words and anc.dep_ == "prep":  # "without being charged"
            return True
        prev = anc
    return False


_COMPLEMENT = {"ccomp", "xcomp", "pcomp", "dobj", "pobj", "prep"}


def hypothetical(trig: Any) -> bool:
    mods = lexicon().modifiers
    modals, heads = set(mods["hypothetical_modals"]), set(mods["hypothetical_heads"])
    marks, nouns = set(mods["hypothetical_marks"]), set(mods["hypothetical_nouns"])
    if negated(trig):
        modals = modals - {"will", "'ll", "would"}  # "will not extradite": a refusal
    if child(trig, {"aux"}, {"to"}) is not None and trig.head.lemma_ == "be":
        return True  # "X is to be held in custody"
    for tok in clause_chain(trig):
        for c in tok.children:
            if c.dep_ == "aux" and c.lower_ in modals:
                return True
            if c.dep_ == "mark" and c.lower_ in marks:
                return True
    prev = trig
    for anc in _ancestors(trig, 4):
        # "threatened to arrest", "plans to open a case": the event is the head's complement
        if anc.pos_ == "VERB" and anc.lemma_.lower() in heads and prev.dep_ in _COMPLEMENT:
            return True
        prev = anc
        if anc.pos_ == "NOUN" and anc.lemma_.lower() in nouns:
            return True
        if any(c.dep_ == "mark" and c.lower_ in marks for c in anc.children) and anc.pos_ in {
            "VERB", "AUX",
        }:
            return anc.dep_ in {"advcl", "ccomp"} or anc.i == trig.i
    return False


def historical(trig: Any, event_year: int | None, ref_year: int | None) -> bool:
    """Background: past perfect, "since"/"previously" cues, or a year before the report's."""
    mods = lexicon().modifiers
    for tok in clause_chain(trig):
        auxes = [c for c in tok.children if c.dep_ in {"aux", "auxpass"}]
        if any(a.lower_ == "had" for a in auxes) and tok.tag_ == "VBN":
            return True
        for c in tok.children:
            if c.dep_ == "advmod" and c.lower_ in set(mods["historical_adverbs"]) - {"already"}:
                return True
    for anc in [trig, *_ancestors(trig, 3)]:
        for c in anc.children:
            if c.dep_ in {"advcl", "prep"} and any(
                m.lower_ in set(mods["historical_marks"]) for m in [c, *c.children]
            ):
                return True
    return event_year is not None and ref_year is not None and event_year < ref_year


def alleged(trig: Any) -> bool:
    """The trigger names the alleged offence ("on charges of *recruiting* locals", "a case on
    the *recruitment* of mercenaries", "suspected of *recruiting*")."""
    frames = set(lexicon().modifiers.get("allegation_frames", []))
    prev = trig
    for anc in _ancestors(trig, 4):
        framed = anc.lower_ in frames or anc.lemma_.lower() in frames
        if framed and (prev.dep_ in {"pobj", "pcomp"} or prev.head.dep_ == "prep"):
            return True
        if framed and prev.dep_ == "prep":
            return True
        prev = anc
    return False


def background(trig: Any) -> bool:
    """The trigger sits in a temporal "since ..." clause: a time anchor, not a reported event."""
    marks = set(lexicon().modifiers["historical_marks"])
    for tok in [trig, *_ancestors(trig, 3)]:
        if tok.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in marks for c in tok.children
        ):
            return True
    return False
