"""The offline gazetteer resolves the domain's places, regions, countries and demonyms."""

from __future__ import annotations

import pytest

from chronicle.link.gazetteer import Place, country_code, geocode


@pytest.mark.parametrize(
    ("name", "country", "feature", "admin1"),
    [
        ("Osh", "KG", "city", "Osh"),
        ("Bishkek", "KG", "city", "Chuy"),
        ("Kostanay Region", "KZ", "region", "Qostanay"),
        ("Elista", "RU", "city", "Kalmykiya"),
        ("Kalmykia", "RU", "region", "Kalmykiya"),
        ("Dagestan", "RU", "region", "Dagestan"),
        ("Chechnya", "RU", "region", "Chechnya"),
        ("Chechen Republic", "RU", "region", "Chechnya"),
        ("Kursk", "RU", "city", "Kursk"),
        ("Kursk region", "RU", "region", "Kursk"),
        ("Penza", "RU", "city", "Penza"),
        ("The Hague", "NL", "city", "South Holland"),
        ("Moscow", "RU", "city", "Moscow"),
        ("Naryn", "KG", "city", "Naryn"),
        ("Kyiv", "UA", "city", None),
        ("Kiev", "UA", "city", None),
        ("Astana", "KZ", "city", None),
        ("Almaty", "KZ", "city", None),
        ("Kyrgyzstan", "KG", "country", None),
        ("Kyrgyz Republic", "KG", "country", None),
        ("Russian Federation", "RU", "country", None),
    ],
)
def test_domain_places_resolve(name: str, country: str, feature: str, admin1: str | None) -> None:
    place = geocode(name)
    assert isinstance(place, Place), name
    assert (place.country, place.feature) == (country, feature)
    if admin1 is not None:
        assert place.admin1 == admin1
    assert -90 <= place.lat <= 90 and -180 <= place.lon <= 180


def test_coordinates_are_where_the_place_is() -> None:
    osh = geocode("Osh")
    assert osh is not None and abs(osh.lat - 40.5) < 0.3 and abs(osh.lon - 72.8) < 0.3
    region = geocode("Kalmykia")
    assert region is not None and 44 < region.lat < 49 and 41 < region.lon < 48


def test_context_disambiguates_homonyms() -> None:
    us = geocode("Moscow", ["Idaho", "United States"])
    assert us is not None and us.country == "US" and us.admin1 == "Idaho"
    ru = geocode("Moscow", ["Kursk", "Russia"])
    assert ru is not None and ru.country == "RU"
    georgia_us = geocode("Georgia", ["Atlanta", "Texas"])
    assert georgia_us is not None and georgia_us.country == "US"
    georgia = geocode("Georgia", ["Tbilisi", "Armenia"])
    assert georgia is not None and georgia.country == "GE"


def test_capital_phrase_and_transliteration() -> None:
    capital = geocode("the Kyrgyz capital")
    assert capital is not None and capital.name == "Bishkek"
    assert geocode("Groznyy") == geocode("Grozny")
    qostanay = geocode("Qostanay oblysy")
    assert qostanay is not None and qostanay.feature == "region" and qostanay.country == "KZ"


def test_unknown_and_blank_names() -> None:
    assert geocode("") is None
    assert geocode("   ") is None
    assert geocode("Xqzzyvillepolis") is None


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Kyrgyz", "KG"),
        ("Kyrgyzstan", "KG"),
        ("Russian", "RU"),
        ("the Kyrgyz capital", "KG"),
        ("Kazakh", "KZ"),
        ("Kazakhs", "KZ"),
        ("Chechen", "RU"),
        ("Dagestani", "RU"),
        ("Ukrainian side", "UA"),
        ("Osh", "KG"),
        ("British", "GB"),
        ("U.S.", "US"),
        ("Tajik", "TJ"),
    ],
)
def test_country_code(text: str, iso: str) -> None:
    assert country_code(text) == iso


def test_country_code_unknown() -> None:
    assert country_code("Reuters") is None
    assert country_code("") is None
