"""Blocks with raw offsets, and assembling kept blocks into ``Document.body`` with its offset map.

Both cleaning paths (plain text and HTML) end with a list of :class:`Block`: a range of the raw
text, its text, and the keep/drop verdict with the signal that decided it. The body is the kept
blocks joined by blank lines ("\\n\\n" between paragraphs); each block's text is recorded as a
:class:`~chronicle.model.BodySegment` so body offsets map back to raw offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from chronicle.model import BodySegment, Decision, Document

PARAGRAPH_SEPARATOR = "\n\n"
_LINE = re.compile(r"[^\n]+")
_SENTENCE_END = re.compile(r"[.!?…:][\"”’»)\]]*$")


@dataclass
class Block:
    """One line/paragraph of the input: ``text`` is ``raw[start:end]`` for plain text input."""

    start: int
    end: int
    text: str
    kept: bool = True
    reason: str = "body"
    # Blocks that continue the previous block's paragraph are joined with a space, not a blank line.
    joins_previous: bool = False

    def drop(self, reason: str) -> None:
        self.kept = False
        self.reason = reason


def split_lines(raw: str) -> list[Block]:
    """Every non-blank line of ``raw`` as a block, stripped, with its exact raw offsets."""
    out: list[Block] = []
    for m in _LINE.finditer(raw):
        line = m.group()
        left = len(line) - len(line.lstrip())
        right = len(line.rstrip())
        if right <= left:
            continue
        start, end = m.start() + left, m.start() + right
        out.append(Block(start, end, raw[start:end]))
    return out


def hard_wrapped(blocks: list[Block], raw: str) -> bool:
    """Whether paragraphs are wrapped over several lines (e-mail style, fixed width).

    Wrapped text has lines of similar, medium length that mostly run on into the next line
    (no sentence end) and blank lines only between paragraphs.
    """
    if len(blocks) < 6:
        return False
    lengths = sorted(len(b.text) for b in blocks)
    median = lengths[len(lengths) // 2]
    run_on = sum(
        1 for a, b in pairwise(blocks)
        if raw.count("\n", a.end, b.start) == 1 and not _SENTENCE_END.search(a.text)
    )
    return 45 <= median <= 100 and run_on >= 0.5 * len(blocks)


def split_blocks(raw: str) -> list[Block]:
    """The blocks of a plain text: its lines, or its paragraphs when the text is hard-wrapped."""
    lines = split_lines(raw)
    if not hard_wrapped(lines, raw):
        return lines
    out: list[Block] = []
    for b in lines:
        if out and raw.count("\n", out[-1].end, b.start) == 1:
            last = out[-1]
            out[-1] = Block(last.start, b.end, raw[last.start: b.end])
        else:
            out.append(b)
    return out


def assemble(doc: Document, blocks: list[Block]) -> Document:
    """Fill ``doc.body``, ``doc.body_map`` and ``doc.decisions`` from classified blocks."""
    parts: list[str] = []
    segments: list[BodySegment] = []
    pos = 0
    first = True
    for b in blocks:
        if not b.kept or not b.text:
            continue
        if not first:
            sep = " " if b.joins_previous else PARAGRAPH_SEPARATOR
            parts.append(sep)
            pos += len(sep)
        first = False
        # For HTML the text is located in the raw markup only approximately (see html.py): clamp
        # so the segment never points past the end of the raw text.
        raw_start = min(max(b.start, 0), len(doc.raw_text))
        length = min(len(b.text), len(doc.raw_text) - raw_start)
        segments.append(BodySegment(pos, raw_start, length))
        parts.append(b.text)
        pos += len(b.text)
    doc.body = "".join(parts)
    doc.body_map = segments
    doc.decisions = [Decision(b.start, b.end, b.kept, b.reason, b.text) for b in blocks]
    return doc
