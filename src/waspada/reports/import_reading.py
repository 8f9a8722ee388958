"""Reading an imported file: its bytes into a table of cells (CSV or XLSX), and each cell into a value —
dates, counts, coordinates, region codes, taxonomy codes and actors.

Pure Python, no Django. :func:`read_table` raises :class:`ImportFileError` naming the file; every cell parser
takes the cell as the file gives it (text from a CSV; text, number or date from an XLSX) and returns the
value for ``ReportIn`` or raises :class:`CellError`. Messages are in Bahasa Indonesia.
"""

from __future__ import annotations

import csv
import difflib
import io
import logging
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import PurePath
from typing import Any, NoReturn

from waspada import taxonomy
from waspada.regions.codes import InvalidCode, normalize_code

log = logging.getLogger("waspada.reports.import")

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 10_000
EXTENSIONS = (".csv", ".xlsx")
DATA_SHEET = "Laporan"  # the sheet read from an XLSX that has it (the template's); else the first sheet

# --------------------------------------------------------------------------------------------------
# The columns (documented in docs/import-format.md)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    field: str  # the ReportIn field it fills ("" for columns read by the importer itself)
    required: bool
    help_id: str


COLUMNS: tuple[Column, ...] = (
    Column("kode_wilayah", "region", True, "Kode wilayah Kemendagri, bertitik atau tanpa titik (65.03.01.2001 "
           "atau 6503012001). Wajib, kecuali kolom wilayah diisi."),
    Column("wilayah", "region", False, "Nama desa/kelurahan, kecamatan atau kabupaten/kota bila kode tidak "
           "diketahui; boleh ditambah induknya: \"Tanjungkarang, Sebatik\". Dicari di cakupan wilayah Anda."),
    Column("jenis", "event_type", True, "Jenis kejadian: kode (mis. money_politics) atau nama Indonesianya "
           "(mis. Politik uang). Lihat lembar Kode."),
    Column("waktu", "occurred_at", True, "Waktu kejadian: 20/11/2026 14:30, 20-11-2026, 2026-11-20T14:30 atau "
           "sel tanggal Excel. Tanpa zona, dibaca dalam zona wilayahnya (WIB/WITA/WIT)."),
    Column("presisi_waktu", "time_precision", False, "hari (bawaan), minggu atau bulan."),
    Column("keterangan", "description", True, "Uraian kejadian. Wajib."),
    Column("urgensi", "urgency", False, "rendah, sedang, tinggi atau darurat; kosong = menurut jenis kejadian."),
    Column("tewas", "killed", False, "Jumlah korban tewas (bilangan bulat, 0 bila kosong)."),
    Column("luka", "injured", False, "Jumlah korban luka."),
    Column("bangunan_rusak", "buildings_damaged", False, "Jumlah bangunan rusak."),
    Column("mengungsi", "displaced", False, "Jumlah warga mengungsi."),
    Column("aktor", "actors", False, "Pihak yang terlibat, dipisah titik koma: \"pendukung paslon 2; polisi\". "
           "Keterangan bebas setelah titik dua: \"ormas: nama ormas\"."),
    Column("lon", "lon", False, "Bujur (mis. 117.6512); bersama lat mempertajam lokasi sampai desa."),
    Column("lat", "lat", False, "Lintang (mis. 4.1489)."),
    Column("id_klien", "client_id", False, "Nomor baris Anda sendiri (huruf, angka, . _ : -). Baris dengan "
           "id_klien yang sudah pernah Anda impor dilewati (\"sudah ada\"), jadi berkas aman diimpor ulang."),
    Column("nama_pelapor", "reporter", False, "Nama pelapor; disimpan terpisah dari laporan dan hanya terlihat "
           "oleh Koordinator dan Admin."),
    Column("telepon_pelapor", "reporter", False, "Nomor telepon pelapor; disimpan terpisah seperti nama."),
    Column("bidang", "threat_domain", False, "Bidang ancaman: ideologi, politik, ekonomi, sosial, budaya, "
           "hankam; kosong = menurut jenis kejadian."),
    Column("keandalan", "source_reliability", False, "Keandalan sumber: terpercaya, cukup, diragukan, "
           "belum_diketahui (bawaan)."),
)  # fmt: skip
COLUMN_NAMES = tuple(c.name for c in COLUMNS)
REQUIRED = ("jenis", "waktu", "keterangan")

