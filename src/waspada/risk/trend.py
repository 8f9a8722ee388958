"""The trend of the index: one snapshot against the previous one — pure.

A snapshot is a mapping ``region code → (score or None, category code or "")``. Categories are ranked
by ``category_order`` (lowest risk first, as in the configuration), so a change can be called a rise or
a fall; a region new in this snapshot has no previous score and no delta.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Snapshot = Mapping[str, tuple[float | None, str]]


@dataclass(frozen=True, slots=True)
class TrendRow:
    code: str
    score: float | None
    previous_score: float | None
    delta: float | None  # score - previous score
    category: str
    previous_category: str
    category_change: int  # +1 rose, -1 fell, 0 same or not comparable

    @property
    def category_changed(self) -> bool:
        return self.category != self.previous_category and bool(self.previous_category)


def trend(current: Snapshot, previous: Snapshot, category_order: Sequence[str]) -> list[TrendRow]:
    """One row per region of ``current``, in code order."""
    rank = {code: i for i, code in enumerate(category_order)}
    rows = []
    for code in sorted(current):
        score, category = current[code]
        before, before_cat = previous.get(code, (None, ""))
        delta = score - before if score is not None and before is not None else None
        change = 0
        if category in rank and before_cat in rank:
            change = (rank[category] > rank[before_cat]) - (rank[category] < rank[before_cat])
        rows.append(TrendRow(code, score, before, delta, category, before_cat, change))
    return rows


def summary(rows: Sequence[TrendRow], names: Mapping[str, str] | None = None, top: int = 5) -> list[str]:
    """Lines for the CLI, in Bahasa Indonesia: how many rose or fell a category, the largest rises."""
    names = names or {}
    compared = [r for r in rows if r.delta is not None]
    if not compared:
        return ["tren: belum ada snapshot sebelumnya untuk dibandingkan"]
    up = sum(r.category_change > 0 for r in rows)
    down = sum(r.category_change < 0 for r in rows)
    lines = [f"tren: {up} wilayah naik kategori, {down} turun, {len(compared)} dibandingkan"]
    rises = sorted((r for r in compared if r.delta and r.delta > 0), key=lambda r: -(r.delta or 0.0))[:top]
    for r in rises:
        moved = f", {r.previous_category} → {r.category}" if r.category_changed else ""
        lines.append(f"  naik {r.delta:+.2f}: {r.code} {names.get(r.code, '')}".rstrip() + moved)
    return lines
