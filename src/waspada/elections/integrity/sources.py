"""Two sources of the same TPS results compared cell by cell (Sirekap vs recapitulation vs witness copy,
KPU vs KawalPemilu).

The sources may come as two files in the documented TPS format (joined on ``tps_code``) or as one file
holding both side by side, like ``kaltara_pilpres2019_tps_kawalpemilu.csv`` (:func:`read_kawalpemilu_2019`).
A SOURCE_DIFF finding lists every differing cell and says which source's own figures add up (R1 – R3),
since a C.Hasil vs D.Hasil mismatch is a signal to inspect, not proof (reference notes §2.4): the source
that is internally consistent is the better first guess.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from waspada.elections.integrity.findings import Finding, JsonValue, finding
from waspada.elections.integrity.rules import RuleConfig, evaluate, flag_columns, rule_findings, rule_of
from waspada.elections.integrity.tps_csv import (
    COUNT_COLUMNS,
    RowError,
    TpsCsvError,
    candidate_columns,
    cell_errors,
    header_fields,
    load_bytes,
    split_rows,
)

#: Columns compared when both sources have them (the paslon columns come first).
COMPARED = (
    "suara_sah",
    "suara_tidak_sah",
    "suara_total",
    "pengguna_total",
    "pengguna_dpt",
    "pengguna_dptb",
    "pengguna_dpk",
    "dpt",
)

#: Registry columns: equal in both sources of a paired file, not evidence that a source has results.
REGISTRY = ("dpt", "dpt_l", "dpt_p")

KAWALPEMILU_2019_FIELDS = {
    "pas1": "paslon1",
    "pas2": "paslon2",
    "sah": "suara_sah",
    "tsah": "suara_tidak_sah",
    "jum": "pengguna_total",
}
KAWALPEMILU_2019_REQUIRED = (
    "tps_id",
    "tps_no",
    "desa_code_kemendagri",
    "kec_code_kemendagri",
    "kab_code_kemendagri",
    "code_match",
    "kel_name",
    "dpt",
    "dpt_l",
    "dpt_p",
    *(f"{side}_{name}" for side in ("kpu", "kp") for name in KAWALPEMILU_2019_FIELDS),
)


@dataclass(slots=True)
class PairedSources:
    """Two frames in the documented column names, row-aligned on ``key``."""

    source: str
    a: pl.DataFrame
    b: pl.DataFrame
    labels: tuple[str, str]
    key: str = "tps_code"
    errors: list[RowError] = field(default_factory=list)


def with_documented_columns(frame: pl.DataFrame) -> pl.DataFrame:
    """Add the documented count columns a frame lacks, empty, so every rule can be evaluated."""
    missing = [c for c in (*COUNT_COLUMNS, "kec_code", "desa_code") if c not in frame.columns]
    return frame.with_columns(
        [pl.lit(None, pl.Int64 if c in COUNT_COLUMNS else pl.Utf8).alias(c) for c in missing]
    )


def read_kawalpemilu_2019(path: Path | str) -> PairedSources:
    """The KawalPemilu 2019 extract: KPU Situng (``kpu_*``) and KawalPemilu (``kp_*``) figures per TPS.

    ``jum`` (pengguna hak pilih) becomes ``pengguna_total``; the form's "jumlah seluruh suara" is not in
    the extract, so ``suara_total`` is taken as ``sah + tsah`` — R3 then is KawalPemilu's own check
    ``jum ≠ sah + tSah``. ``tps_code`` is the Kemendagri desa code + the 3-digit TPS number (empty where
    the 2019 village has no code), and the key is the KawalPemilu ``tps_id``."""
    source = str(path)
    data = load_bytes(path)
    if not data.strip():
        raise TpsCsvError(source, "berkas kosong (tidak ada baris judul maupun data)")
    names = header_fields(data.split(b"\n", 1)[0].rstrip(b"\r").decode("utf-8", "replace"), source)
    missing = [c for c in KAWALPEMILU_2019_REQUIRED if c not in names]
    if missing:
        raise TpsCsvError(source, f"kolom wajib tidak ada: {', '.join(missing)}")
    buffer, rows, errors = split_rows(data, len(names), source)
    if not rows.len():
        raise TpsCsvError(source, "tidak ada baris data (hanya baris judul)")
    raw = pl.read_csv(io.BytesIO(buffer), infer_schema=False, encoding="utf8-lossy").with_columns(
        rows.alias("_row")
    )
    numeric = ["dpt", "dpt_l", "dpt_p", *(f"{s}_{n}" for s in ("kpu", "kp") for n in KAWALPEMILU_2019_FIELDS)]
    casts = []
    for column in numeric:
        value = pl.col(column).str.strip_chars().cast(pl.Int64, strict=False)
        errors += cell_errors(
            raw,
            pl.col(column).is_not_null() & value.is_null(),
            column,
            "'{value}' bukan bilangan bulat",
            source,
            "tps_id",
        )
        errors += cell_errors(raw, value < 0, column, "'{value}' negatif", source, "tps_id")
        casts.append(pl.when(value >= 0).then(value).otherwise(None).alias(column))
    raw = raw.with_columns(casts)
    code = pl.col("desa_code_kemendagri") + pl.col("tps_no").str.strip_chars().str.zfill(3)
    common: list[pl.Expr] = [
        pl.col("tps_id"),
        code.alias("tps_code"),
        pl.col("desa_code_kemendagri").alias("desa_code"),
        pl.col("kec_code_kemendagri").alias("kec_code"),
        pl.col("kab_code_kemendagri").alias("kab_code"),
        pl.col("kel_name").alias("desa_name"),
        *(pl.col(c) for c in ("code_match", "dpt", "dpt_l", "dpt_p", "_row")),
    ]

    def side(prefix: str) -> pl.DataFrame:
        cols = [pl.col(f"{prefix}_{name}").alias(target) for name, target in KAWALPEMILU_2019_FIELDS.items()]
        frame = raw.select(*common, *cols)
        return frame.with_columns((pl.col("suara_sah") + pl.col("suara_tidak_sah")).alias("suara_total"))

    return PairedSources(source, side("kpu"), side("kp"), ("KPU", "KawalPemilu"), key="tps_id", errors=errors)


def compared_columns(a: pl.DataFrame, b: pl.DataFrame) -> list[str]:
    both = set(a.columns) & set(b.columns)
    paslon = [c for c in candidate_columns(a.columns) if c in both]
    return paslon + [c for c in COMPARED if c in both]


def _consistency(frame: pl.DataFrame, config: RuleConfig) -> pl.DataFrame:
    """Per row: the rules (R1–R8) its own figures break, as a list of rule ids."""
    evaluated = evaluate(with_documented_columns(frame), config)
    flags = flag_columns(evaluated)
    return evaluated.select(
        pl.concat_list([pl.when(pl.col(f)).then(pl.lit(rule_of(f))).otherwise(None) for f in flags])
        .list.drop_nulls()
        .list.unique(maintain_order=True)
        .alias("_broken")
    )


def compare_sources(
    a: pl.DataFrame,
    b: pl.DataFrame,
    *,
    labels: tuple[str, str] = ("A", "B"),
    key: str = "tps_code",
    columns: Sequence[str] | None = None,
    config: RuleConfig | None = None,
) -> list[Finding]:
    """SOURCE_DIFF for every TPS where a cell filled in both sources differs; SOURCE_MISSING where a TPS
    has figures in one source only."""
    config = config or RuleConfig()
    columns = list(columns) if columns is not None else compared_columns(a, b)
    la, lb = labels
    a = a.with_columns(_consistency(a, config))
    b = b.with_columns(_consistency(b, config))
    keep = [key, *[c for c in ("tps_code", "tps_id", "desa_name") if c in a.columns and c != key]]
    left = a.select(*keep, *columns, "_broken")
    right = b.select(key, *columns, "_broken").rename({c: f"{c}__b" for c in [*columns, "_broken"]})
    joined = left.join(right, on=key, how="full", coalesce=True, maintain_order="left")
    # A source "has" a TPS when one of its result cells is filled and not 0 (all zeros = not entered).
    results = [c for c in columns if c not in REGISTRY]
    has_a = pl.any_horizontal([(pl.col(c) > 0).fill_null(False) for c in results])
    has_b = pl.any_horizontal([(pl.col(f"{c}__b") > 0).fill_null(False) for c in results])
    differs = pl.any_horizontal([(pl.col(c) != pl.col(f"{c}__b")).fill_null(False) for c in columns])
    out: list[Finding] = []
    relevant = joined.filter(differs | (has_a != has_b))
    for row in relevant.iter_rows(named=True):
        code = row.get("tps_code") if key != "tps_code" else row[key]
        ident: dict[str, JsonValue] = {key: row[key]} if key != "tps_code" else {}
        a_filled = any(row[c] not in (None, 0) for c in results)
        b_filled = any(row[f"{c}__b"] not in (None, 0) for c in results)
        if a_filled != b_filled:
            only, absent = (la, lb) if a_filled else (lb, la)
            values: dict[str, JsonValue] = {**ident, "ada_di": only, "tidak_ada_di": absent}
            values[la] = {c: row[c] for c in columns}
            values[lb] = {c: row[f"{c}__b"] for c in columns}
            out.append(
                finding(
                    "SOURCE_MISSING",
                    f"Angka hasil TPS ini hanya ada di {only}; di {absent} kosong atau semuanya 0.",
                    values,
                    tps_code=code,
                )
            )
            continue
        diff = [
            c
            for c in columns
            if row[c] is not None and row[f"{c}__b"] is not None and row[c] != row[f"{c}__b"]
        ]
        values = {**ident, "kolom_berbeda": list(diff)}
        values[la] = {c: row[c] for c in columns}
        values[lb] = {c: row[f"{c}__b"] for c in columns}
        broken_a, broken_b = list(row["_broken"] or []), list(row["_broken__b"] or [])
        values[f"aturan_dilanggar_{la}"] = list(broken_a)
        values[f"aturan_dilanggar_{lb}"] = list(broken_b)
        listed = "; ".join(f"{c}: {la} {row[c]}, {lb} {row[f'{c}__b']}" for c in diff)
        verdict = _verdict(la, lb, broken_a, broken_b)
        out.append(
            finding("SOURCE_DIFF", f"{la} dan {lb} berbeda — {listed}. {verdict}", values, tps_code=code)
        )
    return out


def _verdict(la: str, lb: str, broken_a: list[str], broken_b: list[str]) -> str:
    if broken_a and not broken_b:
        return f"Angka {lb} konsisten; angka {la} melanggar {', '.join(broken_a)}."
    if broken_b and not broken_a:
        return f"Angka {la} konsisten; angka {lb} melanggar {', '.join(broken_b)}."
    if broken_a and broken_b:
        return f"Kedua sumber melanggar aturan ({la}: {', '.join(broken_a)}; {lb}: {', '.join(broken_b)})."
    return "Angka kedua sumber sama-sama konsisten; periksa formulir aslinya."


def source_rule_findings(paired: PairedSources, config: RuleConfig | None = None) -> list[Finding]:
    """The rule findings (R1–R8) of each source on its own, the source named in ``values["sumber"]``."""
    config = config or RuleConfig()
    out: list[Finding] = []
    for label, frame in ((paired.labels[0], paired.a), (paired.labels[1], paired.b)):
        evaluated = evaluate(with_documented_columns(frame.filter(pl.col("tps_code").is_not_null())), config)
        for item in rule_findings(evaluated, config):
            values = {"sumber": label, **item.values}
            out.append(
                finding(
                    item.rule,
                    f"[{label}] {item.message}",
                    values,
                    tps_code=item.tps_code,
                    severity=item.severity,
                )
            )
    return out


__all__ = [
    "PairedSources",
    "compare_sources",
    "compared_columns",
    "read_kawalpemilu_2019",
    "source_rule_findings",
    "with_documented_columns",
]
