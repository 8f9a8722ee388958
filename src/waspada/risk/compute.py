"""The index computation: raw indicator values per region → scores 0–100 at every level, explained.

Pure and vectorised (numpy). Input is a :class:`RegionTable` holding the whole hierarchy: every region
with its parent and level, and raw indicator values on the rows at the input level (the deepest level
in the table; values on other rows are ignored). Steps, per indicator:

1. aggregate the raw values up the tree, level by level, as the indicator says: population-weighted
   mean (children without a known population make their parent's group count every child equally),
   maximum, or sum; missing children are skipped, a parent with no child value is missing;
2. normalise within each level to [0, 1]: ``minmax`` (min → 0, max → 1; a constant column → 0),
   ``percentile`` (share of the level's other regions with a strictly lower value), or ``fixed``
   (lower → 0, upper → 1, clipped); then flip it when lower values mean more risk;
3. apply the missing-data policy: ``zero``; ``median_siblings`` (median of the normalised values of
   regions with the same parent, else of the level, else 0); ``exclude`` (the indicator is left out of
   that region's score and the other weights are scaled up).

A region's score is ``100 × Σ w·v / Σ w`` over its included indicators (``w`` the effective weights),
and an indicator's contribution is its term of that sum, so contributions add up to the score.
:func:`naive_compute` does the same one region at a time in plain Python: the benchmark's baseline.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from waspada.risk.config import IndexConfig

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

TOP_N = 3


@dataclass
class RegionTable:
    """Plain columnar input. ``values`` has one row per region and one column per indicator (in
    ``indicator_ids`` order), NaN where missing. ``population`` may be NaN; a parent's unknown
    population is filled with the sum of its children's when they are all known."""

    codes: Sequence[str]
    parent_codes: Sequence[str | None]
    levels: npt.ArrayLike
    population: npt.ArrayLike
    indicator_ids: Sequence[str]
    values: npt.ArrayLike
    names: Sequence[str] = field(default_factory=list)


@dataclass
class IndexResult:
    codes: list[str]
    levels: IntArray
    indicator_ids: tuple[str, ...]
    normalised: FloatArray  # after direction and missing policy; NaN where excluded
    contributions: FloatArray  # points of the score per indicator; 0 where excluded
    scores: FloatArray  # NaN when every indicator is excluded
    categories: list[str | None]
    top: IntArray  # (n, 3) indicator positions by contribution, -1 when fewer than 3 contribute

    def top_ids(self, row: int) -> list[str]:
        return [self.indicator_ids[j] for j in self.top[row] if j >= 0]


@dataclass
class _Tree:
    codes: list[str]
    levels: IntArray
    parent: IntArray  # row of the parent, -1 at the top
    population: FloatArray
    values: FloatArray
    input_level: int


def _tree(table: RegionTable, config: IndexConfig) -> _Tree:
    ids = tuple(table.indicator_ids)
    if ids != config.indicator_ids:
        raise ValueError(f"indicator columns {ids} do not match the configuration {config.indicator_ids}")
    codes = list(table.codes)
    levels = np.asarray(table.levels, dtype=np.int64)
    values = np.asarray(table.values, dtype=np.float64).reshape(len(codes), len(ids))
    population = np.asarray(table.population, dtype=np.float64).copy()
    position = {code: i for i, code in enumerate(codes)}
    if len(position) != len(codes):
        raise ValueError("region codes must be unique")
    try:
        parent = np.fromiter(
            (position[p] if p else -1 for p in table.parent_codes), dtype=np.int64, count=len(codes)
        )
    except KeyError as exc:
        raise ValueError(f"parent code {exc.args[0]!r} is not in the table") from None
    input_level = int(levels.max()) if len(codes) else 1
    # Fill unknown parent populations from complete children, deepest first.
    for level in range(input_level, 1, -1):
        rows = np.flatnonzero(levels == level)
        par = parent[rows]
        ok = par >= 0
        rows, par = rows[ok], par[ok]
        pop = population[rows]
        total = np.bincount(par, weights=np.nan_to_num(pop), minlength=len(codes))
        unknown = np.bincount(par, weights=np.isnan(pop).astype(np.float64), minlength=len(codes))
        has = np.bincount(par, minlength=len(codes)) > 0
        fill = np.isnan(population) & has & (unknown == 0)
        population[fill] = total[fill]
    return _Tree(codes, levels, parent, population, values, input_level)


