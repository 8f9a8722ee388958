"""Shapes for a map that draws units two or more levels below its region (e.g. every desa of a province).

A region's direct children are drawn from ``Region.display_geometry``, simplified at import time for the
parent's extent. Units further down were simplified for a much smaller extent and would be heavy and
needlessly detailed here, so their drawings are simplified again for the extent of this view, at about half
a pixel of a 1,200-pixel map, with coordinates rounded to what that tolerance can show (Kaltara's 482 desa:
1.9 MB of stored drawings become about 0.4 MB). The result is kept in Django's cache under the boundaries'
version, so it is computed once per view and boundary import; the worker's ``dashboard.warm-map`` job
(:func:`warm_default`) does it ahead of the first visitor.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from django.conf import settings
from django.core.cache import cache

from waspada.regions.display import tolerance_for_bbox
from waspada.regions.lookup import geometry_version
from waspada.regions.models import Region

CACHE_SECONDS = 30 * 24 * 3600


def cache_key(code: str, level: int) -> str:
    return f"waspada:map-shapes:{geometry_version()}:{code}:{level}"


def simplified_shapes(code: str, level: int, codes: list[str]) -> dict[str, str]:
    """GeoJSON geometry text by unit code for the units of one view that have a boundary."""
    key = cache_key(code, level)
    found = cache.get(key)
    if isinstance(found, dict):
        return found
    shapes = compute(codes)
    cache.set(key, shapes, CACHE_SECONDS)
    return shapes


def decimals_for(tolerance: float) -> int:
    """Decimals whose rounding error stays within a tenth of the tolerance (5 at most, about 1 m)."""
    return max(1, min(5, math.ceil(math.log10(5 / tolerance)))) if tolerance > 0 else 5


def compute(codes: list[str]) -> dict[str, str]:
    """Simplify the units' drawings (already simplified for their own parent) again for this view.

    All at once, in GEOS (parse, Douglas-Peucker, rounding, GeoJSON): a few tenths of a second for every
    desa of a province, which matters to the first visitor after a boundary import. Each outline is
    simplified on its own; at half a pixel the slivers this may open between neighbours are invisible. A
    shape the fast simplification breaks is simplified again keeping its topology, and one that would still
    come out empty, invalid or flattened by the rounding keeps more of its stored drawing."""
    rows: list[tuple[str, str]] = []
    for start in range(0, len(codes), 500):
        rows += list(
            Region.objects.filter(
                code__in=codes[start : start + 500], display_geometry__isnull=False
            ).values_list("code", "display_geometry")
        )
    if not rows:
        return {}
    geoms = shapely.from_geojson(np.array([g for _, g in rows], dtype=object), on_invalid="ignore")
    keep = ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)
    if not keep.any():
        return {}
    tolerance = tolerance_for_bbox(*(float(b) for b in shapely.total_bounds(geoms[keep])))
    simple = geoms.copy()
    simple[keep] = shapely.simplify(geoms[keep], tolerance, preserve_topology=False)
    broken = keep & (shapely.is_empty(simple) | ~shapely.is_valid(simple))
    if broken.any():
        simple[broken] = shapely.simplify(geoms[broken], tolerance, preserve_topology=True)
        broken = keep & (shapely.is_empty(simple) | ~shapely.is_valid(simple))
        simple[broken] = geoms[broken]
    decimals = decimals_for(tolerance)
    rounded = simple.copy()
    rounded[keep] = shapely.transform(simple[keep], lambda xy: np.round(xy, decimals))
    flat = keep & (shapely.area(rounded) <= 0)
    rounded[flat] = simple[flat]  # too small for the rounding: keep every digit rather than lose the unit
    texts = np.full(len(rows), None, dtype=object)
    texts[keep] = shapely.to_geojson(rounded[keep])
    return {code: text for (code, _), text in zip(rows, texts, strict=True) if text is not None}


def warm(codes: list[str]) -> dict[str, int]:
    """Compute and cache the deeper levels of these regions' maps."""
    done = 0
    for code in codes:
        region = Region.objects.filter(code=code).only("code", "level").first()
        if region is None:
            continue
        for level in range(region.level + 2, 5):
            if cache.get(cache_key(code, level)) is not None:
                continue
            below = list(
                Region.objects.filter(
                    code__startswith=code + ".", level=level, display_geometry__isnull=False
                ).values_list("code", flat=True)
            )
            if below:
                cache.set(cache_key(code, level), compute(below), CACHE_SECONDS)
                done += 1
    return {"computed": done}


def warm_default() -> dict[str, int]:
    """The worker's job: the deeper levels of the deployment's region and of each unit below it."""
    code = settings.DEFAULT_REGION
    children = list(Region.objects.filter(parent_id=code).values_list("code", flat=True))
    return warm([code, *children])
