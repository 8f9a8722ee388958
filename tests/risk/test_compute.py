"""The index computation on small hand-computed examples, and the vectorised path against the naive loop."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from waspada.risk.compute import IndexResult, RegionTable, compute, naive_compute
from waspada.risk.config import IndexConfig, load_config, parse_config

NAN = float("nan")


def indicator(ident: str, **extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": ident,
        "labels": {"id": ident, "en": ident},
        "measures": "m",
        "why": "w",
        "data": "d",
        "source": {"kind": "static", "level": 3},
        "normalisation": {"method": "fixed", "lower": 0, "upper": 10},
    }
    base.update(extra)
    return base


def make_config(*indicators: dict[str, Any]) -> IndexConfig:
    return parse_config(
        {
            "name": {"id": "uji", "en": "test"},
            "index": {"input_level": 3},
            "categories": [
                {"code": "rendah", "labels": {"id": "R", "en": "L"}, "min": 0},
                {"code": "sedang", "labels": {"id": "S", "en": "M"}, "min": 13.47},
                {"code": "tinggi", "labels": {"id": "T", "en": "H"}, "min": 49.33},
            ],
            "dimensions": [
                {
                    "id": "dim",
                    "labels": {"id": "d", "en": "d"},
                    "description": "x",
                    "subdimensions": [
                        {"id": "sub", "labels": {"id": "s", "en": "s"}, "indicators": list(indicators)}
                    ],
                }
            ],
        }
    )


# A province 91 with two kabupaten and three kecamatan: 91.01.01, 91.01.02 (in 91.01) and 91.02.01.
CODES = ["91", "91.01", "91.02", "91.01.01", "91.01.02", "91.02.01"]
PARENTS = [None, "91", "91", "91.01", "91.01", "91.02"]
LEVELS = [1, 2, 2, 3, 3, 3]
POP = [NAN, NAN, NAN, 100.0, 300.0, 400.0]


def table(config: IndexConfig, columns: list[list[float]]) -> RegionTable:
    values = np.full((6, len(columns)), NAN)
    for j, col in enumerate(columns):
        values[3:, j] = col
    return RegionTable(CODES, PARENTS, LEVELS, POP, config.indicator_ids, values)


def by_code(result: IndexResult) -> dict[str, float]:
    return dict(zip(result.codes, result.scores.tolist(), strict=True))


def normalised(result: IndexResult) -> dict[str, list[float]]:
    return dict(zip(result.codes, result.normalised.tolist(), strict=True))


def test_population_weighted_mean_max_and_sum_aggregate_up_the_tree() -> None:
    config = make_config(
        indicator("a", aggregation="population_mean"),
        indicator("b", aggregation="max"),
        indicator("c", aggregation="sum", normalisation={"method": "minmax"}),
    )
    result = compute(table(config, [[2, 6, 10], [2, 6, 10], [1, 2, 3]]), config)
    norm = normalised(result)
    # 91.01: (2·100 + 6·300) / 400 = 5 → 0.5; max 6 → 0.6; sums 3 and 3: a constant level → 0
    assert norm["91.01"] == pytest.approx([0.5, 0.6, 0.0])
    # province population is filled from its children (800): (2·100 + 6·300 + 10·400) / 800 = 7.5
    assert norm["91"][0] == pytest.approx(0.75) and norm["91"][1] == pytest.approx(1.0)
    assert norm["91.01.02"][2] == pytest.approx(0.5)  # minmax over 1, 2, 3
    assert by_code(result)["91.01"] == pytest.approx(100 * (0.5 + 0.6 + 0.0) / 3)


def test_percentile_direction_and_fixed_clipping() -> None:
    config = make_config(
        indicator("p", normalisation={"method": "percentile"}),
        indicator(
            "f", direction="lower_is_riskier", normalisation={"method": "fixed", "lower": 50, "upper": 90}
        ),
    )
    result = compute(table(config, [[5, 1, 5], [40, 70, 95]]), config)
    assert result.normalised[3:, 0].tolist() == pytest.approx([0.5, 0.0, 0.5])  # share strictly lower
    assert result.normalised[3:, 1].tolist() == pytest.approx([1.0, 0.5, 0.0])  # clipped, then flipped


def test_missing_policies_zero_median_of_siblings_and_exclude() -> None:
    config = make_config(
        indicator("z", missing="zero"),
        indicator("m", missing="median_siblings"),
        indicator("x", missing="exclude"),
    )
    result = compute(table(config, [[NAN, 5, 5], [4, NAN, NAN], [NAN, 10, 10]]), config)
    norm = normalised(result)
    assert norm["91.01.01"][0] == 0.0
    assert norm["91.01.02"][1] == pytest.approx(0.4)  # its sibling 91.01.01
    assert norm["91.02.01"][1] == pytest.approx(0.4)  # no sibling with data: the level's median
    # 91.01.01 has no x: z and m share the whole weight
    assert by_code(result)["91.01.01"] == pytest.approx(100 * (0.0 + 0.4) / 2)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "rendah"),
        (13.46, "rendah"),
        (13.469, "sedang"),
        (13.47, "sedang"),
        (49.32, "sedang"),
        (49.33, "tinggi"),
        (100, "tinggi"),
    ],
)
def test_categories_at_the_ikp_cut_offs(value: float, expected: str) -> None:
    config = make_config(indicator("a", normalisation={"method": "fixed", "lower": 0, "upper": 100}))
    result = compute(table(config, [[value, value, value]]), config)
    assert result.categories[3] == expected
    assert naive_compute(table(config, [[value, value, value]]), config).categories[3] == expected


def test_contributions_add_up_to_the_score_and_name_the_top_three() -> None:
    config = make_config(
        indicator("a", weight=1), indicator("b", weight=2), indicator("c", weight=3), indicator("d", weight=4)
    )
    result = compute(table(config, [[10, 0, 5], [10, 0, 5], [0, 0, 5], [6, 0, 5]]), config)
    np.testing.assert_allclose(result.contributions.sum(axis=1), result.scores)
    # 91.01.01: a 1·1, b 2·1, c 0, d 4·0.6 → d, b, a
    assert result.top_ids(result.codes.index("91.01.01")) == ["d", "b", "a"]
    assert result.top_ids(result.codes.index("91.01.02")) == []  # nothing contributes


def random_table(config: IndexConfig, seed: int, top_level: int = 1) -> RegionTable:
    rng = np.random.default_rng(seed)
    codes: list[str] = []
    parents: list[str | None] = []
    levels: list[int] = []
    pop: list[float] = []

    def add(code: str, parent: str | None, level: int, population: float) -> None:
        codes.append(code)
        parents.append(parent)
        levels.append(level + top_level - 1)
        pop.append(population)

    for p in range(1, 4):
        prov = f"{p:02d}"
        add(prov, None, 1, NAN)
        for k in range(1, 5):
            kab = f"{prov}.{k:02d}"
            add(kab, prov, 2, float(rng.integers(1000, 9000)))
            for c in range(1, 7):
                add(f"{kab}.{c:02d}", kab, 3, NAN if rng.random() < 0.1 else float(rng.integers(10, 900)))
    values = rng.integers(0, 12, size=(len(codes), len(config.indicators))).astype(float)
    values[rng.random(values.shape) < 0.2] = NAN
    return RegionTable(codes, parents, levels, pop, config.indicator_ids, values)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_vectorised_compute_equals_the_naive_loop(seed: int) -> None:
    indicators = []
    n = 0
    for agg in ("population_mean", "max", "sum"):
        for norm in (
            {"method": "minmax"},
            {"method": "percentile"},
            {"method": "fixed", "lower": 2, "upper": 9},
        ):
            if agg == "sum" and norm["method"] == "fixed":
                continue
            for missing in ("zero", "median_siblings", "exclude"):
                direction = "lower_is_riskier" if n % 4 == 0 else "higher_is_riskier"
                indicators.append(
                    indicator(
                        f"i{n}",
                        aggregation=agg,
                        normalisation=norm,
                        missing=missing,
                        weight=1 + n % 3,
                        direction=direction,
                    )
                )
                n += 1
    config = make_config(*indicators)
    data = random_table(config, seed)
    fast, slow = compute(data, config), naive_compute(data, config)
    np.testing.assert_allclose(fast.normalised, slow.normalised, equal_nan=True, atol=1e-12)
    np.testing.assert_allclose(fast.contributions, slow.contributions, atol=1e-9)
    np.testing.assert_allclose(fast.scores, slow.scores, equal_nan=True, atol=1e-9)
    assert fast.categories == slow.categories
    assert (fast.top == slow.top).all()


def test_the_default_config_agrees_with_the_naive_loop() -> None:
    config = load_config()
    data = random_table(config, 9, top_level=2)  # levels 2–4: the input level is desa
    fast, slow = compute(data, config), naive_compute(data, config)
    np.testing.assert_allclose(fast.scores, slow.scores, equal_nan=True, atol=1e-9)
    assert np.nanmax(fast.scores) <= 100 and np.nanmin(fast.scores) >= 0
    assert fast.categories == slow.categories
