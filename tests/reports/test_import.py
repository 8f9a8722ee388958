"""File import of reports: CSV and XLSX, every kind of bad row named by file, row and column, all-or-nothing,
the CLI (never a traceback), the templates and the upload page with its permissions."""

from __future__ import annotations

import csv
import io
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from waspada.accounts.models import AuditLog
from waspada.cli import main
from waspada.reports.import_reading import (
    COLUMN_NAMES,
    CellError,
    ImportFileError,
    parse_actors,
    parse_count,
    parse_when,
    read_table,
)
from waspada.reports.importing import import_file, parse_table
from waspada.reports.models import Report, Reporter
from waspada.reports.template_files import EXAMPLE_MARKER, build_csv, build_xlsx, example_row

PASSWORD = "kata-sandi-uji-123"
HEADER = "kode_wilayah,jenis,waktu,keterangan,tewas,aktor,id_klien"


@pytest.fixture(autouse=True)
def _fast_passwords_and_plain_static(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Pages are rendered without `collectstatic` having run.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def yesterday() -> str:
    return (timezone.localtime() - timedelta(days=1)).strftime("%d/%m/%Y 10:00")


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def good_row(client_id: str = "r1", region: str = "65.03.01.2001", **over: str) -> str:
    values = {
        "kode_wilayah": region,
        "jenis": "Politik uang",
        "waktu": yesterday(),
        "keterangan": "Pembagian amplop di dekat dermaga",
        "tewas": "0",
        "aktor": '"pendukung paslon 2; polisi"',
        "id_klien": client_id,
    } | over
    return ",".join(values[name] for name in HEADER.split(","))


# --- Reading cells and files (pure) -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("20/11/2026 14:30", datetime(2026, 11, 20, 14, 30)),
        ("20-11-2026", datetime(2026, 11, 20)),
        ("20.11.2026 14.30", datetime(2026, 11, 20, 14, 30)),
        ("2026-11-20T14:30", datetime(2026, 11, 20, 14, 30)),
        ("2026-11-20", datetime(2026, 11, 20)),
        (datetime(2026, 11, 20, 9, 5), datetime(2026, 11, 20, 9, 5)),
        (date(2026, 11, 20), datetime(2026, 11, 20)),
        (46346.5, datetime(2026, 11, 20, 12, 0)),
    ],
)
def test_it_reads_every_documented_time_form(cell: Any, expected: datetime) -> None:
    assert parse_when(cell) == expected


def test_a_zone_written_after_the_time_is_kept() -> None:
    assert parse_when("20/11/2026 14:30 WITA").utcoffset() == timedelta(hours=8)


@pytest.mark.parametrize("cell", ["31/02/2026", "kemarin", "11/20/2026", "2026-13-01", 5])
def test_it_refuses_times_it_cannot_read(cell: Any) -> None:
    with pytest.raises(CellError, match="Tulis seperti"):
        parse_when(cell)


def test_it_reads_typed_actors_with_paslon_numbers_and_free_text() -> None:
    assert parse_actors("pendukung paslon 2; polisi; ormas: Laskar Contoh; timses 01 (Tim A); otk") == [
        {"type": "paslon_supporters", "paslon": 2},
        {"type": "police"},
        {"type": "ormas", "text": "Laskar Contoh"},
        {"type": "candidate_team", "paslon": 1, "text": "Tim A"},
        {"type": "unknown"},
    ]


@pytest.mark.parametrize("text", ["alien", "polisi 2"])
def test_it_refuses_unknown_actors(text: str) -> None:
    with pytest.raises(CellError, match="pendukung paslon 2"):
        parse_actors(text)


@pytest.mark.parametrize(("cell", "value"), [("", None), ("3", 3), (2.0, 2), ("1,0", 1)])
def test_it_reads_counts(cell: Any, value: int | None) -> None:
    if value is None:
        with pytest.raises(CellError):
            parse_count(cell)
    else:
        assert parse_count(cell) == value


