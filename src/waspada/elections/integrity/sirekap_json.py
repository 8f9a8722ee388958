"""Sirekap-style JSON documents read into the TPS format or the area long format — pure.

Two kinds of document, as KPU publishes them (reference notes §2.5):

* a **TPS document** (``…/hhcw/ppwp/65/6501/650101/6501011001/6501011001001.json``)::

      {"chart": {"100025": 63, "100026": 181, "100027": 16, "persen": 100.0},
       "administrasi": {"pemilih_dpt_j": 299, "pengguna_total_j": 265, "suara_sah": 260, …},
       "images": ["…", "…"], "ts": "2024-02-15 10:00:00", "psu": null}

  (Pilkada nests ``chart`` and ``administrasi`` under ``tungsura``). It becomes one row of the TPS format:
  ``pemilih_dpt_j/l/p`` → ``dpt/dpt_l/dpt_p``, ``pengguna_dpt_j`` → ``pengguna_dpt``, ``pengguna_dptb_j`` →
  ``pengguna_dptb``, ``pengguna_non_dpt_j`` → ``pengguna_dpk``, ``pengguna_total_j`` → ``pengguna_total``,
  the ``_l``/``_p`` splits likewise, ``suara_*`` as they are, ``ts`` → ``sirekap_ts``, the number of images
  → ``n_c1_photos``, and each ``chart`` candidate id → ``paslonN`` by its ballot number.

* an **area document** (``…/hhcw/pkwkp/65.json``, ``…/pkwkk/65/6504.json``) with ``table`` — one entry
  per child area, candidate id → votes, ``persen`` (progress) and ``psu`` — and ``chart``, the area's own
  total, with ``progres`` {``total``, ``progres``}. It becomes rows of the area long format (one per child
  and candidate, plus the parent's own rows). The race is ``ppwp``, ``pkwkp`` or ``pkwkk``, taken from
  the path (a folder of that name) or given; the race code is the province (``pkwkp``) or kab/kota
  (``pkwkk``) of the area, ``0`` for the national ``ppwp``.

The code of a document is its ``kode``/``tps_code`` field, else the file name (``6501011001001.json``).
Documents come as one ``.json`` file (one document, a list of documents, or an object of code → document),
a ``.jsonl`` file (one document per line), a folder of such files (recursively), or a ``.zip`` of them.
Candidate ids become ballot numbers through the candidates file (``candidate_id → nomor_urut``); the
Pilpres 2024 ids are built in. A bad value is a row error (file, row = document's line or position,
column = the JSON key, reason) and the cell is left empty; the other documents are read on.
"""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import polars as pl

from waspada.elections.integrity.tiers import LEVEL_DIGITS, AreaTable
from waspada.elections.integrity.tps_csv import (
    BAD_PASLON,
    CODE_COLUMNS,
    COUNT_COLUMNS,
    NAME_COLUMNS,
    SPLIT_COLUMNS,
    RowError,
    TpsCsvError,
    TpsTable,
)

#: Sirekap's Pilpres 2024 candidate ids (chart keys) → ballot number.
PILPRES_2024_IDS: dict[str, int] = {"100025": 1, "100026": 2, "100027": 3}
RACE_TYPES = ("ppwp", "pkwkp", "pkwkk")
#: Documented TPS column ← key in ``administrasi``.
ADMIN_KEYS: dict[str, str] = {
    "dpt": "pemilih_dpt_j",
    "dpt_l": "pemilih_dpt_l",
    "dpt_p": "pemilih_dpt_p",
    "pengguna_dpt": "pengguna_dpt_j",
    "pengguna_dptb": "pengguna_dptb_j",
    "pengguna_dpk": "pengguna_non_dpt_j",
    "pengguna_total": "pengguna_total_j",
    "suara_sah": "suara_sah",
    "suara_tidak_sah": "suara_tidak_sah",
    "suara_total": "suara_total",
    "pengguna_dpt_l": "pengguna_dpt_l",
    "pengguna_dpt_p": "pengguna_dpt_p",
    "pengguna_dptb_l": "pengguna_dptb_l",
    "pengguna_dptb_p": "pengguna_dptb_p",
    "pengguna_dpk_l": "pengguna_non_dpt_l",
    "pengguna_dpk_p": "pengguna_non_dpt_p",
    "pengguna_total_l": "pengguna_total_l",
    "pengguna_total_p": "pengguna_total_p",
}
#: Keys of a chart or table entry that are not candidates.
META_KEYS = frozenset({"persen", "psu", "status_progress", "null", "ts", "progres"})
LEVEL_BY_DIGITS = {digits: level for level, digits in LEVEL_DIGITS.items()}
MAX_DOCUMENTS = 2_000_000
MAX_COUNT = 2_147_483_647  # larger numbers are no vote count (and would not fit a database integer)


