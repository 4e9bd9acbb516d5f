"""Where an event happened: the place the sentence ties to the event, with its ISO country.

Order of preference (legal rulings look at the court's city first, investigations at the place
of the matter investigated):

1. a place in a locative phrase on the trigger's clause ("attempts *in Kostanay Region* to
   recruit", "detained *in Osh*");
2. for rulings: the actor's own place ("a court *in Bishkek*", "*Moscow*-based investigators");
   for the rest: a place inside the trigger's phrase ("crimes *in Ukraine*");
3. the other of the two;
4. a country named or implied by a demonym in the actor ("*Kyrgyz* authorities");
5. the country the article mentions most.

Names are geocoded with ``chronicle.link.gazetteer`` when present (context: the article's
places), else the country comes from the demonym/country tables only.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from chronicle.extract.docindex import cache_of, entity_starting_at
from chronicle.extract.events_np import entities_at
from chronicle.model import Document, Location

try:
    from chronicle.link import gazetteer as _gaz
except ImportError:  # pragma: no cover - the link helper's module
    _gaz = None  # type: ignore[assignment]

_PLACE_LABELS = {"GPE", "LOC", "FAC"}
_LOCATIVE = {"in", "at", "near", "from", "inside", "across", "throughout"}
_RULING_TYPES = {"COERCE", "SANCTION", "THREATEN"}
# Statements happen where the speaker is: "Kadyrov branded Ukraine's leadership terrorists" is
# not an event in Ukraine.
_STATEMENTS = {"ACCUSE/disapprove", "REQUEST", "REJECT", "SUPPORT", "THREATEN", "AGREE"}


def _places_in(tokens: list[Any], doc: Document) -> list[Any]:
    """Place entities (spaCy GPE/LOC) whose tokens lie in ``tokens``, in text order."""
    seen: list[Any] = []
    ids = {t.i for t in tokens}
    for t in sorted(tokens, key=lambda x: x.i):
        if t.ent_type_ in _PLACE_LABELS and t.ent_iob_ == "B":
            ent = entity_starting_at(t.doc, t.i)
            inside = ent is not None and all(i in ids for i in range(ent.start, ent.end))
            if inside and not _is_demonym(ent.text) and not _person_part(ent, doc):
                seen.append(ent)
    return seen


def _person_part(ent: Any, doc: Document) -> bool:
    """ "Natalia" of "Natalia Serekina" tagged as a place: part of a person's name."""
    return any(e.type == "PERSON" for e in entities_at(doc, ent.start_char, ent.end_char)) or any(
        t.ent_type_ == "PERSON" for t in ent.doc[max(ent.start - 1, 0) : ent.end + 1]
    )


def _is_demonym(text: str) -> bool:
    """ "Kyrgyz" tagged as a place: a people's name, not where something happened."""
    if _gaz is None:
        return False
    code = _gaz.demonym_country(text)
    return bool(code) and (_gaz.country_name(code) or "").lower() != text.lower()


def _locative_tokens(chain: list[Any]) -> list[Any]:
    out = []
    for tok in chain:
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ in _LOCATIVE:
                out.extend(prep.subtree)
    return out


def _locative(chain: list[Any], doc: Document) -> list[Any]:
    return _places_in(_locative_tokens(chain), doc)


def _country(name: str, doc: Document) -> str | None:
    if _gaz is None:
        return None
    place = _gaz.geocode(name, _context(doc))
    if place is not None:
        return place.country
    return _gaz.country_code(name)


def _demonym(tokens: list[Any]) -> str | None:
    if _gaz is None:
        return None
    for t in tokens:
        if t.pos_ in {"ADJ", "PROPN", "NOUN"} and t.is_title:
            code = _gaz.demonym_country(t.text)
            if code:
                return code
    return None


def _per_doc(doc: Document, what: str, make: Any) -> Any:
    """``make(doc)``, computed once per parse and entity list (events ask for every event)."""
    if doc.nlp_doc is None:
        return make(doc)
    key = (what, id(doc.entities), len(doc.entities))
    cache = cache_of(doc.nlp_doc)
    if key not in cache:
        cache[key] = make(doc)
    return cache[key]


def _context(doc: Document) -> tuple[str, ...]:
    """The article's first twelve places: the geocoder's context."""
    return _per_doc(doc, "places",
                    lambda d: tuple(e.name for e in d.entities if e.type == "GPE")[:12])


def _main_country(doc: Document) -> str | None:
    return _per_doc(doc, "main_country", _count_countries)


def _count_countries(doc: Document) -> str | None:
    counts: Counter[str] = Counter()
    for ent in doc.entities:
        if ent.type == "GPE":
            code = _country(ent.name, doc)
            if code:
                counts[code] += max(len(ent.mentions), 1)
    return counts.most_common(1)[0][0] if counts else None


