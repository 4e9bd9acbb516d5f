"""``chronicle_event_tagger``: a spaCy tagger whose labels live on a ``Token._`` attribute.

spaCy's own ``tagger`` writes ``Token.tag_``, which the base pipeline's parser-derived features
need untouched, and learns from ``Token.tag_`` of the gold document. This subclass reads its gold
labels from, and writes its predictions to, ``Token._.<attr>`` (``event_trigger``, ``event_mode``
or ``event_factuality``), and keeps each token's probability distribution (with the label list)
in ``Doc._.<attr>_probs`` so the event reader can threshold it. An empty gold label is missing:
the factuality head is trained on trigger tokens only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from itertools import islice
from typing import Any

import numpy
from spacy.language import Language
from spacy.pipeline.tagger import Tagger
from spacy.tokens import Doc, Token
from spacy.training import Example, validate_examples
from spacy.util import registry
from thinc.api import Model, SequenceCategoricalCrossentropy

ATTRS = ("event_trigger", "event_mode", "event_factuality")


def register_extensions() -> None:
    """Declare the ``Token._`` and ``Doc._`` attributes the event taggers use (idempotent)."""
    for attr in ATTRS:
        if not Token.has_extension(attr):
            Token.set_extension(attr, default="")
        if not Doc.has_extension(f"{attr}_probs"):
            Doc.set_extension(f"{attr}_probs", default=None)


def _gold(eg: Example, attr: str) -> list[str | None]:
    """The gold label of each predicted token (None where unaligned or not annotated)."""
    ref = [t._.get(attr) or None for t in eg.reference]
    if len(eg.predicted) == len(eg.reference):
        return ref
    out: list[str | None] = []
    for i in range(len(eg.predicted)):
        js = eg.alignment.x2y[i]
        out.append(ref[js[0]] if len(js) == 1 else None)
    return out


class EventTagger(Tagger):
    """A token classifier over ``Token._.<attr>``; see the module docstring."""

    def __init__(self, vocab: Any, model: Model, name: str, *, attr: str,
                 scorer: Callable | None = None) -> None:  # fmt: skip
        super().__init__(vocab, model, name, overwrite=True, scorer=scorer or _score_for(attr))
        self.cfg["attr"] = attr
        register_extensions()

    @property
    def attr(self) -> str:
        return self.cfg["attr"]

    def predict(self, docs: list[Doc]) -> Any:
        if not any(len(doc) for doc in docs):
            return [self.model.ops.alloc((0, len(self.labels))) for _ in docs]
        return self.model.predict(docs)

    def set_annotations(self, docs: Iterable[Doc], scores: Any) -> None:
        labels = self.labels
        for doc, doc_scores in zip(docs, scores, strict=True):
            probs = numpy.asarray(doc_scores.get() if hasattr(doc_scores, "get") else doc_scores)
            doc._.set(f"{self.attr}_probs", (labels, probs))
            for tok, best in zip(doc, probs.argmax(axis=1) if len(probs) else [], strict=False):
                tok._.set(self.attr, labels[int(best)])

    def get_loss(self, examples: Iterable[Example], scores: Any) -> tuple[float, Any]:
        validate_examples(examples, "EventTagger.get_loss")
        loss_func = SequenceCategoricalCrossentropy(names=self.labels, normalize=False)
        truths = [_gold(eg, self.attr) for eg in examples]
        d_scores, loss = loss_func(scores, truths)
        return float(loss), d_scores

    def initialize(self, get_examples: Callable, *, nlp: Language | None = None,
                   labels: Iterable[str] | None = None) -> None:  # fmt: skip
        register_extensions()
        found = set(labels or ())
        if not found:
            for eg in get_examples():
                found.update(t._.get(self.attr) for t in eg.reference if t._.get(self.attr))
        for label in sorted(found):
            self.add_label(label)
        docs, golds = [], []
        for eg in islice(get_examples(), 10):
            docs.append(eg.x)
            rows = [[1.0 if g == lab else 0.0 for lab in self.labels] for g in _gold(eg, self.attr)]
            golds.append(self.model.ops.asarray(rows, dtype="float32"))
        self.model.initialize(X=docs, Y=golds)


def _score(examples: Iterable[Example], attr: str, **_: Any) -> dict[str, float]:
    """Trigger head: F1 over event tokens; mode and factuality: accuracy over gold triggers."""
    tp = fp = fn = right = total = 0
    for eg in examples:
        gold = _gold(eg, attr)
        for tok, g in zip(eg.predicted, gold, strict=True):
            p = tok._.get(attr)
            if attr == "event_trigger":
                if p not in {"O", ""} and p == g:
                    tp += 1
                else:
                    fp += p not in {"O", ""}
                    fn += g not in {None, "O"}
            elif g:
                total += 1
                right += p == g
    if attr == "event_trigger":
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        return {f"{attr}_f": f1}
    return {f"{attr}_acc": right / total if total else 0.0}


def _score_for(attr: str) -> Callable:
    # A partial of a module-level function, not a closure: spaCy pickles the pipeline, scorers
    # included, to parse with several processes.
    return partial(_score, attr=attr)


@registry.scorers("chronicle.event_trigger_scorer.v1")
def make_trigger_scorer() -> Callable:
    return _score_for("event_trigger")


@registry.scorers("chronicle.event_mode_scorer.v1")
def make_mode_scorer() -> Callable:
    return _score_for("event_mode")


@registry.scorers("chronicle.event_factuality_scorer.v1")
def make_factuality_scorer() -> Callable:
    return _score_for("event_factuality")


@Language.factory(
    "chronicle_event_tagger",
    default_config={"attr": "event_trigger", "scorer": None},
)
def make_event_tagger(nlp: Language, name: str, model: Model, attr: str,
                      scorer: Callable | None) -> EventTagger:  # fmt: skip
    return EventTagger(nlp.vocab, model, name, attr=attr, scorer=scorer)