@dataclass(frozen=True, slots=True)
class Document:
    file: str  # file name (inside a folder or zip: its relative path)
    row: int  # line of a .jsonl, position in a list, else 1
    code: str | None  # from the document or its file name
    parts: tuple[str, ...]  # path components (the race type is one of them)
    body: Any


@dataclass(slots=True)
class SirekapDocuments:
    """What the documents held: TPS rows, area rows (either may be None), and every row error."""

    source: str
    documents: int
    tps: TpsTable | None
    areas: AreaTable | None
    errors: list[RowError] = field(default_factory=list)


# --- reading documents -----------------------------------------------------------------------------------


def _code_of(body: Any, stem: str) -> str | None:
    if isinstance(body, dict):
        for key in ("kode", "tps_code", "kode_tps", "code"):
            value = body.get(key)
            if isinstance(value, (str, int)) and str(value).strip():
                return str(value).strip().replace(".", "")
    stem = stem.removesuffix(".json")
    return stem if stem.isdigit() else None


def _is_document(value: Any) -> bool:
    return isinstance(value, dict) and any(k in value for k in ("chart", "administrasi", "tungsura", "table"))


def documents_from_bytes(name: str, data: bytes, errors: list[RowError]) -> Iterator[Document]:
    """The documents of one file (``.json``, ``.jsonl``, ``.json.gz``, ``.zip``); problems go to ``errors``."""
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            errors.append(RowError(name, 1, None, None, f"berkas gzip rusak ({exc})"))
            return
        name = name.removesuffix(".gz")
    if data.startswith(b"PK\x03\x04"):
        yield from _zip_documents(name, data, errors)
        return
    path = PurePosixPath(name)
    parts = tuple(path.parts[:-1])
    text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace")
    if name.lower().endswith(".jsonl"):
        for line_no, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                body = json.loads(line)
            except json.JSONDecodeError as exc:
                errors.append(RowError(name, line_no, None, None, f"bukan JSON yang sah ({exc.msg})"))
                continue
            yield Document(name, line_no, _code_of(body, ""), parts, body)
        return
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        errors.append(RowError(name, exc.lineno, None, None, f"bukan JSON yang sah ({exc.msg})"))
        return
    if isinstance(body, list):
        for i, item in enumerate(body, start=1):
            yield Document(name, i, _code_of(item, ""), parts, item)
    elif (
        isinstance(body, dict)
        and not _is_document(body)
        and body
        and all(_is_document(v) for v in body.values())
    ):
        for i, (key, item) in enumerate(body.items(), start=1):
            yield Document(name, i, _code_of(item, str(key)), parts, item)
    else:
        yield Document(name, 1, _code_of(body, path.name), parts, body)


def _zip_documents(name: str, data: bytes, errors: list[RowError]) -> Iterator[Document]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        errors.append(RowError(name, 1, None, None, f"berkas zip rusak ({exc})"))
        return
    with archive:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            inner = info.filename
            if info.is_dir() or not inner.lower().endswith((".json", ".jsonl", ".json.gz")):
                continue
            try:
                content = archive.read(info)
            except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
                errors.append(RowError(f"{name}:{inner}", 1, None, None, f"tidak dapat dibaca ({exc})"))
                continue
            yield from documents_from_bytes(inner, content, errors)


