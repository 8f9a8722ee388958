"""Import of TPS files into versioned result records, and the findings stored with them."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from waspada.elections.integrity import CheckConfig, check_tps, read_tps_csv
from waspada.elections.models import Election, RecapFinding, ResultRecord

from .conftest import tps

pytestmark = pytest.mark.django_db

KALTARA_2024 = "kaltara_pilpres2024_tps_sirekap.csv"


@pytest.fixture
def pilpres(db: Any) -> Election:
    return Election.objects.create(
        code="pilpres-2024", name="Pilpres 2024", kind="pemilu", voting_date=date(2024, 2, 14)
    )


def run_import(path: Path, *extra: str) -> str:
    out = io.StringIO()
    call_command(
        "elections", "import-tps", "--tps-csv", str(path), "--election", "pilpres-2024", *extra, stdout=out
    )
    return out.getvalue()


def stored_counts() -> dict[str, int]:
    counts: dict[str, int] = {}
    for rule in RecapFinding.objects.values_list("rule", flat=True):
        counts[rule] = counts.get(rule, 0) + 1
    return counts


def test_the_real_kaltara_file_is_stored_with_the_findings_of_the_cli(
    pilpres: Election, elections_dir: Path
) -> None:
    path = elections_dir / KALTARA_2024
    output = run_import(path)

    assert ResultRecord.objects.filter(election=pilpres, is_current=True).count() == 2295
    expected = check_tps(read_tps_csv(path), CheckConfig.for_election("pemilu")).counts
    assert stored_counts() == expected
    assert "new: 2295" in output
    record = ResultRecord.objects.get(area_code="6501011001001")
    assert record.votes == {"1": 63, "2": 181, "3": 16}
    assert (record.dpt, record.valid_votes, record.row_number) == (299, 260, 2)
    assert record.region_code == "65.01.01.1001"
    assert RecapFinding.objects.filter(rule="DUP", area_code="6501051002027").exists()


def test_reimporting_the_same_file_changes_nothing(pilpres: Election, write_csv: Any) -> None:
    path = write_csv([tps(1), tps(2, paslon1=70)])
    run_import(path)
    first = list(ResultRecord.objects.values_list("pk", "version", "is_current").order_by("pk"))
    findings = stored_counts()

    output = run_import(path)

    assert list(ResultRecord.objects.values_list("pk", "version", "is_current").order_by("pk")) == first
    assert stored_counts() == findings
    assert "unchanged: 2" in output


def test_a_changed_row_adds_version_2_and_keeps_version_1(pilpres: Election, write_csv: Any) -> None:
    run_import(write_csv([tps(1), tps(2)]))
    run_import(write_csv([tps(1), tps(2, paslon1=70)]))

    versions = ResultRecord.objects.filter(area_code="6501011001002").order_by("version")
    assert [(r.version, r.is_current, r.votes["1"]) for r in versions] == [(1, False, 63), (2, True, 70)]
    assert ResultRecord.objects.filter(area_code="6501011001001").count() == 1
    # paslon1 70 no longer sums to suara_sah: the current version is checked
    assert RecapFinding.objects.filter(rule="R1", area_code="6501011001002").exists()
    assert not RecapFinding.objects.filter(area_code="6501011001001", rule="R1").exists()


def test_an_acknowledged_finding_stays_acknowledged_on_reimport(pilpres: Election, write_csv: Any) -> None:
    path = write_csv([tps(1, paslon1=70)])
    run_import(path)
    RecapFinding.objects.filter(rule="R1").update(status="acknowledged")
    run_import(write_csv([tps(1, paslon1=70), tps(2)]))
    assert RecapFinding.objects.get(rule="R1").status == "acknowledged"


def test_bad_rows_are_reported_with_file_row_and_column_and_skipped(
    pilpres: Election, write_csv: Any, capsys: Any
) -> None:
    path = write_csv([tps(1), tps(2, tps_code="65010110010"), tps(3, suara_sah="abc")])
    err = io.StringIO()
    call_command(
        "elections",
        "import-tps",
        "--tps-csv",
        str(path),
        "--election",
        "pilpres-2024",
        stdout=io.StringIO(),
        stderr=err,
    )
    messages = err.getvalue()
    assert "tps.csv baris 3, kolom tps_code" in messages
    assert "tps.csv baris 4, kolom suara_sah" in messages
    assert set(ResultRecord.objects.values_list("area_code", flat=True)) == {"6501011001001", "6501011001003"}
    assert ResultRecord.objects.get(area_code="6501011001003").valid_votes is None
    assert RecapFinding.objects.filter(rule="R10").count() == 2


def test_an_unknown_election_or_missing_file_is_a_clear_error(pilpres: Election, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="tidak ditemukan"):
        run_import(tmp_path / "hilang.csv")
    with pytest.raises(CommandError, match="pemilu-9999"):
        call_command("elections", "import-tps", "--tps-csv", "x.csv", "--election", "pemilu-9999")


def test_the_importer_is_recorded(pilpres: Election, write_csv: Any, personas: dict[str, Any]) -> None:
    run_import(write_csv([tps(1)]), "--as", "analis", "--source", "saksi")
    record = ResultRecord.objects.get()
    assert (record.imported_by, record.source, record.file_name) == (personas["analis"], "saksi", "tps.csv")


def test_the_demo_loader_imports_the_kaltara_file_idempotently(elections_dir: Path) -> None:
    from waspada.demo import load

    assert load.load_pilpres_tps(elections_dir / KALTARA_2024)[0] == 2295
    load.load_pilpres_tps(elections_dir / KALTARA_2024)
    assert ResultRecord.objects.count() == 2295
    assert Election.objects.get(code="pilpres-2024").kind == "pemilu"
