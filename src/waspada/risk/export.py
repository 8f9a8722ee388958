"""Exports of the index at one level: CSV, XLSX and GeoJSON — pure (openpyxl for XLSX, no Django).

Every format has the same fields: rank, region, score, category, the trend against the previous snapshot,
the three largest contributions and then every indicator's contribution in points (``points_<id>``), plus
the snapshot's date and configuration version. GeoJSON features carry the region's boundary as stored
(GeoJSON geometry text, written as it is) or ``null`` where none was imported.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, Any

from waspada.risk.ranking import RankRow

FORMATS = ("csv", "xlsx", "geojson")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
}
BASE_COLUMNS = (
    "rank",
    "code",
    "name",
    "level",
    "parent_code",
    "score",
    "category",
    "previous_score",
    "delta",
    "top_1",
    "top_2",
    "top_3",
    "date",
    "config_version",
)
CHUNK_ROWS = 500

Cell = str | int | float | None


def columns(indicator_ids: Sequence[str]) -> list[str]:
    return [*BASE_COLUMNS, *(f"points_{i}" for i in indicator_ids)]


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _top(row: RankRow) -> list[str]:
    ranked = sorted(((v, k) for k, v in row.contributions.items() if v > 0), key=lambda t: (-t[0], t[1]))
    return [k for _, k in ranked[:3]] + [""] * (3 - min(3, len(ranked)))


def record(row: RankRow, indicator_ids: Sequence[str], date: str, version: str) -> list[Cell]:
    """One row of the export, in :func:`columns` order."""
    return [
        row.rank,
        row.code,
        row.name,
        row.level,
        row.parent_code or "",
        _round(row.score),
        row.category,
        _round(row.previous_score),
        _round(row.delta),
        *_top(row),
        date,
        version,
        *(_round(row.contributions.get(i, 0.0), 4) for i in indicator_ids),
    ]


def _safe(value: Cell) -> Cell:
    """Text that a spreadsheet would run as a formula is prefixed with an apostrophe."""
    if isinstance(value, str) and value[:1] in {"=", "+", "@"}:
        return "'" + value
    return value


def csv_chunks(header: Sequence[str], records: Iterable[Sequence[Cell]]) -> Iterator[str]:
    """The CSV text in pieces of :data:`CHUNK_ROWS` rows (UTF-8 with a BOM so spreadsheets read it)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    buf.write("\ufeff")
    writer.writerow(header)
    for n, rec in enumerate(records, start=1):
        writer.writerow(["" if v is None else _safe(v) for v in rec])
        if n % CHUNK_ROWS == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def write_xlsx(
    fh: IO[bytes],
    header: Sequence[str],
    records: Iterable[Sequence[Cell]],
    *,
    title: str = "indeks",
    notes: Sequence[tuple[str, str]] = (),
) -> None:
    """A workbook with the table on its first sheet and ``notes`` (key, value) on a second one."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.append(list(header))
    for rec in records:
        sheet.append([_safe(v) for v in rec])
    if notes:
        about = book.create_sheet("keterangan")
        for key, value in notes:
            about.append([key, value])
    book.save(fh)


def geojson_chunks(
    header: Sequence[str],
    records: Iterable[Sequence[Cell]],
    geometry: Callable[[str], str | None],
    *,
    metadata: dict[str, Any] | None = None,
) -> Iterator[str]:
    """A FeatureCollection, one feature per record (``id`` = region code); ``geometry(code)`` returns the
    stored GeoJSON geometry text or None (written as ``null``)."""
    code_at = list(header).index("code")
    head: dict[str, Any] = {"type": "FeatureCollection"}
    if metadata:
        head["metadata"] = metadata
    opening = json.dumps(head, ensure_ascii=False)[:-1] + ', "features": ['
    yield opening
    parts: list[str] = []
    for n, rec in enumerate(records):
        code = str(rec[code_at])
        props = json.dumps(dict(zip(header, rec, strict=True)), ensure_ascii=False, allow_nan=False)
        shape = geometry(code)
        parts.append(
            ("," if n else "")
            + f'{{"type": "Feature", "id": {json.dumps(code)}, "properties": {props}, "geometry": '
            + (shape.strip() if shape and shape.strip() else "null")
            + "}"
        )
        if len(parts) >= CHUNK_ROWS:
            yield "".join(parts)
            parts = []
    yield "".join(parts) + "]}"