def documents_from_path(path: Path | str, errors: list[RowError]) -> Iterator[Document]:
    """The documents of a file or of every ``.json``/``.jsonl``/``.json.gz`` file under a folder."""
    path = Path(path)
    if path.is_dir():
        files = sorted(
            p
            for p in path.rglob("*")
            if p.is_file() and p.name.lower().endswith((".json", ".jsonl", ".json.gz"))
        )
        if not files:
            raise TpsCsvError(str(path), "folder ini tidak berisi berkas .json")
        for file in files:
            yield from documents_from_bytes(file.relative_to(path).as_posix(), _read(file), errors)
        return
    yield from documents_from_bytes(path.name, _read(path), errors)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise TpsCsvError(str(path), "berkas tidak ditemukan") from None
    except OSError as exc:
        raise TpsCsvError(str(path), f"tidak dapat dibaca ({exc.strerror})") from None


# --- converting documents --------------------------------------------------------------------------------


def _count(value: Any) -> tuple[int | None, str | None]:
    """A count from a JSON value: (the integer, None) or (None, the reason it is unusable)."""
    if value is None or value == "":
        return None, None
    if isinstance(value, bool):
        return None, f"'{value}' bukan bilangan bulat"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int):
        return None, f"'{value}' bukan bilangan bulat"
    if value < 0:
        return None, f"'{value}' negatif"
    if value > MAX_COUNT:
        return None, f"'{value}' terlalu besar untuk sebuah hitungan suara"
    return value, None


