"""The consistency rules R1–R8 of one TPS result form, evaluated on a whole frame at once.

Identities (a sum of parts must equal a total) — the rules a single misread digit breaks:

* R1  Σ paslon (kotak kosong included) = suara_sah
* R2  suara_sah + suara_tidak_sah = suara_total
* R3  suara_total = pengguna_total (every ballot in the box was cast by a counted voter)
* R3B pengguna_dpt + pengguna_dptb + pengguna_dpk = pengguna_total
* R6  surat_suara_diterima = digunakan + tidak_digunakan + rusak (only when those columns exist)
* R7  L + P = total (dpt_l + dpt_p = dpt; and each ``*_l``/``*_p`` pair present in the frame)

Bounds:

* R4  pengguna_dpt ≤ dpt
* R5  voters ≤ dpt + reserve, with reserve = ⌈p · dpt⌉ (2.5 % Pilkada, 2 % Pemilu; configurable) and
  voters = the largest of pengguna_total, suara_total and Σ paslon (all are ballots handed out)
* R5Z dpt = 0 while voters > 0 (the voter block of the form was not filled or not read)
* R8  dpt ≤ the legal maximum per TPS (600 Pilkada 2024, 300 Pemilu 2024; configurable)

An empty cell makes a rule that needs it not evaluable: it is never a violation by itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal, TypeAlias

import polars as pl

from waspada.elections.integrity.findings import Correction, Finding, JsonValue, finding
from waspada.elections.integrity.tps_csv import BAD_PASLON, candidate_columns

ElectionType: TypeAlias = Literal["pilkada", "pemilu"]

#: Reserve ballots (share of DPT) and the maximum DPT per TPS, by election type (reference notes §0).
ELECTION_DEFAULTS: dict[str, tuple[Fraction, int]] = {
    "pilkada": (Fraction(25, 1000), 600),
    "pemilu": (Fraction(2, 100), 300),
}
ELECTION_LABELS = {"pilkada": "Pilkada", "pemilu": "Pemilu"}


@dataclass(frozen=True, slots=True)
class RuleConfig:
    """Thresholds that depend on the election: the reserve share and the maximum DPT per TPS."""

    election_type: ElectionType = "pilkada"
    reserve: Fraction = Fraction(25, 1000)
    max_dpt: int = 600

    @classmethod
    def for_election(
        cls,
        election_type: ElectionType = "pilkada",
        *,
        reserve_percent: str | float | Fraction | None = None,
        max_dpt: int | None = None,
    ) -> RuleConfig:
        """Defaults of ``election_type``; ``reserve_percent="2.5"`` means 2.5 % of DPT."""
        if election_type not in ELECTION_DEFAULTS:
            raise ValueError(f"unknown election type {election_type!r}: use pilkada or pemilu")
        reserve, limit = ELECTION_DEFAULTS[election_type]
        if reserve_percent is not None:
            reserve = Fraction(str(reserve_percent)) / 100
        if reserve < 0 or (max_dpt is not None and max_dpt <= 0):
            raise ValueError("the reserve must be ≥ 0 and the maximum DPT > 0")
        return cls(election_type, reserve, limit if max_dpt is None else max_dpt)

    @property
    def reserve_label(self) -> str:
        percent = self.reserve * 100
        text = f"{float(percent):g}".replace(".", ",")
        return f"{text}%"

    def reserve_for(self, dpt: int) -> int:
        """⌈reserve · dpt⌉ in exact integer arithmetic (2 % of 250 is 5, not 6)."""
        return -((-dpt * self.reserve.numerator) // self.reserve.denominator)


@dataclass(frozen=True, slots=True)
class Identity:
    """``Σ parts = total``. With ``partial`` (the paslon columns) empty parts are absent candidates,
    and the sum is defined as soon as one part is filled."""

    rule: str
    parts: tuple[str, ...]
    total: str
    partial: bool = False
    #: A boolean column that, when true, makes the identity not evaluable (a paslon cell was unusable).
    guard: str | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        return (*self.parts, self.total)

    def parts_sum(self) -> pl.Expr:
        filled = [pl.col(c).is_not_null() for c in self.parts]
        ready = pl.any_horizontal(filled) if self.partial else pl.all_horizontal(filled)
        if self.guard is not None:
            ready = ready & ~pl.col(self.guard).fill_null(False)
        return pl.when(ready).then(pl.sum_horizontal(self.parts)).otherwise(None)

    def broken(self) -> pl.Expr:
        return (self.parts_sum() != pl.col(self.total)).fill_null(False)


def identities(columns: list[str] | tuple[str, ...]) -> list[Identity]:
    """The identities whose columns are all present in a frame with these columns."""
    present = set(columns)
    guard = BAD_PASLON if BAD_PASLON in present else None
    out = [
        Identity("R1", candidate_columns(columns), "suara_sah", partial=True, guard=guard),
        Identity("R2", ("suara_sah", "suara_tidak_sah"), "suara_total"),
        Identity("R3", ("suara_total",), "pengguna_total"),
        Identity("R3B", ("pengguna_dpt", "pengguna_dptb", "pengguna_dpk"), "pengguna_total"),
        Identity(
            "R6",
            ("surat_suara_digunakan", "surat_suara_tidak_digunakan", "surat_suara_rusak"),
            "surat_suara_diterima",
        ),
        Identity("R7", ("dpt_l", "dpt_p"), "dpt"),
    ]
    for base in ("pengguna_dpt", "pengguna_dptb", "pengguna_dpk", "pengguna_total"):
        out.append(Identity("R7", (f"{base}_l", f"{base}_p"), base))
    return [i for i in out if i.parts and set(i.columns) <= present]


def flag_name(identity: Identity) -> str:
    """Name of the boolean column of one identity (R7 can hold for one L/P pair and fail for another)."""
    if identity.rule == "R7" and identity.total != "dpt":
        return f"_R7_{identity.total}"
    return f"_{identity.rule}"


def rule_of(flag: str) -> str:
    """``_R7_pengguna_total`` → ``R7``."""
    return flag[1:].split("_", 1)[0]


BOUND_RULES = ("R4", "R5", "R5Z", "R8")


def evaluate(frame: pl.DataFrame, config: RuleConfig) -> pl.DataFrame:
    """The frame with helper columns ``_votes`` (Σ paslon), ``_voters``, ``_limit`` and one boolean
    column per identity and bound (``_R1`` … ``_R8``); True means the rule is broken."""
    candidates = candidate_columns(frame.columns)
    if candidates:
        filled = pl.any_horizontal([pl.col(c).is_not_null() for c in candidates])
        if BAD_PASLON in frame.columns:
            filled = filled & ~pl.col(BAD_PASLON).fill_null(False)
        votes = pl.when(filled).then(pl.sum_horizontal(candidates)).otherwise(None)
    else:  # no candidate columns (nothing stored yet): no votes to check
        votes = pl.lit(None, dtype=pl.Int64)
    reserve = (pl.col("dpt") * config.reserve.numerator + (config.reserve.denominator - 1)) // (
        config.reserve.denominator
    )
    helpers = frame.with_columns(votes.alias("_votes"), (pl.col("dpt") + reserve).alias("_limit"))
    helpers = helpers.with_columns(
        pl.max_horizontal("pengguna_total", "suara_total", "_votes").alias("_voters")
    )
    flags = [i.broken().alias(flag_name(i)) for i in identities(frame.columns)]
    flags += [
        (pl.col("pengguna_dpt") > pl.col("dpt")).fill_null(False).alias("_R4"),
        ((pl.col("dpt") > 0) & (pl.col("_voters") > pl.col("_limit"))).fill_null(False).alias("_R5"),
        ((pl.col("dpt") == 0) & (pl.col("_voters") > 0)).fill_null(False).alias("_R5Z"),
        (pl.col("dpt") > config.max_dpt).fill_null(False).alias("_R8"),
    ]
    return helpers.with_columns(flags)


def flag_columns(evaluated: pl.DataFrame) -> list[str]:
    return [c for c in evaluated.columns if c.startswith("_R")]


def rule_counts(evaluated: pl.DataFrame) -> dict[str, int]:
    """Number of TPS breaking each rule (an R7 TPS counts once even when two L/P pairs fail)."""
    by_rule: dict[str, list[str]] = {}
    for name in flag_columns(evaluated):
        by_rule.setdefault(rule_of(name), []).append(name)
    row = evaluated.select(
        [pl.any_horizontal(names).sum().alias(rule) for rule, names in by_rule.items()]
    ).row(0, named=True)
    return {rule: int(n) for rule, n in row.items()}


# ---------------------------------------------------------------------------------------------------
# Findings


def _n(value: Any) -> str:
    return "kosong" if value is None else str(value)


def _values(row: Mapping[str, Any], columns: tuple[str, ...] | list[str]) -> dict[str, JsonValue]:
    return {c: row[c] for c in columns}


def _identity_message(identity: Identity, row: Mapping[str, Any]) -> tuple[str, dict[str, JsonValue]]:
    parts = [c for c in identity.parts if row[c] is not None]
    total = sum(int(row[c]) for c in parts)
    stated = int(row[identity.total])
    values = _values(row, [*parts, identity.total])
    values["jumlah"] = total
    values["selisih"] = stated - total
    terms = " + ".join(str(row[c]) for c in parts)
    if identity.rule == "R1":
        text = f"Jumlah suara paslon ({terms} = {total}) tidak sama dengan suara sah ({stated})"
    elif identity.rule == "R2":
        text = f"Suara sah + tidak sah ({terms} = {total}) tidak sama dengan jumlah seluruh suara ({stated})"
    elif identity.rule == "R3":
        text = f"Jumlah seluruh suara ({total}) tidak sama dengan jumlah pengguna hak pilih ({stated})"
    elif identity.rule == "R3B":
        text = (
            f"Pengguna hak pilih DPT + DPTb + DPK ({terms} = {total}) tidak sama dengan "
            f"jumlah pengguna hak pilih ({stated})"
        )
    elif identity.rule == "R6":
        text = (
            f"Surat suara digunakan + tidak digunakan + rusak ({terms} = {total}) tidak sama dengan "
            f"surat suara diterima ({stated})"
        )
    else:
        label = "DPT" if identity.total == "dpt" else identity.total.replace("_", " ")
        text = f"{label}: laki-laki + perempuan ({terms} = {total}) tidak sama dengan jumlah ({stated})"
    return f"{text}; selisih {stated - total:+d}.", values


def _bound_message(rule: str, row: Mapping[str, Any], config: RuleConfig) -> tuple[str, dict[str, JsonValue]]:
    if rule == "R4":
        values = _values(row, ["pengguna_dpt", "dpt"])
        values["selisih"] = int(row["pengguna_dpt"]) - int(row["dpt"])
        return f"Pengguna hak pilih dari DPT ({row['pengguna_dpt']}) melebihi DPT ({row['dpt']}).", values
    measures = {
        "pengguna_total": row["pengguna_total"],
        "suara_total": row["suara_total"],
        "jumlah_suara_paslon": row["_votes"],
    }
    if rule == "R5":
        dpt, limit, voters = int(row["dpt"]), int(row["_limit"]), int(row["_voters"])
        values = {"dpt": dpt, "cadangan": limit - dpt, "batas": limit, **measures, "selisih": voters - limit}
        return (
            f"Jumlah pemilih ({voters}) melebihi DPT + surat suara cadangan {config.reserve_label} "
            f"({dpt} + {limit - dpt} = {limit}); selisih {voters - limit}."
        ), values
    if rule == "R5Z":
        values = {"dpt": row["dpt"], **measures}
        return (
            f"DPT tertulis 0, padahal tercatat {_n(row['_voters'])} pemilih/suara "
            f"(pengguna hak pilih {_n(row['pengguna_total'])}, jumlah suara {_n(row['suara_total'])}, "
            f"suara paslon {_n(row['_votes'])})."
        ), values
    values = {"dpt": row["dpt"], "batas": config.max_dpt}
    return (
        f"DPT {row['dpt']} melebihi batas {config.max_dpt} pemilih per TPS untuk "
        f"{ELECTION_LABELS[config.election_type]}."
    ), values


def rule_findings(
    evaluated: pl.DataFrame,
    config: RuleConfig,
    corrections: Mapping[str, Sequence[Correction]] | None = None,
) -> list[Finding]:
    """One finding per broken rule per TPS, in file order. ``corrections`` maps a TPS code to likely
    reading errors (see :mod:`digits`): a finding carries the one correction that repairs its rule as
    ``suggested``; when several would, they are listed in ``values["kemungkinan_koreksi"]`` instead."""
    corrections = corrections or {}
    all_identities = identities(evaluated.columns)
    names = flag_columns(evaluated)
    broken = evaluated.filter(pl.any_horizontal(names))
    out: list[Finding] = []
    for row in broken.iter_rows(named=True):
        code = row["tps_code"]
        found: list[tuple[str, str, dict[str, JsonValue]]] = []
        for identity in all_identities:
            if row[flag_name(identity)]:
                found.append((flag_name(identity), *_identity_message(identity, row)))
        for rule in BOUND_RULES:
            if row[f"_{rule}"]:
                found.append((f"_{rule}", *_bound_message(rule, row, config)))
        for flag, message, values in found:
            options = [c for c in corrections.get(code, ()) if flag in c.repairs]
            suggested = None
            if len(options) == 1:
                suggested = options[0].to_json()
                message += f" Kemungkinan salah baca: {options[0].reason}."
            elif options:
                values["kemungkinan_koreksi"] = [c.to_json() for c in options]
                message += f" Ada {len(options)} kemungkinan salah baca (lihat values)."
            out.append(finding(rule_of(flag), message, values, tps_code=code, suggested=suggested))
    return out
