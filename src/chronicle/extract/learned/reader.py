"""Attach the shipped event-reader weights to a base spaCy pipeline, and read its predictions.

``attach(nlp, base)`` adds ``event_tok2vec``, ``event_trigger`` (type), ``event_mode`` and
``event_factuality`` after the base components, built from the shipped ``config.cfg`` and loaded
from ``weights/<base>/`` (no download, no vectors copied: the md weights read the md base
pipeline's vectors).
``predictions(doc)`` lists every token the trigger head calls an event, with its type and mode,
the probability that it is an event, and the factuality head's reading.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chronicle.extract.learned.components import register_extensions

WEIGHTS = Path(__file__).parent / "weights"
PIPES = ("event_tok2vec", "event_trigger", "event_mode", "event_factuality")
log = logging.getLogger(__name__)


def base_key(model: str) -> str:
    """``md`` for an en_core_web_md-like base pipeline (it has static vectors), else ``sm``."""
    return "md" if "_md" in model or model.endswith("md") else "sm"


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


def _head(doc: Any, attr: str) -> tuple[tuple[str, ...], Any] | None:
    if not doc.has_extension(f"{attr}_probs"):
        return None
    return doc._.get(f"{attr}_probs")


def predictions(doc: Any, threshold: float = 0.5) -> list[Prediction]:
    """Tokens the trigger head calls events: P(not "O") >= ``threshold``; the type is the most
    probable event type, the mode the mode head's best mode of that type."""
    trig = _head(doc, "event_trigger")
    if trig is None or not len(trig[1]):
        return []
    labels, probs = trig
    modes = _head(doc, "event_mode")
    facts = _head(doc, "event_factuality")
    outside = labels.index("O") if "O" in labels else -1
    out = []
    for tok in doc:
        row = probs[tok.i]
        p_event = 1.0 - float(row[outside]) if outside >= 0 else 1.0
        if p_event < threshold:
            continue
        ranked = [(float(row[k]), labels[k]) for k in range(len(labels)) if k != outside]
        typ = max(ranked)[1]
        label = typ
        if modes is not None and len(modes[1]) > tok.i:
            options = [(float(modes[1][tok.i][k]), m) for k, m in enumerate(modes[0])
                       if m == typ or m.startswith(typ + "/")]  # fmt: skip
            if options:
                label = max(options)[1]
        fact, fact_p = "asserted", 0.0
        if facts is not None and len(facts[1]) > tok.i:
            k = int(facts[1][tok.i].argmax())
            fact, fact_p = facts[0][k], float(facts[1][tok.i][k])
        out.append(Prediction(token=tok, label=label, prob=p_event, factuality=fact,
                              factuality_prob=fact_p))  # fmt: skip
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
