"""Region geometries made light for the web map: simplified, with neighbours keeping shared borders."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely
from shapely.errors import ShapelyError
from shapely.geometry import MultiPolygon, Polygon, mapping
from shapely.geometry.base import BaseGeometry

__all__ = ["geometry_to_geojson", "simplify_for_display", "tolerance_for_bbox"]

MAX_DECIMALS = 5  # about 1 m at the equator
_MIN_TOLERANCE = 1e-7
_MAX_RESCUE_DECIMALS = 12  # for shapes too small to survive ordinary rounding


def tolerance_for_bbox(minx: float, miny: float, maxx: float, maxy: float, *, pixels: int = 1200) -> float:
    """Simplification tolerance in degrees for drawing this extent about ``pixels`` wide: half a pixel.

    Half a pixel keeps the outline indistinguishable at that size and still sharp when zoomed in twice.
    """
    if pixels <= 0:
        raise ValueError("Jumlah piksel harus lebih dari nol.")
    if not all(math.isfinite(value) for value in (minx, miny, maxx, maxy)) or maxx < minx or maxy < miny:
        raise ValueError(f"Batas kotak ({minx}, {miny}, {maxx}, {maxy}) tidak sah.")
    # A degree of longitude shrinks away from the equator; Indonesia stays close to it, but be exact.
    mid_lat = math.radians(max(-89.0, min(89.0, (miny + maxy) / 2)))
    span = max((maxx - minx) * math.cos(mid_lat), maxy - miny)
    return max(span / pixels / 2, _MIN_TOLERANCE)


def simplify_for_display(
    items: Sequence[tuple[str, BaseGeometry]], *, tolerance: float
) -> dict[str, dict[str, Any]]:
    """Simplify region geometries for display and return GeoJSON geometry dicts by code.

    Coverage simplification (``shapely.coverage_simplify``) keeps the borders that neighbours share
    identical; when it is missing or gives an invalid or empty shape, each geometry is simplified on its
    own with topology preserved. A shape that would come out empty is returned unsimplified. Coordinates
    are rounded to 5 decimals, or fewer where the tolerance makes the extra digits invisible.
    """
    if not math.isfinite(tolerance) or tolerance < 0:
        raise ValueError(f"Toleransi penyederhanaan harus angka nol atau positif, bukan {tolerance!r}.")
    codes = [code for code, _ in items]
    originals = np.empty(len(items), dtype=object)
    originals[:] = [geometry for _, geometry in items]
    simplified = _simplified(originals, tolerance)
    decimals = _decimals_for(tolerance)
    result: dict[str, dict[str, Any]] = {}
    for code, original, simple in zip(codes, originals, simplified, strict=True):
        usable = simple is not None and not simple.is_empty and simple.is_valid
        shape = simple if usable or original.is_empty else original
        result[code] = geometry_to_geojson(shape, decimals=decimals)
    return result


def _simplified(geometries: np.ndarray, tolerance: float) -> list[BaseGeometry | None]:
    if tolerance == 0 or len(geometries) == 0:
        return list(geometries)
    coverage = _coverage_simplified(geometries, tolerance)
    if coverage is not None:
        return coverage
    try:
        each = shapely.simplify(geometries, tolerance, preserve_topology=True)
    except ShapelyError:
        return [_simplify_one(geometry, tolerance) for geometry in geometries]
    return list(each)


def _coverage_simplified(geometries: np.ndarray, tolerance: float) -> list[BaseGeometry | None] | None:
    simplify = getattr(shapely, "coverage_simplify", None)
    if simplify is None:
        return None
    if not all(isinstance(geometry, Polygon | MultiPolygon) for geometry in geometries):
        return None
    try:
        result = simplify(geometries, tolerance)
    except (ShapelyError, ValueError, TypeError):
        return None
    became_empty = shapely.is_empty(result) & ~shapely.is_empty(geometries)
    if became_empty.any() or not shapely.is_valid(result).all():
        return None
    return list(result)


def _simplify_one(geometry: BaseGeometry, tolerance: float) -> BaseGeometry | None:
    try:
        return geometry.simplify(tolerance, preserve_topology=True)
    except ShapelyError:
        return None


def _decimals_for(tolerance: float) -> int:
    """Decimals whose rounding error (half a unit of the last digit) stays within a tenth of the tolerance."""
    if tolerance <= 0:
        return MAX_DECIMALS
    return max(1, min(MAX_DECIMALS, math.ceil(math.log10(5 / tolerance))))


def geometry_to_geojson(geometry: BaseGeometry, *, decimals: int = MAX_DECIMALS) -> dict[str, Any]:
    """GeoJSON geometry dict with rounded coordinates; points repeated by the rounding are dropped.

    Rings that rounding would collapse are dropped (holes, islands of a multipolygon); when a whole shape
    would collapse, it keeps more decimals instead, so a region never disappears from the map.
    """
    if isinstance(geometry, Polygon | MultiPolygon):
        parts = list(geometry.geoms) if isinstance(geometry, MultiPolygon) else [geometry]
        parts = [part for part in parts if not part.is_empty]
        coordinates: list[list[list[list[float]]]] = []
        for places in range(decimals, _MAX_RESCUE_DECIMALS + 1):
            coordinates = [c for c in (_polygon_coords(part, places) for part in parts) if c is not None]
            if coordinates or not parts:
                break
        if isinstance(geometry, Polygon):
            return {"type": "Polygon", "coordinates": coordinates[0] if coordinates else []}
        return {"type": "MultiPolygon", "coordinates": coordinates}
    return _round_nested(mapping(geometry), decimals)  # type: ignore[no-any-return]


def _polygon_coords(polygon: Polygon, decimals: int) -> list[list[list[float]]] | None:
    """Rounded rings of a polygon, or None when its outer ring collapses; collapsed holes are left out."""
    exterior = _ring_coords(polygon.exterior, decimals)
    if exterior is None:
        return None
    holes = [_ring_coords(ring, decimals) for ring in polygon.interiors]
    return [exterior, *(hole for hole in holes if hole is not None)]


def _ring_coords(ring: BaseGeometry, decimals: int) -> list[list[float]] | None:
    points = np.round(shapely.get_coordinates(ring), decimals)
    keep = np.ones(len(points), dtype=bool)
    keep[1:] = np.any(points[1:] != points[:-1], axis=1)
    kept = points[keep]
    # A ring needs at least three distinct corners plus the closing point.
    if len(kept) < 4:
        return None
    coords: list[list[float]] = kept.tolist()
    return coords


def _round_nested(value: Any, decimals: int) -> Any:
    if isinstance(value, float):
        return round(value, decimals)
    if isinstance(value, list | tuple):
        return [_round_nested(item, decimals) for item in value]
    if isinstance(value, dict):
        return {key: _round_nested(item, decimals) for key, item in value.items()}
    return value
