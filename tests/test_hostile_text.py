"""Hostile text through the whole pipeline (issue 14): per-input time and memory bounds.

Two sources of input: the generated shapes of ``chronicle bench --hostile`` (small sizes, every
kind; :mod:`chronicle.evaluate.hostile`) and hypothesis texts built from the same hostile pieces
(capitalised runs, huge tokens, punctuation runs, nested brackets, spaces, numbers, dates). Every
input must come back with no exception, within ``SECONDS_PER_INPUT`` (far more than an input
takes, far less than the minutes the issue measured), with the text offsets of what was found
still pointing at that text, and the memory the process gains while it runs (sampled every
20 ms) must stay under ``MAX_GROWTH_MB``. The whole file takes well under a minute on two cores.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chronicle.evaluate.hostile import KINDS, generate
from chronicle.ingest import read_one
from chronicle.model import Document
from chronicle.pipeline import Pipeline

SECONDS_PER_INPUT = 10.0
MAX_GROWTH_MB = 600  # over the memory held before the input (the model: about 400 MB)
BUDGET = 5.0
_STATM = Path("/proc/self/statm")


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    pipe = Pipeline(time_budget=BUDGET)
    pipe(Document(source="warm-up", raw_text="Police in Moscow detained John Smith on Monday."))
    return pipe


def _rss_mb() -> float:
    """The resident memory of this process now (0 where /proc is not there)."""
    try:
        return int(_STATM.read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0


class _PeakMemory:
    """The highest resident memory seen while the block runs, sampled in a thread."""

    def __enter__(self) -> _PeakMemory:
        self.before = self.peak = _rss_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, _rss_mb())

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_mb())


def _check(pipeline: Pipeline, doc: Document) -> Document:
    started = time.perf_counter()
    with _PeakMemory() as memory:
        out = pipeline(doc)
    elapsed = time.perf_counter() - started
    assert elapsed < SECONDS_PER_INPUT, (doc.source, elapsed, out.warnings)
    assert memory.peak - memory.before < MAX_GROWTH_MB, (doc.source, memory.peak, memory.before)
    for ent in out.entities:  # offsets still point at the raw text they name (characters
        for m in ent.mentions:  # blanked before parsing read as spaces)
            raw = out.raw_text[m.start : m.end]
            assert 0 <= m.start <= m.end <= len(out.raw_text)
            if len(raw) == len(m.text):  # (a mention across two kept blocks may differ)
                assert all(a == b or b.isspace() for a, b in zip(raw, m.text, strict=True))
    for ev in out.events:
        if ev.evidence_span is not None:
            assert ev.evidence_span.start <= ev.evidence_span.end <= len(out.raw_text)
    return out


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_generated_hostile_input(pipeline, tmp_path, kind) -> None:
    names = [k for k in KINDS if k == kind]
    for name, text, suffix in generate(2 * len(KINDS), seed=7, scale=0.1):
        if name.split("_", 1)[1] not in names:
            continue
        path = tmp_path / f"{name}{suffix}"
        path.write_text(text, "utf-8")
        _check(pipeline, read_one(path))


def test_issue_reproductions(pipeline) -> None:
    caps = ("Arrests\n\nOn Monday, NATIONAL SECURITY COMMITTEE SPECIAL FORCES officers detained "
            "20 protesters in Almaty, police said.\n")  # 545 s before
    doc = _check(pipeline, read_one(caps))
    assert any(e.type == "COERCE" for e in doc.events) and not doc.warnings
    token = "Clashes\n\nOn Monday " + "a" * 20_000 + " (5 people were killed) in the city.\n"
    doc = _check(pipeline, read_one(token))  # 109 s before
    assert any(c.metric == "killed" and c.value == 5 for c in doc.claims)
    assert any("blanked before parsing" in w for w in doc.warnings)
    for run in (")" * 10_000, "»" * 10_000, "$" * 10_000, "» " * 5_000):
        text = f"Protest\n\nPolice detained 20 protesters in Almaty {run} on Monday.\n"
        doc = _check(pipeline, read_one(text))  # 35-68 s before
        assert doc.warnings
    nested = '{"a": ' * 5_000 + '"Police detained 5 people"' + "}" * 5_000
    doc = _check(pipeline, read_one(nested + "\n"))  # 707 s for a batch before
    assert any("data, not prose" in w for w in doc.warnings)


_PIECES = st.one_of(
    st.sampled_from(["NATIONAL SECURITY COMMITTEE ", "BISHKEK (Reuters) - ", "U.S. ", "A. B. "]),
    st.sampled_from(["Police detained Ivan Petrov in Osh on Monday. ", "He was charged. ",
                     "(5 people were killed) ", "faces up to 5 years ", "May 5, 2023 ",
                     "“Foundation “X”,” ", "the same charges. ", "between 5 and 10 "]),
    st.builds(lambda c, n: c * n, st.sampled_from(list(")]}»$\"”(«#*.-!?'/ \u00a0\t\n1aA")),
              st.integers(1, 3_000)),
    st.text(max_size=40),
)


@given(st.lists(_PIECES, min_size=1, max_size=12))
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                  HealthCheck.too_slow])  # fmt: skip
def test_hypothesis_hostile_text(pipeline, pieces) -> None:
    text = "Report\n\n" + "".join(pieces)
    text = text.encode("utf-8", "replace").decode("utf-8")  # no lone surrogates in a file
    try:
        doc = read_one(text)
    except ValueError:  # refused with a reason (binary, empty): not a crash
        return
    _check(pipeline, doc)


def test_extract_command_says_what_it_left_out(pipeline, tmp_path) -> None:
    from typer.testing import CliRunner

    from chronicle.cli import app

    path = tmp_path / "token.txt"
    path.write_text("Clashes\n\nOn Monday " + "a" * 20_000 + " (5 people were killed).\n")
    result = CliRunner().invoke(app, ["extract", str(path), "--json"])
    assert result.exit_code == 0
    try:
        errors = result.stderr
    except ValueError:  # an older click mixes the two streams
        errors = result.output
    assert f"{path}: body: 1 whitespace-free run longer than 256 characters blanked" in errors
