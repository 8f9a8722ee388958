"""XLSX workbooks (with the downloadable template) and Sirekap-style JSON documents: the same records and
findings as the CSV formats, and errors that name file, row and column."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from waspada.elections.import_files import import_results
from waspada.elections.integrity.sirekap_json import parse_sirekap_json
from waspada.elections.integrity.spreadsheet import xlsx_to_csv
from waspada.elections.integrity.tps_csv import TpsCsvError, parse_tps_csv
from waspada.elections.integrity.xlsx_template import build_tps_template, example_row, template_columns
from waspada.elections.models import Election, RecapFinding, ResultRecord

from .conftest import CLEAN, csv_text, tps

pytestmark = pytest.mark.django_db


@pytest.fixture
def pilpres(db: Any) -> Election:
    return Election.objects.create(
        code="pilpres-2024", name="Pilpres 2024", kind="pemilu", voting_date=date(2024, 2, 14)
    )


def workbook(rows: list[dict[str, Any]], sheet: str = "TPS", n_paslon: int = 3) -> bytes:
    book = Workbook()
    data = book.active
    assert data is not None
    data.title = sheet
    columns = template_columns(n_paslon)
    data.append(columns)
    for row in rows:
        data.append([row.get(c) for c in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def sirekap_doc(
    row: dict[str, Any], *, nested: bool = False, ids: tuple[str, ...] = ("100025", "100026", "100027")
) -> dict[str, Any]:
    chart = {cid: row[f"paslon{i}"] for i, cid in enumerate(ids, 1)} | {"persen": 100.0}
    admin = {
        "pemilih_dpt_j": row["dpt"],
        "pemilih_dpt_l": row["dpt_l"],
        "pemilih_dpt_p": row["dpt_p"],
        "pengguna_dpt_j": row["pengguna_dpt"],
        "pengguna_dptb_j": row["pengguna_dptb"],
        "pengguna_non_dpt_j": row["pengguna_dpk"],
        "pengguna_total_j": row["pengguna_total"],
        "suara_sah": row["suara_sah"],
        "suara_tidak_sah": row["suara_tidak_sah"],
        "suara_total": row["suara_total"],
    }
    body = {"chart": chart, "administrasi": admin}
    doc: dict[str, Any] = {"tungsura": body} if nested else dict(body)
    doc.update({"images": ["a.jpg", None, "c.jpg"], "ts": row["sirekap_ts"], "psu": None})
    return doc


def test_the_template_has_the_tps_columns_and_a_guide_with_an_example(tmp_path: Path) -> None:
    book = load_workbook(io.BytesIO(build_tps_template(4)))
    assert book.sheetnames == ["TPS", "Petunjuk"]
    header = [c.value for c in next(book["TPS"].iter_rows(max_row=1))]
    assert header == template_columns(4) and "paslon4" in header
    assert book["TPS"].max_row == 1  # nothing to import by accident
    example = example_row(4)
    assert sum(example[f"paslon{i}"] for i in range(1, 5)) == example["suara_sah"]
    out = io.StringIO()
    call_command("elections", "template", "--output", str(tmp_path / "t.xlsx"), "--paslon", "2", stdout=out)
    assert load_workbook(tmp_path / "t.xlsx")["TPS"]["D1"].value == "kec_code"
    with pytest.raises(CommandError, match="--paslon"):
        call_command("elections", "template", "--output", str(tmp_path / "t.xlsx"), "--paslon", "0")


def test_a_filled_template_imports_like_the_csv_and_keeps_excel_row_numbers(pilpres: Election) -> None:
    rows = [tps(1), tps(2, paslon1=70), tps(3, suara_sah="seratus"), tps(4, suara_total=2.5)]
    rows[0]["sirekap_ts"] = datetime(2024, 2, 20, 10, 0)
    summary = import_results("hasil.xlsx", workbook(rows), pilpres)

    assert summary.format == "tps" and summary.tps is not None
    assert summary.tps.rows == 4 and summary.tps.created == 4
    messages = [e.message for e in summary.errors]
    assert "hasil.xlsx, lembar TPS baris 4, kolom suara_sah: 'seratus' bukan bilangan bulat" in messages
    assert "hasil.xlsx, lembar TPS baris 5, kolom suara_total: '2.5' bukan bilangan bulat" in messages
    record = ResultRecord.objects.get(area_code="6501011001001")
    assert record.votes == {"1": 63, "2": 118, "3": 17} and record.source_timestamp == "2024-02-20 10:00:00"
    assert RecapFinding.objects.filter(rule="R1", area_code="6501011001002").exists()
    same = parse_tps_csv(csv_text([tps(1), tps(2, paslon1=70)]).encode(), source="x.csv").frame
    xlsx = parse_tps_csv(xlsx_to_csv(workbook([tps(1), tps(2, paslon1=70)]), "x.xlsx")[0], source="x").frame
    assert xlsx.drop("sirekap_ts").equals(same.drop("sirekap_ts"))


def test_a_broken_or_old_workbook_is_a_clear_error(pilpres: Election) -> None:
    with pytest.raises(TpsCsvError, match="rusak.xlsx: berkas XLSX rusak"):
        import_results("rusak.xlsx", b"PK\x03\x04 not really a zip", pilpres)
    with pytest.raises(TpsCsvError, match="lama.xlsx: bukan berkas XLSX \\(berkas .xls lama"):
        import_results("lama.xlsx", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, pilpres)
    with pytest.raises(TpsCsvError, match="lain.csv: format tidak dikenal"):
        import_results("lain.csv", b"a,b\n1,2\n", pilpres)
    assert ResultRecord.objects.count() == 0


def test_sirekap_tps_documents_give_the_same_records_as_the_csv(pilpres: Election, tmp_path: Path) -> None:
    folder = tmp_path / "ppwp" / "65" / "6501" / "650101" / "6501011001"
    folder.mkdir(parents=True)
    for n in (1, 2):
        row = tps(
            n, paslon1=63 + n - 1, suara_sah=198 + n - 1, suara_total=205 + n - 1, pengguna_total=205 + n - 1
        )
        row["pengguna_dpt"] = 200 + n - 1
        (folder / f"{row['tps_code']}.json").write_text(json.dumps(sirekap_doc(row)), encoding="utf-8")
    out = io.StringIO()
    call_command(
        "elections",
        "import-json",
        "--documents",
        str(tmp_path / "ppwp"),
        "--election",
        "pilpres-2024",
        stdout=out,
    )
    assert "documents: 2" in out.getvalue() and "tps_new: 2" in out.getvalue()
    record = ResultRecord.objects.get(area_code="6501011001002")
    assert record.votes == {"1": 64, "2": 118, "3": 17}
    assert (record.dpt, record.voters_dpk, record.voters_total, record.valid_votes) == (250, 2, 206, 199)
    assert record.extra["n_c1_photos"] == 2 and record.file_name.endswith("6501011001002.json")
    assert not RecapFinding.objects.filter(rule__in=["R1", "R2", "R3", "R3B"]).exists()


def test_pilkada_documents_use_the_candidates_file_and_bad_documents_are_named(pilpres: Election) -> None:
    good = sirekap_doc(dict(CLEAN), nested=True, ids=("1000561", "1000562", "1000563"))
    bad = sirekap_doc(dict(CLEAN), nested=True, ids=("1000561", "1000562", "9"))
    bad["tungsura"]["administrasi"]["suara_sah"] = -3
    lines = [
        json.dumps({"kode": "6501011001001", **good}),
        "{ini bukan json",
        json.dumps({"kode": "6501011001002", **bad}),
        json.dumps({"kode": "123", **good}),
    ]
    docs = parse_sirekap_json(
        "tps.jsonl", "\n".join(lines).encode(), candidate_numbers={"1000561": 1, "1000562": 2, "1000563": 3}
    )
    assert docs.documents == 3 and docs.tps is not None and docs.tps.frame.height == 2
    messages = [e.message for e in docs.errors]
    assert any(m.startswith("tps.jsonl baris 2: bukan JSON yang sah") for m in messages)
    assert "tps.jsonl baris 3, kolom administrasi.suara_sah: '-3' negatif" in messages
    assert any(m.startswith("tps.jsonl baris 3, kolom chart.9: id calon 9 tidak dikenal") for m in messages)
    assert any(m.startswith("tps.jsonl baris 4, kolom kode: kode TPS '123' harus 13 angka") for m in messages)
    frame = docs.tps.frame
    assert frame.filter(frame["tps_code"] == "6501011001001")["paslon3"].item() == 17


def test_sirekap_area_documents_become_area_records(tmp_path: Path) -> None:
    from waspada.demo import load

    load.load_population()
    load.load_contests()
    pilkada = Election.objects.get(code="pilkada-2024")
    doc = {
        "table": {
            "650401": {"1001107": 180, "1001108": 120, "psu": "Reguler", "persen": 100.0},
            "650402": {"1001107": 120, "1001108": 80, "psu": "Reguler", "persen": 100.0},
        },
        "chart": {"1001107": 300, "1001108": 201},
        "progres": {"total": 10, "progres": 10},
        "ts": "2024-11-28 00:45:00",
    }
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("pkwkk/65/6504.json", json.dumps(doc))
    calon = tmp_path / "calon.csv"
    calon.write_text(
        "race_type,race_code,candidate_id,nomor_urut,candidate_name\n"
        "pkwkk,6504,1001107,1,SAID AGIL - HENDRIK\npkwkk,6504,1001108,2,IBRAHIM ALI - SABRI\n",
        encoding="utf-8",
    )
    from waspada.elections.import_files import read_candidates

    summary = import_results(
        "sirekap.zip",
        archive.getvalue(),
        pilkada,
        candidates=read_candidates("calon.csv", calon.read_bytes()),
    )
    assert summary.format == "json" and summary.areas is not None and summary.areas.areas == 3
    kab = ResultRecord.objects.get(tier="kabkota", area_code="65.04")
    assert kab.votes == {"1": 300, "2": 201} and kab.extra["tps_total"] == 10
    assert ResultRecord.objects.get(area_code="65.04.01").extra["source_file"] == "pkwkk/65/6504.json"
    (r9,) = RecapFinding.objects.filter(rule="R9")  # 201 at the kab against 200 in its kecamatan
    assert r9.area_code == "65.04" and r9.values["selisih"] == 1


def test_a_json_file_without_any_usable_document_is_refused(pilpres: Election) -> None:
    with pytest.raises(TpsCsvError, match="tidak ada dokumen Sirekap yang dapat dipakai"):
        import_results("kosong.json", b'{"halo": 1}', pilpres)
    with pytest.raises(TpsCsvError, match="bukan JSON yang sah"):
        import_results("rusak.json", b"{", pilpres)


def test_a_count_too_large_for_the_database_is_a_row_error_not_a_crash(pilpres: Election) -> None:
    data = csv_text([tps(1, suara_sah=99_999_999_999), tps(2)]).encode()
    summary = import_results("besar.csv", data, pilpres)
    assert "besar.csv baris 2, kolom suara_sah: '99999999999' terlalu besar untuk sebuah hitungan" in [
        e.message for e in summary.errors
    ]
    assert ResultRecord.objects.get(area_code="6501011001001").valid_votes is None
    docs = parse_sirekap_json(
        "x.json", json.dumps({"kode": "6501011001001", "chart": {"100025": 2**40}}).encode()
    )
    assert docs.errors[0].reason == f"'{2**40}' terlalu besar untuk sebuah hitungan suara"