def _aggregate(tree: _Tree, config: IndexConfig) -> FloatArray:
    """Raw values on every row: the input level's own, parents' aggregated from their children."""
    n, k = tree.values.shape
    raw = np.full((n, k), np.nan)
    at_input = tree.levels == tree.input_level
    raw[at_input] = tree.values[at_input]
    kinds = [ind.aggregation for ind in config.indicators]
    col_sum = np.array([a == "sum" for a in kinds])
    col_max = np.array([a == "max" for a in kinds])
    col_mean = np.array([a == "population_mean" for a in kinds])
    for level in range(tree.input_level, 1, -1):
        rows = np.flatnonzero((tree.levels == level) & (tree.parent >= 0))
        if not len(rows):
            continue
        par = tree.parent[rows]
        order = np.argsort(par, kind="stable")
        rows, par = rows[order], par[order]
        starts = np.flatnonzero(np.r_[True, par[1:] != par[:-1]])
        groups = par[starts]
        child = raw[rows]
        known = ~np.isnan(child)
        any_known = np.add.reduceat(known.astype(np.int64), starts, axis=0) > 0
        out = np.full((len(groups), k), np.nan)
        if col_sum.any():
            s = np.add.reduceat(np.nan_to_num(child[:, col_sum]), starts, axis=0)
            out[:, col_sum] = s
        if col_max.any():
            out[:, col_max] = np.fmax.reduceat(child[:, col_max], starts, axis=0)
        if col_mean.any():
            pop = tree.population[rows]
            pop_unknown = np.add.reduceat(np.isnan(pop).astype(np.int64), starts) > 0
            weight = np.where(np.repeat(pop_unknown, np.diff(np.r_[starts, len(rows)])), 1.0, pop)
            weight = np.nan_to_num(weight)
            sub = child[:, col_mean]
            sub_known = known[:, col_mean]
            w = weight[:, None] * sub_known
            num = np.add.reduceat(np.where(sub_known, sub, 0.0) * w, starts, axis=0)
            den = np.add.reduceat(w, starts, axis=0)
            with np.errstate(invalid="ignore", divide="ignore"):
                mean = num / den
            # every child has zero population: plain mean of the known values
            counts = np.add.reduceat(sub_known.astype(np.float64), starts, axis=0)
            plain = np.add.reduceat(np.where(sub_known, sub, 0.0), starts, axis=0)
            with np.errstate(invalid="ignore", divide="ignore"):
                mean = np.where(den > 0, mean, plain / counts)
            out[:, col_mean] = mean
        out[~any_known] = np.nan
        raw[groups] = out
    return raw


def _percentile(column: FloatArray) -> FloatArray:
    known = ~np.isnan(column)
    values = column[known]
    result = np.full(column.shape, np.nan)
    if len(values) <= 1:
        result[known] = 0.0
        return result
    ordered = np.sort(values)
    result[known] = np.searchsorted(ordered, values, side="left") / (len(values) - 1)
    return result


def _normalise(raw: FloatArray, levels: IntArray, config: IndexConfig) -> FloatArray:
    norm = np.full(raw.shape, np.nan)
    for level in np.unique(levels):
        rows = levels == level
        block = raw[rows]
        out = np.full(block.shape, np.nan)
        for j, ind in enumerate(config.indicators):
            col = block[:, j]
            rule = ind.normalisation
            if rule.method == "fixed":
                assert rule.lower is not None and rule.upper is not None
                out[:, j] = np.clip((col - rule.lower) / (rule.upper - rule.lower), 0.0, 1.0)
            elif rule.method == "minmax":
                if np.isnan(col).all():
                    continue
                lo, hi = np.nanmin(col), np.nanmax(col)
                out[:, j] = (col - lo) / (hi - lo) if hi > lo else np.where(np.isnan(col), np.nan, 0.0)
            else:
                out[:, j] = _percentile(col)
            if ind.direction == "lower_is_riskier":
                out[:, j] = 1.0 - out[:, j]
        norm[rows] = out
    return norm