def test_headers_match_without_case_spaces_or_order() -> None:
    data = f"Keterangan;WAKTU;Jenis Kejadian;Kode Wilayah\nAman;{yesterday()};riot;6503012001\n".encode()
    layout, rows = parse_table(read_table("acak.csv", data))
    assert layout.written["kode_wilayah"] == "Kode Wilayah"
    assert rows[0].report is not None and rows[0].report.region == "65.03.01.2001"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "laporan.pdf",
            b"%PDF-1.4",
            "laporan.pdf: jenis berkas .pdf tidak didukung; gunakan .csv atau .xlsx.",
        ),
        ("lama.xls", b"\xd0\xcf\x11\xe0 old", "lama.xls: jenis berkas .xls tidak didukung"),
        ("kosong.csv", b"", "kosong.csv: berkas kosong."),
        ("kosong.xlsx", b"", "kosong.xlsx: berkas kosong."),
        ("bukan.xlsx", b"kode_wilayah,jenis\n65,riot\n", "bukan.xlsx: bukan berkas XLSX (Excel) yang sah."),
        ("rusak.xlsx", b"PK\x03\x04 not really a zip", "rusak.xlsx: berkas XLSX rusak"),
        ("tertukar.csv", b"PK\x03\x04\x14\x00", "tertukar.csv: isinya berkas XLSX (Excel), bukan CSV"),
        ("biner.csv", b"\x00\x01\x02garbage", "biner.csv: bukan berkas CSV teks"),
        ("judul.csv", (HEADER + "\n").encode(), "judul.csv: hanya ada baris judul (baris 1)"),
    ],
)
def test_unreadable_files_are_refused_with_a_message_naming_the_file(
    name: str, data: bytes, message: str
) -> None:
    with pytest.raises(ImportFileError) as caught:
        read_table(name, data)
    assert caught.value.message.startswith(message)


def test_missing_required_columns_are_named() -> None:
    with pytest.raises(ImportFileError) as caught:
        parse_table(read_table("kurang.csv", b"kode_wilayah,jenis\n65,riot\n"))
    assert caught.value.message.startswith(
        "kurang.csv: kolom wajib tidak ada di baris judul (baris 1): waktu, keterangan."
    )


def test_a_repeated_column_is_refused() -> None:
    with pytest.raises(ImportFileError, match="kolom jenis muncul dua kali"):
        parse_table(read_table("dua.csv", csv_bytes(good_row() + ",riot", header=HEADER + ",Jenis")))


# --- Importing (database) ---------------------------------------------------------------------------------


def test_a_good_csv_is_imported_through_the_import_channel(personas: dict[str, Any]) -> None:
    analis = personas["analis"]
    header = HEADER + ",nama_pelapor,telepon_pelapor,urgensi,presisi_waktu"
    rows = (
        good_row("r1") + ",Budi Santoso,0812 1111 2222,TINGGI,minggu",
        good_row("r2", region="6571021003", jenis="riot") + ",,,,",
    )
    result = import_file("baik.csv", csv_bytes(*rows, header=header), analis)
    assert result.ok and result.count("diimpor") == 2
    first, second = Report.objects.order_by("id")
    assert (first.channel, first.region_id, first.event_type) == ("import", "65.03.01.2001", "money_politics")
    assert first.submitted_by == analis and first.client_id == "r1"
    assert (first.urgency, first.time_precision) == ("tinggi", 2)
    assert first.actors == [{"type": "paslon_supporters", "paslon": 2}, {"type": "police"}]
    assert first.reporter is not None and first.reporter.name == "Budi Santoso"
    assert "Budi" not in first.description and second.reporter is None
    assert (second.region_id, second.event_type, second.urgency) == ("65.71.02.1003", "riot", "tinggi")
    assert AuditLog.objects.filter(action="report.created", note="channel=import").count() == 2
    assert AuditLog.objects.filter(action="reports.imported", object_id="baik.csv").exists()


def test_a_known_phone_number_links_the_row_to_the_known_reporter(personas: dict[str, Any]) -> None:
    known = Reporter.objects.create(name="Pelapor Lama", phone="081200001111")
    header = HEADER + ",telepon_pelapor"
    import_file("hp.csv", csv_bytes(good_row() + ",081200001111", header=header), personas["analis"])
    assert Report.objects.get().reporter == known


