"""Ingest through the real pipeline into real databases: the seeds end to end, idempotence, and
bad files among good ones."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import text

from chronicle.store import Store

RUSSIAN = (
    "Полиция задержала в Томске местного активиста после акции у здания администрации. "
    "Как сообщили правозащитники, его доставили в отдел и составили протокол.\n"
)
ENGLISH = (
    "Officers detained a retired engineer in Samara after he criticised the mobilisation in a "
    "comment online, a regional news site reported on Friday.\n"
)


def test_seeds_end_to_end_and_idempotent(store_url: str, sample_dir: Path) -> None:
    with Store(store_url) as store:
        report = store.ingest([sample_dir], progress=False)
        assert (report.new, report.duplicates, report.failed, report.files) == (5, 0, [], 5)
        counts = store.counts()
        assert counts["documents"] == 5
        assert counts["entities"] > 0 and counts["entity_mentions"] >= counts["entities"]
        docs = store.documents()
        assert all(d.body and d.raw_text for d in docs)
        with store.engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT d.raw_text, m.name, m.start, m.\"end\" FROM entity_mentions m "
                    "JOIN documents d ON d.id = m.document_id WHERE m.start IS NOT NULL"
                )
            ).all()
        assert rows and all(raw[start:end] == name for raw, name, start, end in rows)
        assert store.search("investigation")  # a word of the seeds' bodies
        again = store.ingest([sample_dir], progress=False)
        assert (again.new, again.duplicates, again.failed) == (0, 5, [])
        assert again.summary().startswith("0 new, 5 already stored, 0 failed")
        assert store.counts() == counts


def test_bad_files_among_good_ones(tmp_path: Path, sample_dir: Path) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    seeds = sorted(sample_dir.glob("*.txt"))[:2]
    for seed in seeds:
        shutil.copy(seed, batch / seed.name)
    (batch / "binary.txt").write_bytes(b"\x7fELF\x02\x01\x01" + bytes(range(256)) * 16)
    (batch / "empty.txt").write_bytes(b"")
    (batch / "cp1251.txt").write_bytes(RUSSIAN.encode("cp1251"))
    (batch / "utf16.txt").write_bytes(ENGLISH.encode("utf-16"))
    (batch / "bad.jsonl").write_text('{"text": "A short item about a court."}\n{oops\n')
    seen: list[str] = []
    with Store(tmp_path / "db.sqlite") as store:
        report = store.ingest(
            [batch, tmp_path / "missing"], progress=False, on_error=lambda e: seen.append(str(e))
        )
        assert (report.new, report.duplicates) == (5, 0)
        failed = {Path(path).name: reason for path, reason in report.failed}
        assert set(failed) == {"binary.txt", "empty.txt", "bad.jsonl:2", "missing"}
        assert "binary" in failed["binary.txt"] and "empty" in failed["empty.txt"]
        assert seen == [f"{p}: {r}" for p, r in report.failed]
        raw = {Path(d.source).name: d.raw_text for d in store.documents()}
        assert raw["cp1251.txt"] == RUSSIAN
        assert raw["utf16.txt"] == ENGLISH
        assert raw["bad.jsonl:1"] == "A short item about a court."
