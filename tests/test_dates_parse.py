"""Dates: absolute, partial and relative forms, and a parser that never raises."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chronicle.extract.dates import dates_in, find_dates, is_relative, parse_date


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("The case was opened on Sept. 11, 2023, in Moscow.", None, "2023-09-11"),
        ("He was detained on 4 February 2021.", None, "2021-02-04"),
        ("The law came into force in April 2025.", None, "2025-04"),
        ("The ruling of 2019-12-05 was upheld.", None, "2019-12-05"),
        ("On June 30 the office reported new cases.", None, "--06-30"),
        ("On June 30 the office reported new cases.", "2024-07-02", "2024-06-30"),
        ("On December 28 police detained him.", "2024-01-03", "2023-12-28"),
        ("The court ruled on Saturday.", None, None),
        ("The court ruled on Saturday.", "2025-04-23", "2025-04-19"),
        ("The court ruled on Tuesday.", "2024-02-20", "2024-02-20"),
        ("He was detained yesterday.", "2024-02-20", "2024-02-19"),
        ("He was detained two days ago.", "2024-02-20", "2024-02-18"),
        ("She left the country last year.", "2024-01-03", "2023"),
        ("She left the country last year.", None, None),
        ("The case was opened in September last year.", "2024-01-03", "2023-09"),
        ("The case was opened in late December.", "2024-02-20", "2023-12"),
        ("Deaths had reached 48,000 by mid-August.", None, "--08"),
        ("Deaths had reached 48,000 as of mid-August 2022.", None, "2022-08"),
        ("Courts have jailed dozens since 2014.", None, "2014"),
        ("He was jailed last month.", "2024-03-15", "2024-02"),
        ("The court will rule next Monday.", "2024-03-13", "2024-03-18"),
        ("No date here at all.", None, None),
        ("You may appeal within ten days.", None, None),
        ("Police detained 2000 people.", None, None),
    ],
)
def test_parse_date(text: str, published: str | None, expected: str | None) -> None:
    assert parse_date(text, published) == expected


def test_surface_form_kept_when_unresolved() -> None:
    (start, end, iso, surface), = find_dates("A court on Saturday placed her in detention.")
    assert iso is None and surface == "on Saturday"
    assert "A court on Saturday placed her"[start:end] == "on Saturday"


def test_impossible_day_is_not_a_date() -> None:
    assert parse_date("on February 31, 2023") is None


def test_relative_detection() -> None:
    assert is_relative("on Monday")
    assert is_relative("last year")
    assert not is_relative("11 September 2023")


def test_dates_in_span_uses_document_offsets() -> None:
    from chronicle.nlp import load_nlp

    sdoc = load_nlp()("First sentence here. Police detained him on 5 May 2024 in Osh.")
    sent = list(sdoc.sents)[1]
    (start, end, iso, surface), = dates_in(sent)
    assert sdoc.text[start:end] == surface == "5 May 2024"
    assert iso == "2024-05-05"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120), st.one_of(st.none(), st.text(max_size=25)))
def test_parser_never_raises(text: str, published: str | None) -> None:
    found = find_dates(text, published)
    for start, end, iso, surface in found:
        assert 0 <= start <= end <= len(text)
        assert iso is None or isinstance(iso, str)
        assert isinstance(surface, str)
    parse_date(text, published)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 31),
    st.sampled_from(["January", "Feb.", "March", "Apr.", "May", "June", "Sept.", "December"]),
    st.integers(1900, 2099),
)
def test_generated_absolute_dates(day: int, month: str, year: int) -> None:
    iso = parse_date(f"on {month} {day}, {year}")
    if iso is not None:  # invalid days (June 31) give None
        assert iso.startswith(f"{year:04d}-") and iso.endswith(f"-{day:02d}")


def test_anaphoric_year_is_kept_for_the_caller() -> None:
    from chronicle.extract.dates import resolve_anaphoric

    ((_, _, iso, surface),) = find_dates("That year the court jailed him.")
    assert iso is None and surface == "That year"
    assert resolve_anaphoric(surface, ["2021-03-04", None, "--05-01"]) == "2021"
    assert resolve_anaphoric("the same month", ["2019", "2020-07"]) == "2020-07"
    assert resolve_anaphoric("that year", []) is None
