"""The Chronicle pipeline: small named components run in order over one :class:`Document`.

Like spaCy's own pipeline, each stage is a callable ``Document -> Document`` and can be swapped
or removed (``Pipeline(components=[...])``). The spaCy parse sits between cleaning and extraction
and runs in batches with ``nlp.pipe`` (and across processes with ``n_process``); hostile text is
capped before it, long bodies are parsed in chunks and a failing document does not cost its
batch (:mod:`chronicle.parse`).

Each document has a time budget (``time_budget`` seconds, default ``CHRONICLE_TIME_BUDGET`` or
20): extraction stops when it is spent and the document's ``warnings`` say what was not read
(:mod:`chronicle.extract.budget`). An extractor that raises costs its document that extractor's
output only (a warning says which and why), never the rest of the stream.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from chronicle.extract import budget
from chronicle.model import Document
from chronicle.nlp import load_nlp

log = logging.getLogger(__name__)

Component = Callable[[Document], Document]


def default_cleaners() -> list[tuple[str, Component]]:
    from chronicle.clean import clean_document

    return [("clean", clean_document)]


def default_extractors() -> list[tuple[str, Component]]:
    from chronicle.extract import EXTRACTORS

    return list(EXTRACTORS)


@dataclass
class Pipeline:
    """Clean, parse and extract documents. ``pipe`` streams; ``__call__`` does one document."""

    cleaners: list[tuple[str, Component]] = field(default_factory=default_cleaners)
    extractors: list[tuple[str, Component]] = field(default_factory=default_extractors)
    model: str | None = None
    batch_size: int = 32
    time_budget: float | None = field(default_factory=budget.default_seconds)

    def __call__(self, doc: Document) -> Document:
        return next(iter(self.pipe([doc])))

    def clean(self, doc: Document) -> Document:
        for _, component in self.cleaners:
            doc = component(doc)
        return doc

    def pipe(self, docs: Iterable[Document], n_process: int = 1) -> Iterator[Document]:
        """Run every stage over ``docs``, parsing bodies in batches; yields finished documents."""
        from chronicle.parse import Parser

        parser = Parser(load_nlp(self.model), self.batch_size, n_process, self.time_budget)
        for doc in parser.pipe(self.clean(d) for d in docs):
            yield self.extract(doc)

    def extract(self, doc: Document) -> Document:
        """Run the extractors over a parsed document, within its time budget."""
        budget.start(doc, self.time_budget)
        skipped = []
        for name, component in self.extractors:
            if budget.expired(doc):
                skipped.append(name)
                continue
            try:
                with budget.running(doc) as clock:
                    doc = component(doc)
            except Exception as exc:  # one extractor's bug costs this document its output only
                log.warning("%s: %s failed (%s: %s)", doc.source, name, type(exc).__name__, exc)
                doc.warn(f"{name}: failed ({type(exc).__name__}: {exc})")
                continue
            if clock.hit:
                doc.warn(f"{name}: stopped early, the time budget ({self.time_budget:g} s) was "
                         f"spent; what was found before is kept")
        if skipped:
            doc.warn(f"{', '.join(skipped)}: not read, the time budget ({self.time_budget:g} s) "
                     f"was spent")
        doc.deadline = None
        return doc


_DEFAULT: Pipeline | None = None


def default_pipeline() -> Pipeline:
    """The process-wide default pipeline (built once)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Pipeline()
    return _DEFAULT
