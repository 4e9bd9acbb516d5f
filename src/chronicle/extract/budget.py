"""The per-document time budget of extraction.

The pipeline gives each document a deadline (``Document.deadline``) before it runs the
extractors (for a body parsed in chunks, before the parse: see :mod:`chronicle.parse`) and runs
each extractor inside :func:`running`. Extractors call :func:`over` in their loops over tokens,
sentences, triggers and mentions and, when it is true, keep what they have and return; the
pipeline then says in the document's warnings which stage stopped early and skips the stages
left. An article takes well under a second, so the budget (``CHRONICLE_TIME_BUDGET`` seconds,
default 20; ``0`` turns it off) only ever stops a hostile or gigantic document.

Outside the pipeline (an extractor called directly) there is no deadline and :func:`over` is
always false.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from chronicle.model import Document

DEFAULT_SECONDS = 20.0
ENV = "CHRONICLE_TIME_BUDGET"


def default_seconds() -> float | None:
    """The configured budget in seconds (None: no limit)."""
    raw = os.environ.get(ENV, "").strip().lower()
    if not raw:
        return DEFAULT_SECONDS
    if raw in {"0", "none", "off", "inf"}:
        return None
    try:
        value = float(raw)
    except ValueError:
        return DEFAULT_SECONDS
    return value if value > 0 else None


@dataclass
class Clock:
    """The deadline of the extractor running now, and whether it was told to stop."""

    deadline: float | None
    hit: bool = False


_CLOCK: ContextVar[Clock | None] = ContextVar("chronicle_extract_clock", default=None)


def start(doc: Document, seconds: float | None) -> None:
    """Start the clock of ``doc`` unless it is already running (a chunked parse starts it)."""
    if doc.deadline is None and seconds is not None:
        doc.deadline = time.monotonic() + seconds


def expired(doc: Document) -> bool:
    """Whether ``doc``'s time is spent."""
    return doc.deadline is not None and time.monotonic() > doc.deadline


@contextmanager
def running(doc: Document) -> Iterator[Clock]:
    """Run an extractor of ``doc`` under its deadline; ``clock.hit`` tells whether it stopped."""
    clock = Clock(doc.deadline)
    token = _CLOCK.set(clock)
    try:
        yield clock
    finally:
        _CLOCK.reset(token)


def over() -> bool:
    """Whether the running extractor must stop now (its document's time is spent)."""
    clock = _CLOCK.get()
    if clock is None or clock.deadline is None:
        return False
    if time.monotonic() > clock.deadline:
        clock.hit = True
    return clock.hit
