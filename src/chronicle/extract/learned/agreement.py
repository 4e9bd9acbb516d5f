"""Inter-annotator agreement on the corpus: a blind sample and its second reading, compared.

``blind_sample`` picks one corpus document in ten (by a hash of its id, so the sample is fixed)
and writes it with every annotation removed; a second reader annotates those texts without
seeing the first reading. ``agreement`` pairs the two readings' mentions sentence by sentence on
the trigger word (the same word occurrence) and reports: trigger F1 (one reading taken as
reference), and over paired mentions the agreement and Cohen's kappa on type, type/mode and
factuality, and the share of actor / recipient spans that agree (equal, or one containing the
other).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

from chronicle.extract.learned.corpus import load, read_records


def in_sample(doc_id: str) -> bool:
    """Whether a document is in the agreement sample (one in ten, fixed by its id)."""
    return int(hashlib.sha1(f"agree:{doc_id}".encode()).hexdigest(), 16) % 10 == 0


def blind_sample(corpus: list[Path], out: Path) -> int:
    """Write the sampled documents without annotations to ``out``; returns how many."""
    n = 0
    with out.open("w", encoding="utf-8") as fh:
        for path in _files(corpus):
            for _, rec, errs in read_records(path):
                if errs or not in_sample(rec["id"]):
                    continue
                blind = {"id": rec["id"], "style": rec["style"],
                         "paragraphs": [[{"text": s["text"], "events": []} for s in para]
                                        for para in rec["paragraphs"]]}  # fmt: skip
                fh.write(json.dumps(blind, ensure_ascii=False) + "\n")
                n += 1
    return n


def _files(paths: list[Path]) -> list[Path]:
    return [f for p in paths for f in (sorted(p.glob("*.jsonl")) if p.is_dir() else [p])]


def _mentions(paths: list[Path]) -> dict[str, dict[tuple[int, int], Any]]:
    docs, problems = load(paths)
    if problems:
        raise ValueError(f"{len(problems)} invalid records, first: {problems[0]}")
    return {d.id: {m.trigger: (m, d.text) for m in d.mentions} for d in docs}


def _kappa(pairs: list[tuple[str, str]]) -> float | None:
    if not pairs:
        return None
    agree = sum(a == b for a, b in pairs) / len(pairs)
    left = Counter(a for a, _ in pairs)
    right = Counter(b for _, b in pairs)
    chance = sum(left[k] * right[k] for k in left) / len(pairs) ** 2
    return round((agree - chance) / (1 - chance), 3) if chance < 1 else 1.0


def _same_span(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return (a[0] <= b[0] and b[1] <= a[1]) or (b[0] <= a[0] and a[1] <= b[1])


def agreement(first: list[Path], second: list[Path]) -> dict[str, Any]:
    """Agreement of ``second`` (the blind re-annotation) with ``first`` on the shared documents."""
    one = _mentions(first)
    two = _mentions(second)
    shared = sorted(set(one) & set(two))
    both = only_first = only_second = 0
    types, modes, facts = [], [], []
    actor_ok = recipient_ok = 0
    for doc_id in shared:
        a, b = one[doc_id], two[doc_id]
        keys = set(a) & set(b)
        both += len(keys)
        only_first += len(set(a) - keys)
        only_second += len(set(b) - keys)
        for k in keys:
            ma, mb = a[k][0], b[k][0]
            types.append((ma.type, mb.type))
            modes.append((ma.label, mb.label))
            facts.append((ma.factuality, mb.factuality))
            actor_ok += _same_span(ma.actor, mb.actor)
            recipient_ok += _same_span(ma.recipient, mb.recipient)
    f1 = 2 * both / (2 * both + only_first + only_second) if both else 0.0

    def share(pairs: list[tuple[str, str]]) -> float | None:
        return round(sum(x == y for x, y in pairs) / len(pairs), 3) if pairs else None

    return {
        "documents": len(shared),
        "mentions_first": both + only_first,
        "mentions_second": both + only_second,
        "trigger_f1": round(f1, 3),
        "type_agreement": share(types), "type_kappa": _kappa(types),
        "mode_agreement": share(modes), "mode_kappa": _kappa(modes),
        "factuality_agreement": share(facts), "factuality_kappa": _kappa(facts),
        "actor_span_agreement": round(actor_ok / both, 3) if both else None,
        "recipient_span_agreement": round(recipient_ok / both, 3) if both else None,
        "type_confusions": Counter(f"{x} -> {y}" for x, y in types if x != y).most_common(10),
        "factuality_confusions": Counter(f"{x} -> {y}" for x, y in facts
                                         if x != y).most_common(10),
    }
