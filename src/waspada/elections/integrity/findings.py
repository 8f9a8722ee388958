"""The finding record every check returns, the catalogue of rule ids, and the JSONL writer.

A finding names one rule, one TPS (``tps_code``) or one area (``area_code``), the values that broke the
rule, a message in Bahasa Indonesia, and — when a likely reading error explains the values — the
suggested correction. The JSON shape is a contract (``waspada elections check --output``)::

    {"rule": "R1", "severity": "error", "tps_code": "6501082006001", "values": {...},
     "message": "...", "suggested": null}
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Literal, TypeAlias

Severity: TypeAlias = Literal["error", "warning", "info"]
JsonScalar: TypeAlias = str | int | float | bool | None
JsonValue: TypeAlias = JsonScalar | list["JsonValue"] | dict[str, "JsonValue"]

#: Order of severities, most serious first (for sorting summaries).
SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """One rule of the catalogue: its id, default severity, and a short Indonesian title."""

    id: str
    severity: Severity
    title: str


RULES: dict[str, RuleInfo] = {
    r.id: r
    for r in (
        RuleInfo("R1", "error", "jumlah suara paslon ≠ suara sah"),
        RuleInfo("R2", "error", "suara sah + tidak sah ≠ jumlah seluruh suara"),
        RuleInfo("R3", "error", "jumlah seluruh suara ≠ jumlah pengguna hak pilih"),
        RuleInfo("R3B", "error", "pengguna hak pilih DPT + DPTb + DPK ≠ jumlah pengguna hak pilih"),
        RuleInfo("R4", "error", "pengguna hak pilih dari DPT > DPT"),
        RuleInfo("R5", "error", "pemilih > DPT + surat suara cadangan"),
        RuleInfo("R5Z", "error", "DPT 0 padahal ada pemilih atau suara"),
        RuleInfo("R6", "error", "surat suara diterima ≠ digunakan + tidak digunakan + rusak"),
        RuleInfo("R7", "error", "laki-laki + perempuan ≠ jumlah"),
        RuleInfo("R8", "warning", "DPT per TPS melebihi batas"),
        RuleInfo("R9", "error", "angka suatu tingkat ≠ jumlah tingkat di bawahnya"),
        RuleInfo("R10", "error", "isi sel tidak dapat dipakai (bukan bilangan bulat ≥ 0, kode salah)"),
        RuleInfo("DUP", "warning", "hasil identik di dua TPS atau lebih dalam satu desa"),
        RuleInfo("TURNOUT100", "warning", "partisipasi DPT 100% di TPS besar"),
        RuleInfo("TURNOUT_OUTLIER", "info", "partisipasi jauh dari TPS lain di kecamatan yang sama"),
        RuleInfo("SOURCE_DIFF", "warning", "dua sumber berbeda untuk TPS atau wilayah yang sama"),
        RuleInfo("SOURCE_MISSING", "info", "TPS atau wilayah hanya ada di satu sumber"),
    )
}

#: Rules about the arithmetic of one TPS form (R1–R8): the ones the benchmark scores.
ARITHMETIC_RULES: frozenset[str] = frozenset({"R1", "R2", "R3", "R3B", "R4", "R5", "R5Z", "R6", "R7", "R8"})


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule broken at one TPS or area."""

    rule: str
    severity: Severity
    message: str
    values: dict[str, JsonValue] = field(default_factory=dict)
    tps_code: str | None = None
    area_code: str | None = None
    suggested: dict[str, JsonValue] | None = None

    def to_dict(self) -> dict[str, JsonValue]:
        """The JSON object of the CLI contract: ``tps_code`` for TPS findings, ``area_code`` otherwise."""
        out: dict[str, JsonValue] = {"rule": self.rule, "severity": self.severity}
        if self.tps_code is not None or self.area_code is None:
            out["tps_code"] = self.tps_code
        if self.area_code is not None:
            out["area_code"] = self.area_code
        out["values"] = self.values
        out["message"] = self.message
        out["suggested"] = self.suggested
        return out


@dataclass(frozen=True, slots=True)
class Correction:
    """A likely reading error: ``column`` was read as ``observed`` but ``value`` makes the rules hold.

    ``repairs`` holds the rule flags (``_R1``, ``_R7_pengguna_total`` …) the correction repairs."""

    column: str
    observed: int
    value: int
    kind: str
    reason: str
    repairs: frozenset[str] = frozenset()

    def to_json(self) -> dict[str, JsonValue]:
        return {
            "column": self.column,
            "from": self.observed,
            "to": self.value,
            "kind": self.kind,
            "reason": self.reason,
        }


def finding(
    rule: str,
    message: str,
    values: Mapping[str, JsonValue],
    *,
    tps_code: str | None = None,
    area_code: str | None = None,
    suggested: dict[str, JsonValue] | None = None,
    severity: Severity | None = None,
) -> Finding:
    """A finding with the catalogue's severity for ``rule`` unless one is given."""
    return Finding(
        rule=rule,
        severity=severity or RULES[rule].severity,
        message=message,
        values=dict(values),
        tps_code=tps_code,
        area_code=area_code,
        suggested=suggested,
    )


def count_by_rule(findings: Iterable[Finding]) -> dict[str, int]:
    """Findings per rule id, in catalogue order (unknown ids last, alphabetically)."""
    counts = Counter(f.rule for f in findings)
    order = {rule: i for i, rule in enumerate(RULES)}
    return {rule: counts[rule] for rule in sorted(counts, key=lambda r: (order.get(r, len(order)), r))}


def write_jsonl(findings: Iterable[Finding], target: Path | str | IO[str]) -> int:
    """Write one JSON object per line (UTF-8, non-ASCII kept); returns the number of lines."""
    if isinstance(target, (str, Path)):
        with Path(target).open("w", encoding="utf-8") as stream:
            return write_jsonl(findings, stream)
    n = 0
    for item in findings:
        target.write(json.dumps(item.to_dict(), ensure_ascii=False, separators=(",", ":")))
        target.write("\n")
        n += 1
    return n


def read_jsonl(source: Path | str) -> list[Finding]:
    """Read findings written by :func:`write_jsonl` (for tests and for later import)."""
    out: list[Finding] = []
    with Path(source).open(encoding="utf-8") as stream:
        for line in stream:
            if not line.strip():
                continue
            data = json.loads(line)
            out.append(
                Finding(
                    rule=data["rule"],
                    severity=data["severity"],
                    message=data["message"],
                    values=data.get("values") or {},
                    tps_code=data.get("tps_code"),
                    area_code=data.get("area_code"),
                    suggested=data.get("suggested"),
                )
            )
    return out
