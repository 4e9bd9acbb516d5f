"""Exports carry analysts' review: status per event, corrected values with the machine's beside."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd

from chronicle.model import Document, Event, Location
from chronicle.serve import review
from chronicle.store import Store
from chronicle.store.export import EXPORTERS


def _store(tmp_path: Path) -> Store:
    store = Store(f"sqlite:///{tmp_path / 'r.db'}")
    for i, (who, place) in enumerate((("Ivan Petrov", "Kursk"), ("Anna Sidorova", "Penza"))):
        doc = Document(source=f"d{i}.txt", raw_text=f"Police detained {who} in {place}. ({i})",
                       body=f"Police detained {who} in {place}.")
        doc.events = [Event("COERCE", "arrest", ["legal"], actor="Police", recipient=who,
                            location=Location(place, "RU"), evidence=doc.body)]
        store.add_documents([doc])
    return store


def test_csv_json_parquet_exports_carry_review(tmp_path: Path) -> None:
    store = _store(tmp_path)
    events = {e.recipient: e for e in store.events()}
    target = events["Anna Sidorova"]
    with store.engine.begin() as conn:
        review.add_review(conn, kind="event", target_id=str(target.id), action="correct",
                          reviewer="Analyst", current={"date": None},
                          changes={"date": "2024-05-02"})
    EXPORTERS["csv"](store, tmp_path / "e.csv")
    with (tmp_path / "e.csv").open(encoding="utf-8") as fh:
        rows = {r["recipient"]: r for r in csv.DictReader(fh)}
    assert rows["Ivan Petrov"]["review_status"] == "machine"
    assert rows["Anna Sidorova"]["review_status"] == "corrected"
    assert rows["Anna Sidorova"]["date"] == "2024-05-02"
    assert rows["Anna Sidorova"]["machine_date"] == ""  # the machine had no date
    EXPORTERS["json"](store, tmp_path / "e.json")
    data = {e["recipient"]: e for e in json.loads((tmp_path / "e.json").read_text("utf-8"))}
    assert data["Anna Sidorova"]["review_status"] == "corrected"
    assert data["Anna Sidorova"]["location"]["name"] == "Penza"  # nested location untouched
    EXPORTERS["parquet"](store, tmp_path / "e.parquet")
    frame = pd.read_parquet(tmp_path / "e.parquet")
    assert set(frame["review_status"]) == {"machine", "corrected"}
    store.close()
