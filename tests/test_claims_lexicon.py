"""The claim lexicons are well-formed data: metrics from the GUIDE's closed list, no clashes."""

from __future__ import annotations

import json
from pathlib import Path

from chronicle.extract.claims_lexicon import lexicon

DATA = Path(__file__).resolve().parents[1] / "src" / "chronicle" / "extract" / "data" / "claims"
CLOSED = {
    "killed", "injured", "killed_or_injured", "missing", "captured", "released",
    "bodies_returned", "detained", "charged", "convicted", "criminal_cases", "recruited",
    "mobilized", "displaced", "people", "payment", "fine", "share", "munitions", "other",
}  # fmt: skip


def test_metrics_are_the_guides_closed_list() -> None:
    metrics = json.loads((DATA / "metrics.json").read_text("utf-8"))
    assert {k for k in metrics if not k.startswith("_")} <= CLOSED
    lex = lexicon()
    for table in (lex.noun_metric, lex.verb_metric, lex.role_metric):
        assert set(table.values()) <= CLOSED


def test_qualifiers_rates_and_currencies_are_canonical() -> None:
    lex = lexicon()
    assert {q for _, q in lex.qualifiers} <= {
        "at least", "up to", "more than", "about", "nearly", "less than", "exactly",
    }  # fmt: skip
    assert {p for _, p in lex.rates} <= {"day", "week", "month", "year", "hour", "person"}
    for line in (DATA / "currencies.tsv").read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            _surface, code, where = line.split("\t")
            assert len(code) == 3 and code.isupper() and where in {"prefix", "suffix", "both"}


def test_time_units_are_never_counted_things() -> None:
    lex = lexicon()
    for word in ("year", "month", "day", "article", "part"):
        assert word in lex.not_counts
        assert word not in lex.role_metric and word not in lex.noun_metric
