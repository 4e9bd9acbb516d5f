"""The Chronicle pipeline: small named components run in order over one :class:`Document`.

Like spaCy's own pipeline, each stage is a callable ``Document -> Document`` and can be swapped
or removed (``Pipeline(components=[...])``). The spaCy parse sits between cleaning and extraction
and runs in batches with ``nlp.pipe`` (and across processes with ``n_process``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from chronicle.model import Document
from chronicle.nlp import load_nlp

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

    def __call__(self, doc: Document) -> Document:
        return next(iter(self.pipe([doc])))

    def clean(self, doc: Document) -> Document:
        for _, component in self.cleaners:
            doc = component(doc)
        return doc

    def pipe(self, docs: Iterable[Document], n_process: int = 1) -> Iterator[Document]:
        """Run every stage over ``docs``, parsing bodies in batches; yields finished documents."""
        nlp = load_nlp(self.model)
        cleaned = (self.clean(d) for d in docs)
        pairs = nlp.pipe(
            ((d.body, d) for d in cleaned),
            as_tuples=True,
            batch_size=self.batch_size,
            n_process=n_process,
        )
        for parsed, doc in pairs:
            doc.nlp_doc = parsed
            for _, component in self.extractors:
                doc = component(doc)
            yield doc


_DEFAULT: Pipeline | None = None


def default_pipeline() -> Pipeline:
    """The process-wide default pipeline (built once)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Pipeline()
    return _DEFAULT
