"""Candidate pairs from blocking keys: only refs sharing a key are compared, and only pairs
that involve at least one new ref (stored refs were compared with each other before)."""

from __future__ import annotations

from collections import defaultdict

from chronicle.link.events import APPROX_WINDOW_DAYS, EventRef


def candidate_pairs(keys: list[set[str]], is_new: list[bool]) -> list[tuple[int, int]]:
    """Pairs ``(i, j)``, ``i < j``, of refs sharing a key, at least one of them new."""
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, ks in enumerate(keys):
        for k in ks:
            by_key[k].append(i)
    pairs: set[tuple[int, int]] = set()
    for members in by_key.values():
        new = [m for m in members if is_new[m]]
        for j in new:
            for i in members:
                if i != j and (not is_new[i] or i < j):
                    pairs.add((min(i, j), max(i, j)))
    return sorted(pairs)


def event_keys(ref: EventRef, day: int | None, party: str | None) -> set[str]:
    """Blocking keys of an event: two consecutive day buckets of the date window (two events
    within the window always share one), and the participant key for undated events."""
    keys = {f"p:{party}"} if party else set()
    if day is not None:
        bucket = day // APPROX_WINDOW_DAYS
        keys |= {f"d:{bucket}", f"d:{bucket + 1}"}
    elif not party:
        keys.add("undated")
    return keys
