"""The number parser: words and digits, scales, percent and money, and what is not a number."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chronicle.extract.numbers import find_numbers, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("two", 2),
        ("Two", 2),
        ("48,759", 48759),
        ("1.6 million", 1_600_000),
        ("a dozen", 12),
        ("half a dozen", 6),
        ("twenty-five", 25),
        ("one hundred and twenty", 120),
        ("three thousand", 3000),
        ("2bn", 2_000_000_000),
        ("12 000", None),  # a plain space is not a thousands separator
        ("12\u00a0000", 12000),
        ("hundreds", 200),  # vague: a rough size
        ("the", None),
        ("", None),
        ("and", None),
        ("five apples", None),
    ],
)
def test_parse_number(text: str, value: float | None) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("paid 1.6 million rubles", [(1_600_000, "money", "RUB")]),
        ("a bonus of $2,500 a month", [(2500, "money", "USD")]),
        ("about 200,000 tenge", [(200000, "money", "KZT")]),
        ("a 200,000-ruble bonus", [(200000, "money", "RUB")]),
        ("40 percent of migrants", [(40, "percent", None)]),
        ("45 per cent", [(45, "percent", None)]),
        ("12% of voters", [(12, "percent", None)]),
        ("Two died, six more were hurt", [(2, "cardinal", None), (6, "cardinal", None)]),
        ("Ep. 14 at 09:05, call +7 495 123-45-67", [(14, "cardinal", None)]),
        ("id pub-260179357044294 and Su-25 jets", []),
        ("the 1990s and the 2nd time", []),
        ("KGS/USD rates", []),
    ],
)
def test_find_numbers_kinds(text: str, expected: list[tuple]) -> None:
    got = [(m.value, m.kind, m.currency) for m in find_numbers(text)]
    assert got == expected


def test_vague_quantities_are_flagged() -> None:
    found = find_numbers("Several hundred men and thousands of migrants, but a dozen soldiers")
    assert [(m.text, m.vague) for m in found] == [
        ("Several hundred", True),
        ("thousands", True),
        ("a dozen", False),
    ]


@given(st.integers(min_value=0, max_value=10**12))
def test_digit_forms_round_trip(n: int) -> None:
    assert parse_number(str(n)) == n
    assert parse_number(f"{n:,}") == n
    found = find_numbers(f"officials counted {n:,} people")
    assert [m.value for m in found] == [n]


@given(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False))
def test_decimal_round_trip(d) -> None:
    assert parse_number(f"{d:.2f}") == pytest.approx(float(d))


@given(st.integers(min_value=1, max_value=999), st.sampled_from(["thousand", "million"]))
def test_scaled_digits(n: int, scale: str) -> None:
    factor = {"thousand": 1000, "million": 1_000_000}[scale]
    assert parse_number(f"{n} {scale}") == n * factor


@given(st.text(max_size=200))
def test_never_raises_and_spans_are_exact(text: str) -> None:
    parse_number(text)
    for m in find_numbers(text):
        assert text[m.start : m.end] == m.text
        assert m.value >= 0


@given(st.lists(st.sampled_from(
    ["one", "two", "twenty", "hundred", "and", "thousand", "-", "a", "dozen", "million", "5", ","]
), max_size=8))
def test_word_soup_never_raises(words: list[str]) -> None:
    text = " ".join(words)
    parse_number(text)
    find_numbers(text)
