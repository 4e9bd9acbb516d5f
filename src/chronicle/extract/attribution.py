"""Attribution: who said a sentence's content, and through whom it reached the article.

``attribution_chain(doc, sent)`` reads one parsed sentence and returns its sources ordered from the
original source to the last relay: "Vyorstka reported Wednesday, citing a report by Russia's
Investigative Committee" gives ``["Investigative Committee", "Vyorstka"]``; "“...,” Dzhamalov was
quoted as saying by Vyorstka" gives ``["Polat Dzhamalov", "Vyorstka"]``; "Kadyrov wrote on
Telegram" gives ``["Ramzan Kadyrov", "Telegram"]``. ``speaker_of`` is the first person or body in
that chain that is not a platform; ``reported_by`` appends the article's outlet.

Cues (reporting verbs, "according to", platforms) live in ``data/events/attribution.json``.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from chronicle.extract.docindex import cache_of
from chronicle.extract.events_np import name_for
from chronicle.model import Document

_DATA = Path(__file__).parent / "data" / "events" / "attribution.json"


@lru_cache(maxsize=1)
def cues() -> dict[str, Any]:
    """The attribution lexicon (lower-case lists), loaded once."""
    raw = json.loads(_DATA.read_text("utf-8"))
    return {k: (set(v) if isinstance(v, list) else v) for k, v in raw.items()}


def _depth(token: Any) -> int:
    d = 0
    while token.head.i != token.i:
        token, d = token.head, d + 1
    return d


def _child(token: Any, deps: set[str], lower: set[str] | None = None) -> Any | None:
    for c in token.children:
        if c.dep_ in deps and (lower is None or c.lower_ in lower):
            return c
    return None


def _pobj(prep: Any) -> Any | None:
    return _child(prep, {"pobj"})


def _source_of_phrase(head: Any) -> Any | None:
    """The source a phrase names: "a report by X" -> X, "X's statement" -> X, "X" -> X."""
    c = cues()
    if head.lemma_.lower() in c["source_nouns"]:
        by = _child(head, {"prep"}, {"by", "from", "of"})
        if by is not None and _pobj(by) is not None:
            return _pobj(by)
        poss = _child(head, {"poss"})
        if poss is not None:
            return poss
        return None  # "citing a report": no named source
    return head


def _platform(verb: Any) -> str | None:
    """A platform named with the verb: "wrote on Telegram", "said in a Facebook post",
    "confirmed the detention in a statement on Telegram" (not inside the reported clause)."""
    platforms = cues()["platforms"]
    for t in verb.subtree:
        if t.lower_ not in platforms or t.pos_ not in {"PROPN", "NOUN"}:
            continue
        cur, ok, via_prep = t, True, False
        while cur.i != verb.i:
            if cur.dep_ in {"ccomp", "advcl", "relcl", "parataxis", "nsubj"}:
                ok = False
                break
            via_prep = via_prep or (cur.dep_ == "prep" and cur.lower_ in {"on", "in", "via"})
            cur = cur.head
        if ok and via_prep:
            return t.text
    return None


def _good(doc: Document, token: Any | None) -> str | None:
    if token is None or (
        token.pos_ in {"DET", "PRON"} and token.lower_ not in {"he", "she", "him", "her"}
    ):
        return None
    name = name_for(doc, token)
    if token.pos_ == "NOUN":
        name = _role_holder(doc, token) or name  # "his lawyer told reporters": the lawyer
    if name.lower() in cues()["generic_sources"] or name.lower().removeprefix("the ") in cues()[
        "generic_sources"
    ]:
        return None
    return name


def _role_holder(doc: Document, token: Any) -> str | None:
    """The one entity holding the role a common noun names: "the lawyer" -> the person whose
    stated role contains "lawyer" (the latest one named before, when several); "the ministry" ->
    the one organisation whose name contains "Ministry"."""
    noun = token.lemma_.lower()
    if noun in cues()["generic_sources"] or len(noun) < 3:
        return None
    at = doc.body_to_raw(token.idx)
    holders, orgs = _holders(doc, noun, token.lower_)
    people = [(first is None or first <= at, at if first is None else first, name)
              for first, name in holders]  # fmt: skip
    if people:
        named_before = [p for p in people if p[0]]
        return max(named_before or people, key=lambda p: p[1])[2]
    return next(iter(orgs)) if len(orgs) == 1 else None


def _holders(doc: Document, noun: str, word: str) -> tuple[list[tuple[int | None, str]], set[str]]:
    """The people whose role has ``noun`` or ``word`` (first mention, name) and the
    organisations with ``noun`` in their name: once per document and word, not per source."""
    key = ("role_holders", noun, word, id(doc.entities), len(doc.entities))
    cache = cache_of(doc.nlp_doc) if doc.nlp_doc is not None else {}
    if key in cache:
        return cache[key]
    people = []
    for ent in doc.entities:
        words = (ent.role or "").lower().replace(",", " ").split()
        if ent.type == "PERSON" and (noun in words or word in words):
            people.append((min((m.start for m in ent.mentions), default=None), ent.name))
    orgs = {e.name for e in doc.entities if e.type == "ORG"
            and noun in e.name.lower().replace("'s", "").split()}  # fmt: skip
    cache[key] = (people, orgs)
    return people, orgs


def _local_chain(doc: Document, verb: Any) -> list[str]:
    """Sources attached to one reporting verb, original first."""
    c = cues()
    cited: list[str] = []
    relays: list[str] = []
    speaker: str | None = None
    children = list(verb.children)
    if verb.lemma_.lower() == "quote":  # "X was quoted as saying by Y in a Facebook post"
        for prep in children:
            if prep.lower_ == "as":
                for s in list(prep.children):
                    children.extend([s, *s.children])
    for child in children:
        if child.dep_ == "advcl" and child.lemma_.lower() in c["citing_verbs"]:
            obj = _child(child, {"dobj", "pobj"})
            if obj is None:
                to = _child(child, {"prep"}, {"to"})
                obj = _pobj(to) if to is not None else None
            src = _good(doc, _source_of_phrase(obj)) if obj is not None else None
            if src:
                cited.append(src)
        elif child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by"
                                       and verb.lemma_.lower() == "quote"):
            src = _good(doc, _pobj(child))
            if src:
                relays.append(src)
        elif child.dep_ == "prep" and child.lower_ == "according":
            to = _child(child, {"prep"}, {"to"})
            obj = _pobj(to) if to is not None else None
            src = _good(doc, _source_of_phrase(obj)) if obj is not None else None
            if src:
                relays.append(src)
            # "According to Interfax, a lawyer ... said": the parser hangs the speaker on X.
            appos = _child(obj, {"appos"}) if obj is not None else None
            if appos is not None and appos.pos_ == "NOUN" and _child(verb, {"nsubj"}) is None:
                speaker = _good(doc, appos)
        elif child.dep_ in {"nsubj", "nsubjpass"}:
            speaker = _good(doc, _source_of_phrase(child))
        elif (
            child.dep_ in {"dobj", "dative"}
            and verb.lemma_.lower() == "tell"
            and child.ent_type_ == "ORG"  # "he told Reuters": the listener relays
        ):
            src = _good(doc, child)
            if src:
                relays.append(src)
    if speaker is None and verb.dep_ == "acl" and _child(verb, {"nsubj", "nsubjpass"}) is None:
        # "..., the rights group Viasna reported": the parser hangs the verb on its subject
        speaker = _good(doc, verb.head)
    out = [*cited]
    if speaker:
        out.append(speaker)
    platform = _platform(verb) or next(
        (p for c in children if c.dep_ == "pcomp" and (p := _platform(c))), None
    )
    if platform:
        out.append(platform)
    out.extend(relays)
    return out


def _according_chains(doc: Document, sent: Any, used: set[int]) -> list[tuple[int, list[str]]]:
    """'According to X' attached to a non-reporting head (the event verb itself)."""
    out: list[tuple[int, list[str]]] = []
    for tok in sent:
        if tok.lower_ != "according" or tok.i in used:
            continue
        to = _child(tok, {"prep"}, {"to"})
        obj = _pobj(to) if to is not None else None
        src = _good(doc, _source_of_phrase(obj)) if obj is not None else None
        if src:
            out.append((_depth(tok) - 1, [src]))
    return out


def _closing(verb: Any, sent: Any) -> bool:
    """The reporting verb ends the sentence after a comma ("..., Interfax reported Tuesday.")."""
    after = [t for t in sent if t.i > verb.i and not t.is_punct]
    if len(after) > 3 or any(t.pos_ in {"VERB", "AUX"} for t in after):
        return False
    subj = _child(verb, {"nsubj"})
    return subj is not None and subj.i < verb.i and subj.i > sent.start + 2 and any(
        t.text == "," for t in sent.doc[max(sent.start, subj.left_edge.i - 1) : subj.left_edge.i]
    )


def _citing_chains(doc: Document, sent: Any, verbs: set[str]) -> list[tuple[int, list[str]]]:
    """ "citing a statement by X" hung on the event verb rather than on "reported": X first."""
    out = []
    for tok in sent:
        if tok.dep_ == "advcl" and tok.lemma_.lower() in cues()["citing_verbs"]:
            if tok.head.lemma_.lower() in verbs:
                continue  # already read with its reporting verb
            obj = _child(tok, {"dobj"})
            src = _good(doc, _source_of_phrase(obj)) if obj is not None else None
            if src:
                out.append((99, [src]))
    return out


def _inside_quote(tok: Any) -> bool:
    """The "saying" of "was quoted as saying": handled with its "quoted"."""
    return tok.head.lower_ == "as" and tok.head.head.lemma_.lower() == "quote"


def attribution_chain(doc: Document, sent: Any) -> list[str]:
    """Sources of the sentence's content, from the original source to the last relay."""
    verbs = cues()["reporting_verbs"]
    chains: list[tuple[int, list[str]]] = []
    used: set[int] = set()
    for tok in sent:
        if tok.pos_ in {"VERB", "AUX"} and tok.lemma_.lower() in verbs and not _inside_quote(tok):
            local = _local_chain(doc, tok)
            used.update(c.i for c in tok.children if c.lower_ == "according")
            if local:
                # "..., TASS reported." closing the sentence relays everything before it
                chains.append((-1 if _closing(tok, sent) else _depth(tok), local))
    chains.extend(_according_chains(doc, sent, used))
    chains.extend(_citing_chains(doc, sent, verbs))
    # Deeper clauses are reported by the outer ones: "X said Y reported ..." -> [Y, X].
    chains.sort(key=lambda p: -p[0])
    out: list[str] = []
    for _, local in chains:
        for name in local:
            if name not in out:
                out.append(name)
    return out


def speaker_of(doc: Document, sent: Any) -> str | None:
    """Who said, wrote or claimed the sentence's content (pronouns resolved), else None."""
    platforms = cues()["platforms"]
    for name in attribution_chain(doc, sent):
        if name.lower() not in platforms:
            return name
    return None


def reported_by(doc: Document, sent: Any, exclude: tuple[str, ...] = ()) -> list[str]:
    """The sentence's chain minus ``exclude`` (e.g. the event's actor), ending with the outlet."""
    chain = [s for s in attribution_chain(doc, sent) if s not in exclude]
    if doc.outlet and doc.outlet not in chain:
        chain.append(doc.outlet)
    return chain
