"""Geocoding a document: every place entity and every event location gets a gazetteer entry.

The context of each lookup is the document's other place names, so "Moscow" in an article about
Idaho resolves to Moscow, Idaho, and a bare "Kursk" in an article about Russia to the city.
"""

from __future__ import annotations

from collections import Counter

from chronicle.link.gazetteer import Place, country_place, geocode
from chronicle.link.textnorm import fold
from chronicle.model import Document, Location

PLACE_TYPES = frozenset({"GPE", "LOC"})


def place_names(doc: Document) -> list[str]:
    """The document's place entity names (the geocoding context)."""
    return [e.name for e in doc.entities if e.type in PLACE_TYPES and e.name.strip()]


def place_id(place: Place) -> str:
    """A stable id for a gazetteer entry (the canonical id of place entities)."""
    if place.geonameid:
        return f"geo_{place.geonameid}"
    return f"geo_{place.country}_{place.feature}_{fold(place.name).replace(' ', '_')}"


def geocode_document(doc: Document) -> None:
    """Fill ``Entity.geo``/``canonical_id`` of places and the coordinates of event locations."""
    context = place_names(doc)
    for ent in doc.entities:
        if ent.type not in PLACE_TYPES:
            continue
        place = geocode(ent.name, context)
        if place is not None:
            ent.geo = place.to_dict()
            ent.canonical_id = place_id(place)
    countries = {str(e.geo["country"]) for e in doc.entities if e.geo}
    for ev in doc.events:
        locate_event(ev.location, context, countries)


def locate_event(loc: Location | None, context: list[str],
                 countries: set[str] | None = None) -> Place | None:
    """Resolve an event's own location in place; a location with only a country gets the
    country's centroid. A name that resolves only outside every country the article names is
    not trusted (a person's first name taken for a town). Returns the entry used."""
    if loc is None:
        return None
    place = geocode(loc.name, context) if loc.name else None
    if place is not None and countries and place.country not in countries:
        if loc.country == place.country:  # the country came from the same doubtful lookup
            loc.country = None
        place = None
    if place is not None and loc.country and place.country != loc.country:
        # The extractor's country wins: look for a homonym in that country.
        place = geocode(loc.name or "", [*context, loc.country])
        if place is not None and place.country != loc.country:
            place = None
    if place is None and loc.country:
        place = country_place(loc.country)
    if place is None:
        return None
    loc.country = loc.country or place.country
    loc.admin1 = loc.admin1 or place.admin1
    if loc.lat is None or loc.lon is None:
        loc.lat, loc.lon = place.lat, place.lon
    return place


def document_countries(doc: Document, top: int = 3) -> frozenset[str]:
    """The countries a document is most about: its places' countries by mention count."""
    counts: Counter[str] = Counter()
    for ent in doc.entities:
        if ent.type in PLACE_TYPES and ent.geo:
            counts[str(ent.geo["country"])] += max(1, len(ent.mentions))
    for ev in doc.events:
        if ev.location and ev.location.country:
            counts[ev.location.country] += 2
    return frozenset(c for c, _ in counts.most_common(top))


def context_names(doc: Document) -> dict[str, set[str]]:
    """For each entity name, comparable keys of the document's *other* non-country places (their
    gazetteer id) and organisations (their name key): what two articles about one person share
    besides the person."""
    from chronicle.link.names import org_name

    keys: dict[str, str] = {}
    for e in doc.entities:
        if e.type in PLACE_TYPES and e.geo and e.geo.get("feature") != "country" and e.canonical_id:
            keys[e.name] = e.canonical_id
        elif e.type == "ORG":
            parsed = org_name(e.name)
            if parsed is not None and not parsed.generic and len(parsed.key) > 2:
                keys[e.name] = "org:" + parsed.key
    every = set(keys.values())
    return {e.name: every - {keys.get(e.name, "")} for e in doc.entities}
