"""Point → region and name → region lookups over the stored gazetteer, cached per process.

The in-memory indexes are rebuilt when the gazetteer or a boundary import changes them (a version counter
in the database), so every server process answers from memory.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import shapely

from waspada.regions.models import GeometryVersion, Region
from waspada.regions.names import NameIndex, NameMatch
from waspada.regions.spatial import PointIndex

_lock = threading.Lock()
_point_indexes: dict[int, tuple[int, PointIndex | None]] = {}
_name_index: tuple[int, NameIndex] | None = None


def geometry_version() -> int:
    row = GeometryVersion.objects.filter(id=1).values_list("version", flat=True).first()
    return int(row or 0)


def point_index(level: int) -> PointIndex | None:
    """The spatial index of every unit of ``level`` with a boundary, or None when there are none."""
    version = geometry_version()
    cached = _point_indexes.get(level)
    if cached is not None and cached[0] == version:
        return cached[1]
    with _lock:
        rows = list(
            Region.objects.filter(level=level, geometry__isnull=False).values_list("code", "geometry")
        )
        index = PointIndex([c for c, _ in rows], [shapely.from_geojson(g) for _, g in rows]) if rows else None
        _point_indexes[level] = (version, index)
    return index


def locate_many(lons: Sequence[float], lats: Sequence[float]) -> list[str | None]:
    """For each point, the code of the deepest unit containing it (a desa where desa boundaries exist)."""
    found: list[str | None] = [None] * len(lons)
    pending = list(range(len(lons)))
    for level in (4, 3, 2, 1):
        if not pending:
            break
        index = point_index(level)
        if index is None:
            continue
        hits = index.lookup_many([lons[i] for i in pending], [lats[i] for i in pending])
        still: list[int] = []
        for i, code in zip(pending, hits, strict=True):
            if code is None:
                still.append(i)
            else:
                found[i] = code
        pending = still
    return found


def locate(lon: float, lat: float) -> str | None:
    return locate_many([lon], [lat])[0]


def name_index() -> NameIndex:
    global _name_index
    count = Region.objects.count()
    if _name_index is not None and _name_index[0] == count:
        return _name_index[1]
    with _lock:
        rows = Region.objects.values_list("code", "name", "level", "kind").iterator(chunk_size=10000)
        index = NameIndex.build(rows)
        _name_index = (count, index)
    return index


def search_names(
    query: str, *, level: int | None = None, within: str | None = None, limit: int = 10
) -> list[NameMatch]:
    return name_index().search(query, level=level, within=within, limit=limit)


def reset_caches() -> None:
    global _name_index
    with _lock:
        _point_indexes.clear()
        _name_index = None