# Other spellings of a header; headers are also compared without case, spaces, dashes and underscores.
ALIASES = {
    "kode": "kode_wilayah",
    "kodewilayah": "kode_wilayah",
    "kodedesa": "kode_wilayah",
    "namawilayah": "wilayah",
    "lokasi": "wilayah",
    "desa": "wilayah",
    "jeniskejadian": "jenis",
    "tanggal": "waktu",
    "waktukejadian": "waktu",
    "tanggalkejadian": "waktu",
    "uraian": "keterangan",
    "deskripsi": "keterangan",
    "korbantewas": "tewas",
    "meninggal": "tewas",
    "korbanluka": "luka",
    "lukaluka": "luka",
    "pengungsi": "mengungsi",
    "bujur": "lon",
    "longitude": "lon",
    "lintang": "lat",
    "latitude": "lat",
    "idklien": "id_klien",
    "namapelapor": "nama_pelapor",
    "teleponpelapor": "telepon_pelapor",
    "hppelapor": "telepon_pelapor",
    "bidangancaman": "bidang",
    "keandalansumber": "keandalan",
}


def header_key(text: str) -> str:
    return re.sub(r"[\s_\-.]+", "", text.strip().casefold())


HEADER_KEYS = {header_key(name): name for name in COLUMN_NAMES} | ALIASES


