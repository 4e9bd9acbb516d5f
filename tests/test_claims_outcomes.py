"""A count said of people who went through several things is a count of what they came to
("were mobilised and then killed": killed), unless each step has its own count."""

from __future__ import annotations

import pytest

import chronicle


@pytest.mark.parametrize(("text", "expected"), [
    ("Officials said 14 men were mobilised and then killed in the first week.", {("killed", 14)}),
    ("Police said 12 people were detained and later released.", {("released", 12)}),
    ("Four soldiers were killed and nine injured in the attack.",
     {("killed", 4), ("injured", 9)}),
    ("Twenty protesters were detained and questioned overnight.", {("detained", 20)}),
])
def test_count_takes_the_outcome_of_coordinated_predicates(text: str, expected: set) -> None:
    got = {(c.metric, int(c.value)) for c in chronicle.extract(text).claims}
    assert got == expected
