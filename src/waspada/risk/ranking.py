"""The ranking table of the index: ranks, trend against the previous snapshot, sorting, filters — pure.

Ranks are competition ranks (1, 2, 2, 4) by the score as published (rounded half up to 2 decimals),
highest first, among the rows given — the regions of one level inside the chosen area — so filtering by
category or name afterwards keeps each region's rank. Regions without a score have no rank and sort last
whatever the direction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from waspada.risk.config import round_score

SORT_KEYS = ("rank", "score", "delta", "name", "code")
DEFAULT_SORT = "rank"


@dataclass(slots=True)
class RankRow:
    code: str
    name: str
    level: int
    parent_code: str | None
    score: float | None
    category: str
    previous_score: float | None = None
    previous_category: str = ""
    category_change: int = 0  # +1 rose a category, -1 fell, 0 same or not comparable
    rank: int | None = None
    contributions: dict[str, float] = field(default_factory=dict)

    @property
    def delta(self) -> float | None:
        if self.score is None or self.previous_score is None:
            return None
        return self.score - self.previous_score


def assign_ranks(rows: Sequence[RankRow]) -> None:
    scored = sorted((r for r in rows if r.score is not None), key=lambda r: -round_score(r.score or 0.0))
    previous: float | None = None
    rank = 0
    for position, row in enumerate(scored, start=1):
        published = round_score(row.score or 0.0)
        if published != previous:
            rank, previous = position, published
        row.rank = rank
    for row in rows:
        if row.score is None:
            row.rank = None


def apply_trend(
    rows: Iterable[RankRow], previous: Mapping[str, tuple[float | None, str]], category_order: Sequence[str]
) -> None:
    """Fill each row's previous score and category, and whether it rose or fell a category."""
    order = {code: i for i, code in enumerate(category_order)}
    for row in rows:
        score, category = previous.get(row.code, (None, ""))
        row.previous_score, row.previous_category = score, category
        if row.category in order and category in order:
            row.category_change = (order[row.category] > order[category]) - (
                order[row.category] < order[category]
            )
        else:
            row.category_change = 0


def filter_rows(rows: Iterable[RankRow], *, category: str = "", text: str = "") -> list[RankRow]:
    """Rows of ``category`` (``"none"``: without a score) whose name contains ``text`` or whose code
    starts with it (case-insensitive)."""
    needle = text.strip().casefold()
    out = []
    for row in rows:
        if category == "none" and row.score is not None:
            continue
        if category and category != "none" and row.category != category:
            continue
        if needle and needle not in row.name.casefold() and not row.code.startswith(needle):
            continue
        out.append(row)
    return out


def sort_rows(
    rows: Iterable[RankRow], key: str = DEFAULT_SORT, descending: bool | None = None
) -> list[RankRow]:
    """Rows sorted by ``key`` (one of :data:`SORT_KEYS`); rows missing the key's value always come last.
    The default direction is the natural one: rank ascending, score and delta descending, names A–Z."""
    if key not in SORT_KEYS:
        raise ValueError(f"unknown sort key {key!r}; use one of {', '.join(SORT_KEYS)}")
    if descending is None:
        descending = key in {"score", "delta"}
    items = list(rows)
    if key in {"name", "code"}:

        def text_key(r: RankRow) -> tuple[str, str]:
            return (r.name.casefold() if key == "name" else r.code, r.code)

        return sorted(items, key=text_key, reverse=descending)

    def value(r: RankRow) -> float | None:
        if key == "rank":
            return None if r.rank is None else float(r.rank)
        if key == "score":
            return r.score
        return r.delta

    present = [r for r in items if value(r) is not None]
    missing = sorted((r for r in items if value(r) is None), key=lambda r: r.code)
    present.sort(key=lambda r: r.code)
    present.sort(key=lambda r: value(r) or 0.0, reverse=descending)
    return present + missing
