"""The claim extractor's lexicons, read once from ``data/claims/`` (see the files' ``_about``).

- ``metrics.json``: per metric, the nouns naming the counted thing, the predicates said of counted
  people (``verb`` or ``verb+object`` keys) and the role nouns that imply a metric;
- ``context.json``: what is not a count (time units, legal references), measure nouns ("the
  number of"), document nouns, speech verbs, authorities, retraction cues;
- ``qualifiers.tsv`` and ``rates.tsv``: the words before a number that qualify it, and the
  phrases that make it a rate.

Everything is lower case; lookups go through :func:`lexicon`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

_DATA = Path(__file__).resolve().parent / "data" / "claims"


@dataclass(frozen=True)
class ClaimLexicon:
    """Lookup tables for metrics and context, all lower case."""

    noun_metric: dict[str, str]  # "death" -> killed, "criminal case" -> criminal_cases
    verb_metric: dict[str, str]  # "die" -> killed, "sign+contract" -> recruited
    role_metric: dict[str, str]  # "detainee" -> detained, "soldier" -> people
    not_counts: frozenset[str]
    not_count_before: frozenset[str]
    measure_nouns: frozenset[str]
    measure_verbs: frozenset[str]
    money_fine: frozenset[str]
    retraction: tuple[str, ...]
    exclude_modifiers: frozenset[str]
    document_nouns: frozenset[str]
    speech_verbs: frozenset[str]
    authority_nouns: frozenset[str]
    source_label: frozenset[str]
    kin_nouns: frozenset[str]
    qualifiers: tuple[tuple[str, str], ...]  # longest phrase first
    rates: tuple[tuple[str, str], ...]  # longest phrase first
    through_prep: dict[str, dict[str, str]]  # "of" -> {}, "against" -> {criminal_cases: charged}


def _tsv(name: str) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for line in (_DATA / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split("\t")]
        if len(parts) >= 2:
            rows.append((parts[0].lower(), parts[1]))
    rows.sort(key=lambda r: -len(r[0]))
    return rows


def word_set(data: dict[str, Any], key: str) -> frozenset[str]:
    """The lower-cased words a data file lists under ``key`` (none when it lists nothing)."""
    return frozenset(w.lower() for w in data.get(key, []))


@lru_cache(maxsize=1)
def lexicon() -> ClaimLexicon:
    """All claim lexicons (loaded once per process)."""
    metrics = json.loads((_DATA / "metrics.json").read_text(encoding="utf-8"))
    ctx = json.loads((_DATA / "context.json").read_text(encoding="utf-8"))
    nouns: dict[str, str] = {}
    verbs: dict[str, str] = {}
    roles: dict[str, str] = {}
    for metric, entry in metrics.items():
        if metric.startswith("_"):
            continue
        for key, table in (("nouns", nouns), ("verbs", verbs), ("roles", roles)):
            for word in entry.get(key, []):
                table.setdefault(word.lower(), metric)

    def words(key: str) -> frozenset[str]:
        return word_set(ctx, key)

    return ClaimLexicon(
        noun_metric=nouns,
        verb_metric=verbs,
        role_metric=roles,
        not_counts=words("not_counts"),
        not_count_before=words("not_count_before"),
        measure_nouns=words("measure_nouns"),
        measure_verbs=words("measure_verbs"),
        money_fine=words("money_fine"),
        retraction=tuple(w.lower() for w in ctx.get("retraction", [])),
        exclude_modifiers=words("exclude_modifiers"),
        document_nouns=words("document_nouns"),
        speech_verbs=words("speech_verbs"),
        authority_nouns=words("authority_nouns"),
        source_label=words("source_label"),
        kin_nouns=words("kin_nouns"),
        qualifiers=tuple(_tsv("qualifiers.tsv")),
        rates=tuple(_tsv("rates.tsv")),
        through_prep={k.lower(): v for k, v in ctx.get("through_prep", {"of": {}}).items()},
    )
