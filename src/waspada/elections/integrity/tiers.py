"""Tier sums (R9): every tier of the recapitulation equals the sum of the tier below it.

Input is the area long format of ``pilkada2024_kecamatan_sirekap.csv.gz`` — one row per (race, area,
candidate) with ``level`` (prov, kab, kec, desa, tps), ``area_code``, ``votes`` — or a TPS frame turned
into that shape by :func:`tps_long`, next to reported totals of a higher tier (:func:`read_area_totals_csv`).

A child belongs to a parent when its Kemendagri code starts with the parent's code (prov 2 digits, kab 4,
kec 6, desa 10, TPS 13), so any two tiers present can be compared, not only neighbours; each present
tier is compared with the next lower tier present. When an area appears several times (the same kab
total copied in the province file and in the kab file), identical copies count once, copies that
disagree are reported as SOURCE_DIFF, and every copy of a parent is compared with the sum of its children.
Progress counters (TPS counted / total) are not additive in Sirekap snapshots and are not checked.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from waspada.elections.integrity.findings import Finding, JsonValue, finding
from waspada.elections.integrity.tps_csv import (
    MAX_COUNT,
    RowError,
    TpsCsvError,
    candidate_columns,
    cell_errors,
    header_fields,
    load_bytes,
    split_rows,
)

LEVEL_DIGITS: dict[str, int] = {"prov": 2, "kab": 4, "kec": 6, "desa": 10, "tps": 13}
LEVEL_LABELS = {"prov": "provinsi", "kab": "kabupaten/kota", "kec": "kecamatan", "desa": "desa", "tps": "TPS"}
LONG_REQUIRED = ("race_type", "race_code", "level", "area_code", "candidate_id", "votes")
KEYS = ("race_type", "race_code", "candidate_id")


@dataclass(slots=True)
class AreaTable:
    """An area long-format file: ``race_type, race_code, level, area_code, candidate_id, votes, _row``
    (+ ``source_file``, ``nomor_urut`` when present)."""

    source: str
    frame: pl.DataFrame
    errors: list[RowError] = field(default_factory=list)


#: Optional columns of the long format kept in the frame (progress counters, provenance, names).
LONG_OPTIONAL = (
    "parent_code",
    "area_name",
    "nomor_urut",
    "tps_counted",
    "tps_total",
    "progress_pct",
    "psu",
    "source_file",
    "sirekap_ts",
)
#: Optional columns that must hold non-negative integers (or decimals: ``progress_pct``).
LONG_INTEGERS = ("nomor_urut", "tps_counted", "tps_total")


def read_area_long_csv(path: Path | str) -> AreaTable:
    """Read an area long-format file (``.csv`` or ``.csv.gz``)."""
    return parse_area_long_csv(load_bytes(path), source=str(path))


def parse_area_long_csv(data: bytes, *, source: str = "<data>") -> AreaTable:
    """Parse the bytes of an area long-format file; ``source`` names it in every message.

    Unusable cells become row errors (file, row, column, reason): a bad ``votes`` cell is left empty, a
    row with an unknown ``level`` or an ``area_code`` that does not fit its level is left out."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    if not data.strip():
        raise TpsCsvError(source, "berkas kosong (tidak ada baris judul maupun data)")
    names = header_fields(data.split(b"\n", 1)[0].rstrip(b"\r").decode("utf-8", "replace"), source)
    missing = [c for c in LONG_REQUIRED if c not in names]
    if missing:
        raise TpsCsvError(source, f"kolom wajib tidak ada: {', '.join(missing)}")
    buffer, rows, errors = split_rows(data, len(names), source)
    if not rows.len():
        raise TpsCsvError(source, "tidak ada baris data (hanya baris judul)")
    try:
        raw = pl.read_csv(io.BytesIO(buffer), infer_schema=False, encoding="utf8-lossy")
    except pl.exceptions.PolarsError as exc:
        raise TpsCsvError(source, f"tidak dapat dibaca sebagai CSV ({exc})") from None
    raw.columns = [c.strip() for c in raw.columns]
    keep = [c for c in (*LONG_REQUIRED, *LONG_OPTIONAL) if c in raw.columns]
    frame = raw.select([pl.col(c).str.strip_chars() for c in keep]).with_columns(rows.alias("_row"))
    votes = pl.col("votes").cast(pl.Int64, strict=False)
    errors += cell_errors(
        frame,
        pl.col("votes").is_not_null() & votes.is_null(),
        "votes",
        "'{value}' bukan bilangan bulat",
        source,
        "area_code",
    )
    errors += cell_errors(frame, votes < 0, "votes", "'{value}' negatif", source, "area_code")
    errors += cell_errors(frame, votes > MAX_COUNT, "votes", "'{value}' terlalu besar", source, "area_code")
    casts = [pl.when(votes.is_between(0, MAX_COUNT)).then(votes).otherwise(None).alias("votes")]
    for column in (c for c in LONG_INTEGERS if c in frame.columns):
        value = pl.col(column).cast(pl.Int64, strict=False)
        errors += cell_errors(
            frame,
            (pl.col(column).is_not_null() & (value.is_null() | (value < 0))).fill_null(False),
            column,
            "'{value}' bukan bilangan bulat ≥ 0",
            source,
            "area_code",
        )
        casts.append(pl.when(value >= 0).then(value).otherwise(None).alias(column))
    if "progress_pct" in frame.columns:
        pct = pl.col("progress_pct").cast(pl.Float64, strict=False)
        errors += cell_errors(
            frame,
            (pl.col("progress_pct").is_not_null() & (pct.is_null() | (pct < 0) | (pct > 100))).fill_null(
                False
            ),
            "progress_pct",
            "'{value}' bukan persentase 0–100",
            source,
            "area_code",
        )
        casts.append(pl.when(pct.is_between(0, 100)).then(pct).otherwise(None).alias("progress_pct"))
    bad_level = ~pl.col("level").is_in(list(LEVEL_DIGITS)).fill_null(False)
    errors += cell_errors(
        frame,
        bad_level,
        "level",
        f"tingkat '{{value}}' tidak dikenal (pakai {', '.join(LEVEL_DIGITS)}); baris ini dilewati",
        source,
        "area_code",
    )
    frame = frame.filter(~bad_level)
    bad_code = ~pl.col("area_code").fill_null("").str.contains(r"^\d+$") | (
        pl.col("area_code").str.len_chars()
        != pl.col("level").replace_strict(LEVEL_DIGITS, return_dtype=pl.UInt32)
    )
    errors += cell_errors(
        frame,
        bad_code.fill_null(True),
        "area_code",
        "kode wilayah '{value}' tidak sesuai tingkatnya; baris ini dilewati",
        source,
        "area_code",
    )
    for column in ("race_type", "race_code", "candidate_id"):
        empty = pl.col(column).fill_null("") == ""
        errors += cell_errors(
            frame,
            empty & ~bad_code.fill_null(True),
            column,
            "kosong; baris ini dilewati",
            source,
            "area_code",
        )
        bad_code = bad_code.fill_null(True) | empty
    frame = frame.filter(~bad_code.fill_null(True)).with_columns(casts)
    errors.sort(key=lambda e: (e.row, e.column or ""))
    return AreaTable(source, frame, errors)


