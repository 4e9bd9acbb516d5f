"""Running Chronicle over a gold set: find the texts, run the pipeline, link, score.

Gold files (``STEM.json``) are matched to article files in the texts directory by file stem
(``STEM.txt``, ``STEM.html``, ``STEM.html.gz``...). Every matched article goes through the full
pipeline (clean + parse + extract, no database) in one ``Pipeline.pipe`` stream, with one
in-memory boilerplate index shared across the run when the clean stage offers one, so that chrome
repeated across articles of one outlet is recognised as it is in a real store. When the gold
directory holds ``clusters.json``, the documents are then linked in memory and linking is scored.

Bad input never stops the run: each unreadable gold or text file becomes a one-line error naming
the file and the reason.
"""

from __future__ import annotations

import functools
import inspect
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chronicle.evaluate.linking import null_linking, score_linking
from chronicle.evaluate.scoring import score_document, summarise
from chronicle.evaluate.tally import DocScore
from chronicle.model import Document
from chronicle.pipeline import Pipeline, default_pipeline

CLUSTERS_FILE = "clusters.json"
Progress = Callable[[str], None]


@dataclass
class EvalRun:
    """Everything one ``chronicle eval`` run produced."""

    golds: dict[str, dict[str, Any]] = field(default_factory=dict)
    preds: dict[str, dict[str, Any]] = field(default_factory=dict)
    scores: dict[str, DocScore] = field(default_factory=dict)
    clusters: list[dict[str, Any]] | None = None
    linking: dict[str, Any] | None = None
    # Per kind (events/entities): "false_links" and "missed_links", as "doc/item ~ doc/item".
    linking_details: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """The ``--json`` object: micro-averaged figures, plus ``linking`` with clusters.json."""
        out = summarise(list(self.scores.values()))
        if self.clusters is not None:
            out["linking"] = self.linking or null_linking()
        return out


def load_golds(gold_dir: Path, errors: list[str]) -> dict[str, dict[str, Any]]:
    """Gold dicts keyed by file stem (``clusters.json`` excluded)."""
    golds: dict[str, dict[str, Any]] = {}
    for path in sorted(gold_dir.glob("*.json")):
        if path.name == CLUSTERS_FILE:
            continue
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            errors.append(f"{path}: cannot read gold file ({exc})")
            continue
        if not isinstance(data, dict):
            errors.append(f"{path}: gold file is not a JSON object")
            continue
        golds[path.stem] = data
    return golds


def load_clusters(gold_dir: Path, errors: list[str]) -> list[dict[str, Any]] | None:
    """The gold ``clusters.json`` list, or ``None`` when the directory has none."""
    path = gold_dir / CLUSTERS_FILE
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        errors.append(f"{path}: cannot read clusters ({exc})")
        return []
    return data if isinstance(data, list) else []


def match_texts(texts_dir: Path, stems: set[str]) -> dict[str, Path]:
    """Article files whose stem (``a.txt`` -> ``a``; ``a.html.gz`` -> ``a``) is a gold stem."""
    found: dict[str, Path] = {}
    for path in sorted(p for p in texts_dir.iterdir() if p.is_file()):
        for stem in (path.stem, path.name.split(".", 1)[0]):
            if stem in stems and stem not in found:
                found[stem] = path
                break
    return found


def eval_pipeline() -> Pipeline:
    """The default pipeline, with one shared in-memory boilerplate index for the whole run
    (``chronicle.clean.boilerplate.MemoryFingerprintIndex``) when the cleaner accepts one."""
    try:
        from chronicle.clean import clean_document
        from chronicle.clean.boilerplate import MemoryFingerprintIndex
    except ImportError:
        return default_pipeline()
    if "fingerprints" not in inspect.signature(clean_document).parameters:
        return default_pipeline()
    cleaner = functools.partial(clean_document, fingerprints=MemoryFingerprintIndex())
    return Pipeline(cleaners=[("clean", cleaner)])


def _read(paths: dict[str, Path], errors: list[str]) -> dict[str, Document]:
    from chronicle.ingest import read_one

    docs: dict[str, Document] = {}
    for stem, path in paths.items():
        try:
            docs[stem] = read_one(path)
        except (OSError, ValueError) as exc:
            errors.append(f"{path}: cannot read article ({exc})")
    return docs


def run_pipeline(docs: dict[str, Document], errors: list[str],
                 progress: Progress | None = None) -> dict[str, Document]:
    """Clean and extract every document in one batched stream; on a failure, fall back to one
    document at a time so that the bad article is named and the rest still run."""
    pipeline = eval_pipeline()
    stems = list(docs)
    done: dict[str, Document] = {}
    try:
        for stem, doc in zip(stems, pipeline.pipe(docs[s] for s in stems), strict=True):
            done[stem] = doc
            if progress:
                progress(stem)
        return done
    except Exception:  # isolate the failing article below
        pass
    for stem in stems:
        if stem in done:
            continue
        try:
            done[stem] = pipeline(docs[stem])
        except Exception as exc:  # one bad article must not stop the run
            errors.append(f"{docs[stem].source}: pipeline failed ({type(exc).__name__}: {exc})")
        if progress:
            progress(stem)
    return done


def link(docs: list[Document], errors: list[str]) -> bool:
    """Run the link stage in memory; False when it does not exist (linking is then null)."""
    try:
        from chronicle.link import link_documents
    except ImportError:
        return False
    try:
        link_documents(docs)
    except Exception as exc:  # report it, score the rest
        errors.append(f"link stage failed ({type(exc).__name__}: {exc})")
        return False
    return True


def evaluate(gold_dir: Path, texts_dir: Path, progress: Progress | None = None) -> EvalRun:
    """Run and score every article of ``texts_dir`` that has a gold file in ``gold_dir``."""
    run = EvalRun()
    golds = load_golds(gold_dir, run.errors)
    run.clusters = load_clusters(gold_dir, run.errors)
    paths = match_texts(texts_dir, set(golds))
    for stem in sorted(set(golds) - set(paths)):
        gold_file = gold_dir / f"{stem}.json"
        run.errors.append(f"{gold_file}: no article with this stem in {texts_dir}")
    docs = run_pipeline(_read(paths, run.errors), run.errors, progress)
    linked = run.clusters is not None and link(list(docs.values()), run.errors)
    for stem, doc in docs.items():
        run.golds[stem] = golds[stem]
        run.preds[stem] = doc.to_dict()
        run.scores[stem] = score_document(golds[stem], run.preds[stem], stem)
    if run.clusters is not None:
        run.linking = null_linking()
        if linked:
            run.linking = score_linking(run.clusters, run.golds, run.preds, run.scores,
                                        with_details=True)
            run.linking_details = run.linking.pop("details")
    return run
