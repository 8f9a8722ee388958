"""Grid clustering of map markers on the server — pure (plain data in and out, no Django).

The map draws one region's units on one screen; markers that would crowd each other are merged into one
cluster per cell of a square grid laid over the view's extent (``cells`` across its longer side, with
longitude scaled by the cosine of the latitude so cells stay square on the equirectangular map). A cluster
sits at the mean position of its members and carries the first ``keep`` of them, newest first, so the
page can list them without another request. A marker without a position still counts for its unit.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

DEFAULT_CELLS = 24
DEFAULT_KEEP = 20

Extent = tuple[float, float, float, float]  # min lon, min lat, max lon, max lat


@dataclass(frozen=True, slots=True)
class Point:
    """One marker: where it is (None when unknown), the unit of the view it falls in, what to show."""

    lon: float | None
    lat: float | None
    unit: str | None
    sort_key: str  # newest first: larger keys come first (an ISO timestamp)
    props: Mapping[str, Any]


@dataclass(slots=True)
class Cluster:
    lon: float
    lat: float
    count: int
    items: list[Mapping[str, Any]] = field(default_factory=list)

    def as_dict(self, decimals: int = 4) -> dict[str, Any]:
        return {
            "lon": round(self.lon, decimals),
            "lat": round(self.lat, decimals),
            "n": self.count,
            "items": list(self.items),
        }


def cell_size(extent: Extent, cells: int = DEFAULT_CELLS) -> tuple[float, float]:
    """Width (degrees of longitude) and height (degrees of latitude) of one square grid cell."""
    if cells < 1:
        raise ValueError("cells must be at least 1")
    min_lon, min_lat, max_lon, max_lat = extent
    k = math.cos(math.radians((min_lat + max_lat) / 2)) or 1.0
    span = max((max_lon - min_lon) * k, max_lat - min_lat)
    if not math.isfinite(span) or span <= 0:
        span = 0.01  # one point or an empty extent: one small cell
    size = span / cells
    return size / k, size


def grid_clusters(
    points: Iterable[Point], extent: Extent, *, cells: int = DEFAULT_CELLS, keep: int = DEFAULT_KEEP
) -> list[Cluster]:
    """Markers merged per grid cell; the largest clusters first, then west to east, north to south."""
    width, height = cell_size(extent, cells)
    min_lon, min_lat = extent[0], extent[1]
    groups: dict[tuple[int, int], list[Point]] = {}
    for p in points:
        if p.lon is None or p.lat is None:
            continue
        key = (math.floor((p.lon - min_lon) / width), math.floor((p.lat - min_lat) / height))
        groups.setdefault(key, []).append(p)
    found = []
    for members in groups.values():
        members.sort(key=lambda m: m.sort_key, reverse=True)
        lon = sum(m.lon for m in members if m.lon is not None) / len(members)
        lat = sum(m.lat for m in members if m.lat is not None) / len(members)
        found.append(Cluster(lon, lat, len(members), [dict(m.props) for m in members[:keep]]))
    found.sort(key=lambda c: (-c.count, c.lon, -c.lat))
    return found


def count_by_unit(points: Iterable[Point]) -> dict[str, int]:
    """How many markers fall in each unit of the view (markers outside every unit are not counted)."""
    counts: dict[str, int] = {}
    for p in points:
        if p.unit is not None:
            counts[p.unit] = counts.get(p.unit, 0) + 1
    return dict(sorted(counts.items()))


def unit_at_level(code: str, level: int) -> str | None:
    """The ancestor (or the region itself) of a dotted code at ``level``; None when the code is coarser."""
    parts = code.split(".")
    if len(parts) < level:
        return None
    return ".".join(parts[:level])


def position(
    code: str, lon: float | None, lat: float | None, centroids: Mapping[str, tuple[float, float]]
) -> tuple[float | None, float | None]:
    """A marker's own coordinates, else the centroid of its region or of the nearest ancestor that has one."""
    if lon is not None and lat is not None and math.isfinite(lon) and math.isfinite(lat):
        return lon, lat
    parts = code.split(".")
    while parts:
        found = centroids.get(".".join(parts))
        if found is not None:
            return found
        parts.pop()
    return None, None


def ancestors_and_self(codes: Iterable[str]) -> set[str]:
    """Every code with all its ancestors: the regions whose centroids may place these markers."""
    found: set[str] = set()
    for code in codes:
        parts = code.split(".")
        for n in range(1, len(parts) + 1):
            found.add(".".join(parts[:n]))
    return found
