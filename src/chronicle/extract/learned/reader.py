"""Attach the shipped event-reader weights to a base spaCy pipeline, and read its predictions.

``attach(nlp, base)`` adds ``event_tok2vec``, ``event_trigger`` and ``event_factuality`` after the
base components, built from the shipped ``config.cfg`` and loaded from ``weights/<base>/`` (no
download, no vectors copied: the md weights read the md base pipeline's vectors).
``predictions(doc)`` lists, for every token the trigger head labels as an event, the label, its
probability and the factuality head's label and probability.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chronicle.extract.learned.components import register_extensions

WEIGHTS = Path(__file__).parent / "weights"
PIPES = ("event_tok2vec", "event_trigger", "event_factuality")
log = logging.getLogger(__name__)


def base_key(model: str) -> str:
    """``md`` for an en_core_web_md-like base pipeline (it has static vectors), else ``sm``."""
    return "md" if "_md" in model or model.endswith("md") else "sm"


def available(base: str) -> bool:
    root = WEIGHTS / base
    return all((root / p).is_dir() for p in PIPES) and (root / "config.cfg").exists()


def attach(nlp: Any, base: str, weights: Path | None = None) -> bool:
    """Add the event reader to ``nlp``; False (and a warning) when no weights are shipped."""
    from spacy.util import load_config

    import chronicle.extract.learned.components  # noqa: F401  (registers the factory)

    root = weights or WEIGHTS / base
    if not all((root / p).is_dir() for p in PIPES):
        log.warning("no event-reader weights in %s: events come from the trigger rules only", root)
        return False
    register_extensions()
    cfg = load_config(root / "config.cfg", interpolate=True)
    for pipe in PIPES:
        comp = dict(cfg["components"][pipe])
        factory = comp.pop("factory")
        nlp.add_pipe(factory, name=pipe, config=comp)
        nlp.get_pipe(pipe).from_disk(root / pipe, exclude=("vocab",))
    nlp._link_components()  # the taggers listen to event_tok2vec, as in training
    return True


@dataclass
class Prediction:
    """One token the trigger head calls an event."""

    token: Any
    label: str  # "TYPE/mode" or "TYPE"
    prob: float
    factuality: str
    factuality_prob: float

    @property
    def type(self) -> str:
        return self.label.split("/", 1)[0]

    @property
    def mode(self) -> str:
        return self.label.split("/", 1)[1] if "/" in self.label else ""


def predictions(doc: Any, threshold: float = 0.5) -> list[Prediction]:
    """Event tokens of ``doc`` whose best non-O label has probability >= ``threshold``."""
    if not doc.has_extension("event_trigger_probs") or doc._.event_trigger_probs is None:
        return []
    trig_labels, probs = doc._.event_trigger_probs
    fact_labels, fprobs = doc._.event_factuality_probs or ((), None)
    outside = trig_labels.index("O") if "O" in trig_labels else -1
    out = []
    for tok in doc:
        row = probs[tok.i].copy()
        if outside >= 0:
            row[outside] = -1.0
        best = int(row.argmax())
        if row[best] < threshold:
            continue
        frow = fprobs[tok.i] if fprobs is not None and len(fprobs) > tok.i else None
        fbest = int(frow.argmax()) if frow is not None else -1
        out.append(Prediction(
            token=tok, label=trig_labels[best], prob=float(row[best]),
            factuality=fact_labels[fbest] if fbest >= 0 else "asserted",
            factuality_prob=float(frow[fbest]) if frow is not None else 0.0,
        ))  # fmt: skip
    return out


def outside_prob(tok: Any) -> float | None:
    """The trigger head's probability that ``tok`` names no event (None without the reader)."""
    doc = tok.doc
    if not doc.has_extension("event_trigger_probs") or doc._.event_trigger_probs is None:
        return None
    labels, probs = doc._.event_trigger_probs
    if "O" not in labels or len(probs) <= tok.i:
        return None
    return float(probs[tok.i][labels.index("O")])