def event_location(
    doc: Document, etype: str, chain: list[Any], trig: Any, actor: Any | None, mode: str = ""
) -> Location | None:
    """The event's place (name + ISO country) from its sentence, else the article's country."""
    if etype in _STATEMENTS or f"{etype}/{mode}" in _STATEMENTS:
        return _speaker_place(doc, chain, actor)
    actor_toks = list(actor.subtree) if actor is not None else []
    skip = {t.i for t in actor_toks}
    for c in trig.children:  # places of other clauses ("since Russia invaded Ukraine")
        if c.dep_ in {"advcl", "ccomp", "relcl", "parataxis", "nsubjpass", "nsubj"}:
            skip.update(t.i for t in c.subtree)
    for t in trig.subtree:  # "a man who fought in Ukraine": where he fought, not the event
        if t.dep_ in {"relcl", "acl"} and t.i != trig.i:
            skip.update(x.i for x in t.subtree)
    if trig.dep_ == "acl":  # "attempts in Kostanay Region to recruit": the noun's own phrase
        chain = [*chain, trig.head]
    for t in trig.subtree:  # "on suspicion of enlisting men to fight in Ukraine": the offence
        if t.dep_ == "pobj" and t.lemma_.lower() in _charge_words():
            skip.update(x.i for x in t.subtree)
    inner = [t for t in trig.subtree if t.i not in skip]
    # "detained five people in Jalal-Abad": a place the tagger missed, after "in"
    in_phrases = _locative_tokens(chain) + [
        t for p in inner if p.dep_ == "prep" and p.lower_ in _LOCATIVE for t in p.subtree
    ]

    def from_ents(ents: list[Any]) -> Location | None:
        for ent in ents:
            code = _country(ent.text, doc)
            if code:
                return Location(name=_clean(ent.text), country=code)
        return None

    def country_only(code: str | None) -> Location | None:
        if code is None:
            return None
        name = _gaz.country_name(code) if _gaz is not None else None
        return Location(name=name or code, country=code)

    finders = [
        lambda: from_ents(_locative(chain, doc)),
        lambda: _named_place(in_phrases, min_population=0),
        lambda: from_ents(_places_in(actor_toks, doc)),
        lambda: _named_place(actor_toks),
        lambda: country_only(_demonym(actor_toks)),
        lambda: from_ents(_places_in(inner, doc)),
        lambda: _named_place(inner),
        lambda: country_only(_demonym(inner)),
    ]
    if etype not in _RULING_TYPES:  # the matter investigated before the investigator's seat
        finders = [*finders[:2], *finders[5:7], *finders[2:5], finders[7]]
    for find in finders:
        found = find()
        if found is not None:
            return found
    return country_only(_main_country(doc))


def place_of(doc: Document, tokens: list[Any]) -> Location | None:
    """The first named place among ``tokens`` (an attack's target: "a strike on Odesa")."""
    for ent in _places_in(tokens, doc):
        code = _country(ent.text, doc)
        if code:
            return Location(name=_clean(ent.text), country=code)
    for text in _name_runs(tokens) if _gaz is not None else ():
        place = _gaz.geocode(text)  # a whole name ("Odesa", "Shebekino"), however small
        if place is not None and not _is_demonym(text):
            return Location(name=place.name, country=place.country)
    return _named_place(tokens)  # words of a longer name: well-known places only ("Hall" no)


def _charge_words() -> set[str]:
    from chronicle.extract.events_lexicon import lexicon

    return set(lexicon().legal["charge_heads"])


def _speaker_place(doc: Document, chain: list[Any], actor: Any | None) -> Location | None:
    actor_toks = list(actor.subtree) if actor is not None else []
    for ent in [*_locative(chain, doc), *_places_in(actor_toks, doc)]:
        code = _country(ent.text, doc)
        if code:
            return Location(name=_clean(ent.text), country=code)
    place = _named_place(actor_toks)
    if place is not None:
        return place
    code = _demonym(actor_toks) or _main_country(doc)
    if code is None:
        return None
    name = _gaz.country_name(code) if _gaz is not None else None
    return Location(name=name or code, country=code)


def _name_runs(tokens: list[Any]) -> list[str]:
    """Runs of capitalised words, hyphens kept ("Jalal-Abad", "Rostov-on-Don", "Nur-Sultan")."""
    runs: list[list[Any]] = []
    for t in sorted(tokens, key=lambda x: x.i):
        joins = runs and runs[-1][-1].i == t.i - 1 and (
            t.text in {"-", "on"} or runs[-1][-1].text in {"-", "on"}
        )
        if (t.pos_ == "PROPN" and t.is_title) or joins:
            if joins or (runs and runs[-1][-1].i == t.i - 1 and runs[-1][-1].pos_ == "PROPN"):
                runs[-1].append(t)
            else:
                runs.append([t])
    texts = []
    for run in runs:
        while run and run[-1].text in {"-", "on"}:
            run.pop()
        if run:
            texts.append(run[0].doc[run[0].i : run[-1].i + 1].text)
    return texts


def _named_place(tokens: list[Any], min_population: int = 100_000) -> Location | None:
    """A well-known place named inside an organisation or phrase ("Moscow City Court",
    "five people in Jalal-Abad") that the tagger did not mark as a place."""
    if _gaz is None:
        return None
    # (a name tagged as a person is skipped unless the caller vouches for a place context)
    persons = {t.text for t in tokens if t.ent_type_ == "PERSON"} if min_population else set()
    for text in _name_runs(tokens):
        for cand in (text, *text.split()):
            if len(cand) < 3 or cand in persons or _is_demonym(cand):
                continue
            place = _gaz.geocode(cand)
            big = place is not None and (
                place.feature != "city" or place.population >= min_population
            )
            if big:
                return Location(name=place.name, country=place.country)
    return None


def _clean(text: str) -> str:
    return text[4:] if text.lower().startswith("the ") else text
