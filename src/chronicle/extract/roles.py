"""Roles: a person's title or function as the article states it.

Patterns, tried at each mention of a person in text order (the first role found wins):

- title before the name: "Deputy Finance Minister Irina Okladnikova", "Chechen leader Ramzan
  Kadyrov", "Osh Mayor’s Office press secretary Sergei Lapushkin" (an organisation in front of
  the title is moved behind it: "press secretary of the Osh Mayor’s Office");
- apposition after the name: "Natalia Ivanova, a staff member of the Russian House in Osh,";
- apposition before the name: "the first president of Kazakhstan, Nursultan Nazarbayev";
- relative clause: "X, who heads an NGO called Foundation “Y”" -> "head of the Foundation “Y”";
- description: "X was described as a Y", "X is a Y", "X, who is the Y".

A role phrase must contain a word from ``data/entities/roles.json`` ``role_heads`` (and no word
from ``not_roles`` as its head), so "X is a Kyrgyz citizen" is not a role.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from chronicle.extract import budget
from chronicle.extract.docindex import text_of
from chronicle.extract.entity_merge import MentionGroup
from chronicle.extract.resolve import normalise_name
from chronicle.model import Document

_DATA = Path(__file__).parent / "data" / "entities" / "roles.json"
_STOP = {",", ".", ";", ":", "(", ")", "!", "?", "—", "–", "\n"}
_RELATIVE = {"who", "whom", "which", "that", "whose", "where", "when"}
_POSS = {"'s", "’s"}


@cache
def role_lexicon() -> dict[str, Any]:
    raw = json.loads(_DATA.read_text(encoding="utf-8"))
    return {"heads": set(raw["role_heads"]), "verbs": dict(raw["role_verbs"]),
            "not": set(raw["not_roles"]), "suffixes": tuple(raw["role_head_suffixes"])}


def _is_head(tok: Any) -> bool:
    """A title or function noun: listed in ``role_heads``, or a noun such as "satirist"."""
    lex = role_lexicon()
    if tok.lower_ in lex["heads"] or tok.lemma_.lower() in lex["heads"]:
        return True
    # Abbreviated ranks the tokenizer splits: "Lt" "." "Col" "." ("Lt." and "Col." are heads).
    doc, i = tok.doc, tok.i
    if tok.text == "." and i > 0 and doc[i - 1].lower_ + "." in lex["heads"]:
        return True
    if i + 1 < len(doc) and doc[i + 1].text == "." and tok.lower_ + "." in lex["heads"]:
        return True
    return tok.pos_ == "NOUN" and len(tok.text) > 5 and tok.lower_.endswith(lex["suffixes"])


def _entity_index(groups: list[MentionGroup]) -> dict[int, tuple[MentionGroup, Any]]:
    """token index -> (group, mention) for every mention token."""
    out = {}
    for g in groups:
        for m in g.mentions:
            for i in range(m.token_start, m.token_end):
                out[i] = (g, m)
    return out


def _text(sdoc: Any, start: int, end: int) -> tuple[str, int, int]:
    span = sdoc[start:end]
    return span.text.strip(" ,"), span.start_char, span.end_char


def _title_before(sdoc: Any, m: Any, index: dict) -> tuple[str, int, int] | None:
    """Title words directly before the name, an organisation in front moved behind."""
    k = m.token_start - 1
    if k < 0 or not _is_head(sdoc[k]):
        return None
    start = k
    while start > 0:
        prev = sdoc[start - 1]
        owner = index.get(start - 1)
        if owner and owner[0].label == "PERSON":
            break
        joined = not prev.whitespace_  # "editor-in-chief", "Mayor’s"
        modifier = prev.pos_ in {"PROPN", "ADJ", "NOUN"} and prev.dep_ in {
            "compound", "amod", "nmod", "poss"}
        if joined or owner or _is_head(prev) or modifier:
            start -= 1
        else:
            break
    if sdoc[start].text in _POSS:
        start += 1
    # "Osh Mayor’s Office press secretary" -> "press secretary of the Osh Mayor’s Office".
    owner = index.get(start)
    if owner and owner[0].label == "ORG" and owner[1].token_end <= k:
        org_end = owner[1].token_end
        rest = org_end + (1 if sdoc[org_end].text in _POSS else 0)
        if rest <= k and any(_is_head(t) for t in sdoc[rest : k + 1]):
            role = f"{sdoc[rest : k + 1].text} of the {owner[1].text}"
            return role, sdoc[start].idx, sdoc[k].idx + len(sdoc[k].text)
    return _text(sdoc, start, k + 1)


def _phrase_after(sdoc: Any, start: int, limit: int = 25) -> int:
    """End (exclusive) of a noun phrase starting at ``start``: up to punctuation, a relative
    pronoun or a finite verb."""
    end = start
    while end < len(sdoc) and end - start < limit:
        t = sdoc[end]
        if t.text in _STOP or "\n" in t.text or t.lower_ in _RELATIVE:
            break
        # A participle modifying the noun stays ("a public activist regarded as ...",
        # "a lawyer based in Almaty"); a finite verb ends the phrase.
        if (t.pos_ in {"VERB", "AUX"} and t.dep_ not in {"amod", "compound"}
                and not (t.dep_ == "acl" and start <= t.head.i < t.i)
                and t.lower_ not in {"called", "named", "known", "based"}):
            break
        end += 1
    return end


def _np_role(
    sdoc: Any, start: int, index: dict, closed: bool = False
) -> tuple[str, int, int] | None:
    """A role noun phrase starting at ``start`` ("a chief specialist of ... City Hall").
    ``closed``: an apposition, which must end at punctuation or a relative pronoun ("According
    to X, the officer kept ..." is a new clause, not an apposition)."""
    lex = role_lexicon()
    while start < len(sdoc) and sdoc[start].pos_ == "DET":
        start += 1
    end = _phrase_after(sdoc, start)
    if end <= start:
        return None
    if closed and end < len(sdoc) and not (sdoc[end].text in _STOP or sdoc[end].lower_ in _RELATIVE
                                           or "\n" in sdoc[end].text):
        return None
    words = sdoc[start:end]
    heads = [t for t in words if _is_head(t)]
    if not heads or (start in index and index[start][0].label == "PERSON"):
        return None  # "X, Y and Z": a list of people, not an apposition
    if words.root.lower_ in lex["not"] and not _is_head(words.root):
        return None
    # A second apposition: "economist, a professor at the University of Chicago".
    if end + 2 < len(sdoc) and sdoc[end].text == "," and sdoc[end + 1].pos_ == "DET":
        more = _phrase_after(sdoc, end + 2)
        if any(_is_head(t) for t in sdoc[end + 2 : more]):
            end = more
    return _text(sdoc, start, end)


def _after(sdoc: Any, m: Any, index: dict) -> tuple[str, int, int] | None:
    """Apposition or relative clause after the name."""
    lex = role_lexicon()
    k = m.token_end
    if k < len(sdoc) and sdoc[k].text in _POSS:
        return None
    if k + 1 >= len(sdoc) or sdoc[k].text != ",":
        return _described(sdoc, m, index)
    nxt = sdoc[k + 1]
    if nxt.lower_ == "who" and k + 2 < len(sdoc):
        verb = sdoc[k + 2]
        if verb.lemma_ == "be":
            return _np_role(sdoc, k + 3, index)
        noun = lex["verbs"].get(verb.lemma_.lower())
        if noun:
            end = _phrase_after(sdoc, k + 3)
            if end <= k + 3:
                return None
            obj, obj_start = _text(sdoc, k + 3, end)[0], k + 3
            # "an NGO called Foundation “Y”" -> "the Foundation “Y”"
            for j in range(k + 3, end):
                nxt = j + 1
                while nxt < len(sdoc) and sdoc[nxt].is_space:  # "called\xa0Moscow ..."
                    nxt += 1
                if sdoc[j].lower_ in {"called", "named"} and nxt in index:
                    tm = index[nxt][1]
                    obj = f"the {tm.text}" if index[nxt][0].label == "ORG" else tm.text
                    break
            else:
                if sdoc[obj_start].pos_ != "DET" and obj_start in index \
                        and index[obj_start][0].label == "ORG":
                    obj = f"the {obj}"
            return f"{noun} of {obj}", verb.idx, sdoc[end - 1].idx + len(sdoc[end - 1].text)
        return None
    return _np_role(sdoc, k + 1, index, closed=True)


def _described(sdoc: Any, m: Any, index: dict) -> tuple[str, int, int] | None:
    """ "X was described as a Y", "X is a Y"."""
    root = sdoc[m.token_start : m.token_end].root
    if root.dep_ not in {"nsubj", "nsubjpass", "dobj"}:
        return None
    verb = root.head
    # "X was described as Y" and "reports described X as Y".
    if verb.lemma_ in {"describe", "identify", "name", "list", "introduce"}:
        for child in verb.children:
            if child.lower_ == "as":
                objs = [c for c in child.children if c.dep_ == "pobj"]
                if objs:
                    return _np_role(sdoc, objs[0].left_edge.i, index)
    if verb.lemma_ == "be" and root.dep_ == "nsubj":
        attrs = [c for c in verb.children if c.dep_ == "attr" and c.i > root.i]
        if attrs:
            return _np_role(sdoc, attrs[0].left_edge.i, index)
    return None


def _before_comma(sdoc: Any, m: Any, index: dict) -> tuple[str, int, int] | None:
    """ "the first president of Kazakhstan, Nursultan Nazarbayev"."""
    k = m.token_start - 1
    if k < 1 or sdoc[k].text != ",":
        return None
    tok = sdoc[k - 1]
    for _ in range(6):  # climb from "Kazakhstan" to "president" (of ... of ...)
        if _is_head(tok):
            break
        if tok.head is tok or tok.head.i >= k:
            return None
        tok = tok.head
    else:
        return None
    if not _is_head(tok):
        return None
    start = tok.left_edge.i
    # "Kassymov's lawyer, Dinara Abenova": the role starts after another person's name.
    for i in range(start, k):
        if i in index and index[i][0].label == "PERSON":
            start = index[i][1].token_end
            if start < k and sdoc[start].text in _POSS:
                start += 1
    while start < k and sdoc[start].pos_ in {"DET", "ADP", "PRON"}:  # "Her lawyer"
        start += 1
    if start >= k or not any(_is_head(t) for t in sdoc[start:k]):
        return None
    return _text(sdoc, start, k)


def assign_roles(doc: Document, groups: list[MentionGroup]) -> None:
    """Set ``role`` and ``role_span`` on the PERSON entities of ``doc.entities`` (in the same
    order as ``groups``)."""
    sdoc = doc.nlp_doc
    index = _entity_index(groups)
    for group, ent in zip(groups, doc.entities, strict=True):
        if group.label != "PERSON":
            continue
        if budget.over():
            break  # the time budget is spent: roles of the people before only
        found = []
        for m in group.mentions:
            title = _title_before(sdoc, m, index)
            # A rank abbreviation alone ("Gen.") says less than an apposition after the name.
            if title and all(w.endswith(".") for w in title[0].split()):
                role = _before_comma(sdoc, m, index) or _after(sdoc, m, index) or title
            else:
                role = title or _before_comma(sdoc, m, index) or _after(sdoc, m, index)
            if role and normalise_name(role[0]) not in group.key_set():
                found.append((not _in_prose(text_of(sdoc), m.start), m.start, role))
        if found:
            # The first role stated in running text; a headline's only when there is no other.
            role_text, start, end = min(found)[2]
            ent.role = role_text
            ent.role_span = doc.raw_span(start, end)


def _in_prose(text: str, offset: int) -> bool:
    """Whether the line holding ``offset`` ends like a sentence (headlines and captions don't)."""
    line_end = text.find("\n", offset)
    line = text[text.rfind("\n", 0, offset) + 1 : line_end if line_end >= 0 else len(text)]
    return line.rstrip().endswith((".", "!", "?", "”", '"', "’", "'", ":", ";", ")"))


def byline_role(raw: str, name_end: int) -> tuple[str, int, int] | None:
    """The title printed under an author's name in a byline ("Martin Fornusek" / "Senior News
    Editor"): the next non-empty line, if it is short and names a function. Raw offsets."""
    line_end = raw.find("\n", name_end)
    if line_end < 0:
        return None
    match = re.match(r"\s*([^\n]{2,60})", raw[line_end:])
    if not match:
        return None
    line = match.group(1).strip()
    words = re.findall(r"[A-Za-z-]+", line)
    heads = role_lexicon()["heads"]
    if not 1 <= len(words) <= 5 or not any(w.lower() in heads for w in words):
        return None
    start = line_end + match.start(1)
    return line, start, start + len(line)
