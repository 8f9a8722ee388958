"""Likely digit-reading errors and the corrections that make a TPS form add up again.

Sirekap reads handwritten C.Hasil forms by OCR; KPU itself named "3 terbaca 8" and "2 terbaca 7" as the
usual failures, and the well-known cases add or drop a digit (80 → 720, 152 → 652, 185 → 85). For a TPS
whose identities (R1, R2, R3, R3B, R6, R7 — see :mod:`rules`) do not hold, each count cell is tried in
turn: the identities that contain it say which value it should have had; when exactly that value is one
reading error away from what was read (a confusable digit swapped, one digit added or dropped), the
corrected form is checked again with every rule. A correction is suggested when it repairs every broken
identity and breaks no rule that held before.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from waspada.elections.integrity.findings import Correction
from waspada.elections.integrity.rules import (
    BOUND_RULES,
    Identity,
    RuleConfig,
    evaluate,
    flag_name,
    identities,
)
from waspada.elections.integrity.tps_csv import BAD_PASLON, candidate_columns

#: Digit pairs an OCR or a tired clerk confuses, in both directions (KPU, 19 Feb 2024).
DEFAULT_PAIRS: tuple[tuple[str, str], ...] = (("3", "8"), ("2", "7"), ("1", "7"))


@dataclass(frozen=True, slots=True)
class Misread:
    """How ``observed`` can come from ``intended`` by one reading error."""

    kind: str  # "swap_3_8", "digit_added", "digit_dropped"
    reason: str  # in Bahasa Indonesia


def explain_misread(
    observed: int, intended: int, pairs: Iterable[tuple[str, str]] = DEFAULT_PAIRS
) -> Misread | None:
    """The single reading error that turns ``intended`` into ``observed``, or None.

    >>> explain_misread(85, 185).reason
    "angka '1' tidak terbaca (185 terbaca 85)"
    >>> explain_misread(88, 38).kind
    'swap_3_8'
    """
    if observed < 0 or intended < 0 or observed == intended:
        return None
    seen, meant = str(observed), str(intended)
    if len(seen) == len(meant):
        diff = [i for i in range(len(seen)) if seen[i] != meant[i]]
        if len(diff) != 1:
            return None
        a, b = meant[diff[0]], seen[diff[0]]
        for x, y in pairs:
            if {a, b} == {x, y}:
                low, high = sorted((x, y))
                context = f" ({meant} terbaca {seen})" if len(meant) > 1 else ""
                return Misread(f"swap_{low}_{high}", f"angka {a} terbaca {b}{context}")
        return None
    if len(seen) == len(meant) + 1:
        for i in range(len(seen)):
            if seen[:i] + seen[i + 1 :] == meant:
                return Misread("digit_added", f"angka '{seen[i]}' tambahan terbaca ({meant} terbaca {seen})")
        return None
    if len(seen) + 1 == len(meant):
        for i in range(len(meant)):
            if meant[:i] + meant[i + 1 :] == seen:
                return Misread("digit_dropped", f"angka '{meant[i]}' tidak terbaca ({meant} terbaca {seen})")
    return None


def misread_variants(value: int, pairs: Iterable[tuple[str, str]] = DEFAULT_PAIRS) -> dict[int, Misread]:
    """Every value ``value`` may have been meant as, one reading error away, with the error."""
    pairs = tuple(pairs)
    text = str(value)
    digits = "0123456789"
    strings = {text[:i] + d + text[i + 1 :] for i in range(len(text)) for d in digits}
    strings |= {text[:i] + text[i + 1 :] for i in range(len(text))}
    strings |= {text[:i] + d + text[i:] for i in range(len(text) + 1) for d in digits}
    out: dict[int, Misread] = {}
    for candidate in sorted(int(s) for s in strings if s and (s == "0" or not s.startswith("0"))):
        misread = explain_misread(value, candidate, pairs)
        if misread is not None:
            out[candidate] = misread
    return out


def _implied(identity: Identity, column: str, row: Mapping[str, Any]) -> int | None:
    """The value ``column`` must have for ``identity`` to hold, given the other cells of ``row``."""
    parts = [row[c] for c in identity.parts if c != column]
    if identity.partial:
        parts = [v for v in parts if v is not None]
    elif any(v is None for v in parts):
        return None
    if column == identity.total:
        return int(sum(parts)) if (parts or identity.partial) else None
    total = row[identity.total]
    return None if total is None else int(total) - int(sum(parts))


def _evaluable(identity: Identity, row: Mapping[str, Any]) -> bool:
    if row[identity.total] is None or (identity.guard is not None and row.get(identity.guard)):
        return False
    filled = [row[c] is not None for c in identity.parts]
    return any(filled) if identity.partial else all(filled)


def candidate_corrections(
    row: Mapping[str, Any], checks: Sequence[Identity], pairs: Iterable[tuple[str, str]] = DEFAULT_PAIRS
) -> list[Correction]:
    """Single-cell corrections of one evaluated row that would repair all its broken identities
    (before the bounds are checked again)."""
    broken = [i for i in checks if row[flag_name(i)]]
    if not broken:
        return []
    pairs = tuple(pairs)
    columns = {c for i in broken for c in i.columns}
    out: list[Correction] = []
    for column in sorted(columns):
        observed = row[column]
        if observed is None:
            continue
        containing = [i for i in checks if column in i.columns and _evaluable(i, row)]
        # Changing the cell breaks every identity it is in that holds now, and repairs none it is not in.
        if any(not row[flag_name(i)] for i in containing) or any(i not in containing for i in broken):
            continue
        implied = {_implied(i, column, row) for i in containing}
        if len(implied) != 1:
            continue
        value = implied.pop()
        if value is None or value < 0:
            continue
        misread = explain_misread(int(observed), value, pairs)
        if misread is None:
            continue
        repairs = frozenset(flag_name(i) for i in containing)
        out.append(
            Correction(column, int(observed), value, misread.kind, f"{column}: {misread.reason}", repairs)
        )
    return out


def _bound_columns(candidates: Sequence[str]) -> dict[str, set[str]]:
    voters = {"dpt", "pengguna_total", "suara_total", *candidates}
    return {"R4": {"pengguna_dpt", "dpt"}, "R5": voters, "R5Z": voters, "R8": {"dpt"}}


def suggest_corrections(
    evaluated: pl.DataFrame,
    config: RuleConfig,
    pairs: Iterable[tuple[str, str]] = DEFAULT_PAIRS,
) -> dict[str, list[Correction]]:
    """Corrections per TPS code for the rows of ``evaluated`` (the output of :func:`rules.evaluate`).

    The corrected row must break no identity, and no bound that held before. A bound that stays broken
    is tolerated only when it shares no cell with the repaired identities (an oversized TPS says nothing
    about a misread paslon count); one that shares a cell is evidence against the correction (at TPS
    6503122001009, reading DPT-P 128 as 18 repairs L + P = DPT but leaves the voters above DPT)."""
    checks = identities(evaluated.columns)
    if not checks:
        return {}
    broken = evaluated.filter(pl.any_horizontal([flag_name(i) for i in checks]))
    proposals: list[tuple[dict[str, Any], Correction]] = []
    for row in broken.iter_rows(named=True):
        for correction in candidate_corrections(row, checks, pairs):
            proposals.append((row, correction))
    if not proposals:
        return {}
    base_columns = [c for c in evaluated.columns if not c.startswith("_") or c in ("_row", BAD_PASLON)]
    corrected = pl.DataFrame(
        [{**{c: row[c] for c in base_columns}, fix.column: fix.value} for row, fix in proposals],
        schema={c: evaluated.schema[c] for c in base_columns},
    )
    again = evaluate(corrected, config)
    identity_flags = [flag_name(i) for i in checks]
    by_flag = {flag_name(i): i for i in checks}
    bound_columns = _bound_columns(candidate_columns(evaluated.columns))
    out: dict[str, list[Correction]] = {}
    for (row, fix), after in zip(proposals, again.iter_rows(named=True), strict=True):
        if any(after[f] for f in identity_flags):
            continue
        touched = {c for f in fix.repairs for c in by_flag[f].columns}
        still = [rule for rule in BOUND_RULES if after[f"_{rule}"]]
        if any(not row[f"_{rule}"] or bound_columns[rule] & touched for rule in still):
            continue
        repaired = frozenset(f"_{rule}" for rule in BOUND_RULES if row[f"_{rule}"] and not after[f"_{rule}"])
        final = Correction(fix.column, fix.observed, fix.value, fix.kind, fix.reason, fix.repairs | repaired)
        out.setdefault(row["tps_code"], []).append(final)
    return out
