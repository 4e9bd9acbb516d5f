"""A claimant given as a role noun phrase, resolved to the person or organisation the text names.

Articles name a source once and then refer to it by its function: "his lawyer told reporters",
"according to the governor's statements", "the ministry said", "the head of the republic wrote".
The claim extractor (``chronicle.extract.claims_source``) finds those phrases; this module turns
them into the document entity they stand for, using what the entity stage already knows:

- a person whose ``Entity.role`` has the phrase's head noun (or a synonym: head / leader) as its
  own head ("regional governor", "head of the Chechen Republic");
- a person one of whose mentions stands next to the role noun in the text ("governor Pavel
  Ivanov", "The lawyer, Aliya Nurova, said", "Ivanov, the region's governor,");
- an organisation whose name contains the head noun and the phrase's specific modifiers ("the
  ministry" -> "Defence Ministry"; "the defence ministry" is not the "Health Ministry").

The nearest mention before the claim's sentence wins, then the nearest shortly after it (the
appositive that names "the lawyer" in the next sentence); a modifier the candidate repeats ("the
Kursk governor") comes first. Plurals ("governors of three regions"), indefinite sources ("a
lawyer said") and phrases no entity fits are returned unchanged. The lexicon is
``data/claims/claimants.json``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from chronicle.extract.claims_lexicon import word_set
from chronicle.extract.docindex import cache_of
from chronicle.model import Document, Entity

_DATA = Path(__file__).resolve().parent / "data" / "claims" / "claimants.json"
# how far after the claim's sentence the text may name "his lawyer" (a lede's source is often
# named a few paragraphs down); a holder named before the claim is preferred at any distance
_FOLLOW_CHARS = 1500
_SPEAKER_CHARS = 300  # a quotation's speaker comes within this after the number's sentence
_WINDOW = 60  # characters around a person's mention searched for the role noun
_LOOK_BACK = 2000  # characters before the claim searched for an organisation's fuller name


@dataclass(frozen=True)
class _Lexicon:
    groups: dict[str, frozenset[str]]  # role noun -> every noun naming the same function
    kinds: dict[str, str]  # role noun -> PERSON or ORG (what it can name)
    determiners: frozenset[str]
    preps: frozenset[str]
    generic: frozenset[str]
    indefinite: frozenset[str]
    past: frozenset[str]


@dataclass(frozen=True)
class RolePhrase:
    """The parts of a claimant phrase that matter: its head noun's synonyms and modifiers."""

    text: str  # the phrase's core, lower case ("defence ministry", "head")
    heads: frozenset[str]
    kind: str | None  # PERSON or ORG when the lexicon knows the head noun
    modifiers: tuple[str, ...]  # an organisation must repeat these ("defence ministry")
    context: tuple[str, ...] = ()  # the complement's words ("head of the republic"): a hint
    past: bool = False  # "the former governor"


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    data = json.loads(_DATA.read_text(encoding="utf-8"))
    groups: dict[str, frozenset[str]] = {}
    kinds: dict[str, str] = {}
    for key, kind in (("people", "PERSON"), ("organisations", "ORG")):
        for group in data[key]:
            members = frozenset(w.lower() for w in group)
            for word in members:
                groups[word] = groups.get(word, frozenset()) | members
                kinds[word] = kind

    return _Lexicon(
        groups,
        kinds,
        determiners=word_set(data, "possessive_determiners"),
        preps=word_set(data, "complement_preps"),
        generic=word_set(data, "generic_modifiers"),
        indefinite=word_set(data, "indefinite"),
        past=word_set(data, "past_markers"),
    )


def _core(words: list[str], lex: _Lexicon) -> list[str]:
    """The words before a role's complement: "head of the republic" -> ["head"]."""
    for k, word in enumerate(words):
        if k > 0 and word.lower() in lex.preps:
            return words[:k]
    return words


def _possessive(word: str) -> bool:
    return bool(re.search(r"['’]s?$", word))


