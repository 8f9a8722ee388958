"""The candidates file that goes with an area long-format file (``pilkada2024_candidates.csv``) — pure.

    race_type, race_code, race_area_name, candidate_id, nomor_urut, candidate_name

One row per candidate pair of a race: Sirekap's candidate id, the ballot number and the names as KPU
spells them ("KOLOM KOSONG - " is the empty box of a single-candidate race). ``race_area_name`` is optional.
Bad cells become row errors (file, row, column, reason) and their row is left out.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from waspada.elections.integrity.tps_csv import (
    RowError,
    TpsCsvError,
    cell_errors,
    header_fields,
    load_bytes,
    split_rows,
)

CANDIDATE_REQUIRED = ("race_type", "race_code", "candidate_id", "nomor_urut", "candidate_name")
EMPTY_BOX_RE = re.compile(r"^\s*(kolom|kotak)\s+kosong\b", re.IGNORECASE)


def is_empty_box(name: str) -> bool:
    """True for the empty box of a single-candidate race ("KOLOM KOSONG - ", "Kotak kosong")."""
    return bool(EMPTY_BOX_RE.match(name or ""))


@dataclass(frozen=True, slots=True)
class CandidateInfo:
    race_type: str
    race_code: str
    candidate_id: str
    ballot_no: int
    name: str

    @property
    def is_empty_box(self) -> bool:
        return is_empty_box(self.name)


@dataclass(slots=True)
class CandidateTable:
    source: str
    candidates: list[CandidateInfo]
    errors: list[RowError] = field(default_factory=list)

    def by_id(self) -> dict[str, CandidateInfo]:
        """Sirekap candidate id → candidate (ids are unique across races in Sirekap)."""
        return {c.candidate_id: c for c in self.candidates}

    def by_race(self) -> dict[tuple[str, str], list[CandidateInfo]]:
        out: dict[tuple[str, str], list[CandidateInfo]] = {}
        for c in self.candidates:
            out.setdefault((c.race_type, c.race_code), []).append(c)
        for items in out.values():
            items.sort(key=lambda c: c.ballot_no)
        return out


def read_candidates_csv(path: Path | str) -> CandidateTable:
    return parse_candidates_csv(load_bytes(path), source=str(path))


def parse_candidates_csv(data: bytes, *, source: str = "<data>") -> CandidateTable:
    data = data.removeprefix(b"\xef\xbb\xbf")
    if not data.strip():
        raise TpsCsvError(source, "berkas kosong (tidak ada baris judul maupun data)")
    names = header_fields(data.split(b"\n", 1)[0].rstrip(b"\r").decode("utf-8", "replace"), source)
    missing = [c for c in CANDIDATE_REQUIRED if c not in names]
    if missing:
        raise TpsCsvError(source, f"kolom wajib berkas calon tidak ada: {', '.join(missing)}")
    buffer, rows, errors = split_rows(data, len(names), source)
    if not rows.len():
        raise TpsCsvError(source, "tidak ada baris data (hanya baris judul)")
    try:
        raw = pl.read_csv(io.BytesIO(buffer), infer_schema=False, encoding="utf8-lossy")
    except pl.exceptions.PolarsError as exc:
        raise TpsCsvError(source, f"tidak dapat dibaca sebagai CSV ({exc})") from None
    raw.columns = [c.strip() for c in raw.columns]
    frame = raw.select([pl.col(c).str.strip_chars() for c in CANDIDATE_REQUIRED]).with_columns(
        rows.alias("_row")
    )
    number = pl.col("nomor_urut").cast(pl.Int64, strict=False)
    bad = (number.is_null() | (number < 1)).fill_null(True)
    errors += cell_errors(
        frame,
        bad,
        "nomor_urut",
        "'{value}' bukan nomor urut (bilangan bulat ≥ 1); baris ini dilewati",
        source,
        "candidate_id",
    )
    for column in ("race_type", "race_code", "candidate_id"):
        empty = pl.col(column).fill_null("") == ""
        errors += cell_errors(
            frame, empty & ~bad, column, "kosong; baris ini dilewati", source, "candidate_id"
        )
        bad = bad | empty
    frame = frame.filter(~bad).with_columns(number.alias("nomor_urut"))
    candidates: list[CandidateInfo] = []
    seen: dict[str, int] = {}
    for race_type, race_code, cid, no, name, row in frame.select(*CANDIDATE_REQUIRED, "_row").iter_rows():
        if cid in seen:
            errors.append(
                RowError(
                    source, row, "candidate_id", cid, f"id calon {cid} sudah ada di baris {seen[cid]}", None
                )
            )
            continue
        seen[cid] = row
        candidates.append(CandidateInfo(race_type, race_code, cid, int(no), (name or "").strip(" -")))
    errors.sort(key=lambda e: (e.row, e.column or ""))
    return CandidateTable(source, candidates, errors)
