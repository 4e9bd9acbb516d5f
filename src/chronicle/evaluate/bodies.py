"""Article-body extraction scoring on a benchmark laid out like Zyte's article-extraction-benchmark.

The metric is the benchmark's own, reproduced exactly (``../shared/README.md``): tokens are the
``\\w+`` matches (case kept); shingles are token 4-grams counted as a multiset (a text shorter than
four tokens is one shingle); per page tp/fp/fn are the shared/extra/missing shingle counts,
normalised to sum to 1; precision is averaged over pages with tp+fp > 0, recall over pages with
tp+fn > 0 (a page with fp = fn = 0 scores 1 on both); F1 = 2PR/(P+R) of the two means.

``run_benchmark`` scores Chronicle's clean stage and, in the same run, bare
``trafilatura.extract(html, include_comments=False)`` (how the benchmark's own runner calls it).
"""

from __future__ import annotations

import gzip
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from chronicle.model import Document

_TOKEN = re.compile(r"\w+", re.UNICODE)
SHINGLE = 4


def shingles(text: str | None, n: int = SHINGLE) -> Counter[str]:
    """The multiset of token ``n``-grams of ``text`` (one shingle if it has fewer tokens)."""
    tokens = _TOKEN.findall(text or "")
    out: Counter[str] = Counter()
    for i in range(max(1, len(tokens) - n + 1)):
        s = " ".join(tokens[i: i + n])
        if s:
            out[s] += 1
    return out


@dataclass
class PageScore:
    """Normalised tp/fp/fn of one page, with its precision and recall (``None`` = not counted)."""

    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float | None:
        if self.fp == 0 and self.fn == 0:
            return 1.0
        return self.tp / (self.tp + self.fp) if self.tp + self.fp > 0 else None

    @property
    def recall(self) -> float | None:
        if self.fp == 0 and self.fn == 0:
            return 1.0
        return self.tp / (self.tp + self.fn) if self.tp + self.fn > 0 else None


def page_score(truth: str | None, prediction: str | None) -> PageScore:
    """Shared/extra/missing shingles of one page, normalised to sum to 1."""
    t, p = shingles(truth), shingles(prediction)
    tp = fp = fn = 0
    for key in t.keys() | p.keys():
        a, b = t.get(key, 0), p.get(key, 0)
        tp += min(a, b)
        fp += max(0, b - a)
        fn += max(0, a - b)
    total = tp + fp + fn
    if total == 0:
        return PageScore(0.0, 0.0, 0.0)
    return PageScore(tp / total, fp / total, fn / total)


def aggregate(scores: Iterable[PageScore]) -> dict[str, float | None]:
    """Mean precision, mean recall and the F1 of those means."""
    ps: list[float] = []
    rs: list[float] = []
    for s in scores:
        if s.precision is not None:
            ps.append(s.precision)
        if s.recall is not None:
            rs.append(s.recall)
    p = sum(ps) / len(ps) if ps else None
    r = sum(rs) / len(rs) if rs else None
    f1 = 2 * p * r / (p + r) if p is not None and r is not None and p + r > 0 else None
    return {"precision": p, "recall": r, "f1": f1}


@dataclass
class SystemRun:
    """One system's predictions over the benchmark, with its timing."""

    predictions: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0


def load_benchmark(directory: Path) -> tuple[dict[str, str], dict[str, dict]]:
    """``html/ID.html.gz`` pages (decoded as the benchmark's runner does) and the ground truth."""
    truth = json.loads((directory / "ground-truth.json").read_text("utf-8"))
    pages: dict[str, str] = {}
    for path in sorted((directory / "html").glob("*.html.gz")):
        with gzip.open(path, "rt", encoding="utf-8", errors="replace") as fh:
            pages[path.name.split(".")[0]] = fh.read()
    return pages, truth


def run_system(pages: dict[str, str], extract: Callable[[str, str], str | None]) -> SystemRun:
    """Time ``extract(page_id, html)`` over every page."""
    run = SystemRun()
    start = time.perf_counter()
    for pid, html in pages.items():
        run.predictions[pid] = extract(pid, html) or ""
    run.seconds = time.perf_counter() - start
    return run


def chronicle_extract(pid: str, html: str) -> str:
    """Chronicle's clean stage on one page (the body it would pass on to extraction)."""
    from chronicle.clean import clean_document

    return clean_document(Document(source=pid, raw_text=html, format="html")).body


def trafilatura_extract(_pid: str, html: str) -> str | None:
    """The baseline exactly as the benchmark's runner calls it."""
    import trafilatura

    return trafilatura.extract(html, include_comments=False)


def summarise(run: SystemRun, truth: dict[str, dict], pages: int) -> dict[str, float | None]:
    scores = [
        page_score(v.get("articleBody", ""), run.predictions.get(k, "")) for k, v in truth.items()
    ]
    out = aggregate(scores)
    out["pages_per_s"] = pages / run.seconds if run.seconds > 0 else None
    return out


def run_benchmark(directory: Path) -> tuple[dict, dict[str, SystemRun], dict[str, dict]]:
    """Score Chronicle and bare trafilatura on the benchmark in ``directory``."""
    pages, truth = load_benchmark(directory)
    truth = {k: v for k, v in truth.items() if k in pages}
    runs = {
        "chronicle": run_system(pages, chronicle_extract),
        "trafilatura": run_system(pages, trafilatura_extract),
    }
    result: dict = {"pages": len(truth)}
    for name, run in runs.items():
        result[name] = summarise(run, truth, len(pages))
    return result, runs, truth


def recall_losses(
    runs: dict[str, SystemRun], truth: dict[str, dict], eps: float = 1e-9
) -> list[str]:
    """Pages where Chronicle's recall is below trafilatura's."""
    out = []
    for k, v in truth.items():
        ours = page_score(v.get("articleBody", ""), runs["chronicle"].predictions.get(k)).recall
        base = page_score(v.get("articleBody", ""), runs["trafilatura"].predictions.get(k)).recall
        if ours is not None and base is not None and ours < base - eps:
            out.append(k)
    return out


def worst_pages(runs: dict[str, SystemRun], truth: dict[str, dict], n: int = 20) -> list[dict]:
    """The ``n`` pages where Chronicle's F1 is lowest: what it kept wrongly and what it missed."""
    rows = []
    for k, v in truth.items():
        gold = v.get("articleBody", "")
        pred = runs["chronicle"].predictions.get(k, "")
        s = page_score(gold, pred)
        p, r = s.precision or 0.0, s.recall or 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        rows.append({
            "id": k, "url": v.get("url"), "precision": p, "recall": r, "f1": f1,
            "extra": _paragraph_diff(pred, gold), "missed": _paragraph_diff(gold, pred),
        })
    rows.sort(key=lambda row: row["f1"])
    return rows[:n]


def _paragraph_diff(text: str, other: str, limit: int = 5) -> list[str]:
    """Paragraphs of ``text`` whose shingles are mostly absent from ``other``."""
    have = shingles(other)
    out = []
    for para in re.split(r"\n+", text or ""):
        sh = shingles(para)
        if not sh or not para.strip():
            continue
        shared = sum(min(c, have.get(k, 0)) for k, c in sh.items())
        if shared / sum(sh.values()) < 0.5:
            out.append(para.strip()[:200])
        if len(out) >= limit:
            break
    return out