def tps_long(frame: pl.DataFrame, race_code: str = "-", race_type: str = "-") -> pl.DataFrame:
    """A TPS frame (documented columns) as TPS-level rows of the long format, one per paslon column."""
    candidates = list(candidate_columns(frame.columns))
    return (
        frame.select("tps_code", *candidates)
        .unpivot(index="tps_code", on=candidates, variable_name="candidate_id", value_name="votes")
        .select(
            pl.lit(race_type).alias("race_type"),
            pl.lit(race_code).alias("race_code"),
            pl.lit("tps").alias("level"),
            pl.col("tps_code").alias("area_code"),
            "candidate_id",
            pl.col("votes").cast(pl.Int64),
        )
    )


def read_area_totals_csv(path: Path | str, race_code: str = "-", race_type: str = "-") -> AreaTable:
    """Reported totals of one tier in wide form (``prov_code`` or ``kab_code`` … plus ``paslonN``),
    such as ``pilpres2024_province_sirekap.csv``, as long-format rows."""
    source = str(path)
    data = load_bytes(path)
    if not data.strip():
        raise TpsCsvError(source, "berkas kosong (tidak ada baris judul maupun data)")
    names = header_fields(data.split(b"\n", 1)[0].rstrip(b"\r").decode("utf-8", "replace"), source)
    code_column = next((f"{lvl}_code" for lvl in LEVEL_DIGITS if f"{lvl}_code" in names), None)
    candidates = candidate_columns(names)
    if code_column is None or not candidates:
        raise TpsCsvError(
            source, "perlu satu kolom kode (prov_code, kab_code, kec_code, desa_code) dan kolom paslonN"
        )
    level = code_column.removesuffix("_code")
    buffer, rows, errors = split_rows(data, len(names), source)
    raw = pl.read_csv(io.BytesIO(buffer), infer_schema=False, encoding="utf8-lossy").with_columns(
        rows.alias("_row")
    )
    for c in candidates:
        value = pl.col(c).str.strip_chars().cast(pl.Int64, strict=False)
        errors += cell_errors(
            raw,
            pl.col(c).is_not_null() & value.is_null(),
            c,
            "'{value}' bukan bilangan bulat",
            source,
            code_column,
        )
    long = raw.unpivot(
        index=[code_column, "_row"], on=list(candidates), variable_name="candidate_id", value_name="votes"
    )
    frame = long.select(
        pl.lit(race_type).alias("race_type"),
        pl.lit(race_code).alias("race_code"),
        pl.lit(level).alias("level"),
        pl.col(code_column).str.strip_chars().alias("area_code"),
        "candidate_id",
        pl.col("votes").str.strip_chars().cast(pl.Int64, strict=False).alias("votes"),
        pl.lit(source).alias("source_file"),
        "_row",
    )
    return AreaTable(source, frame, errors)


