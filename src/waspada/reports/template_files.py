"""The downloadable import templates: CSV (the header row) and XLSX (a "Laporan" sheet to fill, with dropdowns
and formats; "Petunjuk" with every column explained and an example row; "Kode" with the valid codes; and,
when the user's scope is small enough, "Wilayah" with the region codes of that scope).

The data sheet holds only the header unless an example row is asked for, so a template imported as it was
downloaded can never create a report by accident. Building is pure (openpyxl only); :func:`template_for`
at the bottom picks the example region and the region list for a user.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from waspada import taxonomy
from waspada.reports.import_reading import COLUMN_NAMES, COLUMNS, DATA_SHEET

EXAMPLE_MARKER = "Contoh baris (salin ke lembar Laporan, mulai baris 2):"
TEMPLATE_ROWS = 2000  # rows of the data sheet that get dropdowns and formats
DEFAULT_EXAMPLE_REGION = "65.03.01.2001"  # Tanjungkarang, Kecamatan Sebatik, Kabupaten Nunukan
MAX_REGION_ROWS = 5000
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TIME_FORMAT = "dd/mm/yyyy hh:mm"


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    kind: str
    parents: str  # "Kec. Sebatik, Kabupaten Nunukan"


def example_row(region_code: str = DEFAULT_EXAMPLE_REGION, now: datetime | None = None) -> dict[str, Any]:
    """A valid row, by column name; ``waktu`` is yesterday 14:30 (a datetime) so it is never in the future."""
    when = (now or datetime.now()).replace(hour=14, minute=30, second=0, microsecond=0) - timedelta(days=1)
    values: dict[str, Any] = dict.fromkeys(COLUMN_NAMES, "")
    values.update(
        kode_wilayah=region_code,
        jenis=taxonomy.get_event_type("mass_mobilisation").label_id,
        waktu=when,
        presisi_waktu="hari",
        keterangan="(Contoh) Sekitar 50 orang pendukung paslon 2 berkumpul di depan kantor desa menolak hasil "
        "rekapitulasi. Situasi kondusif, polisi berjaga.",
        urgensi="sedang",
        tewas=0,
        luka=0,
        bangunan_rusak=0,
        mengungsi=0,
        aktor="pendukung paslon 2; polisi",
        id_klien="contoh-001",
        bidang="politik",
    )
    return values


def _as_text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    return "" if value is None else str(value)


def build_csv(example: dict[str, Any] | None = None) -> bytes:
    """The header row (and the example row when given), UTF-8 with a byte-order mark so Excel reads it right."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMN_NAMES)
    if example is not None:
        writer.writerow([_as_text(example.get(name, "")) for name in COLUMN_NAMES])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_REQUIRED_FILL = PatternFill("solid", fgColor="9C2B23")
_TITLE_FONT = Font(bold=True, size=14)
_BOLD = Font(bold=True)
_TEXT_COLUMNS = {"kode_wilayah", "id_klien", "telepon_pelapor"}
_WIDTHS = {"keterangan": 60, "jenis": 34, "aktor": 32, "wilayah": 28, "waktu": 18}


def build_xlsx(
    example: dict[str, Any] | None = None,
    *,
    example_in_data: bool = False,
    regions: Sequence[RegionRow] = (),
) -> bytes:
    """The XLSX template. ``example`` is shown on the Petunjuk sheet (and written as row 2 of the data sheet
    with ``example_in_data``); ``regions`` fills the Wilayah sheet."""
    example = example if example is not None else example_row()
    book = Workbook()
    data = book.active
    assert data is not None
    data.title = DATA_SHEET
    _data_sheet(data, example if example_in_data else None)
    _guide_sheet(book.create_sheet("Petunjuk"), example)
    ranges = _code_sheet(book.create_sheet("Kode"))
    if regions:
        _region_sheet(book.create_sheet("Wilayah"), regions)
    _validations(data, ranges)
    book.active = 0
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _header(sheet: Any, row: int, titles: Sequence[str], fill: PatternFill = _HEADER_FILL) -> None:
    for col, title in enumerate(titles, 1):
        cell = sheet.cell(row=row, column=col, value=title)
        cell.font, cell.fill = _HEADER_FONT, fill


def _write_values(sheet: Any, row: int, example: dict[str, Any]) -> None:
    for col, name in enumerate(COLUMN_NAMES, 1):
        value = example.get(name, "")
        cell = sheet.cell(row=row, column=col, value=None if value == "" else value)
        if isinstance(value, datetime):
            cell.number_format = TIME_FORMAT
        elif name in _TEXT_COLUMNS:
            cell.number_format = "@"


