"""The forecast's pure core: adjacency from real boundaries, features from the past only, the model."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from waspada.risk import adjacency
from waspada.risk.forecast import Panel, features, fit_until, naive_forecast, neighbour_sum
from waspada.risk.simulate import simulate
from waspada.risk.trend import summary, trend

KECAMATAN = Path("/work/shared/data/kaltara/kecamatan.geojson")
SEBATIK = {"65.03.01", "65.03.08", "65.03.10", "65.03.11", "65.03.12"}


@pytest.fixture(scope="module")
def kaltara() -> tuple[list[str], set[tuple[str, str]]]:
    if not KECAMATAN.exists():
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"{KECAMATAN} is missing (required under CI)")
        pytest.skip("Kaltara boundaries not available")
    codes, pairs = adjacency.from_feature_collection(str(KECAMATAN))
    return codes, {(codes[a], codes[b]) for a, b in pairs}


def test_adjacency_of_kaltara_kecamatan_gives_each_pair_once_and_symmetric(
    kaltara: tuple[list[str], set[tuple[str, str]]],
) -> None:
    codes, pairs = kaltara
    assert len(codes) == 55 and len(pairs) > 55
    assert all(a < b for a, b in pairs)  # one row per unordered pair, no self pairs
    src, dst = adjacency.symmetric(np.array([[0, 1], [1, 2]]))
    assert sorted(zip(src.tolist(), dst.tolist(), strict=True)) == [(0, 1), (1, 0), (1, 2), (2, 1)]


def test_sebatik_kecamatan_neighbour_each_other_and_nothing_across_the_strait(
    kaltara: tuple[list[str], set[tuple[str, str]]],
) -> None:
    _codes, pairs = kaltara
    for a, b in [
        ("65.03.01", "65.03.08"),
        ("65.03.01", "65.03.10"),
        ("65.03.10", "65.03.11"),
        ("65.03.11", "65.03.12"),
    ]:
        assert (a, b) in pairs
    across = [(a, b) for a, b in pairs if (a in SEBATIK) != (b in SEBATIK)]
    assert across == []


def test_regions_within_the_buffer_are_neighbours_but_distant_ones_are_not() -> None:
    from shapely.geometry import box

    geoms = [box(0, 0, 1, 1), box(1.0005, 0, 2, 1), box(5, 5, 6, 6), None]
    assert adjacency.neighbour_pairs(geoms).tolist() == [[0, 1]]


def test_neighbour_sum_adds_the_values_of_neighbours() -> None:
    pairs = np.array([[0, 1], [1, 2]])
    assert neighbour_sum(np.array([1.0, 10.0, 100.0]), pairs).tolist() == [10.0, 101.0, 10.0]


def test_features_use_only_periods_before_the_origin() -> None:
    panel = simulate(rows=4, cols=4, periods=10, seed=3)
    before = features(panel, 6)
    counts = np.asarray(panel.counts).copy()
    counts[:, 6:] = 99  # the future changes …
    changed = Panel(counts, panel.pairs, panel.components, None, panel.stage, panel.component_names)
    assert np.array_equal(features(changed, 6), before)  # … the forecast made at 6 does not


def test_the_model_recovers_the_direction_of_the_simulated_process() -> None:
    panel = simulate(seed=5)
    model = fit_until(panel, panel.n_periods)
    coef = dict(zip(panel.feature_names, model.coef, strict=True))
    assert coef["index_latent_a"] > 0 and coef["index_latent_b"] > 0
    assert coef["neighbours_last"] > 0
    assert coef["stage_risk"] > 0


def test_naive_loop_gives_the_same_probabilities() -> None:
    panel = simulate(rows=5, cols=6, periods=12, seed=2)
    model = fit_until(panel, 12)
    assert np.allclose(naive_forecast(panel, model, 12), model.predict(features(panel, 12)))


def test_a_single_class_history_forecasts_its_rate() -> None:
    panel = Panel(np.zeros((3, 6)), np.zeros((0, 2)))
    p = fit_until(panel, 6).predict(features(panel, 6))
    assert np.all(p < 0.01)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"counts": np.zeros(4), "pairs": []}, "regions × periods"),
        ({"counts": np.zeros((2, 3)), "pairs": [[0, 5]]}, "outside the panel"),
        ({"counts": np.zeros((2, 3)), "pairs": [], "stage": np.zeros(2)}, "one value per period"),
    ],
)
def test_inconsistent_panels_are_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Panel(**kwargs)  # type: ignore[arg-type]


def test_trend_gives_delta_and_category_change() -> None:
    order = ["rendah", "sedang", "tinggi"]
    rows = trend(
        {"65.01": (55.0, "tinggi"), "65.02": (10.0, "rendah"), "65.03": (20.0, "sedang")},
        {"65.01": (40.0, "sedang"), "65.02": (15.0, "sedang")},
        order,
    )
    by = {r.code: r for r in rows}
    assert by["65.01"].delta == pytest.approx(15.0) and by["65.01"].category_change == 1
    assert by["65.02"].category_change == -1 and by["65.02"].category_changed
    assert by["65.03"].delta is None and not by["65.03"].category_changed
    lines = summary(rows, {"65.01": "Bulungan"})
    assert lines[0].startswith("tren: 1 wilayah naik kategori, 1 turun")
    assert "65.01 Bulungan, sedang → tinggi" in lines[1]
    assert summary([])[0].startswith("tren: belum ada snapshot sebelumnya")
