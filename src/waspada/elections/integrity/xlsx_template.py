"""The downloadable XLSX template of the TPS result format — pure (openpyxl only).

Sheet ``TPS``: the header row of the documented TPS format (``paslon1 … paslonK``), nothing else, so a
template imported as downloaded can never store a result by accident; text columns are formatted as text
(codes keep their leading zeros). Sheet ``Petunjuk``: what each column holds, which are required, the
rules the checks apply, and an example row to copy.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from waspada.elections.integrity.tps_csv import CODE_COLUMNS, NAME_COLUMNS, REQUIRED_COLUMNS

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_PASLON = 20

#: What each column holds (Bahasa Indonesia: the template is for KPU/Bawaslu staff and analysts).
HELP: dict[str, str] = {
    "tps_code": "Kode TPS 13 angka: kode desa (10 angka) + nomor TPS 3 angka, mis. 6501011001001.",
    "prov_code": "Kode provinsi 2 angka (awal kode TPS); boleh kosong, diisi dari kode TPS.",
    "kab_code": "Kode kabupaten/kota 4 angka; boleh kosong.",
    "kec_code": "Kode kecamatan 6 angka; boleh kosong.",
    "desa_code": "Kode desa/kelurahan 10 angka; boleh kosong.",
    "tps_no": "Nomor TPS di desa (= 3 angka terakhir kode TPS).",
    "prov_name": "Nama provinsi (boleh kosong).",
    "kab_name": "Nama kabupaten/kota (boleh kosong).",
    "kec_name": "Nama kecamatan (boleh kosong).",
    "desa_name": "Nama desa/kelurahan (boleh kosong).",
    "dpt": "Jumlah pemilih dalam DPT (formulir C.Hasil).",
    "dpt_l": "DPT laki-laki.",
    "dpt_p": "DPT perempuan.",
    "pengguna_dpt": "Pengguna hak pilih dari DPT.",
    "pengguna_dptb": "Pengguna hak pilih dari DPTb (pindahan).",
    "pengguna_dpk": "Pengguna hak pilih dari DPK (khusus).",
    "pengguna_total": "Jumlah seluruh pengguna hak pilih.",
    "suara_sah": "Jumlah suara sah (= jumlah suara semua paslon).",
    "suara_tidak_sah": "Jumlah suara tidak sah.",
    "suara_total": "Jumlah seluruh suara (sah + tidak sah).",
    "sirekap_ts": "Waktu data di sumber (mis. 2024-11-27 21:00:00); boleh kosong.",
    "n_c1_photos": "Jumlah foto formulir C.Hasil; boleh kosong.",
}
PASLON_HELP = "Perolehan suara paslon nomor urut {n} (kotak kosong juga satu kolom paslon)."
RULES_TEXT = (
    "Isi lembar TPS mulai baris 2, satu TPS per baris. Baris 1 (judul kolom) jangan diubah; urutan kolom boleh "
    "diubah. Tambah kolom paslon4, paslon5, … bila calonnya lebih banyak.",
    "Sel kosong berarti 'tidak terbaca / belum ada', bukan 0. Isi angka bulat ≥ 0 saja.",
    "Setiap sel yang salah dilaporkan dengan nomor baris, nama kolom dan alasannya; baris lain tetap diimpor.",
    "Impor ulang berkas yang sama tidak mengubah apa pun; TPS yang angkanya berubah mendapat versi baru "
    "(versi lama tetap tersimpan).",
    "Pemeriksaan: jumlah suara paslon = suara sah; sah + tidak sah = jumlah suara = pengguna hak pilih; "
    "DPT + DPTb + DPK = pengguna; pengguna DPT ≤ DPT; pemilih ≤ DPT + cadangan; L + P = jumlah; batas DPT per TPS.",
)
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_REQUIRED_FILL = PatternFill("solid", fgColor="9C2B23")
_BOLD = Font(bold=True)
_TEXT = {"tps_code", *CODE_COLUMNS, *NAME_COLUMNS, "sirekap_ts"}
#: Columns without which a row means nothing (the rest may be empty cells).
MEANINGFUL = ("tps_code", "suara_sah", "paslon1")


def template_columns(n_paslon: int = 3) -> list[str]:
    if not 1 <= n_paslon <= MAX_PASLON:
        raise ValueError(f"jumlah paslon harus 1–{MAX_PASLON}")
    cols = list(REQUIRED_COLUMNS)
    at = cols.index("suara_sah")
    return cols[:at] + [f"paslon{i}" for i in range(1, n_paslon + 1)] + cols[at:]


def example_row(n_paslon: int = 3) -> dict[str, Any]:
    votes = [63, 118, 17, 9, 5, 3][:n_paslon] + [1] * max(0, n_paslon - 6)
    valid = sum(votes)
    row: dict[str, Any] = {
        "tps_code": "6501011001001",
        "prov_code": "65",
        "kab_code": "6501",
        "kec_code": "650101",
        "desa_code": "6501011001",
        "tps_no": 1,
        "prov_name": "KALIMANTAN UTARA",
        "kab_name": "BULUNGAN",
        "kec_name": "TANJUNG PALAS",
        "desa_name": "TANJUNG PALAS HULU",
        "dpt": 250,
        "dpt_l": 126,
        "dpt_p": 124,
        "pengguna_dpt": valid + 7 - 5,
        "pengguna_dptb": 3,
        "pengguna_dpk": 2,
        "pengguna_total": valid + 7,
        "suara_sah": valid,
        "suara_tidak_sah": 7,
        "suara_total": valid + 7,
        "sirekap_ts": "2024-11-27 21:00:00",
        "n_c1_photos": 3,
    }
    row.update({f"paslon{i}": v for i, v in enumerate(votes, 1)})
    return row


def _header(sheet: Any, row: int, titles: Sequence[str]) -> None:
    for col, title in enumerate(titles, 1):
        cell = sheet.cell(row=row, column=col, value=title)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL


def _help(column: str) -> str:
    if column.startswith("paslon"):
        return PASLON_HELP.format(n=column.removeprefix("paslon"))
    return HELP.get(column, "")


def build_tps_template(n_paslon: int = 3) -> bytes:
    """The workbook as bytes."""
    columns = template_columns(n_paslon)
    book = Workbook()
    data = book.active
    assert data is not None
    data.title = "TPS"
    _header(data, 1, columns)
    for col, name in enumerate(columns, 1):
        cell = data.cell(row=1, column=col)
        if name in MEANINGFUL:
            cell.fill = _REQUIRED_FILL
        cell.comment = Comment(_help(name), "Waspada", width=300, height=90)
        letter = get_column_letter(col)
        data.column_dimensions[letter].width = max(12, len(name) + 4)
        if name in _TEXT:
            data.column_dimensions[letter].number_format = "@"
    data.freeze_panes = "B2"
    guide = book.create_sheet("Petunjuk")
    guide["A1"] = "Templat impor hasil TPS Waspada (format TPS)"
    guide["A1"].font = Font(bold=True, size=14)
    for i, line in enumerate(RULES_TEXT, 3):
        guide.cell(row=i, column=1, value=line)
    row = len(RULES_TEXT) + 4
    _header(guide, row, ("kolom", "isi"))
    for i, name in enumerate(columns, row + 1):
        guide.cell(row=i, column=1, value=name).font = _BOLD
        guide.cell(row=i, column=2, value=_help(name)).alignment = Alignment(wrap_text=True)
    row += len(columns) + 2
    guide.cell(row=row, column=1, value="Contoh baris (salin ke lembar TPS, mulai baris 2):").font = _BOLD
    _header(guide, row + 1, columns)
    example = example_row(n_paslon)
    for col, name in enumerate(columns, 1):
        guide.cell(row=row + 2, column=col, value=example.get(name))
    guide.column_dimensions["A"].width = 22
    guide.column_dimensions["B"].width = 100
    book.active = 0
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