def xlsx_bytes(rows: list[list[Any]], header: list[str] | None = None, sheet: str = "Data") -> bytes:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    ws.append(header or ["kode_wilayah", "jenis", "waktu", "keterangan", "luka"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_good_xlsx_with_date_cells_and_number_cells_is_imported(personas: dict[str, Any]) -> None:
    when = (timezone.localtime() - timedelta(days=2)).replace(tzinfo=None, microsecond=0)
    data = xlsx_bytes(
        [
            ["65.03.01.2001", "supporter_clash", when, "Saling dorong di TPS", 2.0],
            [6503012002, "Bentrokan antarpendukung", when.date(), "Lanjutan kejadian", None],
        ]
    )
    result = import_file("baik.xlsx", data, personas["analis"])
    assert result.ok, result.error_lines()
    first, second = Report.objects.order_by("id")
    assert first.injured == 2 and first.region_id == "65.03.01.2001"
    assert (
        timezone.localtime(first.occurred_at, timezone.get_fixed_timezone(480)).replace(tzinfo=None) == when
    )
    assert second.region_id == "65.03.01.2002" and second.event_type == "supporter_clash"


def test_a_region_name_is_resolved_within_the_users_scope(personas: dict[str, Any]) -> None:
    header = "wilayah,jenis,waktu,keterangan"
    rows = (
        f"Sebengkok,riot,{yesterday()},Ricuh di pasar",
        f'"Tanjungkarang, Sebatik",riot,{yesterday()},Ricuh di dermaga',
        f"Sebatik Utara Raya,riot,{yesterday()},Tidak ada tempat ini",
    )
    result = import_file("nama.csv", csv_bytes(*rows, header=header), personas["analis"])
    assert [r.region_id for r in Report.objects.order_by("id")] == ["65.71.02.1003", "65.03.01.2001"]
    (line,) = result.error_lines()
    assert line.startswith(
        "nama.csv, baris 4, kolom wilayah: Wilayah 'Sebatik Utara Raya' tidak ditemukan di cakupan wilayah Anda."
    )


def test_an_ambiguous_region_name_lists_the_places_it_could_be(personas: dict[str, Any]) -> None:
    header = "wilayah,jenis,waktu,keterangan"
    rows = (f"Long Nawang,riot,{yesterday()},Ricuh", f'"Long Nawang, Krayan",riot,{yesterday()},Ricuh')
    result = import_file("ganda.csv", csv_bytes(*rows, header=header), personas["analis"])
    (line,) = result.error_lines()
    assert line.startswith(
        "ganda.csv, baris 2, kolom wilayah: Nama wilayah 'Long Nawang' ada di beberapa tempat"
    )
    assert "65.02.05.2001" in line and "65.03.05.2039" in line and "Isi kode_wilayah" in line
    assert Report.objects.get().region_id == "65.03.05.2039"  # the parent after the comma decides


def test_a_region_name_outside_the_scope_is_not_found(personas: dict[str, Any]) -> None:
    header = "wilayah,jenis,waktu,keterangan"
    result = import_file(
        "luar.csv",
        csv_bytes(f"Sebengkok,riot,{yesterday()},Ricuh", header=header),
        personas["analis_nunukan"],
    )
    assert result.error_lines()[0].startswith(
        "luar.csv, baris 2, kolom wilayah: Wilayah 'Sebengkok' tidak ditemukan di cakupan wilayah Anda."
    )


def future() -> str:
    return (timezone.localtime() + timedelta(days=3)).strftime("%d/%m/%Y %H:%M")


BAD_ROWS = [
    ("kode tidak ada", {"kode_wilayah": "65.99.99.9999"}, "kode_wilayah",
     "Kode wilayah 65.99.99.9999 tidak ada di gazetir Kemendagri."),
    ("kode rusak", {"kode_wilayah": "65.3"}, "kode_wilayah", "Kode wilayah '65.3' tidak valid"),
    ("tanggal rusak", {"waktu": "32/13/2026"}, "waktu", "Tanggal atau jam tidak ada: '32/13/2026'"),
    ("tanggal masa depan", {"waktu": "FUTURE"}, "waktu",
     "Waktu kejadian ada di masa depan. Periksa tanggal dan jam."),
    ("jenis tidak dikenal", {"jenis": "perang bintang"}, "jenis",
     "Jenis kejadian tidak dikenal: 'perang bintang'."),
    ("keterangan kosong", {"keterangan": "   "}, "keterangan", "Keterangan tidak boleh kosong."),
    ("angka negatif", {"tewas": "-2"}, "tewas", "Jumlah tidak boleh negatif (-2)."),
    ("aktor tidak dikenal", {"aktor": "makhluk halus"}, "aktor", "Aktor tidak dikenal: 'makhluk halus'."),
    ("id_klien rusak", {"id_klien": "a b"}, "id_klien", "id_klien hanya boleh berisi huruf"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "change", "column", "message"), BAD_ROWS, ids=[b[0] for b in BAD_ROWS])
def test_each_bad_row_is_named_by_file_row_and_column(
    personas: dict[str, Any], case: str, change: dict[str, str], column: str, message: str
) -> None:
    change = {k: future() if v == "FUTURE" else v for k, v in change.items()}
    data = csv_bytes(good_row("ok-1"), good_row("bad-1", **change), good_row("ok-2"))
    result = import_file("campur.csv", data, personas["analis"])
    assert [o.status for o in result.outcomes] == ["diimpor", "gagal", "diimpor"]
    assert result.error_lines()[0].startswith(f"campur.csv, baris 3, kolom {column}: {message}")
    assert len(result.error_lines()) == 1
    assert set(Report.objects.values_list("client_id", flat=True)) == {"ok-1", "ok-2"}


def test_a_region_outside_the_users_scope_is_refused(personas: dict[str, Any]) -> None:
    data = csv_bytes(good_row("n1"), good_row("t1", region="65.71.02.1003"))
    result = import_file("cakupan.csv", data, personas["analis_nunukan"])
    assert result.error_lines() == [
        "cakupan.csv, baris 3, kolom kode_wilayah: Wilayah 65.71.02.1003 di luar cakupan wilayah Anda."
    ]
    assert list(Report.objects.values_list("client_id", flat=True)) == ["n1"]


def test_a_row_with_several_problems_lists_each_column_in_file_order(personas: dict[str, Any]) -> None:
    data = csv_bytes(good_row("t1", region="65.71.02.1003", waktu="kemarin", tewas="-1"))
    result = import_file("banyak.csv", data, personas["analis_nunukan"])
    assert [(e.column, e.message.split(":")[0]) for e in result.errors()] == [
        ("kode_wilayah", "Wilayah 65.71.02.1003 di luar cakupan wilayah Anda."),
        ("waktu", "Waktu tidak dapat dibaca"),
        ("tewas", "Jumlah tidak boleh negatif (-1)."),
    ]


def test_the_header_as_written_names_the_column(personas: dict[str, Any]) -> None:
    data = csv_bytes(good_row(tewas="-1"), header=HEADER.replace("tewas", "Korban Tewas"))
    result = import_file("judul.csv", data, personas["analis"])
    assert result.error_lines()[0].startswith(
        "judul.csv, baris 2, kolom Korban Tewas: Jumlah tidak boleh negatif"
    )


def test_a_repeated_client_id_in_the_file_is_an_error_on_the_later_row(personas: dict[str, Any]) -> None:
    result = import_file("ganda.csv", csv_bytes(good_row("x1"), good_row("x1")), personas["analis"])
    assert result.error_lines() == [
        "ganda.csv, baris 3, kolom id_klien: id_klien 'x1' sudah dipakai di baris 2 berkas ini."
    ]
    assert Report.objects.count() == 1


def test_reimporting_the_same_file_skips_rows_already_imported(personas: dict[str, Any]) -> None:
    data = csv_bytes(good_row("a1"), good_row("a2"))
    first = import_file("ulang.csv", data, personas["analis"])
    again = import_file("ulang.csv", data, personas["analis"])
    assert first.count("diimpor") == 2
    assert [o.status for o in again.outcomes] == ["sudah ada", "sudah ada"] and again.ok
    assert [o.number for o in again.outcomes] == [o.number for o in first.outcomes]
    assert Report.objects.count() == 2
    # Another user's rows with the same client ids are theirs, not duplicates.
    assert import_file("ulang.csv", data, personas["koordinator"]).count("diimpor") == 2


def test_identity_never_appears_in_an_error_message(personas: dict[str, Any]) -> None:
    header = HEADER + ",nama_pelapor,telepon_pelapor"
    data = csv_bytes(good_row() + ",Siti Rahasia,0812-RAHASIA", header=header)
    result = import_file("privat.csv", data, personas["analis"])
    (line,) = result.error_lines()
    assert line.startswith(
        "privat.csv, baris 2, kolom telepon_pelapor: Berisi karakter yang tidak diizinkan."
    )
    assert "RAHASIA" not in result.summary() + line


def test_all_or_nothing_imports_nothing_when_one_row_is_bad(personas: dict[str, Any]) -> None:
    data = csv_bytes(good_row("g1"), good_row("g2", jenis="tidak ada"), good_row("g3"))
    result = import_file("semua.csv", data, personas["analis"], all_or_nothing=True)
    assert not result.ok and Report.objects.count() == 0
    assert [o.status for o in result.outcomes] == ["dibatalkan", "gagal", "dibatalkan"]
    assert "tidak ada yang diimpor" in result.summary()


def test_a_dry_run_stores_nothing_but_reports_every_problem(personas: dict[str, Any]) -> None:
    data = csv_bytes(good_row("d1"), good_row("d2", waktu=future()))
    result = import_file("uji.csv", data, personas["analis"], dry_run=True)
    assert [o.status for o in result.outcomes] == ["siap diimpor", "gagal"]
    assert Report.objects.count() == 0 and not AuditLog.objects.filter(action="report.created").exists()


# --- The command line ---------------------------------------------------------------------------------------


@pytest.fixture
def cli(db: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Any:
    """``waspada ARGS`` in this process, inside the test's transaction: (status, stdout, stderr)."""
    monkeypatch.setattr(connections, "close_all", lambda: None)

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        status = 0
        try:
            main(list(args))
        except SystemExit as exc:
            status = 1 if isinstance(exc.code, str) else exc.code or 0
            if isinstance(exc.code, str):
                sys.stderr.write(exc.code)
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        return status, out, err

    return run


def test_the_cli_imports_and_prints_each_bad_row(cli: Any, personas: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "lapangan.csv"
    path.write_bytes(csv_bytes(good_row("c1"), good_row("c2", tewas="-3")))
    status, out, err = cli("reports", "import", str(path), "--as", "analis")
    assert status == 1
    assert "lapangan.csv, baris 3, kolom tewas: Jumlah tidak boleh negatif (-3)." in err
    assert "lapangan.csv: 2 baris data, 1 diimpor, 1 gagal." in out
    assert Report.objects.count() == 1


def test_the_cli_with_all_or_nothing_imports_nothing_and_fails(
    cli: Any, personas: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "semua.csv"
    path.write_bytes(csv_bytes(good_row("c1"), good_row("c2", jenis="??")))
    status, _, err = cli("reports", "import", str(path), "--as", "analis", "--all-or-nothing")
    assert status == 1 and "semua.csv, baris 3, kolom jenis:" in err
    assert Report.objects.count() == 0


def test_the_cli_succeeds_when_every_row_is_imported_or_already_there(
    cli: Any, personas: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "baik.csv"
    path.write_bytes(csv_bytes(good_row("c1")))
    assert cli("reports", "import", str(path), "--as", "analis")[0] == 0
    status, out, _ = cli("reports", "import", str(path), "--as", "analis", "--rows")
    assert status == 0 and "baik.csv, baris 2: sudah ada L-" in out


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("foto.jpg", b"\xff\xd8\xff", "foto.jpg: jenis berkas .jpg tidak didukung; gunakan .csv atau .xlsx."),
        ("palsu.xlsx", b"kode_wilayah\n", "palsu.xlsx: bukan berkas XLSX (Excel) yang sah."),
        ("kosong.csv", b"", "kosong.csv: berkas kosong."),
        ("kolom.csv", b"jenis,waktu\nriot,2026-01-01\n", "kolom.csv: kolom wajib tidak ada"),
    ],
)
def test_the_cli_names_the_file_it_cannot_read_without_a_traceback(
    cli: Any, personas: dict[str, Any], tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    status, _, err = cli("reports", "import", str(path), "--as", "analis")
    assert status == 2 and message in err


def test_the_cli_names_a_missing_file(cli: Any, personas: dict[str, Any], tmp_path: Path) -> None:
    status, _, err = cli("reports", "import", str(tmp_path / "hilang.csv"), "--as", "analis")
    assert status == 2 and "hilang.csv: tidak dapat dibaca (berkas tidak ditemukan)." in err


def test_the_cli_needs_as_unless_exactly_one_admin_exists(cli: Any, make_user: Any, tmp_path: Path) -> None:
    path = tmp_path / "admin.csv"
    path.write_bytes(csv_bytes(good_row("c1")))
    assert "--as USERNAME" in cli("reports", "import", str(path))[2]
    admin = make_user("satu.admin", "admin", None)
    assert cli("reports", "import", str(path))[0] == 0
    assert Report.objects.get().submitted_by == admin
    make_user("dua.admin", "admin", None)
    status, _, err = cli("reports", "import", str(path))
    assert status == 2 and "lebih dari satu akun admin" in err


@pytest.mark.parametrize("who", ["pelapor", "pimpinan"])
def test_the_cli_refuses_users_who_may_not_import(
    cli: Any, personas: dict[str, Any], tmp_path: Path, who: str
) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(csv_bytes(good_row()))
    status, _, err = cli("reports", "import", str(path), "--as", personas[who].username)
    assert status == 2 and "hanya Analis, Koordinator dan Admin" in err
    assert Report.objects.count() == 0


def test_the_cli_writes_both_templates(cli: Any, personas: dict[str, Any], tmp_path: Path) -> None:
    assert cli("reports", "template", "--format", "csv", "--output", str(tmp_path / "t.csv"))[0] == 0
    assert (tmp_path / "t.csv").read_text(encoding="utf-8-sig").splitlines() == [",".join(COLUMN_NAMES)]
    assert cli("reports", "template", "--output", str(tmp_path / "t.xlsx"), "--as", "analis")[0] == 0
    assert load_workbook(tmp_path / "t.xlsx").sheetnames == ["Laporan", "Petunjuk", "Kode", "Wilayah"]
    status, _, err = cli("reports", "template", "--output", str(tmp_path / "t.txt"))
    assert status == 2 and "--format" in err


# --- Templates ---------------------------------------------------------------------------------------------


def test_the_xlsx_template_has_dropdowns_formats_and_code_lists() -> None:
    book = load_workbook(io.BytesIO(build_xlsx()))
    data = book["Laporan"]
    assert [c.value for c in data[1]] == list(COLUMN_NAMES) and data.max_row == 1
    sources = {dv.formula1 for dv in data.data_validations.dataValidation}
    assert "=Kode!$B$2:$B$22" in sources  # event type names
    assert data.column_dimensions["A"].number_format == "@"  # codes stay text
    codes = book["Kode"]
    assert codes["A2"].value == "peaceful_protest" and codes["B2"].value == "Unjuk rasa damai"


def example_from_guide(content: bytes) -> list[Any]:
    guide = load_workbook(io.BytesIO(content))["Petunjuk"]
    rows = list(guide.iter_rows(values_only=True))
    at = next(i for i, row in enumerate(rows) if row[0] == EXAMPLE_MARKER)
    assert list(rows[at + 1][: len(COLUMN_NAMES)]) == list(COLUMN_NAMES)
    return list(rows[at + 2][: len(COLUMN_NAMES)])


def test_the_downloaded_xlsx_template_filled_with_its_example_row_imports_cleanly(
    client: Any, personas: dict[str, Any]
) -> None:
    client.force_login(personas["analis_nunukan"])
    response = client.get(reverse("reports_import:template-xlsx"))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    example = example_from_guide(response.content)
    book = load_workbook(io.BytesIO(response.content))
    book["Laporan"].append(example)
    filled = io.BytesIO()
    book.save(filled)
    result = import_file("templat-terisi.xlsx", filled.getvalue(), personas["analis_nunukan"])
    assert result.ok and result.count("diimpor") == 1, result.error_lines()
    report = Report.objects.get()
    assert report.region_id.startswith("65.03.") and report.event_type == "mass_mobilisation"


def test_the_csv_template_with_its_example_row_imports_cleanly(client: Any, personas: dict[str, Any]) -> None:
    client.force_login(personas["analis"])
    response = client.get(reverse("reports_import:template-csv") + "?contoh=1")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == list(COLUMN_NAMES) and len(rows) == 2
    result = import_file("templat.csv", response.content, personas["analis"])
    assert result.ok and result.count("diimpor") == 1


def test_the_bare_templates_import_no_report_by_accident(personas: dict[str, Any]) -> None:
    with pytest.raises(ImportFileError, match="tidak ada baris data"):
        import_file("t.csv", build_csv(), personas["analis"])
    with pytest.raises(ImportFileError, match="tidak ada baris data"):
        import_file("t.xlsx", build_xlsx(example_row()), personas["analis"])


# --- The upload page ---------------------------------------------------------------------------------------


def upload(client: Any, name: str, content: bytes, **extra: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("reports_import:upload"), {"file": SimpleUploadedFile(name, content), **extra})


def test_an_analyst_uploads_a_file_and_sees_every_row(client: Any, personas: dict[str, Any]) -> None:
    client.force_login(personas["analis"])
    assert client.get(reverse("reports_import:upload")).status_code == 200
    response = upload(client, "web.csv", csv_bytes(good_row("w1"), good_row("w2", waktu="kemarin")))
    assert response.status_code == 200
    page = response.content.decode()
    assert "web.csv, baris 3, kolom waktu: Waktu tidak dapat dibaca: &#x27;kemarin&#x27;" in page
    report = Report.objects.get()
    assert report.number in page and report.channel == "import"


def test_the_upload_page_honours_all_or_nothing(client: Any, personas: dict[str, Any]) -> None:
    client.force_login(personas["koordinator"])
    upload(client, "web.csv", csv_bytes(good_row("w1"), good_row("w2", tewas="-1")), all_or_nothing="on")
    assert Report.objects.count() == 0


def test_the_upload_page_explains_an_unreadable_file(client: Any, personas: dict[str, Any]) -> None:
    client.force_login(personas["admin"])
    response = upload(client, "salah.xlsx", b"not a spreadsheet")
    assert response.status_code == 400
    assert "salah.xlsx: bukan berkas XLSX (Excel) yang sah." in response.content.decode()
    response = upload(client, "foto.png", b"\x89PNG")
    assert response.status_code == 400 and "foto.png" in response.content.decode()


def test_script_in_a_cell_is_shown_escaped(client: Any, personas: dict[str, Any]) -> None:
    client.force_login(personas["analis"])
    response = upload(client, "xss.csv", csv_bytes(good_row(jenis="<script>alert(1)</script>")))
    assert b"<script>alert(1)" not in response.content
    assert b"&lt;script&gt;" in response.content


@pytest.mark.parametrize("who", ["pelapor", "pimpinan"])
def test_reporters_and_leadership_get_403(client: Any, personas: dict[str, Any], who: str) -> None:
    client.force_login(personas[who])
    assert client.get(reverse("reports_import:upload")).status_code == 403
    assert upload(client, "a.csv", csv_bytes(good_row())).status_code == 403
    assert client.get(reverse("reports_import:template-xlsx")).status_code == 403
    assert client.get(reverse("reports_import:template-csv")).status_code == 403
    assert Report.objects.count() == 0


def test_anonymous_visitors_are_sent_to_log_in(client: Any, db: Any) -> None:
    response = client.get(reverse("reports_import:upload"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