def _data_sheet(sheet: Any, example: dict[str, Any] | None) -> None:
    _header(sheet, 1, COLUMN_NAMES)
    for col, column in enumerate(COLUMNS, 1):
        cell = sheet.cell(row=1, column=col)
        if column.required:
            cell.fill = _REQUIRED_FILL
        cell.comment = Comment(column.help_id, "Waspada", width=320, height=120)
        letter = get_column_letter(col)
        sheet.column_dimensions[letter].width = _WIDTHS.get(column.name, max(14, len(column.name) + 4))
        if column.name in _TEXT_COLUMNS:
            sheet.column_dimensions[letter].number_format = "@"
        elif column.name == "waktu":
            sheet.column_dimensions[letter].number_format = TIME_FORMAT
    sheet.freeze_panes = "A2"
    if example is not None:
        _write_values(sheet, 2, example)


def _guide_sheet(sheet: Any, example: dict[str, Any]) -> None:
    sheet["A1"] = "Templat impor laporan Waspada"
    sheet["A1"].font = _TITLE_FONT
    lines = (
        "Isi lembar Laporan mulai baris 2, satu kejadian per baris. Baris 1 (judul kolom) jangan diubah; "
        "urutan kolom boleh diubah dan kolom yang tidak dipakai boleh dihapus.",
        "Kolom wajib (judul merah): kode_wilayah (atau wilayah), jenis, waktu, keterangan.",
        "Setiap baris yang salah dilaporkan dengan nomor baris, nama kolom dan alasannya; baris yang benar "
        "tetap diimpor (kecuali memakai pilihan 'semua atau tidak sama sekali').",
        "Isi id_klien supaya berkas yang sama aman diimpor ulang: baris yang id_klien-nya sudah Anda impor "
        "dilewati sebagai 'sudah ada'.",
        "Nama dan telepon pelapor disimpan terpisah dari laporan dan hanya terlihat oleh Koordinator dan Admin.",
        "Daftar kode ada di lembar Kode; kode wilayah di cakupan Anda di lembar Wilayah (bila ada).",
    )
    for i, line in enumerate(lines, 3):
        sheet.cell(row=i, column=1, value=line)
    row = len(lines) + 4
    _header(sheet, row, ("kolom", "wajib", "isi"))
    for i, column in enumerate(COLUMNS, row + 1):
        sheet.cell(row=i, column=1, value=column.name).font = _BOLD
        sheet.cell(row=i, column=2, value="ya" if column.required else "")
        sheet.cell(row=i, column=3, value=column.help_id).alignment = Alignment(wrap_text=True)
    row += len(COLUMNS) + 2
    sheet.cell(row=row, column=1, value=EXAMPLE_MARKER).font = _BOLD
    _header(sheet, row + 1, COLUMN_NAMES)
    _write_values(sheet, row + 2, example)
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["C"].width = 100


def _code_sheet(sheet: Any) -> dict[str, str]:
    """The valid codes, one list per column group; returns the dropdown range of each column that has one."""
    groups: list[tuple[str, Sequence[str], list[Sequence[Any]]]] = [
        (
            "jenis",
            ("jenis (kode)", "jenis (nama)", "definisi"),
            [(e.code, e.label_id, e.definition_id) for e in taxonomy.EVENT_TYPES],
        ),
        ("urgensi", ("urgensi", "arti"), [(u.code, u.label_id) for u in taxonomy.URGENCY]),
        (
            "presisi_waktu",
            ("presisi_waktu", "arti"),
            [
                ("hari", "Tanggal pasti"),
                ("minggu", "Dalam minggu yang sama"),
                ("bulan", "Dalam bulan yang sama"),
            ],
        ),
        ("bidang", ("bidang", "arti"), [(d.code, d.label_id) for d in taxonomy.THREAT_DOMAINS]),
        (
            "keandalan",
            ("keandalan", "arti"),
            [(r.code, f"{r.label_id}: {r.description_id}") for r in taxonomy.SOURCE_RELIABILITY],
        ),
        (
            "aktor",
            ("aktor (kode)", "aktor (nama)", "nomor paslon?"),
            [(a.code, a.label_id, "ya" if a.takes_paslon_number else "") for a in taxonomy.ACTOR_TYPES],
        ),
    ]
    ranges: dict[str, str] = {}
    col = 1
    for name, titles, rows in groups:
        for offset, title in enumerate(titles):
            cell = sheet.cell(row=1, column=col + offset, value=title)
            cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
            sheet.column_dimensions[get_column_letter(col + offset)].width = 40 if offset else 24
        for r, values in enumerate(rows, 2):
            for offset, value in enumerate(values):
                sheet.cell(row=r, column=col + offset, value=value)
        # The dropdown offers the Indonesian name of an event type and the code of the other lists.
        pick = get_column_letter(col + (1 if name == "jenis" else 0))
        if name != "aktor":
            ranges[name] = f"Kode!${pick}$2:${pick}${len(rows) + 1}"
        col += len(titles) + 1
    sheet.freeze_panes = "A2"
    return ranges


