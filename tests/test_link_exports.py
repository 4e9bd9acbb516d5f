"""GeoJSON and ACLED exports of a linked store, through the CLI as an analyst runs them."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chronicle.cli import app
from chronicle.link.exports import ACLED_COLUMNS, acled_type
from chronicle.link.relink import link_pending
from chronicle.store import Store
from test_link_dataset import _load


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("exports") / "linked.db"
    with Store(path) as store:
        store.add_documents(_load().values())
        link_pending(store)
    return str(path)


def test_geojson_feature_collection(db: str, tmp_path: Path) -> None:
    out = tmp_path / "events.geojson"
    result = CliRunner().invoke(app, ["export", "--format", "geojson", "-o", str(out), "--db", db])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and data["features"]
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        lon, lat = feature["geometry"]["coordinates"]
        assert feature["geometry"]["type"] == "Point" and -180 <= lon <= 180 and -90 <= lat <= 90
        props = feature["properties"]
        assert {"type", "mode", "date", "actor", "recipient", "sources", "evidence"} <= set(props)
    petrov = [f for f in data["features"] if (f["properties"]["recipient"] or "").endswith("Petrov")
              and f["properties"]["sources"] == 3]
    assert len(petrov) == 1
    lon, lat = petrov[0]["geometry"]["coordinates"]
    assert abs(lat - 43.25) < 0.3 and abs(lon - 76.9) < 0.3  # Almaty, longitude first


def test_acled_csv_layout(db: str, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    result = CliRunner().invoke(app, ["export", "--format", "acled", "-o", str(out), "--db", db])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames or ()) == ACLED_COLUMNS
        rows = list(reader)
    arrests = [r for r in rows if r["sub_event_type"] == "Arrests" and "Petrov" in r["actor2"]]
    assert any(r["event_date"] == "2024-03-05" and r["country"] == "Kazakhstan"
               and r["iso"] == "398" and r["geo_precision"] == "1" for r in arrests)
    drones = [r for r in rows if r["sub_event_type"] == "Air/drone strike"]
    assert {r["iso"] for r in drones} == {"643", "804"}  # Russia and Ukraine stay apart
    zhukov = [r for r in rows if "Zhukov" in r["actor2"] and "Sources disagree" in r["notes"]]
    assert len(zhukov) == 1 and "6.5" in zhukov[0]["notes"]


@pytest.mark.parametrize(
    ("ptype", "mode", "expected"),
    [
        ("ASSAULT", "drone", ("Explosions/Remote violence", "Air/drone strike")),
        ("ASSAULT", "beat", ("Violence against civilians", "Attack")),
        ("PROTEST", "demo", ("Protests", "Peaceful protest")),
        ("PROTEST", "riot", ("Riots", "Violent demonstration")),
        ("COERCE", "arrest", ("Strategic developments", "Arrests")),
        ("CONSULT", None, ("Strategic developments", "Other")),
    ],
)
def test_plover_to_acled_mapping(ptype: str, mode: str | None, expected: tuple) -> None:
    assert acled_type(ptype, mode)[:2] == expected
