"""Scores on the held-out fifth of the event corpus (``chronicle eval-corpus``).

The held-out documents (fixed by a hash of their ids, never trained on) run through the parse and
the event extractor (no cleaning: corpus texts are article bodies already). Triggers are scored
first, before arguments and merging, against every gold mention. Then events: an extracted event
matches a gold mention when their triggers overlap and their types agree. Reported: trigger
precision/recall/F1 per PLOVER type and overall, mode accuracy over matched events, and per
factuality class (asserted, negated, hypothetical = possible/future/generic/alleged, historical)
precision/recall over matched events; plus the precision/recall of *asserted* events alone, the
figure that decides what an analyst sees as fact. (Event recall counts every repeated mention
of a happening, while the extractor merges them into one event: it is lower than trigger recall
by design.)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from chronicle.extract.learned.corpus import CorpusDoc, Mention, load

_CLASS = {"asserted": "asserted", "negated": "negated", "historical": "historical",
          "possible": "hypothetical", "future": "hypothetical", "generic": "hypothetical",
          "alleged": "hypothetical"}  # fmt: skip


def _system_class(ev: Any) -> str:
    if ev.negated:
        return "negated"
    if ev.hypothetical:
        return "hypothetical"
    return "historical" if ev.historical else "asserted"


def _prf(tp: int, n_sys: int, n_gold: int) -> dict[str, float | int | None]:
    p = tp / n_sys if n_sys else None
    r = tp / n_gold if n_gold else None
    f = 2 * p * r / (p + r) if p and r else 0.0
    return {"precision": _r(p), "recall": _r(r), "f1": _r(f), "gold": n_gold, "system": n_sys}


def _r(x: float | None) -> float | None:
    return round(x, 3) if x is not None else None


def split_docs(corpus: list[Path], split: str = "held-out") -> list[CorpusDoc]:
    """The ``held-out`` fifth (never trained on) or the ``dev`` tenth of the training part (used
    to pick the checkpoint and the reader's thresholds)."""
    from chronicle.extract.learned.train import is_dev

    docs, problems = load(corpus)
    if problems:
        raise ValueError(f"{len(problems)} invalid corpus records, first: {problems[0]}")
    if split == "dev":
        return [d for d in docs if not d.held_out and is_dev(d)]
    return [d for d in docs if d.held_out]


def extracted_events(docs: list[CorpusDoc]) -> tuple[list[list[Any]], list[list[Any]]]:
    """Events and triggers of each corpus document, parsed and extracted without cleaning."""
    from chronicle.extract.events_triggers import event_triggers
    from chronicle.model import BodySegment, Document
    from chronicle.pipeline import Pipeline

    pipe = Pipeline(cleaners=[])
    out, triggers = [], []
    inputs = []
    for d in docs:
        doc = Document(source=d.id, raw_text=d.text, body=d.text, language="en")
        doc.body_map = [BodySegment(0, 0, len(d.text))]
        inputs.append(doc)
    for doc in pipe.pipe(inputs):
        out.append(list(doc.events))
        triggers.append([(t.rule.type, t.token.idx, t.token.idx + len(t.token))
                         for t in event_triggers(doc.nlp_doc)])  # fmt: skip
    return out, triggers


def score_triggers(docs: list[CorpusDoc], triggers: list[list[Any]]) -> dict[str, Any]:
    """Trigger detection before arguments and merging: (type, start, end) against every gold
    mention, matched when the words overlap and the types agree."""
    tp: Counter = Counter()
    n_sys: Counter = Counter()
    n_gold: Counter = Counter()
    for cd, trigs in zip(docs, triggers, strict=True):
        gold = list(cd.mentions)
        for m in gold:
            n_gold[m.type] += 1
        used: set[int] = set()
        for typ, start, end in trigs:
            n_sys[typ] += 1
            for i, m in enumerate(gold):
                if i not in used and m.type == typ and start < m.trigger[1] and m.trigger[0] < end:
                    used.add(i)
                    tp[typ] += 1
                    break
    types = sorted(set(n_gold) | set(n_sys))
    return {"all": _prf(sum(tp.values()), sum(n_sys.values()), sum(n_gold.values())),
            "per_type": {t: _prf(tp[t], n_sys[t], n_gold[t]) for t in types}}  # fmt: skip


def score(docs: list[CorpusDoc], events: list[list[Any]]) -> dict[str, Any]:
    """The figures described in the module docstring."""
    tp_type: Counter = Counter()
    sys_type: Counter = Counter()
    gold_type: Counter = Counter()
    fact_tp: Counter = Counter()
    fact_sys: Counter = Counter()
    fact_gold: Counter = Counter()
    mode_ok = matched = 0
    asserted_tp = asserted_sys = asserted_gold = 0
    for cd, evs in zip(docs, events, strict=True):
        gold = list(cd.mentions)
        for m in gold:
            gold_type[m.type] += 1
            asserted_gold += _CLASS[m.factuality] == "asserted"
        used: set[int] = set()
        for ev in evs:
            sys_type[ev.type] += 1
            sclass = _system_class(ev)
            asserted_sys += sclass == "asserted"
            hit = _match(ev, gold, used)
            if hit is None:
                continue
            used.add(hit)
            m = gold[hit]
            tp_type[ev.type] += 1
            matched += 1
            mode_ok += (ev.mode or "") == m.mode
            gclass = _CLASS[m.factuality]
            fact_gold[gclass] += 1
            fact_sys[sclass] += 1
            fact_tp[gclass] += gclass == sclass
            asserted_tp += gclass == sclass == "asserted"
    types = sorted(set(gold_type) | set(sys_type))
    return {
        "documents": len(docs),
        "events": _prf(sum(tp_type.values()), sum(sys_type.values()), sum(gold_type.values())),
        "per_type": {t: _prf(tp_type[t], sys_type[t], gold_type[t]) for t in types},
        "mode_accuracy": _r(mode_ok / matched) if matched else None,
        "factuality": {c: _prf(fact_tp[c], fact_sys[c], fact_gold[c])
                       for c in ("asserted", "negated", "hypothetical", "historical")},
        "asserted_events": _prf(asserted_tp, asserted_sys, asserted_gold),
    }  # fmt: skip


def _match(ev: Any, gold: list[Mention], used: set[int]) -> int | None:
    if ev.trigger is None:
        return None
    for i, m in enumerate(gold):
        if i in used or m.type != ev.type:
            continue
        if ev.trigger.start < m.trigger[1] and m.trigger[0] < ev.trigger.end:
            return i
    return None


def evaluate_corpus(corpus: list[Path], split: str = "held-out",
                    progress: Callable[[str], None] | None = None) -> dict[str, Any]:  # fmt: skip
    docs = split_docs(corpus, split)
    if progress:
        progress(f"{len(docs)} {split} documents")
    events, triggers = extracted_events(docs)
    result = score(docs, events)
    result["triggers"] = score_triggers(docs, triggers)
    return result
