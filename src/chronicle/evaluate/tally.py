"""Counts the scorer accumulates, and the per-document result they live in.

Every figure ``chronicle eval`` prints is a ratio ``hit / total`` kept as two integers, so that a
corpus score is the *micro-average* over documents: counts are summed over all documents first
and divided once (a document with ten events weighs ten times one with one event). A ratio with
``total == 0`` has no value (``None``, printed as ``null``): nothing could be scored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Ratio:
    """``hit`` successes out of ``total`` trials."""

    hit: int = 0
    total: int = 0

    @property
    def value(self) -> float | None:
        return self.hit / self.total if self.total else None


class Tally(dict[str, Ratio]):
    """Named ratios (``"events.recall"``, ``"events.arguments.date"``, ...) that add up."""

    def add(self, key: str, ok: bool) -> None:
        """Record one trial of ``key``."""
        self.count(key, int(ok), 1)

    def count(self, key: str, hit: int, total: int) -> None:
        """Record ``hit`` successes out of ``total`` trials of ``key``."""
        ratio = self.setdefault(key, Ratio())
        ratio.hit += hit
        ratio.total += total

    def merge(self, other: Tally) -> None:
        for key, ratio in other.items():
            self.count(key, ratio.hit, ratio.total)

    def value(self, key: str) -> float | None:
        ratio = self.get(key)
        return ratio.value if ratio else None


@dataclass
class DocScore:
    """One document's counts, what went wrong (for ``--details``) and the gold->extracted
    pairings that cross-document linking is scored on."""

    doc: str
    tally: Tally = field(default_factory=Tally)
    missed: list[dict[str, Any]] = field(default_factory=list)  # gold items not found
    spurious: list[dict[str, Any]] = field(default_factory=list)  # extracted items unmatched
    wrong: list[dict[str, Any]] = field(default_factory=list)  # matched, argument disagrees
    event_pairs: dict[str, int] = field(default_factory=dict)  # gold event id -> extracted idx
    entity_pairs: dict[str, int] = field(default_factory=dict)  # gold entity name -> extracted idx