def _region_sheet(sheet: Any, regions: Sequence[RegionRow]) -> None:
    _header(sheet, 1, ("kode_wilayah", "nama", "jenis wilayah", "termasuk"))
    for r, region in enumerate(regions, 2):
        sheet.cell(row=r, column=1, value=region.code).number_format = "@"
        sheet.cell(row=r, column=2, value=region.name)
        sheet.cell(row=r, column=3, value=region.kind)
        sheet.cell(row=r, column=4, value=region.parents)
    for letter, width in zip("ABCD", (16, 30, 14, 50), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"


def _validations(sheet: Any, ranges: dict[str, str]) -> None:
    last = TEMPLATE_ROWS + 1

    def cells(name: str) -> str:
        letter = get_column_letter(COLUMN_NAMES.index(name) + 1)
        return f"{letter}2:{letter}{last}"

    for name, source in ranges.items():
        dv = DataValidation(
            type="list", formula1=f"={source}", allow_blank=True, errorStyle="warning", showErrorMessage=True
        )
        dv.error, dv.errorTitle = "Pilih dari daftar (lembar Kode), atau tulis kodenya.", "Waspada"
        dv.add(cells(name))
        sheet.add_data_validation(dv)
    for name in ("tewas", "luka", "bangunan_rusak", "mengungsi"):
        dv = DataValidation(
            type="whole", operator="between", formula1="0", formula2="1000000", allow_blank=True
        )
        dv.error, dv.errorTitle = "Isi bilangan bulat 0 atau lebih.", "Waspada"
        dv.add(cells(name))
        sheet.add_data_validation(dv)
    for name, low, high in (("lon", 94, 142), ("lat", -12, 7)):
        dv = DataValidation(
            type="decimal",
            operator="between",
            formula1=str(low),
            formula2=str(high),
            allow_blank=True,
            showErrorMessage=True,
        )
        dv.error, dv.errorTitle = f"Koordinat Indonesia: {low} sampai {high}.", "Waspada"
        dv.add(cells(name))
        sheet.add_data_validation(dv)


# --------------------------------------------------------------------------------------------------
# For a user (Django)
# --------------------------------------------------------------------------------------------------


def template_for(user: Any, fmt: str, *, with_example: bool = False) -> tuple[bytes, str, str]:
    """(content, file name, content type) of the template in ``fmt`` ("csv" or "xlsx") for ``user``: the
    example row uses a desa in the user's scope, and the Wilayah sheet lists the scope when it is small."""
    from django.conf import settings

    from waspada.accounts.access import actor_for
    from waspada.regions.models import Region

    actor = actor_for(user)
    scope = actor.scope if actor is not None else None
    within = str(scope or getattr(settings, "DEFAULT_REGION", "65"))
    desa = Region.objects.filter(level=4)
    pick = desa.filter(code__startswith=within + ".").order_by("code").values_list("code", flat=True).first()
    if pick is None and Region.objects.filter(code=within, level=4).exists():
        pick = within
    if pick is None and not desa.filter(code=DEFAULT_EXAMPLE_REGION).exists():
        pick = desa.order_by("code").values_list("code", flat=True).first()
    example = example_row(pick or DEFAULT_EXAMPLE_REGION)
    if fmt == "csv":
        return build_csv(example if with_example else None), "templat-impor-laporan.csv", CSV_TYPE
    if fmt != "xlsx":
        raise ValueError(f"unknown template format {fmt!r}")
    regions: list[RegionRow] = []
    if scope is not None:
        units = Region.objects.filter(code__startswith=scope + ".").order_by("code")
        if units.count() <= MAX_REGION_ROWS:
            names = dict(
                Region.objects.filter(code__in=_parent_codes(scope, units)).values_list("code", "name")
            )
            for code, name, kind in units.values_list("code", "name", "kind"):
                parents = [names.get(code[:n], "") for n in (8, 5) if len(code) > n]
                regions.append(RegionRow(code, name, kind, ", ".join(p for p in parents if p)))
    content = build_xlsx(example, example_in_data=with_example, regions=regions)
    return content, "templat-impor-laporan.xlsx", XLSX_TYPE


def _parent_codes(scope: str, units: Any) -> set[str]:
    codes = {scope}
    for code in units.filter(level__lte=3).values_list("code", flat=True):
        codes.add(code)
    return codes
