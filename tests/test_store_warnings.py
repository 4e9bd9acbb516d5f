"""What the pipeline changed or left out of a document is stored with it; linkers take turns."""

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


def test_chronicle_link_waits_for_the_linking_lock(tmp_path: Path) -> None:
    import threading
    import time

    from typer.testing import CliRunner

    from chronicle.cli import app

    db = tmp_path / "l.db"
    with Store(db) as store:
        store.ingest([Path(__file__).parents[1] / "src" / "chronicle" / "sample"],
                     progress=False)
        done = threading.Event()

        def run_link() -> None:
            CliRunner().invoke(app, ["link", "--db", str(db)])
            done.set()

        with store.linking():
            worker = threading.Thread(target=run_link)
            worker.start()
            time.sleep(3)
            assert not done.is_set()  # another linker holds the lock: `chronicle link` waits
        worker.join(120)
        assert done.is_set()
