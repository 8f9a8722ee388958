"""Result files as they arrive: XLSX sheets turned into CSV text, and the kind of a file told from its header.

An XLSX workbook holds the same columns as the CSV formats, one sheet: the sheet named ``TPS`` (the TPS
format), ``Wilayah`` (the area long format), or else the first sheet. Each sheet row becomes one CSV line,
so the row numbers of every message are the row numbers Excel shows (the header is row 1). Cells hold
numbers, text or dates; a number with a fraction stays as written and is then reported as "not an integer".

    kind = detect_kind(header)        # "tps" | "area" | "candidates" | None
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from typing import Any, Literal, TypeAlias

from waspada.elections.integrity.candidates import CANDIDATE_REQUIRED
from waspada.elections.integrity.tiers import LONG_REQUIRED
from waspada.elections.integrity.tps_csv import TpsCsvError, header_fields

FileKind: TypeAlias = Literal["tps", "area", "candidates"]
SHEETS = ("TPS", "Wilayah")
MAX_ROWS = 2_000_000
XLSX_MAGIC = b"PK\x03\x04"


def detect_kind(data: bytes, source: str) -> FileKind | None:
    """The format of a CSV file from its header row: a TPS file has ``tps_code``; an area long-format file
    has ``race_type, level, area_code, candidate_id, votes``; a candidates file has ``candidate_name``."""
    first = data.removeprefix(b"\xef\xbb\xbf").split(b"\n", 1)[0].rstrip(b"\r").decode("utf-8", "replace")
    names = set(header_fields(first, source))
    if "tps_code" in names:
        return "tps"
    if all(c in names for c in CANDIDATE_REQUIRED):
        return "candidates"
    if all(c in names for c in LONG_REQUIRED):
        return "area"
    return None


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).split()) if isinstance(value, str) else str(value)


def xlsx_to_csv(data: bytes, source: str) -> tuple[bytes, str]:
    """The data sheet of a workbook as CSV bytes, and the name of that sheet for messages
    (``tps.xlsx, lembar TPS``). Raises :class:`TpsCsvError` when the workbook cannot be used."""
    from openpyxl import load_workbook

    if not data.startswith(XLSX_MAGIC):
        hint = " (berkas .xls lama: simpan ulang sebagai .xlsx)" if data[:4] == b"\xd0\xcf\x11\xe0" else ""
        raise TpsCsvError(source, f"bukan berkas XLSX{hint}")
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise TpsCsvError(source, f"berkas XLSX rusak ({type(exc).__name__})") from None
    except Exception as exc:  # openpyxl raises many kinds for damaged files; none is the user's bug
        raise TpsCsvError(source, f"berkas XLSX tidak dapat dibaca ({type(exc).__name__})") from None
    try:
        names = list(book.sheetnames)
        name = next((s for s in SHEETS if s in names), names[0] if names else None)
        if name is None:
            raise TpsCsvError(source, "berkas XLSX tanpa lembar")
        label = f"{source}, lembar {name}"
        out = io.StringIO(newline="")
        writer = csv.writer(out, lineterminator="\n")
        width = 0
        n = 0
        try:
            for row in book[name].iter_rows(values_only=True):
                cells = [_cell(v) for v in row]
                if n == 0:
                    while cells and cells[-1] == "":
                        cells.pop()
                    width = len(cells)
                    if not width:
                        raise TpsCsvError(label, "baris 1 (judul kolom) kosong")
                if not any(cells):
                    cells = []  # a blank row: skipped by the readers, its number kept
                elif not any(cells[width:]):
                    cells = (cells + [""] * width)[:width]
                writer.writerow(cells)
                n += 1
                if n > MAX_ROWS:
                    raise TpsCsvError(label, f"lebih dari {MAX_ROWS:,} baris")
        except TpsCsvError:
            raise
        except Exception as exc:  # a damaged sheet inside a readable workbook
            raise TpsCsvError(label, f"lembar tidak dapat dibaca ({type(exc).__name__})") from None
    finally:
        book.close()
    if n == 0:
        raise TpsCsvError(f"{source}, lembar {name}", "lembar kosong (tidak ada baris judul maupun data)")
    return out.getvalue().encode("utf-8"), label