def parse_role(phrase: str) -> RolePhrase | None:
    """The role in a claimant phrase, or None when the phrase is a name ("Interior Ministry",
    "Kaktus") or has no head noun. ``"his lawyer"`` -> heads {lawyer, attorney, ...}."""
    lex = _lexicon()
    words = phrase.split()
    while words and words[0].lower() in lex.determiners:
        words = words[1:]
    core = _core(words, lex)
    context = tuple(w.lower().strip(",.") for w in words[len(core) + 1 :] if w[:1].isalpha())
    context = tuple(w for w in context if w not in lex.determiners and w not in lex.preps)
    if not core:
        return None
    if not core[-1][:1].islower() and not (len(core) == 1 and core[0].lower() in lex.groups):
        # a capitalised head is a name ("Interior Ministry"), unless it is a lone role noun
        # capitalised only because it opens the sentence ("Police said ...")
        return None
    low = [w.lower() for w in core]
    text = " ".join(low)
    head = next((m for m in sorted(lex.groups, key=len, reverse=True)
                 if " " in m and (text == m or text.endswith(" " + m))), low[-1])
    modifiers: list[str] = []
    for word in core[: len(core) - len(head.split())]:
        if _possessive(word) and word[:1].isupper():
            continue  # "Kazakhstan's ministry": the owner, which the name need not repeat
        word = re.sub(r"['’]s?$", "", word).lower()  # "the governor's office" needs "governor"
        if word not in lex.generic:
            modifiers.append(word)
    heads = lex.groups.get(head, frozenset({head}))
    past = any(w in lex.past or w.startswith("ex-") for w in low)
    return RolePhrase(text, heads, lex.kinds.get(head), tuple(modifiers), context, past)


def _has(text: str, word: str) -> bool:
    return re.search(r"(?<![\w-])" + re.escape(word) + r"(?![\w-])", text) is not None


def _past_holder(ent: Entity, role: RolePhrase) -> bool:
    """"The governor" is not the "former governor" the text named (unless it says so)."""
    if role.past or ent.type != "PERSON" or not ent.role:
        return False
    lex = _lexicon()
    return any(w in lex.past or w.startswith("ex-") for w in ent.role.lower().split())


def _person_role_fits(ent: Entity, role: RolePhrase) -> bool:
    if not ent.role:
        return False
    core = " ".join(w.lower() for w in _core(ent.role.split(), _lexicon()))
    return any(core == h or core.endswith(" " + h) for h in role.heads)


def _org_fits(ent: Entity, role: RolePhrase) -> bool:
    name = ent.name.lower().replace("’", "'")
    if not any(_has(name, h) for h in role.heads):
        return False
    # a shared stem is enough: "defence"/"Defense", "interior"/"Internal"
    return all(re.search(r"(?<![\w-])" + re.escape(m[:5]), name) for m in role.modifiers)


def _plain(raw: str) -> str:
    """Raw text around a mention without markup ("governor <a href=...>Ivanov</a>"), cut
    tags at either edge included, lower case."""
    text = re.sub(r"<[^>]*>|^[^<]*>|<[^>]*$", "", raw) if "<" in raw or ">" in raw else raw
    return re.sub(r"&[#\w]+;", " ", text).lower()


def _beside(doc: Document, start: int, end: int, role: RolePhrase, org: bool = False) -> bool:
    """Whether the role noun stands next to a mention at raw ``[start, end)``: "governor Pavel
    Ivanov", "the rights group OVD-Info", "Ivanov, the region's governor", "Interfax news
    agency" (``org``: a name may also run straight into its noun)."""
    raw = doc.raw_text
    before = re.split(r"[.!?;]\s|\n", _plain(raw[max(0, start - _WINDOW) : start]))[-1]
    after = re.split(r"[.!?;]\s|\n", _plain(raw[end : end + _WINDOW]))[0]
    for head in role.heads:
        noun = re.escape(head)
        # "governor Pavel Ivanov", "The lawyer, Aliya Nurova", "head of Chechnya Ramzan Kadyrov"
        if re.search(rf"(?<![\w-]){noun}(?:\s+of\s+[^,]{{1,40}})?,?\s*$", before):
            return True
        # "Ivanov, the region's governor," / "Nurova, his lawyer"
        if re.match(rf"^\s*,\s+(?:[\w'’-]+\s+){{0,4}}?{noun}(?![\w-])", after):
            return True
        if org and re.match(rf"^\s+(?:[\w-]+\s+)?{noun}(?![\w-])", after):
            return True
    return False


def _candidates(doc: Document, role: RolePhrase) -> list[tuple[Entity, list[Any]]]:
    """Entities the role fits, each with the mentions that count for it (read once per role
    phrase and document: every claim of "the governor said" asks again)."""
    if doc.nlp_doc is None:
        return _find_candidates(doc, role)
    key = ("claimant_candidates", role, id(doc.entities), len(doc.entities))
    cache = cache_of(doc.nlp_doc)
    if key not in cache:
        cache[key] = _find_candidates(doc, role)
    return cache[key]


def _find_candidates(doc: Document, role: RolePhrase) -> list[tuple[Entity, list[Any]]]:
    out: list[tuple[Entity, list[Any]]] = []
    for ent in doc.entities:
        if ent.type not in {"PERSON", "ORG"} or role.kind not in {None, ent.type}:
            continue  # "the head" names a person, "the ministry" an organisation
        if _past_holder(ent, role):
            continue
        fits = _person_role_fits if ent.type == "PERSON" else _org_fits
        if fits(ent, role):
            out.append((ent, list(ent.mentions)))
            continue
        org = ent.type == "ORG"
        beside = [m for m in ent.mentions if _beside(doc, m.start, m.end, role, org)]
        if beside:
            out.append((ent, beside))
    return out


