"""Bulk import of articles from JSONL or CSV (``waspada media import FILE``).

Fields: ``id`` and/or ``url`` (at least one; they identify the article, so a re-import skips what is
already stored), ``title``, ``text`` (required), ``published`` (ISO date or date and time), ``source``
(the outlet's name). Reading is pure (no Django); every bad row is a ``RowError`` naming the file, the
row and the column, and the other rows go on.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

__all__ = ["FIELDS", "ImportFileError", "Row", "RowError", "read_rows"]

FIELDS: Final = ("id", "url", "title", "text", "published", "source")
MAX_FILE_BYTES: Final = 200 * 1024 * 1024
MAX_TEXT: Final = 100_000


class ImportFileError(Exception):
    """The file as a whole cannot be read (missing, wrong kind, not UTF-8, no header)."""


@dataclass(frozen=True, slots=True)
class Row:
    number: int
    external_id: str
    url: str
    title: str
    text: str
    published: datetime | None
    source: str


@dataclass(frozen=True, slots=True)
class RowError:
    file: str
    number: int
    column: str
    reason: str

    def message(self) -> str:
        where = f"{self.file}, baris {self.number}"
        return f"{where}, kolom {self.column}: {self.reason}" if self.column else f"{where}: {self.reason}"


def _published(value: str) -> datetime:
    text = value.strip().replace("Z", "+00:00")
    for candidate in (text, text.replace(" ", "T", 1)):
        try:
            parsed = datetime.fromisoformat(candidate)
        except ValueError:
            continue
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    raise ValueError("bukan tanggal ISO (mis. 2024-12-02 atau 2024-12-02T09:30:00+08:00)")


def _row(file: str, number: int, raw: dict[str, Any]) -> Row | RowError:
    values: dict[str, str] = {}
    for name in FIELDS:
        value = raw.get(name)
        if value is None:
            values[name] = ""
        elif name == "id" and isinstance(value, int | float) and not isinstance(value, bool):
            values[name] = str(value)
        elif isinstance(value, str):
            values[name] = value.strip() if name != "text" else value
        else:
            return RowError(file, number, name, "harus berupa teks")
    if not values["id"] and not values["url"]:
        return RowError(file, number, "id", "kolom id atau url harus diisi")
    if len(values["id"]) > 200:
        return RowError(file, number, "id", "lebih dari 200 karakter")
    if values["url"] and not values["url"].startswith(("http://", "https://")):
        return RowError(file, number, "url", "harus diawali http:// atau https://")
    if len(values["url"]) > 1000:
        return RowError(file, number, "url", "lebih dari 1000 karakter")
    if not values["text"].strip():
        return RowError(file, number, "text", "kosong")
    if len(values["text"]) > MAX_TEXT:
        return RowError(file, number, "text", f"lebih dari {MAX_TEXT} karakter")
    published = None
    if values["published"]:
        try:
            published = _published(values["published"])
        except ValueError as exc:
            return RowError(file, number, "published", f"{values['published']!r} {exc}")
    return Row(
        number=number,
        external_id=values["id"],
        url=values["url"],
        title=values["title"][:500],
        text=values["text"].strip(),
        published=published,
        source=values["source"][:120],
    )


def _jsonl(file: str, text: str) -> Iterator[Row | RowError]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield RowError(file, number, "", f"bukan JSON yang sah (kolom {exc.colno}: {exc.msg})")
            continue
        if not isinstance(obj, dict):
            yield RowError(file, number, "", "baris harus berupa objek JSON ({...})")
            continue
        yield _row(file, number, obj)


def _csv(file: str, text: str) -> Iterator[Row | RowError]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise ImportFileError(f"{file}: berkas kosong") from None
    except csv.Error as exc:
        raise ImportFileError(f"{file}, baris 1: CSV tidak sah ({exc})") from None
    if "text" not in header or not ({"id", "url"} & set(header)):
        raise ImportFileError(f"{file}, baris 1: judul kolom harus memuat text dan id atau url")
    return _csv_rows(file, reader, header)


def _csv_rows(file: str, reader: Any, header: list[str]) -> Iterator[Row | RowError]:
    """Rows numbered as a spreadsheet shows them: the header is row 1, a multi-line cell stays one row."""
    number = 1
    while True:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield RowError(file, number, "", f"CSV tidak sah ({exc})")
            continue
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            yield RowError(file, number, "", f"{len(cells)} sel, padahal judul kolom hanya {len(header)}")
            continue
        yield _row(file, number, dict(zip(header, cells, strict=False)))


def read_rows(path: Path) -> Iterator[Row | RowError]:
    """The rows of a ``.jsonl``/``.ndjson`` or ``.csv`` file; raises ``ImportFileError`` for the file."""
    name = str(path)
    suffix = path.suffix.lower()
    if suffix not in {".jsonl", ".ndjson", ".csv"}:
        raise ImportFileError(f"{name}: jenis berkas tidak dikenal; gunakan .jsonl atau .csv")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ImportFileError(f"{name}: berkas lebih dari {MAX_FILE_BYTES // 1024 // 1024} MB")
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise ImportFileError(f"{name}: berkas tidak ditemukan") from None
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"{name}: bukan teks UTF-8 (byte ke-{exc.start})") from None
    except OSError as exc:
        raise ImportFileError(f"{name}: {exc.strerror}") from None
    return _csv(name, text) if suffix == ".csv" else _jsonl(name, text)
