"""Validate the event corpus and print its counts: ``python corpus/check.py [FILE|DIR ...]``.

The rules live in ``chronicle.extract.learned.corpus`` (also ``chronicle corpus-check``); this
script loads that one module by path, so it runs with a bare Python before the package is
installed. Prints one ``path:line: reason`` per problem and exits 1 when any record is invalid.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
MODULE = HERE.parent / "src" / "chronicle" / "extract" / "learned" / "corpus.py"


def main(argv: list[str]) -> int:
    spec = importlib.util.spec_from_file_location("chronicle_corpus", MODULE)
    corpus = importlib.util.module_from_spec(spec)
    sys.modules["chronicle_corpus"] = corpus  # dataclasses look their module up by name
    spec.loader.exec_module(corpus)
    docs, problems = corpus.load([Path(a) for a in argv] or [HERE / "data"])
    for p in problems:
        print(p)
    counts = corpus.counts(docs)
    for key in sorted(counts):
        print(f"{key}\t{counts[key]}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