@dataclass(slots=True)
class _Reader:
    numbers: Mapping[str, int]
    race_type: str | None
    errors: list[RowError] = field(default_factory=list)
    tps_rows: list[dict[str, Any]] = field(default_factory=list)
    area_rows: list[dict[str, Any]] = field(default_factory=list)
    seen_tps: dict[str, tuple[str, int]] = field(default_factory=dict)

    def error(
        self, doc: Document, column: str | None, value: Any, reason: str, code: str | None = None
    ) -> None:
        text = None if value is None else str(value)[:80]
        self.errors.append(RowError(doc.file, doc.row, column, text, reason, code or doc.code))

    def votes(
        self, doc: Document, entry: Mapping[str, Any], prefix: str
    ) -> tuple[list[tuple[str, int, int | None]], bool]:
        """(candidate id, ballot number, votes) of a chart or table entry; False when a cell was unusable."""
        out: list[tuple[str, int, int | None]] = []
        ok = True
        for key, value in entry.items():
            if key in META_KEYS:
                continue
            number = self.numbers.get(str(key))
            if number is None:
                self.error(
                    doc,
                    f"{prefix}.{key}",
                    value,
                    f"id calon {key} tidak dikenal: beri berkas calon (candidate_id, nomor_urut)",
                )
                ok = False
                continue
            count, reason = _count(value)
            if reason is not None:
                self.error(doc, f"{prefix}.{key}", value, reason)
                ok = False
            out.append((str(key), number, count))
        return sorted(out, key=lambda v: v[1]), ok

    def read(self, doc: Document) -> None:
        body = doc.body
        if not isinstance(body, dict) or not _is_document(body):
            self.error(
                doc, None, None, "bukan dokumen Sirekap (tidak ada chart, administrasi, tungsura atau table)"
            )
            return
        if isinstance(body.get("table"), dict):
            self.area(doc, body)
        else:
            self.tps(doc, body)

    def tps(self, doc: Document, body: dict[str, Any]) -> None:
        code = doc.code
        if code is None or len(code) != 13 or not code.isdigit():
            self.error(
                doc,
                "kode",
                code,
                f"kode TPS '{code or ''}' harus 13 angka (dari kolom kode atau nama berkas); dokumen dilewati",
            )
            return
        if code in self.seen_tps:
            first = self.seen_tps[code]
            self.error(
                doc, "kode", code, f"TPS {code} sudah ada di {first[0]} baris {first[1]}; dokumen dilewati"
            )
            return
        self.seen_tps[code] = (doc.file, doc.row)
        nested = body.get("tungsura")
        inner: dict[str, Any] = nested if isinstance(nested, dict) else {}
        chart = inner.get("chart", body.get("chart"))
        admin = inner.get("administrasi", body.get("administrasi"))
        row: dict[str, Any] = {"tps_code": code, "_row": doc.row, "_file": doc.file}
        row.update({column: code[:digits] for column, digits in CODE_COLUMNS.items()})
        row.update(dict.fromkeys(NAME_COLUMNS))
        row["tps_no"] = int(code[10:])
        ts = body.get("ts")
        row["sirekap_ts"] = str(ts)[:40] if ts is not None else None
        images = body.get("images")
        row["n_c1_photos"] = sum(1 for i in images if i) if isinstance(images, list) else None
        bad = False
        if isinstance(chart, dict):
            votes, ok = self.votes(doc, chart, "chart")
            bad = not ok
            for _, number, count in votes:
                row[f"paslon{number}"] = count
        elif chart is not None:
            self.error(doc, "chart", None, "bukan objek {id calon: suara}")
        if isinstance(admin, dict):
            for column, key in ADMIN_KEYS.items():
                count, reason = _count(admin.get(key))
                if reason is not None:
                    self.error(doc, f"administrasi.{key}", admin.get(key), reason)
                if key in admin:
                    row[column] = count
        elif admin is not None:
            self.error(doc, "administrasi", None, "bukan objek")
        row[BAD_PASLON] = bad
        self.tps_rows.append(row)

    def area(self, doc: Document, body: dict[str, Any]) -> None:
        race_type = self.race_type or next((p for p in doc.parts if p in RACE_TYPES), None)
        if race_type is None:
            self.error(
                doc,
                None,
                None,
                "jenis pemilihan tidak diketahui: letakkan di folder ppwp/pkwkp/pkwkk atau beri --race-type",
            )
            return
        ts = body.get("ts")
        common = {
            "source_file": doc.file,
            "sirekap_ts": str(ts)[:40] if ts is not None else None,
            "_row": doc.row,
        }
        parent = doc.code
        for child, entry in body["table"].items():
            child = str(child).strip()
            if entry is None:
                continue
            if not child.isdigit() or len(child) not in LEVEL_BY_DIGITS or not isinstance(entry, dict):
                self.error(doc, f"table.{child}", None, "kode wilayah atau isinya tidak sah; dilewati", child)
                continue
            self.area_rows += self._rows(doc, race_type, child, parent, entry, f"table.{child}", common)
        chart = body.get("chart")
        if parent and parent.isdigit() and len(parent) in LEVEL_BY_DIGITS and isinstance(chart, dict):
            if race_type == "pkwkk" and len(parent) < 4:
                return  # a province file of regent races: its chart adds different races up
            given = body.get("progres")
            progress: dict[str, Any] = given if isinstance(given, dict) else {}
            extra = {"tps_counted": progress.get("progres"), "tps_total": progress.get("total")}
            self.area_rows += self._rows(doc, race_type, parent, None, {**chart, **extra}, "chart", common)

    def _rows(
        self,
        doc: Document,
        race_type: str,
        code: str,
        parent: str | None,
        entry: Mapping[str, Any],
        prefix: str,
        common: dict[str, Any],
    ) -> list[dict[str, Any]]:
        if race_type == "pkwkk" and len(code) < 4:
            self.error(
                doc, prefix, None, "pemilihan bupati/wali kota tidak punya tingkat provinsi; dilewati", code
            )
            return []
        race_code = {"pkwkp": code[:2], "pkwkk": code[:4]}.get(race_type, "0")
        counters = {k: entry.get(k) for k in ("tps_counted", "tps_total")}
        entry = {k: v for k, v in entry.items() if k not in counters}
        votes, _ = self.votes(doc, entry, prefix)
        pct = entry.get("persen")
        progress = (
            float(pct)
            if isinstance(pct, (int, float)) and not isinstance(pct, bool) and 0 <= pct <= 100
            else None
        )
        psu = entry.get("psu")
        base = {
            "race_type": race_type,
            "race_code": race_code,
            "level": LEVEL_BY_DIGITS[len(code)],
            "area_code": code,
            "parent_code": parent,
            "progress_pct": progress,
            "psu": None if psu is None else str(psu)[:40],
            "tps_counted": _count(counters["tps_counted"])[0],
            "tps_total": _count(counters["tps_total"])[0],
            **common,
        }
        return [
            {**base, "candidate_id": cid, "nomor_urut": number, "votes": count}
            for cid, number, count in votes
        ]


