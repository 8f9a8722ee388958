from __future__ import annotations

import gzip
import json
import math
from typing import Any

import pytest
import shapely
from shapely.geometry import Polygon, box, shape

from waspada.regions.boundaries import BoundaryFeature
from waspada.regions.display import geometry_to_geojson, simplify_for_display, tolerance_for_bbox


def feature_collection_gzip_size(
    features: list[BoundaryFeature], geometries: dict[str, dict[str, Any]]
) -> int:
    """Size of the FeatureCollection the map would download, compact JSON, gzipped."""
    document = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": f.code,
                "properties": {"kode": f.code, "nama": f.name},
                "geometry": geometries[f.code],
            }
            for f in features
        ],
    }
    return len(gzip.compress(json.dumps(document, separators=(",", ":")).encode()))


def simplify_level(features: list[BoundaryFeature]) -> dict[str, dict[str, Any]]:
    bounds = shapely.total_bounds([f.geometry for f in features])
    tolerance = tolerance_for_bbox(*bounds)
    return simplify_for_display([(f.code, f.geometry) for f in features], tolerance=tolerance)


def max_decimals(geometry: dict[str, Any]) -> int:
    coords = shapely.get_coordinates(shape(geometry))
    return max(len(repr(float(value)).split(".")[1]) for value in coords.ravel())


@pytest.mark.parametrize(
    ("level", "budget"), [("kabkota", 300_000), ("kecamatan", 300_000), ("desa", 600_000)]
)
def test_kaltara_fits_the_map_budget_at_each_level(
    kaltara_boundaries: dict[str, list[BoundaryFeature]], level: str, budget: int
) -> None:
    features = kaltara_boundaries[level]
    geometries = simplify_level(features)
    assert set(geometries) == {f.code for f in features}
    assert feature_collection_gzip_size(features, geometries) < budget
    for geometry in geometries.values():
        assert geometry["type"] in {"Polygon", "MultiPolygon"} and geometry["coordinates"]
        assert max_decimals(geometry) <= 5


def test_it_removes_most_vertices_of_the_desa_without_losing_any(
    kaltara_boundaries: dict[str, list[BoundaryFeature]],
) -> None:
    features = kaltara_boundaries["desa"]
    geometries = simplify_level(features)
    before = sum(shapely.get_num_coordinates(f.geometry) for f in features)
    after = sum(shapely.get_num_coordinates(shape(g)) for g in geometries.values())
    assert after < before * 0.8
    for f in features:
        simplified = shape(geometries[f.code])
        assert not simplified.is_empty
        # Still the same place: the simplified shape overlaps most of the original.
        assert simplified.intersection(f.geometry).area > 0.5 * f.geometry.area, f.code


def test_neighbours_keep_their_shared_border() -> None:
    # Two regions split by a wiggly border of many small steps.
    steps = [(0.0 + 0.002 * math.sin(i), 3.0 + 0.01 * i) for i in range(101)]
    west = Polygon([(-1.0, 3.0), *steps, (-1.0, 4.0)])
    east = Polygon([(1.0, 3.0), (1.0, 4.0), *reversed(steps)])
    result = simplify_for_display([("65.01", west), ("65.02", east)], tolerance=0.005)
    simple_west, simple_east = shape(result["65.01"]), shape(result["65.02"])
    assert shapely.get_num_coordinates(simple_west) < shapely.get_num_coordinates(west)
    assert simple_west.intersection(simple_east).area == pytest.approx(0, abs=1e-12)
    assert simple_west.union(simple_east).area == pytest.approx(west.union(east).area, rel=1e-6)


def test_it_falls_back_to_simplifying_each_shape_without_coverage_simplify(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delattr(shapely, "coverage_simplify", raising=False)
    wiggly = Polygon(
        [(117.0 + 0.001 * i, 3.0 + 0.0001 * (i % 2)) for i in range(100)] + [(117.1, 3.1), (117.0, 3.1)]
    )
    result = simplify_for_display([("65.01", wiggly)], tolerance=0.001)
    simplified = shape(result["65.01"])
    assert simplified.is_valid and not simplified.is_empty
    assert shapely.get_num_coordinates(simplified) < 10


def test_it_never_returns_an_empty_shape_for_a_tiny_region() -> None:
    tiny = box(117.0, 3.0, 117.00001, 3.00001)
    big = box(117.00001, 3.0, 117.5, 3.5)
    result = simplify_for_display([("65.01.01.2001", tiny), ("65.01.01.2002", big)], tolerance=0.01)
    assert shape(result["65.01.01.2001"]).area > 0
    assert result["65.01.01.2001"]["coordinates"]


def test_it_rounds_coordinates_to_fewer_decimals_for_a_coarser_tolerance() -> None:
    square = box(117.123456789, 3.123456789, 117.987654321, 3.987654321)
    exact = simplify_for_display([("65.01", square)], tolerance=0)["65.01"]
    coarse = simplify_for_display([("65.01", square)], tolerance=0.01)["65.01"]
    assert max_decimals(exact) == 5
    assert max_decimals(coarse) == 3
    assert exact["type"] == "Polygon"


def test_it_refuses_a_negative_tolerance() -> None:
    with pytest.raises(ValueError):
        simplify_for_display([("65.01", box(0, 0, 1, 1))], tolerance=-1)


def test_geometry_to_geojson_drops_points_repeated_by_rounding() -> None:
    polygon = Polygon([(0, 0), (1, 0), (1.0000001, 0), (1, 1), (0, 1)])
    assert geometry_to_geojson(polygon) == {
        "type": "Polygon",
        "coordinates": [[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]],
    }


def test_the_tolerance_is_about_half_a_pixel_of_the_extent() -> None:
    kaltara = tolerance_for_bbox(114.56, 1.11, 117.99, 4.41)
    assert 0.0005 < kaltara < 0.005
    assert tolerance_for_bbox(114.56, 1.11, 117.99, 4.41, pixels=2400) == pytest.approx(kaltara / 2)
    assert tolerance_for_bbox(117.5, 3.2, 117.7, 3.4) < kaltara / 10
    assert tolerance_for_bbox(117.0, 3.0, 117.0, 3.0) > 0


@pytest.mark.parametrize(
    ("bounds", "pixels"), [((1, 0, 0, 1), 1200), ((0, 0, 1, 1), 0), ((0, 0, math.nan, 1), 1200)]
)
def test_it_refuses_a_bad_extent(bounds: tuple[float, float, float, float], pixels: int) -> None:
    with pytest.raises(ValueError):
        tolerance_for_bbox(*bounds, pixels=pixels)


def test_it_drops_islands_that_rounding_collapses_but_keeps_the_region() -> None:
    islands = shapely.MultiPolygon([box(117.0, 3.0, 117.5, 3.5), box(118.0, 3.0, 118.000001, 3.000001)])
    assert geometry_to_geojson(islands, decimals=3) == {
        "type": "MultiPolygon",
        "coordinates": [[[[117.5, 3.0], [117.5, 3.5], [117.0, 3.5], [117.0, 3.0], [117.5, 3.0]]]],
    }