def _modifier_hits(ent: Entity, role: RolePhrase) -> int:
    """How well the candidate fits the phrase's modifiers and complement; a person whose role
    has another complement ("head of the Investigative Committee" for "the head of the
    republic") is -1: not that person."""
    text = " ".join([ent.name, ent.role or "", *ent.aliases]).lower()
    hits = sum(1 for m in (*role.modifiers, *role.context) if _has(text, m))
    if ent.type == "PERSON" and ent.role and role.context and not hits:
        words = ent.role.split()
        own = [w.lower() for w in words[len(_core(words, _lexicon())) :]]
        if own and not set(own) & set(role.context):
            return -1
    return hits


def _indefinite(doc: Document, sent: Any, role: RolePhrase) -> bool:
    """"A lawyer for the family said ...": a new, unnamed source (looked for in the sentence
    and just after it, where a quotation's speaker is named)."""
    text = doc.body[sent.start_char : sent.end_char + _SPEAKER_CHARS].lower()
    found = re.search(r"(?<![\w-])" + re.escape(role.text) + r"(?![\w-])", text)
    if found is None:
        return False
    lex = _lexicon()
    # the nearest determiner before the phrase's core, within its noun phrase
    for word in reversed(re.findall(r"[\w'’-]+|[^\w\s]", text[: found.start()])[-3:]):
        if word in lex.indefinite:
            return True
        if word in lex.determiners or not word[:1].isalnum():
            return False
    return False


def resolve_claimant(doc: Document, sent: Any, claimant: str) -> str:
    """The name of the entity a role-phrase ``claimant`` of a claim in ``sent`` stands for;
    ``claimant`` unchanged when it is a name, plural, indefinite, or no entity fits."""
    role = parse_role(claimant)
    if role is None or not doc.entities or _indefinite(doc, sent, role):
        return claimant
    lo = doc.body_to_raw(sent.start_char)
    hi = doc.body_to_raw(sent.end_char)
    best: tuple[tuple[int, int, int], Entity] | None = None
    for ent, mentions in _candidates(doc, role):
        for m in mentions:
            if m.start < hi:
                place = (0, max(0, lo - m.end))  # before (or in) the claim's sentence
            elif m.start - hi <= _FOLLOW_CHARS:
                place = (1, m.start - hi)  # named just after: "The lawyer, X, said ..."
            else:
                continue
            hits = _modifier_hits(ent, role)
            if hits < 0:
                break  # "the head of the village" is not the head of a committee
            key = (-hits, *place)
            if best is None or key < best[0]:
                best = (key, ent)
    if best is not None:
        return best[1].name
    return _named_earlier(doc, sent, role) or claimant


def role_holders(doc: Document, claimant: str) -> list[str]:
    """Every entity a role-phrase ``claimant`` could stand for ("the governor" -> each governor
    the text names), so that another resolution of the same phrase is not taken for a relay."""
    role = parse_role(claimant)
    return [] if role is None else [ent.name for ent, _ in _candidates(doc, role)]


_LEAD = re.compile(r"^(?:(?:The|A|An|This|That|Its|Their|His|Her|Our)\s+)+")


def _glue() -> frozenset[str]:
    lex = _lexicon()
    return lex.determiners | lex.preps | lex.indefinite | {"and", "or", "to", "by", "as"}


def _named_earlier(doc: Document, sent: Any, role: RolePhrase) -> str | None:
    """For an organisation the entity stage did not keep ("the Russian defence ministry" ...
    "the ministry said"), the nearest earlier phrase naming it with a proper word."""
    if role.kind != "ORG":
        return None
    text = doc.body[max(0, sent.start_char - _LOOK_BACK) : sent.end_char]
    heads = "|".join(re.escape(h) for h in sorted(role.heads, key=len, reverse=True))
    # proper words ("Russian", "Kazakhstan's"), up to two lower-case ones, then the noun
    words_before = r"((?:[A-Z][\w'’.-]*\s+)+(?:[a-z][\w'’-]*\s+){0,2}?)"
    pattern = rf"(?<![\w-]){words_before}((?i:{heads}))(?![\w-])"
    for found in reversed(list(re.finditer(pattern, text))):
        phrase = _LEAD.sub("", found.group(0))
        words = {re.sub(r"['’]s?$", "", w).lower() for w in phrase.split()}
        if words & _glue() or not phrase[:1].isupper() or " " not in phrase:
            continue  # "In March the ministry": not one name
        if set(role.modifiers) <= words:
            return " ".join(phrase.split())
    return None
