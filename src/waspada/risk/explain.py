"""The explanation of a score: each indicator's contribution with its label and dimension — pure.

A snapshot stores ``{indicator id: points}`` (points of the 0–100 score; indicators that contribute nothing
are left out). These helpers turn that into labelled rows for pages, the API and exports. An indicator of
an older configuration that the current one no longer has keeps its id as its label.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from waspada.risk.config import IndexConfig

TOP_N = 3


@dataclass(frozen=True, slots=True)
class Contribution:
    id: str
    label: str
    dimension: str  # dimension id, "" when the indicator is not in the configuration
    dimension_label: str
    points: float
    share: float  # of the score, 0–1 (0 when the score is 0)


@dataclass(frozen=True, slots=True)
class DimensionPart:
    id: str
    label: str
    points: float
    indicators: tuple[Contribution, ...]


def language_of(lang: str | None) -> str:
    """``"en"`` for English, else ``"id"`` (labels exist in both)."""
    return "en" if (lang or "").lower().startswith("en") else "id"


def indicator_labels(config: IndexConfig, lang: str | None = None) -> dict[str, str]:
    key = language_of(lang)
    return {ind.id: getattr(ind.labels, key) for ind in config.indicators}


def _dimensions(config: IndexConfig, lang: str | None) -> dict[str, tuple[str, str]]:
    key = language_of(lang)
    return {
        ind.id: (dim.id, getattr(dim.labels, key))
        for dim in config.dimensions
        for sub in dim.subdimensions
        for ind in sub.indicators
    }


def contributions(
    points: Mapping[str, float], config: IndexConfig, lang: str | None = None
) -> list[Contribution]:
    """Every contributing indicator, largest first (ties by id)."""
    labels = indicator_labels(config, lang)
    dims = _dimensions(config, lang)
    total = sum(max(float(v), 0.0) for v in points.values())
    rows = []
    for ident, value in points.items():
        v = float(value)
        if v <= 0:
            continue
        dim, dim_label = dims.get(ident, ("", ""))
        rows.append(
            Contribution(ident, labels.get(ident, ident), dim, dim_label, v, v / total if total else 0.0)
        )
    rows.sort(key=lambda c: (-c.points, c.id))
    return rows


def top(
    points: Mapping[str, float], config: IndexConfig, lang: str | None = None, n: int = TOP_N
) -> list[Contribution]:
    return contributions(points, config, lang)[:n]


def by_dimension(
    points: Mapping[str, float], config: IndexConfig, lang: str | None = None
) -> list[DimensionPart]:
    """The score split by dimension, in the configuration's order; indicators unknown to the configuration
    come last under an empty dimension id."""
    rows = contributions(points, config, lang)
    key = language_of(lang)
    parts = []
    for dim in config.dimensions:
        mine = tuple(c for c in rows if c.dimension == dim.id)
        parts.append(DimensionPart(dim.id, getattr(dim.labels, key), sum(c.points for c in mine), mine))
    unknown = tuple(c for c in rows if not c.dimension)
    if unknown:
        parts.append(DimensionPart("", "", sum(c.points for c in unknown), unknown))
    return parts
