"""The CLI contract: ``waspada risk compute`` columns, ``import-static`` validation, idempotent snapshots."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from waspada.reports.models import Incident
from waspada.risk.management.commands.risk import CSV_COLUMNS
from waspada.risk.models import IndexSnapshot, StaticIndicatorValue

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("risk", *args, stdout=out)
    return out.getvalue()


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "statis.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_compute_writes_the_contract_columns_with_recent_violence_on_top(tmp_path: Path) -> None:
    Incident.objects.create(
        title="Bentrok",
        event_type="supporter_clash",
        region_id="65.03.01",
        description="x",
        occurred_at=timezone.make_aware(dt.datetime(2024, 12, 10, 10)),
        killed=1,
        injured=4,
    )
    output = tmp_path / "indeks.csv"
    text = run("compute", "--level", "3", "--at", "2024-12-12", "--output", str(output))
    assert "wilayah" in text
    rows = list(csv.DictReader(output.open(encoding="utf-8")))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert {r["level"] for r in rows} == {"3"}
    hit = next(r for r in rows if r["code"] == "65.03.01")
    assert float(hit["score"]) > 0 and hit["category"] in {"rendah", "sedang", "tinggi"}
    assert {"korban_terkini", "kekerasan_terkini"} <= {hit["top_1"], hit["top_2"], hit["top_3"]}
    quiet = next(r for r in rows if r["code"] != "65.03.01" and not r["code"].startswith("65.03"))
    assert float(quiet["score"]) < float(hit["score"])


def test_import_static_stores_valid_rows(tmp_path: Path) -> None:
    path = write(tmp_path, "indicator,code,value,source\nikp_bawaslu,65.01,20.36,Bawaslu 2022\n")
    assert "1 nilai" in run("import-static", str(path))
    assert StaticIndicatorValue.objects.get(indicator="ikp_bawaslu", region_id="65.01").value == 20.36
    run("import-static", str(path))  # re-import updates, never duplicates
    assert StaticIndicatorValue.objects.count() == 1


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("ikp_bawaslu,65.99,20", "baris 2, kolom code: kode wilayah '65.99' tidak dikenal"),
        ("ikp_bawaslu,65.01.01,20", "baris 2, kolom code: 65.01.01 tingkat 3"),
        ("ikp_bawaslu,65.01,120", "baris 2, kolom value: 120 di luar rentang"),
        ("ikp_bawaslu,65.01,tinggi", "baris 2, kolom value: 'tinggi' bukan angka"),
        ("selisih_suara,65.01,2", "baris 2, kolom indicator: 'selisih_suara' bukan indikator statis"),
    ],
)
def test_import_static_names_row_and_column_of_bad_rows(tmp_path: Path, line: str, message: str) -> None:
    path = write(tmp_path, f"indicator,code,value\n{line}\nikp_bawaslu,65.02,10\n")
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace("[", r"\[")):
        run("import-static", str(path))
    assert not StaticIndicatorValue.objects.exists()  # all or nothing


def test_import_static_refuses_duplicates(tmp_path: Path) -> None:
    path = write(tmp_path, "indicator,code,value\nikp_bawaslu,65.01,20\nikp_bawaslu,65.01,21\n")
    with pytest.raises(CommandError, match="baris 3, kolom code: duplikat ikp_bawaslu/65.01"):
        run("import-static", str(path))


def test_snapshot_is_idempotent_per_date(tmp_path: Path) -> None:
    run("snapshot", "--at", "2024-12-12")
    first = IndexSnapshot.objects.count()
    run("snapshot", "--at", "2024-12-12")
    assert IndexSnapshot.objects.count() == first > 500
    assert IndexSnapshot.objects.filter(region_id="65").exists()


def test_a_bad_date_is_a_clear_error(tmp_path: Any) -> None:
    with pytest.raises((CommandError, SystemExit)):
        run("compute", "--at", "12/12/2024", "--output", str(tmp_path / "x.csv"))
