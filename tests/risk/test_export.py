"""Exports of the index: CSV, XLSX and GeoJSON from the stored snapshot, with region scope; the CLI
``waspada risk export`` and the pure writers."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from waspada.risk import export
from waspada.risk.active import active_config
from waspada.risk.ranking import RankRow

from ._snapshots import kabupaten_snapshots

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("risk", *args, stdout=out)
    return out.getvalue()


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.open(encoding="utf-8-sig")))


def test_csv_export_ranks_the_level_with_trend_top_indicators_and_every_contribution(tmp_path: Path) -> None:
    kabupaten_snapshots()
    out = tmp_path / "indeks.csv"
    text = run("export", "--level", "2", "--format", "csv", "--output", str(out))
    assert "5 wilayah tingkat 2" in text
    rows = read_csv(out)
    assert list(rows[0])[: len(export.BASE_COLUMNS)] == list(export.BASE_COLUMNS)
    assert [f"points_{i}" for i in active_config().indicator_ids] == list(rows[0])[len(export.BASE_COLUMNS) :]
    assert [r["code"] for r in rows] == ["65.03", "65.01", "65.02", "65.71", "65.04"]
    nunukan = rows[0]
    assert (nunukan["rank"], nunukan["score"], nunukan["category"]) == ("1", "61.25", "tinggi")
    assert (nunukan["previous_score"], nunukan["delta"]) == ("40.0", "21.25")
    assert (nunukan["top_1"], nunukan["top_2"], nunukan["top_3"]) == (
        "kekerasan_terkini",
        "korban_terkini",
        "selisih_suara",
    )
    assert float(nunukan["points_korban_terkini"]) == 16.25 and float(nunukan["points_ikp_bawaslu"]) == 0
    assert rows[-1]["rank"] == "" and rows[-1]["score"] == ""  # no score, ranked last
    assert {r["date"] for r in rows} == {"2024-12-12"}


def test_export_as_a_scoped_analyst_holds_only_their_regions(
    tmp_path: Path, personas: dict[str, Any]
) -> None:
    kabupaten_snapshots()
    out = tmp_path / "nunukan.csv"
    run("export", "--level", "2", "--format", "csv", "--output", str(out), "--as", "analis.nunukan")
    assert [r["code"] for r in read_csv(out)] == ["65.03"]
    run("export", "--level", "3", "--format", "csv", "--output", str(out), "--as", "analis.nunukan")
    assert {r["code"][:5] for r in read_csv(out)} == {"65.03"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as", "pelapor"], "tidak boleh mengekspor"),
        (["--as", "tidak.ada"], "pengguna tidak ditemukan"),
        (["--within", "65.99"], "65.99: wilayah tidak dikenal atau di luar cakupan"),
        (["--within", "65.01", "--as", "analis.nunukan"], "di luar cakupan"),
        (["--within", "abc"], "--within"),
    ],
)
def test_export_refuses_bad_scopes_with_a_clear_message(
    tmp_path: Path, personas: dict[str, Any], args: list[str], message: str
) -> None:
    kabupaten_snapshots()
    with pytest.raises(CommandError, match=message):
        run("export", "--level", "2", "--format", "csv", "--output", str(tmp_path / "x.csv"), *args)


def test_export_without_any_snapshot_says_to_compute_one(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="belum ada snapshot indeks"):
        run("export", "--level", "2", "--format", "csv", "--output", str(tmp_path / "x.csv"))


def test_export_refuses_an_unknown_level_or_format(tmp_path: Path) -> None:
    for bad in (["--level", "5", "--format", "csv"], ["--level", "2", "--format", "shp"]):
        with pytest.raises((CommandError, SystemExit)):
            run("export", *bad, "--output", str(tmp_path / "x"))


def test_xlsx_export_has_the_table_and_a_sheet_of_notes(tmp_path: Path) -> None:
    kabupaten_snapshots()
    out = tmp_path / "indeks.xlsx"
    run("export", "--level", "2", "--format", "xlsx", "--output", str(out))
    book = load_workbook(out, read_only=True)
    table = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    assert table[0][:3] == ["rank", "code", "name"]
    assert (table[1][0], table[1][1], table[1][5], table[1][6]) == (1, "65.03", 61.25, "tinggi")
    notes = dict(book["keterangan"].iter_rows(values_only=True))
    assert notes["tanggal snapshot / snapshot date"] == "2024-12-12"


def test_geojson_export_carries_boundaries_where_imported(tmp_path: Path, kaltara_dir: Path) -> None:
    kabupaten_snapshots()
    out = tmp_path / "indeks.geojson"
    run("export", "--level", "2", "--format", "geojson", "--output", str(out), "--simplified")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and data["metadata"]["level"] == 2
    feature = next(f for f in data["features"] if f["id"] == "65.03")
    assert feature["properties"]["category"] == "tinggi" and feature["properties"]["rank"] == 1
    assert feature["geometry"]["type"] in {"Polygon", "MultiPolygon"}


def test_geojson_writer_gives_null_geometry_to_regions_without_a_boundary() -> None:
    row = RankRow("65.04", 'Tana "Tidung"', 2, "65", 5.0, "rendah", rank=1, contributions={"a": 5.0})
    head = export.columns(["a"])
    recs = [export.record(row, ["a"], "2024-12-12", "v1")]
    text = "".join(export.geojson_chunks(head, recs, lambda code: None))
    data = json.loads(text)
    assert data["features"][0]["geometry"] is None
    assert data["features"][0]["properties"]["name"] == 'Tana "Tidung"'
    shaped = "".join(
        export.geojson_chunks(head, recs, lambda code: '{"type": "Point", "coordinates": [117, 3]}')
    )
    assert json.loads(shaped)["features"][0]["geometry"]["type"] == "Point"


def test_csv_writer_defuses_spreadsheet_formulas_and_streams_in_chunks() -> None:
    head = ["code", "name"]
    recs = [["65.01", "=HYPERLINK(1)"]] + [[f"65.{i}", "x"] for i in range(export.CHUNK_ROWS + 5)]
    chunks = list(export.csv_chunks(head, recs))
    assert len(chunks) >= 2
    assert "'=HYPERLINK(1)" in "".join(chunks)