def _sibling_medians(values: FloatArray, groups: IntArray) -> FloatArray:
    """Median of the known values in each row's group (NaN when the group has none)."""
    result = np.full(values.shape, np.nan)
    known = ~np.isnan(values)
    if not known.any():
        return result
    g, v = groups[known], values[known]
    order = np.lexsort((v, g))
    g, v = g[order], v[order]
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    counts = np.diff(np.r_[starts, len(g)])
    medians = (v[starts + (counts - 1) // 2] + v[starts + counts // 2]) / 2
    lookup = np.full(int(groups.max()) + 1, np.nan)
    lookup[g[starts]] = medians
    return lookup[groups]


def _fill_missing(norm: FloatArray, tree: _Tree, config: IndexConfig) -> FloatArray:
    out = norm.copy()
    groups = np.where(tree.parent >= 0, tree.parent, len(tree.codes))  # the top level is one group
    for j, ind in enumerate(config.indicators):
        col = out[:, j]
        missing = np.isnan(col)
        if not missing.any() or ind.missing == "exclude":
            continue
        if ind.missing == "zero":
            col[missing] = 0.0
            continue
        sib = _sibling_medians(col, groups)
        for level in np.unique(tree.levels):
            rows = tree.levels == level
            known = rows & ~missing
            level_median = float(np.median(col[known])) if known.any() else 0.0
            fill = rows & missing
            col[fill] = np.where(np.isnan(sib[fill]), level_median, sib[fill])
    return out


def _categories(scores: FloatArray, config: IndexConfig) -> list[str | None]:
    mins = np.array([c.min for c in config.categories])
    codes = [c.code for c in config.categories]
    rounded = np.floor(scores * 100 + 0.5) / 100
    idx = np.searchsorted(mins, np.nan_to_num(rounded, nan=-1.0), side="right") - 1
    return [codes[i] if i >= 0 and not math.isnan(s) else None for i, s in zip(idx, scores, strict=True)]


def compute(table: RegionTable, config: IndexConfig) -> IndexResult:
    """Scores, categories and explanations for every region of ``table`` (all levels), vectorised."""
    tree = _tree(table, config)
    raw = _aggregate(tree, config)
    norm = _fill_missing(_normalise(raw, tree.levels, config), tree, config)
    weights = np.asarray(config.effective_weights())
    included = ~np.isnan(norm)
    denom = included.astype(np.float64) @ weights
    with np.errstate(invalid="ignore", divide="ignore"):
        contributions = 100.0 * np.where(included, norm, 0.0) * weights / denom[:, None]
    contributions[denom == 0] = 0.0
    scores = np.where(denom > 0, contributions.sum(axis=1), np.nan)
    k = min(TOP_N, contributions.shape[1])
    order = np.argsort(-contributions, axis=1, kind="stable")[:, :k]
    top = np.where(np.take_along_axis(contributions, order, axis=1) > 0, order, -1)
    if k < TOP_N:
        top = np.pad(top, ((0, 0), (0, TOP_N - k)), constant_values=-1)
    return IndexResult(
        codes=tree.codes,
        levels=tree.levels,
        indicator_ids=config.indicator_ids,
        normalised=norm,
        contributions=contributions,
        scores=scores,
        categories=_categories(scores, config),
        top=top.astype(np.int64),
    )


# --- The baseline: one region at a time ---------------------------------------------------------------


def naive_compute(table: RegionTable, config: IndexConfig) -> IndexResult:
    """The same computation as :func:`compute`, written as per-region Python loops (benchmark baseline)."""
    codes = list(table.codes)
    levels = [int(x) for x in np.asarray(table.levels)]
    k = len(config.indicators)
    raw_values = np.asarray(table.values, dtype=np.float64).reshape(len(codes), k).tolist()
    pops = [float(x) for x in np.asarray(table.population, dtype=np.float64)]
    parent = list(table.parent_codes)
    children: dict[str, list[int]] = {}
    for i, p in enumerate(parent):
        if p:
            children.setdefault(p, []).append(i)
    bottom = max(levels)
    by_level = {lv: [i for i in range(len(codes)) if levels[i] == lv] for lv in set(levels)}
    for lv in range(bottom - 1, 0, -1):
        for i in by_level.get(lv, []):
            kids = children.get(codes[i], [])
            if math.isnan(pops[i]) and kids and all(not math.isnan(pops[c]) for c in kids):
                pops[i] = sum(pops[c] for c in kids)
    nan = float("nan")
    raw: list[list[float]] = [
        row[:] if levels[i] == bottom else [nan] * k for i, row in enumerate(raw_values)
    ]
    for lv in range(bottom - 1, 0, -1):
        for i in by_level.get(lv, []):
            kids = children.get(codes[i], [])
            if not kids:
                continue
            equal = any(math.isnan(pops[c]) for c in kids)
            for j, ind in enumerate(config.indicators):
                known = [(raw[c][j], 1.0 if equal else pops[c]) for c in kids if not math.isnan(raw[c][j])]
                if not known:
                    continue
                if ind.aggregation == "sum":
                    raw[i][j] = sum(v for v, _ in known)
                elif ind.aggregation == "max":
                    raw[i][j] = max(v for v, _ in known)
                else:
                    den = sum(w for _, w in known)
                    raw[i][j] = (
                        sum(v * w for v, w in known) / den
                        if den > 0
                        else sum(v for v, _ in known) / len(known)
                    )
    norm: list[list[float]] = [[nan] * k for _ in codes]
    for _lv, rows in by_level.items():
        for j, ind in enumerate(config.indicators):
            col = sorted(raw[i][j] for i in rows if not math.isnan(raw[i][j]))
            rule = ind.normalisation
            for i in rows:
                v = raw[i][j]
                if math.isnan(v):
                    continue
                if rule.method == "fixed":
                    assert rule.lower is not None and rule.upper is not None
                    x = min(1.0, max(0.0, (v - rule.lower) / (rule.upper - rule.lower)))
                elif rule.method == "minmax":
                    lo, hi = col[0], col[-1]
                    x = (v - lo) / (hi - lo) if hi > lo else 0.0
                else:
                    x = bisect.bisect_left(col, v) / (len(col) - 1) if len(col) > 1 else 0.0
                norm[i][j] = 1.0 - x if ind.direction == "lower_is_riskier" else x
    filled = [row[:] for row in norm]
    for j, ind in enumerate(config.indicators):
        if ind.missing == "exclude":
            continue
        for i in range(len(codes)):
            if not math.isnan(norm[i][j]):
                continue
            if ind.missing == "zero":
                filled[i][j] = 0.0
                continue
            p = parent[i]
            siblings = children.get(p, []) if p else [r for r in by_level[levels[i]] if not parent[r]]
            donors = [norm[s][j] for s in siblings if not math.isnan(norm[s][j])]
            if not donors:
                donors = [norm[s][j] for s in by_level[levels[i]] if not math.isnan(norm[s][j])]
            filled[i][j] = float(np.median(donors)) if donors else 0.0
    weights = config.effective_weights()
    scores: list[float] = []
    contributions: list[list[float]] = []
    tops: list[list[int]] = []
    for i in range(len(codes)):
        denom = sum(w for w, v in zip(weights, filled[i], strict=True) if not math.isnan(v))
        if denom == 0:
            contrib = [0.0] * k
            scores.append(nan)
        else:
            contrib = [
                0.0 if math.isnan(v) else 100.0 * v * w / denom
                for w, v in zip(weights, filled[i], strict=True)
            ]
            scores.append(sum(contrib))
        contributions.append(contrib)
        ranked = sorted(range(k), key=contrib.__getitem__, reverse=True)[:TOP_N]
        tops.append([j if contrib[j] > 0 else -1 for j in ranked] + [-1] * (TOP_N - len(ranked)))
    score_array = np.array(scores)
    categories: list[str | None] = []
    for s in scores:
        cat = config.category_for(s)
        categories.append(cat.code if cat else None)
    return IndexResult(
        codes=codes,
        levels=np.array(levels, dtype=np.int64),
        indicator_ids=config.indicator_ids,
        normalised=np.array(filled, dtype=np.float64).reshape(len(codes), k),
        contributions=np.array(contributions, dtype=np.float64).reshape(len(codes), k),
        scores=score_array,
        categories=categories,
        top=np.array(tops, dtype=np.int64).reshape(len(codes), TOP_N),
    )
