"""Who makes a numeric claim, and who passed it on.

The claimant is found per number, not per sentence, because one sentence can carry two sources'
numbers. In order:

1. the speech verbs above the number in the parse ("X said ...", "X wrote ...", "the letter
   revealed that ...", "X was quoted as saying ..."); the innermost one is the claimant, the outer
   ones relay it; a document as subject stands for its author ("Okladnikova's letter", "a report
   by the ministry", "a letter that X had sent");
2. for a number inside a quotation whose speaker is named in a neighbouring sentence, that
   speaker ("“...two died...” / Kadyrov wrote"; a "Source: X's Telegram channel" label);
3. "according to X";
4. the agent of the counted action when it is an authority or a named body ("the National Security
   Committee has opened 10 criminal cases", "police detained 15 people").

Relays are the rest of the sentence's attribution chain (``chronicle.extract.attribution``:
"citing", "according to", "on Telegram") and the article's outlet. Names go through
``chronicle.extract.events_np.name_for`` so that a surname becomes the entity's full name.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from chronicle.extract import attribution
from chronicle.extract.claims_claimant import resolve_claimant, role_holders
from chronicle.extract.claims_lexicon import ClaimLexicon, lexicon
from chronicle.extract.claims_metric import measured_phrase
from chronicle.extract.claims_text import quote_pairs, unit, unit_bounds, unit_no, units_before
from chronicle.extract.events_np import name_for
from chronicle.model import Document

_SUBJ = {"nsubj", "nsubjpass", "csubj", "csubjpass"}
_RELATIVE = {"which", "that", "who", "whom"}

# A parenthesis with the spaces before it; a match starts only where a run of spaces starts
# (without the look-behind, every position inside a long run of spaces rescanned the whole run).
_PARENTHESIS = re.compile(r"(?<!\s)\s*\([^)]*\)")


def _child(tok: Any, deps: set[str], lower: set[str] | None = None) -> Any | None:
    ok = (c for c in tok.children if c.dep_ in deps and (lower is None or c.lower_ in lower))
    return next(ok, None)


def _pobj(prep: Any | None) -> Any | None:
    return None if prep is None else _child(prep, {"pobj"})


def is_speech(tok: Any, lex: ClaimLexicon) -> bool:
    return tok.pos_ in {"VERB", "AUX"} and tok.lemma_.lower() in lex.speech_verbs


def _author(tok: Any, lex: ClaimLexicon) -> Any | None:
    """The author of a document noun ("X's letter", "a report by X", "a letter that X sent",
    "a UN report"), or None when the document names none."""
    poss = _child(tok, {"poss"})
    if poss is not None:
        return poss
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ in {"by", "from"}:
            return _pobj(prep)
    for rel in tok.children:
        if rel.dep_ in {"relcl", "acl"}:
            subj = _child(rel, {"nsubj"})
            if subj is not None and subj.lower_ not in _RELATIVE:
                return subj
            agent = _child(rel, {"agent"})
            if agent is not None:
                return _pobj(agent)
    comp = _child(tok, {"compound"})
    if comp is not None and comp.ent_type_ in {"ORG", "PERSON", "GPE", "NORP"}:
        return comp
    return None


def _document_up(tok: Any, lex: ClaimLexicon) -> Any | None:
    """``tok`` or a noun it hangs from ("letter to Grigorenko" -> letter) that is a document."""
    for _ in range(4):
        if tok.pos_ in {"NOUN", "PROPN"} and tok.lemma_.lower() in lex.document_nouns:
            return tok
        if tok.head.i == tok.i or tok.dep_ not in {"pobj", "prep", "compound", "appos"}:
            return None
        tok = tok.head
    return None


def _document_before(verb: Any, lex: ClaimLexicon) -> Any | None:
    """The nearest document noun before a subject-less participle in its sentence."""
    for tok in reversed(list(verb.sent[: verb.i - verb.sent.start])):
        if tok.pos_ == "NOUN" and tok.lemma_.lower() in lex.document_nouns:
            return tok
    return None


def _speaker_token(verb: Any, lex: ClaimLexicon) -> tuple[Any | None, str | None]:
    """The source token of one speech verb; for an author-less document ("the report says"),
    ``(None, "report")``."""
    subjects = [c for c in verb.children if c.dep_ in {"nsubj", "csubj"}]
    # "the independent outlet Mediazona calculated": two subjects, the name is the source
    subj = next((c for c in subjects if c.pos_ == "PROPN"), subjects[0] if subjects else None)
    passive = _child(verb, {"nsubjpass"})
    if passive is not None and verb.lemma_.lower() == "quote":
        return passive, None  # "X was quoted as saying"
    if subj is None:
        agent = _child(verb, {"agent"})
        if agent is not None:
            return _pobj(agent), None
        document = _document_before(verb, lex) if verb.tag_ == "VBG" else None
        if document is not None:
            subj = document  # "..., a letter that X had sent, stating that ..."
        elif verb.dep_ in {"acl", "relcl"} and verb.head.pos_ in {"NOUN", "PROPN"}:
            subj = verb.head  # "a letter ..., stating that"; "the first head to confirm"
            if subj.dep_ == "attr":
                subj = _child(subj.head, {"nsubj"}) or subj
        elif verb.dep_ in {"advcl", "xcomp", "conj"} and verb.head.i != verb.i:
            return _speaker_token(verb.head, lex)
        else:
            return None, None
    if subj.lower_ in _RELATIVE and verb.dep_ == "relcl":
        subj = verb.head
    doc_noun = _document_up(subj, lex)
    if doc_noun is not None:
        author = _author(doc_noun, lex)
        return (author, None) if author is not None else (None, doc_noun.lemma_.lower())
    return subj, None


_PRONOUNS = {"it", "they", "this", "we", "i", "he", "she", "him", "her", "them", "you", "who"}


def _clean_name(doc: Document, tok: Any) -> str | None:
    if tok is None or tok.pos_ == "DET" or tok.lower_ in {"it", "they", "this", "we", "i"}:
        return None
    if tok.pos_ == "NOUN":  # "the monitoring group OVD-Info": the name in apposition
        named = next((c for c in tok.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
        if named is None and tok.i + 1 < len(tok.doc) and tok.nbor(1).pos_ == "PROPN":
            named = tok.nbor(1)  # "the news agency Kaktus", however the parser hung it
            while named.head.pos_ == "PROPN" and named.head.i > named.i:
                named = named.head
        tok = named or tok
    name = name_for(doc, tok).strip()
    name = _PARENTHESIS.sub("", name)  # "BISHKEK (Reuters) - ..." dateline parts
    name = re.split(r"\s[-–—]\s", name)[-1]
    name = re.sub(r"^(?:the|a|an)\s+", "", name, flags=re.IGNORECASE)
    name = re.sub(r"(?:['’]s?)$", "", name).strip()
    if name.lower() in _PRONOUNS:
        return None  # a pronoun with no person named before it
    return name or None


def _cited(doc: Document, verb: Any, lex: ClaimLexicon) -> str | None:
    """The source of "..., citing the Foreign Ministry" / "citing a report by X" on a verb."""
    for child in verb.children:
        if child.dep_ == "advcl" and child.lemma_.lower() in {"cite", "quote"}:
            obj = _child(child, {"dobj"})
            if obj is None:
                continue
            document = _document_up(obj, lex)
            if document is not None:
                obj = _author(document, lex)
            name = _clean_name(doc, obj) if obj is not None else None
            if name:
                return name
    return None


def _speech_chain(doc: Document, root: Any, lex: ClaimLexicon) -> tuple[list[str], str | None]:
    """Sources of the speech verbs above ``root``, innermost first; and the lemma of an
    author-less document met on the way ("the report said" -> "report")."""
    names: list[str] = []
    anonymous: str | None = None
    t = root
    while t.head.i != t.i:
        h = t.head
        if is_speech(h, lex) and t.dep_ not in _SUBJ:
            cited = _cited(doc, h, lex)  # "X reported, citing Y": Y is the inner source
            if cited and cited not in names:
                names.append(cited)
            tok, anon = _speaker_token(h, lex)
            anonymous = anonymous or anon
            name = _clean_name(doc, tok) if tok is not None else None
            if name and name not in names:
                names.append(name)
        t = h
    return names, anonymous


def _according_to(doc: Document, sent: Any, lex: ClaimLexicon) -> tuple[list[str], str | None]:
    out: list[str] = []
    anonymous: str | None = None
    for tok in sent:
        if tok.lower_ != "according":
            continue
        obj = _pobj(_child(tok, {"prep"}, {"to"}))
        if obj is None:
            continue
        doc_noun = _document_up(obj, lex)
        if doc_noun is not None:
            obj = _author(doc_noun, lex)
            if obj is None:
                anonymous = anonymous or doc_noun.lemma_.lower()
        name = _clean_name(doc, obj)
        if name:
            out.append(name)
    return out, anonymous


def _agent(doc: Document, root: Any, noun: Any | None, lex: ClaimLexicon) -> str | None:
    """The authority that did the counted thing: the subject (or by-agent) of the clause."""
    t = noun if noun is not None else root
    while t.head.i != t.i:
        h = t.head
        if h.pos_ in {"VERB", "AUX"}:
            if t.dep_ in _SUBJ or h.lemma_.lower() in lex.measure_verbs:
                # the number is the subject itself, or "X rose 3%": nobody is named
                return None
            subj = _child(h, {"nsubj"})
            if subj is None:
                agent = _child(h, {"agent"})
                subj = _pobj(agent) if agent is not None else None
            if subj is None and h.dep_ in {"advcl", "xcomp", "conj"}:
                t = h
                continue
            document = _document_up(subj, lex) if subj is not None else None
            if document is not None:  # "the list published by the ministry contains ..."
                author = _author(document, lex)
                return _clean_name(doc, author) if author is not None else None
            if subj is not None and _is_authority(subj, lex):
                return _clean_name(doc, subj)
            return None
        t = h
    return None


def _is_authority(tok: Any, lex: ClaimLexicon) -> bool:
    if tok.ent_type_ in {"ORG", "PERSON", "GPE", "NORP"} or tok.pos_ == "PROPN":
        return True
    return tok.lemma_.lower() in lex.authority_nouns or tok.lower_ in lex.authority_nouns


def _sent_speaker(doc: Document, sent: Any, lex: ClaimLexicon) -> str | None:
    """The subject of the first speech verb of a sentence ("..., Kadyrov wrote.")."""
    for tok in sent:
        if is_speech(tok, lex):
            speaker, _ = _speaker_token(tok, lex)
            name = _clean_name(doc, speaker) if speaker is not None else None
            if name:
                return name
    return None


def _label_source(doc: Document, sent: Any, lex: ClaimLexicon) -> str | None:
    """A "Source: X's Telegram channel" label line: X."""
    words = [t for t in sent if not t.is_space]
    if len(words) < 3 or words[0].lower_ not in lex.source_label or words[1].text != ":":
        return None
    for tok in words[2:]:
        if tok.dep_ == "poss" or tok.ent_type_ in {"PERSON", "ORG"}:
            return _clean_name(doc, tok)
    return None


def _quoted_speaker(doc: Document, sent: Any, offset: int, lex: ClaimLexicon) -> str | None:
    """Speaker of a quotation containing body ``offset``, named outside the sentence."""
    cache = doc.nlp_doc.user_data
    pairs = cache.get("chronicle.claims.quotes")
    if pairs is None:
        pairs = cache["chronicle.claims.quotes"] = quote_pairs(doc.body)
    # pairs are in order and do not overlap: the last one opening before ``offset``
    k = bisect.bisect_left(pairs, offset, key=lambda p: p[0]) - 1
    inside = pairs[k] if k >= 0 and pairs[k][0] < offset < pairs[k][1] else None
    if inside is None:
        return None
    idx = unit_no(doc, sent.start)
    if idx is None:
        return None
    count = len(unit_bounds(doc))
    for s in (unit(doc, k) for k in range(idx + 1, min(idx + 3, count))):
        # the sentence where the quotation closes, or the next
        if s.start_char > inside[1] + 200:
            break
        found = _sent_speaker(doc, s, lex)
        if found:
            return found
    for s in reversed([unit(doc, k) for k in range(max(0, idx - 4), idx)]):
        found = _label_source(doc, s, lex)
        if found:
            return found
    return None


def _reporting_clause(doc: Document, sent: Any, root: Any, lex: ClaimLexicon) -> str | None:
    """A reporting clause of the sentence that does not govern the number in the parse
    ("X are holding four people, ..., officials said on Wednesday")."""
    for tok in sent:
        if not is_speech(tok, lex):
            continue
        # a main-clause verb, or a trailing ", officials said" the parser hung elsewhere
        trailing = tok.i > root.i and any(
            c.dep_ == "nsubj" and c.i > sent.start and c.nbor(-1).text == "," for c in tok.children
        )
        if tok.dep_ not in {"ROOT", "conj", "parataxis", "advcl"} and not trailing:
            continue
        if any(t.i == root.i for t in tok.subtree):
            continue
        speaker, _ = _speaker_token(tok, lex)
        name = _clean_name(doc, speaker) if speaker is not None else None
        if name:
            return name
    return None


def _document_antecedent(doc: Document, sent: Any, lemma: str, lex: ClaimLexicon) -> str | None:
    """Who issued "the report" named earlier: "X released its annual report" -> X."""
    for s in reversed(units_before(doc, sent.start, 5)):
        for tok in s:
            if tok.lemma_.lower() != lemma or tok.pos_ != "NOUN":
                continue
            author = _author(tok, lex)
            if author is not None and author.pos_ == "PRON" and tok.dep_ == "dobj":
                author = _child(tok.head, {"nsubj"})  # "X released its report"
            elif author is None and tok.dep_ == "dobj":
                author = _child(tok.head, {"nsubj"})  # "X published a report"
            name = _clean_name(doc, author) if author is not None else None
            if name:
                return name
    return None


def _measure_owner(doc: Document, root: Any, lex: ClaimLexicon) -> str | None:
    """Whose figure it is: "the ministry's official count stands at 312", "data from X show"."""
    candidates = [measured_phrase(root)]
    for tok in list(root.ancestors)[:4]:  # "... stands at 312 dead and 1,080 wounded"
        if tok.lemma_.lower() in lex.measure_verbs:
            candidates.append(_child(tok, {"nsubj"}))
    for measured in candidates:
        if measured is not None and measured.pos_ in {"NOUN", "PROPN"}:
            author = _author(measured, lex)
            if author is not None:
                return _clean_name(doc, author)
    return None


def _prior_speaker(doc: Document, sent: Any, lemma: str | None = None) -> str | None:
    """The last named source before ``sent`` (for "the report said", "according to the report"):
    the issuer of that document if the text named one, else the last speaker."""
    if lemma:
        found = _document_antecedent(doc, sent, lemma, lexicon())
        if found:
            return found
    for s in reversed(units_before(doc, sent.start, 5)):
        name = attribution.speaker_of(doc, s)
        if name:
            return name
    return None


def _same(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    return a == b or a in b or b in a


def claim_sources(
    doc: Document, sent: Any, root: Any, noun: Any | None
) -> tuple[list[str], list[str]]:
    """``(claimed_by, relayed_by)`` for the number whose head token is ``root``."""
    lex = lexicon()
    chain, anonymous = _speech_chain(doc, root, lex)
    according, anon2 = _according_to(doc, sent, lex)
    claimant: str | None = chain[0] if chain else None
    if claimant is None:
        claimant = _quoted_speaker(doc, sent, root.idx, lex)
    if claimant is None:
        claimant = _reporting_clause(doc, sent, root, lex)
    if claimant is None and according:
        claimant = according[0]
    if claimant is None and (anonymous or anon2):
        claimant = _prior_speaker(doc, sent, anonymous or anon2)
    if claimant is None:
        claimant = _measure_owner(doc, root, lex)
    if claimant is None:
        claimant = _agent(doc, root, noun, lex)
    said = [claimant] if claimant else []
    if claimant is not None:  # "his lawyer", "the ministry": the entity the text names
        said += role_holders(doc, claimant)  # the same phrase, read as another holder, is no relay
        claimant = resolve_claimant(doc, sent, claimant)
        said.append(claimant)
    relays: list[str] = []
    for name in [*chain[1:], *according, *attribution.attribution_chain(doc, sent)]:
        if any(_same(name, c) for c in said) or not any(ch.isupper() for ch in name):
            continue  # relays are named sources, not "a message" or a pronoun
        if not any(_same(name, r) for r in relays):
            relays.append(name)
    if doc.outlet and not any(_same(doc.outlet, r) for r in relays):
        relays.append(doc.outlet)
    return ([claimant] if claimant else []), relays
