"""What the pipeline changed or left out of a document (``Document.warnings``) is stored with it."""

from __future__ import annotations

from pathlib import Path

from chronicle.store import Store
from chronicle.store.writer import WARNINGS_KEY


def test_pipeline_warnings_are_kept_with_the_stored_document(tmp_path: Path) -> None:
    article = tmp_path / "noisy.txt"
    article.write_text("Arrests in Almaty\n\nPolice detained 20 protesters in Almaty on Monday, "
                       "police said. " + "x" * 5000 + " The court set bail.\n", encoding="utf-8")
    plain = tmp_path / "plain.txt"
    plain.write_text("Strike in Aktau\n\nOil workers in Aktau went on strike on Monday over "
                     "unpaid wages, the union said.\n", encoding="utf-8")
    with Store(tmp_path / "w.db") as store:
        report = store.ingest([article, plain], progress=False)
        assert report.new == 2
        docs = {Path(d.source).name: d for d in store.documents()}
    warnings = docs["noisy.txt"].meta.get(WARNINGS_KEY)
    assert warnings and any("blanked" in w and "5,000 characters" in w for w in warnings)
    assert WARNINGS_KEY not in docs["plain.txt"].meta