def _dedupe(rows: pl.DataFrame, keys: Sequence[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Rows of one level with identical copies collapsed; returns (one row per area, conflicting copies)."""
    area = [*keys, "area_code"]
    distinct = rows.unique(subset=[*area, "votes"], keep="first", maintain_order=True)
    conflicts = distinct.filter(pl.len().over(area) > 1)
    return distinct.unique(subset=area, keep="first", maintain_order=True), conflicts


def tier_sums(frame: pl.DataFrame, keys: Sequence[str] = KEYS) -> pl.DataFrame:
    """Every parent row compared with the sum of its children on the next lower tier present.

    Columns: keys, ``level``, ``area_code``, ``source_file``, ``votes``, ``child_level``, ``children_sum``,
    ``difference`` (parent − children), ``n_children``, ``children`` (list of {area_code, votes})."""
    keys = list(keys)
    if "source_file" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, pl.Utf8).alias("source_file"))
    present = [lvl for lvl in LEVEL_DIGITS if frame.filter(pl.col("level") == lvl).height]
    parts = []
    for parent, child in zip(present, present[1:], strict=False):
        children, _ = _dedupe(frame.filter(pl.col("level") == child), keys)
        digits = LEVEL_DIGITS[parent]
        sums = children.group_by([*keys, pl.col("area_code").str.slice(0, digits).alias("_parent")]).agg(
            pl.col("votes").sum().alias("children_sum"),
            pl.len().alias("n_children"),
            pl.struct("area_code", "votes").sort_by("area_code").alias("children"),
        )
        parents = frame.filter(pl.col("level") == parent).unique(
            subset=[*keys, "area_code", "votes", "source_file"], maintain_order=True
        )
        joined = parents.join(sums, left_on=[*keys, "area_code"], right_on=[*keys, "_parent"], how="inner")
        parts.append(
            joined.select(
                *keys,
                "level",
                "area_code",
                "source_file",
                "votes",
                pl.lit(child).alias("child_level"),
                "children_sum",
                (pl.col("votes") - pl.col("children_sum")).alias("difference"),
                "n_children",
                "children",
            )
        )
    if not parts:
        return pl.DataFrame()
    return pl.concat(parts, how="vertical_relaxed")


def copy_conflicts(frame: pl.DataFrame, keys: Sequence[str] = KEYS) -> pl.DataFrame:
    """Areas whose copies (several rows for the same race, area and candidate) disagree."""
    out = []
    for level in LEVEL_DIGITS:
        rows = frame.filter(pl.col("level") == level)
        if rows.height:
            _, conflicts = _dedupe(rows, keys)
            out.append(conflicts)
    return pl.concat(out, how="vertical_relaxed") if out else frame.clear()


def tier_findings(frame: pl.DataFrame, keys: Sequence[str] = KEYS) -> list[Finding]:
    """R9 for every parent that is not the sum of its children; SOURCE_DIFF for disagreeing copies."""
    out: list[Finding] = []
    sums = tier_sums(frame, keys)
    if sums.height:
        for row in sums.filter(pl.col("difference") != 0).iter_rows(named=True):
            level, child = LEVEL_LABELS[row["level"]], LEVEL_LABELS[row["child_level"]]
            values: dict[str, JsonValue] = {k: row[k] for k in keys}
            values.update(
                {
                    "level": row["level"],
                    "votes": row["votes"],
                    "jumlah": row["children_sum"],
                    "selisih": row["difference"],
                    "source_file": row["source_file"],
                    "tingkat_bawah": row["child_level"],
                    "rincian": [{"area_code": c["area_code"], "votes": c["votes"]} for c in row["children"]],
                }
            )
            out.append(
                finding(
                    "R9",
                    f"Suara calon {row['candidate_id']} di {level} {row['area_code']} ({row['votes']}) tidak sama dengan "
                    f"jumlah {row['n_children']} {child} di bawahnya ({row['children_sum']}); "
                    f"selisih {row['difference']:+d}.",
                    values,
                    area_code=row["area_code"],
                )
            )
    return out + copy_findings(frame, keys)


def copy_findings(frame: pl.DataFrame, keys: Sequence[str] = KEYS) -> list[Finding]:
    """SOURCE_DIFF for every area whose copies in the file (same race, area, candidate) disagree."""
    out: list[Finding] = []
    conflicts = copy_conflicts(frame, keys)
    if conflicts.height:
        grouped = conflicts.group_by([*keys, "level", "area_code"], maintain_order=True).agg(
            pl.struct("source_file", "votes").alias("copies")
        )
        for row in grouped.iter_rows(named=True):
            copies = [{"source_file": c["source_file"], "votes": c["votes"]} for c in row["copies"]]
            values = {k: row[k] for k in keys}
            values.update({"level": row["level"], "copies": copies})
            listed = ", ".join(f"{c['votes']} ({c['source_file']})" for c in copies)
            out.append(
                finding(
                    "SOURCE_DIFF",
                    f"Salinan angka calon {row['candidate_id']} untuk {LEVEL_LABELS[row['level']]} {row['area_code']} "
                    f"berbeda: {listed}.",
                    values,
                    area_code=row["area_code"],
                )
            )
    return out


def tier_summary(frame: pl.DataFrame, keys: Sequence[str] = KEYS) -> dict[str, int]:
    """Comparisons made and failed per (parent tier, child tier), e.g. ``{"kab<kec": 5588, ...}``."""
    sums = tier_sums(frame, keys)
    if not sums.height:
        return {}
    rows = sums.group_by("level", "child_level").agg(
        pl.len().alias("checked"), (pl.col("difference") != 0).sum().alias("failed")
    )
    out: dict[str, int] = {}
    for level, child, checked, failed in rows.sort("level").iter_rows():
        out[f"{level}<{child} checked"] = int(checked)
        out[f"{level}<{child} failed"] = int(failed)
    return out
