"""Integrity checks of election results — pure: files and polars frames in, findings out (no Django).

    from waspada.elections.integrity import CheckConfig, check_tps, read_tps_csv, write_jsonl

    table = read_tps_csv("kaltara_pilpres2024_tps_sirekap.csv")
    report = check_tps(table, CheckConfig.for_election("pemilu"))
    report.counts        # {"R1": 47, "R2": 6, ...}
    write_jsonl(report.findings, "findings.jsonl")

Modules: :mod:`tps_csv` (the documented TPS format), :mod:`rules` (R1–R8), :mod:`digits` (likely reading
errors), :mod:`duplicates`, :mod:`turnout`, :mod:`tiers` (R9, area long format), :mod:`sources` (two
sources of the same TPS), :mod:`findings` (the record and its JSONL writer).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction

import polars as pl

from waspada.elections.integrity.digits import DEFAULT_PAIRS, explain_misread, suggest_corrections
from waspada.elections.integrity.duplicates import duplicate_findings
from waspada.elections.integrity.findings import (
    RULES,
    Correction,
    Finding,
    count_by_rule,
    read_jsonl,
    write_jsonl,
)
from waspada.elections.integrity.rules import ElectionType, RuleConfig, evaluate, rule_findings
from waspada.elections.integrity.tps_csv import (
    RowError,
    TpsCsvError,
    TpsTable,
    candidate_columns,
    parse_tps_csv,
    read_tps_csv,
)
from waspada.elections.integrity.turnout import full_turnout_findings, turnout_outlier_findings

__all__ = [
    "RULES",
    "CheckConfig",
    "CheckReport",
    "Correction",
    "Finding",
    "RowError",
    "RuleConfig",
    "TpsCsvError",
    "TpsTable",
    "check_frame",
    "check_tps",
    "count_by_rule",
    "explain_misread",
    "parse_tps_csv",
    "read_jsonl",
    "read_tps_csv",
    "write_jsonl",
]


@dataclass(frozen=True, slots=True)
class CheckConfig:
    """Everything a TPS check run can be tuned with; :meth:`for_election` gives the legal defaults."""

    rules: RuleConfig = field(default_factory=RuleConfig)
    digit_pairs: tuple[tuple[str, str], ...] = DEFAULT_PAIRS
    duplicate_min_votes: int = 10
    full_turnout_min_dpt: int = 50
    outlier_z: float = 3.5
    outlier_min_gap: float = 0.15
    outlier_min_tps: int = 8

    @classmethod
    def for_election(
        cls,
        election_type: ElectionType = "pilkada",
        *,
        reserve_percent: str | float | Fraction | None = None,
        max_dpt: int | None = None,
    ) -> CheckConfig:
        rules = RuleConfig.for_election(election_type, reserve_percent=reserve_percent, max_dpt=max_dpt)
        return cls(rules=rules)

    def with_rules(self, rules: RuleConfig) -> CheckConfig:
        return replace(self, rules=rules)


@dataclass(slots=True)
class CheckReport:
    """Findings of one run, in the order: row errors, rule findings (file order), duplicates, turnout."""

    findings: list[Finding]
    tps: int
    with_votes: int
    with_admin: int

    @property
    def counts(self) -> dict[str, int]:
        return count_by_rule(self.findings)


def check_frame(frame: pl.DataFrame, config: CheckConfig | None = None) -> list[Finding]:
    """All TPS checks on a frame in the documented column names (see :mod:`tps_csv`)."""
    config = config or CheckConfig()
    if frame.height == 0 or not candidate_columns(frame.columns):
        return []  # nothing stored yet (every row of the file was refused): nothing to check
    evaluated = evaluate(frame, config.rules)
    corrections = suggest_corrections(evaluated, config.rules, config.digit_pairs)
    findings = rule_findings(evaluated, config.rules, corrections)
    findings += duplicate_findings(frame, min_votes=config.duplicate_min_votes)
    findings += full_turnout_findings(frame, min_dpt=config.full_turnout_min_dpt)
    findings += turnout_outlier_findings(
        frame, z_limit=config.outlier_z, min_gap=config.outlier_min_gap, min_tps=config.outlier_min_tps
    )
    return findings


def check_tps(table: TpsTable, config: CheckConfig | None = None) -> CheckReport:
    """Row errors of the file followed by every check of :func:`check_frame`."""
    frame = table.frame
    findings = [error.to_finding() for error in table.errors]
    findings += check_frame(frame, config)
    candidates = list(table.candidates)
    with_votes = (
        frame.select(pl.any_horizontal([pl.col(c).is_not_null() for c in candidates]).sum()).item()
        if candidates
        else 0
    )
    with_admin = frame.select(pl.col("dpt").is_not_null().sum()).item()
    return CheckReport(findings, frame.height, int(with_votes), int(with_admin))