# --------------------------------------------------------------------------------------------------
# Reading the file
# --------------------------------------------------------------------------------------------------


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message names the file and is in Bahasa Indonesia."""

    def __init__(self, filename: str, message: str) -> None:
        self.filename = filename
        self.message = f"{filename}: {message}"
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Table:
    """The cells of a file: its header as written and its rows with their number as Excel shows them."""

    filename: str
    header_row: int
    headers: list[str]
    rows: list[tuple[int, list[Any]]]


def read_table(filename: str, data: bytes) -> Table:
    """Read a CSV or XLSX file (chosen by its extension); :class:`ImportFileError` when it cannot be read."""
    name = PurePath(filename).name or filename
    suffix = PurePath(name).suffix.lower()
    if suffix not in EXTENSIONS:
        hint = " Format .xls lama: simpan ulang sebagai .xlsx atau CSV." if suffix == ".xls" else ""
        raise ImportFileError(
            name,
            f"jenis berkas {suffix or '(tanpa ekstensi)'} tidak didukung; gunakan .csv atau .xlsx.{hint}",
        )
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(
            name, f"berkas terlalu besar (paling besar {MAX_FILE_BYTES // 1024 // 1024} MB)."
        )
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise ImportFileError(name, "berkas kosong.")
    rows = _read_xlsx(name, data) if suffix == ".xlsx" else _read_csv(name, data)
    for number, cells in rows:
        if any(is_filled(c) for c in cells):
            headers = [plain(c) for c in cells]
            while headers and not headers[-1]:
                headers.pop()
            body = [(n, c) for n, c in rows if n > number and any(is_filled(x) for x in c)]
            if not body:
                raise ImportFileError(name, f"hanya ada baris judul (baris {number}); tidak ada baris data.")
            return Table(name, number, headers, body)
    raise ImportFileError(name, "berkas kosong.")


def _read_csv(name: str, data: bytes) -> list[tuple[int, list[Any]]]:
    if data.startswith(b"PK\x03\x04"):
        raise ImportFileError(name, "isinya berkas XLSX (Excel), bukan CSV; ubah ekstensinya menjadi .xlsx.")
    if b"\x00" in data[:4096]:
        raise ImportFileError(name, "bukan berkas CSV teks (berisi data biner).")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # "CSV (Comma delimited)" from Excel on Windows
    first = text.split("\n", 1)[0]
    delimiter = max((";", "\t", ","), key=first.count) if any(d in first for d in ";\t,") else ","
    rows: list[tuple[int, list[Any]]] = []
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1):
            if number > MAX_ROWS + 1:
                raise ImportFileError(name, f"terlalu banyak baris (paling banyak {MAX_ROWS} baris data).")
            rows.append((number, list(cells)))
    except csv.Error as exc:
        raise ImportFileError(
            name, f"CSV tidak dapat dibaca sekitar baris {len(rows) + 1} ({exc})."
        ) from None
    return rows


def _read_xlsx(name: str, data: bytes) -> list[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    if not data.startswith(b"PK\x03\x04"):
        old = data.startswith(b"\xd0\xcf\x11\xe0")
        raise ImportFileError(
            name,
            "ini berkas Excel lama (.xls); simpan ulang sebagai .xlsx atau CSV."
            if old
            else "bukan berkas XLSX (Excel) yang sah.",
        )
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, AttributeError) as exc:
        log.info("unreadable xlsx %s: %s", name, type(exc).__name__)
        raise ImportFileError(name, "berkas XLSX rusak atau tidak dapat dibaca oleh Waspada.") from None
    except Exception as exc:  # openpyxl raises many types for damaged files; none of them is the user's bug
        log.info("unreadable xlsx %s: %s", name, type(exc).__name__)
        raise ImportFileError(name, "berkas XLSX rusak atau tidak dapat dibaca oleh Waspada.") from None
    try:
        sheet = book[DATA_SHEET] if DATA_SHEET in book.sheetnames else book.worksheets[0]
        rows: list[tuple[int, list[Any]]] = []
        for number, cells in enumerate(sheet.iter_rows(values_only=True), 1):
            if number > MAX_ROWS + 1:
                if any(is_filled(c) for c in cells):
                    raise ImportFileError(
                        name, f"terlalu banyak baris (paling banyak {MAX_ROWS} baris data)."
                    )
                continue
            rows.append((number, list(cells)))
        return rows
    except ImportFileError:
        raise
    except Exception as exc:
        log.info("unreadable xlsx sheet %s: %s", name, type(exc).__name__)
        raise ImportFileError(name, "lembar kerja XLSX tidak dapat dibaca.") from None
    finally:
        book.close()


# --------------------------------------------------------------------------------------------------
# Reading one cell
# --------------------------------------------------------------------------------------------------


def is_filled(value: Any) -> bool:
    return value is not None and (not isinstance(value, str) or bool(value.strip()))


def plain(value: Any) -> str:
    """A cell as text: numbers without a spurious ".0", everything stripped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    return str(value).strip()


class CellError(ValueError):
    """A cell that cannot be read; the message is in Bahasa Indonesia."""


def _casefold(text: str) -> str:
    return " ".join(text.casefold().split())


def _by_code_or_label(entries: Iterable[taxonomy.CodeEntry]) -> dict[str, str]:
    table: dict[str, str] = {}
    for e in entries:
        for key in (e.code, e.code.replace("_", " "), e.label_id, e.label_en):
            table[_casefold(key)] = e.code
    return table


_EVENT_TYPES = _by_code_or_label(taxonomy.EVENT_TYPES)
URGENCY_WORDS = _by_code_or_label(taxonomy.URGENCY)
DOMAIN_WORDS = _by_code_or_label(taxonomy.THREAT_DOMAINS) | {"pertahanan keamanan": "hankam"}
RELIABILITY_WORDS = _by_code_or_label(taxonomy.SOURCE_RELIABILITY)
_TIME_PRECISION = {
    **dict.fromkeys(("1", "hari", "harian", "day", "tanggal pasti"), 1),
    **dict.fromkeys(("2", "minggu", "pekan", "week", "dalam minggu yang sama"), 2),
    **dict.fromkeys(("3", "bulan", "month", "dalam bulan yang sama"), 3),
}