TPS_TEXT = ("tps_code", *CODE_COLUMNS, *NAME_COLUMNS, "sirekap_ts", "_file")
AREA_SCHEMA: dict[str, Any] = {
    "race_type": pl.Utf8,
    "race_code": pl.Utf8,
    "level": pl.Utf8,
    "area_code": pl.Utf8,
    "candidate_id": pl.Utf8,
    "votes": pl.Int64,
    "parent_code": pl.Utf8,
    "nomor_urut": pl.Int64,
    "tps_counted": pl.Int64,
    "tps_total": pl.Int64,
    "progress_pct": pl.Float64,
    "psu": pl.Utf8,
    "source_file": pl.Utf8,
    "sirekap_ts": pl.Utf8,
    "_row": pl.Int32,
}


def _tps_table(rows: list[dict[str, Any]], source: str, errors: list[RowError]) -> TpsTable | None:
    if not rows:
        return None
    n = max((int(k.removeprefix("paslon")) for r in rows for k in r if k.startswith("paslon")), default=1)
    candidates = tuple(f"paslon{i}" for i in range(1, n + 1))
    splits = [c for c in SPLIT_COLUMNS if any(c in r for r in rows)]
    numeric = [*COUNT_COLUMNS, *candidates, "tps_no", "n_c1_photos", *splits]
    schema: dict[str, Any] = {c: pl.Utf8 for c in TPS_TEXT}
    schema.update({c: pl.Int64 for c in numeric})
    schema["_row"] = pl.Int32
    schema[BAD_PASLON] = pl.Boolean
    data = {c: [r.get(c) for r in rows] for c in schema}
    frame = pl.DataFrame(data, schema=schema)
    frame = frame.select(
        "tps_code", *CODE_COLUMNS, *NAME_COLUMNS, "sirekap_ts", *numeric, "_row", "_file", BAD_PASLON
    )
    return TpsTable(
        source=source, frame=frame, candidates=candidates, errors=list(errors), rows_read=len(rows)
    )


def read_documents(
    documents: Iterator[Document],
    *,
    source: str,
    candidate_numbers: Mapping[str, int] | None = None,
    race_type: str | None = None,
    errors: list[RowError] | None = None,
) -> SirekapDocuments:
    """TPS and area rows of the documents; ``errors`` already holds the problems of reading the files."""
    numbers = {**PILPRES_2024_IDS, **(candidate_numbers or {})}
    reader = _Reader(numbers, race_type, errors=errors if errors is not None else [])
    n = 0
    for doc in documents:
        n += 1
        if n > MAX_DOCUMENTS:
            raise TpsCsvError(source, f"lebih dari {MAX_DOCUMENTS:,} dokumen")
        reader.read(doc)
    reader.errors.sort(key=lambda e: (e.file, e.row, e.column or ""))
    areas = None
    if reader.area_rows:
        frame = pl.DataFrame(
            [{c: r.get(c) for c in AREA_SCHEMA} for r in reader.area_rows], schema=AREA_SCHEMA
        )
        areas = AreaTable(source, frame, [])
    tps = _tps_table(reader.tps_rows, source, [])
    return SirekapDocuments(source, n, tps, areas, reader.errors)


def read_sirekap_json(
    path: Path | str, *, candidate_numbers: Mapping[str, int] | None = None, race_type: str | None = None
) -> SirekapDocuments:
    """Every document of a file, folder or zip (see the module docstring)."""
    errors: list[RowError] = []
    return read_documents(
        documents_from_path(path, errors),
        source=str(path),
        candidate_numbers=candidate_numbers,
        race_type=race_type,
        errors=errors,
    )


def parse_sirekap_json(
    name: str,
    data: bytes,
    *,
    candidate_numbers: Mapping[str, int] | None = None,
    race_type: str | None = None,
) -> SirekapDocuments:
    """Every document of an uploaded file (``.json``, ``.jsonl``, ``.json.gz`` or ``.zip``)."""
    errors: list[RowError] = []
    return read_documents(
        documents_from_bytes(name, data, errors),
        source=name,
        candidate_numbers=candidate_numbers,
        race_type=race_type,
        errors=errors,
    )
