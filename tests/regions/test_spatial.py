from __future__ import annotations

import math

import numpy as np
import pytest
from shapely.geometry import MultiPolygon, Polygon, box

from waspada.regions.boundaries import BoundaryFeature
from waspada.regions.spatial import PointIndex, naive_lookup_many


@pytest.fixture(scope="module")
def desa(kaltara_boundaries: dict[str, list[BoundaryFeature]]) -> list[BoundaryFeature]:
    return kaltara_boundaries["desa"]


@pytest.fixture(scope="module")
def desa_index(desa: list[BoundaryFeature]) -> PointIndex:
    return PointIndex([f.code for f in desa], [f.geometry for f in desa])


def test_it_places_a_point_in_tarakan_city_in_a_tarakan_kelurahan(desa_index: PointIndex) -> None:
    code = desa_index.lookup(117.59, 3.30)
    assert code is not None and code.startswith("65.71.")
    assert code == "65.71.02.1003"  # Sebengkok, Tarakan Tengah


def test_it_finds_nothing_in_the_sea_or_abroad(desa_index: PointIndex) -> None:
    assert desa_index.lookup(118.5, 3.0) is None  # Sulawesi Sea, east of Tarakan
    assert desa_index.lookup(116.5, 5.5) is None  # Sabah, Malaysia
    assert desa_index.lookup_many([118.5, 117.59], [3.0, 3.30]) == [None, "65.71.02.1003"]


def test_vectorised_lookup_equals_the_naive_loop_on_random_points(
    desa: list[BoundaryFeature], desa_index: PointIndex
) -> None:
    rng = np.random.default_rng(20241127)
    lons = rng.uniform(114.56, 117.99, 3_000)
    lats = rng.uniform(1.11, 4.41, 3_000)
    fast = desa_index.lookup_many(lons, lats)
    slow = naive_lookup_many([f.code for f in desa], [f.geometry for f in desa], lons.tolist(), lats.tolist())
    assert fast == slow
    # The box is about half land: make sure the comparison is not between two lists of None.
    found = sum(code is not None for code in fast)
    assert 1_000 < found < 2_500
    assert len({code for code in fast if code}) > 200


def test_single_and_vectorised_lookups_agree(desa_index: PointIndex) -> None:
    rng = np.random.default_rng(7)
    lons = rng.uniform(115.5, 117.8, 300)
    lats = rng.uniform(2.5, 4.2, 300)
    assert desa_index.lookup_many(lons.tolist(), lats.tolist()) == [
        desa_index.lookup(lon, lat) for lon, lat in zip(lons, lats, strict=True)
    ]


def test_a_point_on_a_shared_border_goes_to_the_smallest_code_whatever_the_order() -> None:
    west = box(117.0, 3.0, 117.1, 3.1)
    east = box(117.1, 3.0, 117.2, 3.1)
    for codes, geometries in (
        (["65.71.02", "65.71.01"], [east, west]),
        (["65.71.01", "65.71.02"], [west, east]),
    ):
        index = PointIndex(codes, geometries)
        assert index.lookup(117.1, 3.05) == "65.71.01"
        assert index.lookup_many([117.1, 117.15], [3.05, 3.05]) == ["65.71.01", "65.71.02"]


def test_it_handles_multipolygons_holes_and_nan() -> None:
    ring = Polygon([(0, 0), (10, 0), (10, 10), (0, 10)], [[(4, 4), (6, 4), (6, 6), (4, 6)]])
    islands = MultiPolygon([box(20, 0, 21, 1), box(30, 0, 31, 1)])
    index = PointIndex(["11.01", "11.02"], [ring, islands])
    assert len(index) == 2
    assert index.lookup(5, 5) is None  # inside the hole
    assert index.lookup(1, 1) == "11.01"
    assert index.lookup(30.5, 0.5) == "11.02"
    assert index.lookup_many([math.nan, 30.5, 5.0], [0.5, math.nan, 5.0]) == [None, None, None]
    assert index.lookup_many([], []) == []


def test_an_empty_index_finds_nothing() -> None:
    index = PointIndex([], [])
    assert index.lookup(117.0, 3.0) is None
    assert index.lookup_many([117.0], [3.0]) == [None]


def test_it_refuses_mismatched_inputs() -> None:
    with pytest.raises(ValueError):
        PointIndex(["65.01"], [])
    index = PointIndex(["65.01"], [box(0, 0, 1, 1)])
    with pytest.raises(ValueError):
        index.lookup_many([0.5, 0.6], [0.5])


def test_the_naive_baseline_gives_none_on_a_border_where_the_index_answers() -> None:
    squares = [box(0, 0, 1, 1), box(1, 0, 2, 1)]
    assert naive_lookup_many(["11.02", "11.01"], squares, [1.0, 0.5, 1.5], [0.5, 0.5, 0.5]) == [
        None,
        "11.02",
        "11.01",
    ]