def _choose(text: str, table: dict[str, str], what: str) -> str:
    key = _casefold(text)
    if key in table:
        return table[key]
    close = difflib.get_close_matches(key, list(table), n=1, cutoff=0.75)
    hint = f" Mungkin maksud Anda: {table[close[0]]}." if close else ""
    return _fail(f"{what} tidak dikenal: {text!r}.{hint} Lihat lembar Kode di templat.")


def _fail(message: str) -> NoReturn:
    raise CellError(message)


def parse_event_type(text: str) -> str:
    return _choose(text, _EVENT_TYPES, "Jenis kejadian")


_ZONE_OFFSETS = {"wib": 7, "wita": 8, "wit": 9}
_DMY = re.compile(
    r"^(?P<d>\d{1,2})[/\-.](?P<m>\d{1,2})[/\-.](?P<y>\d{4})"
    r"(?:[\sT,]+(?:(?:pukul|jam)\s+)?(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2}))?)?"
    r"(?:\s*(?P<zone>wib|wita|wit))?$",
    re.IGNORECASE,
)
WHEN_HINT = "Tulis seperti 20/11/2026 14:30, 20-11-2026 atau 2026-11-20T14:30."


def parse_when(value: Any) -> datetime:
    """A time from a cell: an Excel date, ISO 8601, or day-first ``dd/mm/yyyy [hh:mm]`` (``-`` and ``.`` also
    separate, ``14.30`` is a time, and a trailing WIB/WITA/WIT sets the zone). Naive results are read later
    in the region's own zone."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20_000 < value < 80_000:  # an Excel date serial in a cell without a date format
            from openpyxl.utils.datetime import from_excel

            return from_excel(value)  # type: ignore[no-any-return]
        return _fail(f"Waktu tidak dapat dibaca: {value!r}. {WHEN_HINT}")
    text = plain(value)
    match = _DMY.match(text)
    if match:
        try:
            parsed = datetime(
                int(match["y"]),
                int(match["m"]),
                int(match["d"]),
                int(match["H"] or 0),
                int(match["M"] or 0),
                int(match["S"] or 0),
            )
        except ValueError:
            return _fail(f"Tanggal atau jam tidak ada: {text!r} (hari/bulan/tahun). {WHEN_HINT}")
        if match["zone"]:
            parsed = parsed.replace(tzinfo=timezone(timedelta(hours=_ZONE_OFFSETS[match["zone"].lower()])))
        return parsed
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        return _fail(f"Waktu tidak dapat dibaca: {text!r}. {WHEN_HINT}")


def parse_count(value: Any) -> int:
    if isinstance(value, bool):
        return _fail("Harus berupa jumlah (bilangan bulat 0 atau lebih).")
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = plain(value).replace(" ", "")
        if not re.fullmatch(r"[+-]?\d+(?:[.,]0+)?", text):
            return _fail(f"Harus berupa jumlah (bilangan bulat 0 atau lebih), bukan {text!r}.")
        number = float(text.replace(",", "."))
    if not number.is_integer():
        return _fail(f"Harus bilangan bulat, bukan {value!r}.")
    if number < 0:
        return _fail(f"Jumlah tidak boleh negatif ({int(number)}).")
    if number > 1_000_000:
        return _fail("Jumlah terlalu besar (paling banyak 1.000.000).")
    return int(number)


def parse_float(value: Any) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = plain(value).replace(" ", "")
    if re.fullmatch(r"[+-]?\d+,\d+", text):  # Indonesian decimal comma
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return _fail(f"Harus berupa angka desimal (mis. 117.6512), bukan {text!r}.")


def parse_region_code(value: Any) -> str:
    if isinstance(value, float) and not value.is_integer():
        value = f"{value:.2f}"  # "65.10" typed into a number cell comes back as 65.1
    try:
        return normalize_code(plain(value))
    except InvalidCode as exc:
        return _fail(str(exc))


# Words field reporters and analysts use for each actor type, beyond the codes and labels in the taxonomy.
_ACTOR_WORDS = {
    "paslon_supporters": "pendukung|pendukung paslon|massa|massa paslon|simpatisan|relawan|supporter|"
    "pendukung calon|pendukung pasangan calon",
    "candidate_team": "tim sukses|timses|tim pemenangan|tim kampanye|tim paslon|saksi paslon",
    "kpu_staff": "kpu|ppk|pps|kpps|petugas kpu|petugas ppk|petugas pps|petugas kpps|penyelenggara",
    "bawaslu": "bawaslu|panwascam|panwaslu|panwas|pengawas|pengawas tps|pkd",
    "police": "polisi|polri|kepolisian|polres|polresta|polsek|polda|brimob|aparat kepolisian",
    "military": "tni|tentara|kodim|koramil|babinsa|tni ad|tni al",
    "government": "pemda|pemerintah|pemerintah daerah|pejabat|camat|lurah|kepala desa|kades|asn",
    "ormas": "ormas|organisasi masyarakat",
    "adat_group": "adat|masyarakat adat|lembaga adat|tokoh adat",
    "religious_group": "kelompok agama|tokoh agama|kelompok keagamaan|majelis taklim",
    "civilians": "warga|pemilih|masyarakat|penduduk|warga sipil|saksi",
    "unknown": "tidak diketahui|tak dikenal|orang tak dikenal|otk|tidak dikenal",
}
_ACTORS = _by_code_or_label(taxonomy.ACTOR_TYPES) | {
    word: code for code, words in _ACTOR_WORDS.items() for word in words.split("|")
}
_PASLON = re.compile(r"^(?P<base>.*?)\s*(?:paslon|no\.?|nomor(?:\s+urut)?|nomer)?\s*0?(?P<n>\d{1,2})$")
_ACTOR_EXAMPLE = "Contoh: pendukung paslon 2; polisi; petugas KPPS; warga; ormas: nama ormas."


def parse_actors(text: str) -> list[dict[str, Any]]:
    """``pendukung paslon 2; polisi; ormas: Pemuda X`` → typed actors with paslon number and free text."""
    actors: list[dict[str, Any]] = []
    for part in re.split(r"[;\n]+", text):
        part = part.strip()
        if not part:
            continue
        phrase, _, note = part.partition(":")
        if not note and phrase.endswith(")") and "(" in phrase:
            phrase, _, note = phrase[:-1].partition("(")
        key = _casefold(phrase)
        actor: dict[str, Any] = {}
        if key in _ACTORS:
            actor["type"] = _ACTORS[key]
        else:
            match = _PASLON.match(key)
            base = _casefold(match["base"]) if match else ""
            if match and (base in _ACTORS or not base):
                code = _ACTORS.get(base, "paslon_supporters")
                if not taxonomy.get_actor_type(code).takes_paslon_number:
                    return _fail(
                        f"Nomor paslon hanya untuk pendukung atau tim paslon: {part!r}. {_ACTOR_EXAMPLE}"
                    )
                actor = {"type": code, "paslon": int(match["n"])}
            else:
                return _fail(f"Aktor tidak dikenal: {phrase.strip()!r}. {_ACTOR_EXAMPLE}")
        if note.strip():
            actor["text"] = note.strip()[:200]
        actors.append(actor)
    if len(actors) > 20:
        return _fail("Terlalu banyak aktor (paling banyak 20).")
    return actors


def choice_parser(table: dict[str, str], what: str) -> Callable[[Any], str]:
    return lambda value: _choose(plain(value), table, what)


def parse_time_precision(value: Any) -> int:
    key = _casefold(plain(value))
    if key not in _TIME_PRECISION:
        return _fail(f"Presisi waktu tidak dikenal: {plain(value)!r}. Isi hari, minggu atau bulan.")
    return _TIME_PRECISION[key]


def parse_client_id(value: Any) -> str:
    text = plain(value)
    if len(text) > 64 or not re.fullmatch(r"[A-Za-z0-9._:\-]*", text):
        return _fail("id_klien hanya boleh berisi huruf, angka, titik, garis bawah, titik dua dan tanda hubung "
                     "(paling banyak 64 karakter).")  # fmt: skip
    return text


def parse_text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else plain(value)
