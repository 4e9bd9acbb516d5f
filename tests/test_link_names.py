"""Name comparison and parsing rules of the linker (property tests for the parsers)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chronicle.link.events import parse_date
from chronicle.link.names import org_name, person_name, same_org_name, same_person_name
from chronicle.link.textnorm import fold, translit_key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Natalia Sekerina", "Natalia Serekina"),
        ("Natalia Sekerina", "Natalya Sekerina"),
        ("Sergei Lapushkin", "Sergey Lapushkin"),
        ("Polat Dzhamalov", "Polat Jamalov"),
        ("Ramzan Kadyrov", "Ramzan Kadirov"),
        ("Yevgeny Prigozhin", "Evgeny Prigozhin"),
        ("Aleksandr Petrov", "A. Petrov"),
    ],
)
def test_spelling_variants_are_one_person(a: str, b: str) -> None:
    assert same_person_name(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Ramzan Kadyrov", "Adam Kadyrov"),
        ("Dmitry Petrov", "A. Petrov"),
        ("Leonid Gozman", "Leonid Volkov"),
        ("Ivan Ivanov", "Ivan Smirnov"),
    ],
)
def test_different_people_are_not_merged(a: str, b: str) -> None:
    assert not same_person_name(a, b)


def test_surname_alone_needs_more_when_asked() -> None:
    assert same_person_name("Kadyrov", "Ramzan Kadyrov")
    assert not same_person_name("Kadyrov", "Ramzan Kadyrov", need_given=True)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Osh Mayor’s Office", "Osh City Hall", True),
        ("Radio Free Europe/Radio Liberty", "RFE/RL", True),
        ("Moscow Foundation “Kazakh Diaspora”", "Kazakh Diaspora Fund", True),
        ("Defense Ministry", "Russian Ministry of Defence", True),
        ("Russian Defence Ministry", "Ukrainian Defence Ministry", False),
        ("Russian House", "House", False),
        ("Pervomaisky District Court", "District Court", False),
        ("Rossotrudnichestvo", "Russian House", False),
    ],
)
def test_organisation_names(a: str, b: str, same: bool) -> None:
    assert same_org_name(a, b) is same


def test_parse_date_forms() -> None:
    assert parse_date("2023-09-11", None) == (date(2023, 9, 11), (2023, 9))
    assert parse_date("2023-09", None) == (None, (2023, 9))
    assert parse_date("--04-17", "2025-04-23") == (date(2025, 4, 17), (2025, 4))
    assert parse_date("--04-17", None) == (None, None)
    assert parse_date(None, "2025-01-01") == (None, None)


@given(st.text(max_size=40))
def test_normalisers_total(text: str) -> None:
    key = translit_key(text)
    assert key == key.strip()
    assert fold(fold(text)) == fold(text) or fold(text).startswith("the ")
    person_name(text)
    org_name(text)


@given(st.text(max_size=20), st.one_of(st.none(), st.text(max_size=12)))
def test_parse_date_never_raises(value: str, published: str | None) -> None:
    day, month = parse_date(value, published)
    assert day is None or month == (day.year, day.month)
