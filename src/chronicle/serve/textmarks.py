"""Cut an article's raw text into pieces for highlighting, without ever emitting raw HTML.

Spans index the raw text (see ``chronicle.model``). The pages show the raw text with the cleaner's
kept segments as the article and everything else as boilerplate (hidden until toggled), and mark
the extracted items on top. The result is a list of plain-text pieces with their CSS classes; the
Jinja2 template escapes each piece, so article text can never inject markup.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Mark:
    """A highlighted range ``[start, end)`` of the raw text."""

    start: int
    end: int
    kind: str  # css class: evidence, entity, event, claim, trigger...
    title: str = ""
    anchor: str | None = None  # element id, e.g. "evidence" to scroll to


@dataclass
class Piece:
    """A run of text with the same marks and the same kept/boilerplate status."""

    text: str
    kinds: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    boilerplate: bool = False
    anchor: str | None = None

    @property
    def css(self) -> str:
        classes = [f"mark-{k}" for k in self.kinds]
        if self.boilerplate:
            classes.append("boilerplate")
        return " ".join(classes)


def find_span(raw: str, snippet: str | None, near: int = 0) -> tuple[int, int] | None:
    """Where ``snippet`` occurs in ``raw`` (whitespace-insensitive), the hit nearest ``near``."""
    if not snippet or not snippet.strip():
        return None
    words = snippet.split()
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
    hits = [(m.start(), m.end()) for m in pattern.finditer(raw)]
    if not hits:
        return None
    return min(hits, key=lambda h: abs(h[0] - near))


def split_text(
    raw: str,
    marks: Iterable[Mark],
    kept: Sequence[tuple[int, int]] | None = None,
) -> list[Piece]:
    """Pieces of ``raw`` covering it exactly once, in order.

    ``kept`` lists the (raw_start, raw_end) ranges the cleaner kept; text outside them is marked as
    boilerplate. ``None`` means everything was kept.
    """
    n = len(raw)
    valid = [m for m in marks if 0 <= m.start < m.end <= n]
    kept_ranges = sorted((max(0, a), min(n, b)) for a, b in kept) if kept is not None else [(0, n)]
    cuts = {0, n}
    for m in valid:
        cuts.update((m.start, m.end))
    for a, b in kept_ranges:
        cuts.update((a, b))
    points = sorted(c for c in cuts if 0 <= c <= n)
    pieces: list[Piece] = []
    anchored: set[str] = set()
    for a, b in itertools.pairwise(points):
        if a == b:
            continue
        active = [m for m in valid if m.start <= a and m.end >= b]
        # Whitespace between kept paragraphs is layout, not boilerplate: keep it visible.
        boiler = not any(ka <= a and b <= kb for ka, kb in kept_ranges) and bool(raw[a:b].strip())
        anchor = None
        for m in active:
            # An id may appear once per page: only the first piece of a mark carries it.
            if m.anchor and m.anchor not in anchored:
                anchor = m.anchor
                anchored.add(m.anchor)
                break
        kinds = sorted({m.kind for m in active})
        titles = [m.title for m in active if m.title]
        last = pieces[-1] if pieces else None
        if last and last.kinds == kinds and last.boilerplate == boiler and anchor is None:
            last.text += raw[a:b]
            last.titles = sorted({*last.titles, *titles})
        else:
            pieces.append(Piece(raw[a:b], kinds, sorted(set(titles)), boiler, anchor))
    return pieces
