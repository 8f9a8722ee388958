"""Server-side grid clustering of map markers (pure)."""

from __future__ import annotations

from waspada.dashboard import clusters
from waspada.dashboard.clusters import Point

EXTENT = (116.0, 2.0, 118.0, 4.0)


def point(
    lon: float | None, lat: float | None, unit: str | None = "65.03", when: str = "2026-11-20"
) -> Point:
    return Point(lon, lat, unit, when, {"when": when})


def test_it_merges_markers_in_one_cell_and_keeps_distant_ones_apart() -> None:
    found = clusters.grid_clusters(
        [point(117.051, 3.051), point(117.052, 3.052, when="2026-11-21"), point(116.1, 2.1)], EXTENT, cells=20
    )
    assert [c.count for c in found] == [2, 1]
    big = found[0]
    assert abs(big.lon - 117.0515) < 1e-9 and abs(big.lat - 3.0515) < 1e-9
    assert [i["when"] for i in big.items] == ["2026-11-21", "2026-11-20"], "newest first"


def test_a_cluster_keeps_only_the_first_items_but_counts_all() -> None:
    found = clusters.grid_clusters(
        [point(117.0, 3.0, when=f"2026-11-{d:02d}") for d in range(1, 31)], EXTENT, keep=5
    )
    assert found[0].count == 30 and len(found[0].items) == 5
    assert found[0].as_dict()["n"] == 30


def test_markers_without_a_position_count_for_their_unit_but_are_not_drawn() -> None:
    points = [
        point(None, None, "65.03"),
        point(117.0, 3.0, "65.03"),
        point(117.5, 3.5, "65.71"),
        point(1, 1, None),
    ]
    assert sum(c.count for c in clusters.grid_clusters(points, EXTENT)) == 3
    assert clusters.count_by_unit(points) == {"65.03": 2, "65.71": 1}


def test_cells_stay_square_on_the_map() -> None:
    width, height = clusters.cell_size((100.0, 60.0, 110.0, 70.0), cells=10)
    assert width > height  # a degree of longitude is shorter at 65° N, so a cell spans more of them
    assert clusters.cell_size((117.0, 3.0, 117.0, 3.0), cells=4)[1] > 0, "one point still makes a cell"


def test_a_marker_without_coordinates_sits_at_its_region_or_nearest_ancestor() -> None:
    centroids = {"65.03": (117.1, 3.9), "65.03.01": (117.8, 4.1)}
    assert clusters.position("65.03.01.2001", None, None, centroids) == (117.8, 4.1)
    assert clusters.position("65.03.05.2001", None, None, centroids) == (117.1, 3.9)
    assert clusters.position("65.03.01.2001", 117.5, 4.0, centroids) == (117.5, 4.0)
    assert clusters.position("64.01", None, None, centroids) == (None, None)


def test_units_and_ancestors_come_from_the_dotted_code() -> None:
    assert clusters.unit_at_level("65.03.01.2001", 2) == "65.03"
    assert clusters.unit_at_level("65.03", 3) is None
    assert clusters.ancestors_and_self(["65.03.01"]) == {"65", "65.03", "65.03.01"}
