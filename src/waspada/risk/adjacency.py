"""Neighbouring regions from their boundaries — pure (shapely, no Django).

Two regions are neighbours when their boundaries touch or come within ``buffer`` of each other (in the
geometries' units; degrees for WGS84 — the default 0.001° is about 100 m, enough to bridge the slivers
and gaps between independently digitised polygons). Candidates come from an STRtree, so the cost grows
with the number of regions, not its square.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

IntArray = npt.NDArray[np.int64]

DEFAULT_BUFFER = 0.001


def neighbour_pairs(geometries: Sequence[BaseGeometry | None], *, buffer: float = DEFAULT_BUFFER) -> IntArray:
    """Every unordered pair ``(i, j)`` with ``i < j`` of neighbouring geometries, shape (m, 2), sorted.

    Missing or empty geometries have no neighbours."""
    geoms = np.array([g if g is not None and not g.is_empty else None for g in geometries], dtype=object)
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="dwithin", distance=buffer)
    keep = left < right
    pairs = np.column_stack([left[keep], right[keep]]).astype(np.int64)
    if not len(pairs):
        return np.zeros((0, 2), dtype=np.int64)
    return np.unique(pairs, axis=0)


def symmetric(pairs: IntArray) -> tuple[IntArray, IntArray]:
    """Both directions of each pair as (source, target) arrays: for scatter-adding neighbour values."""
    return np.r_[pairs[:, 0], pairs[:, 1]], np.r_[pairs[:, 1], pairs[:, 0]]


def from_geojson_texts(texts: Sequence[str | None], *, buffer: float = DEFAULT_BUFFER) -> IntArray:
    """:func:`neighbour_pairs` of GeoJSON geometry texts (as stored on regions); bad text counts as none."""
    geoms: list[BaseGeometry | None] = []
    for text in texts:
        try:
            geoms.append(shapely.from_geojson(text) if text else None)
        except (shapely.errors.GEOSException, ValueError):
            geoms.append(None)
    return neighbour_pairs(geoms, buffer=buffer)


def from_feature_collection(path: str) -> tuple[list[str], IntArray]:
    """Codes (``kode``) and neighbour pairs of a GeoJSON FeatureCollection file."""
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    codes = [str(f["properties"]["kode"]) for f in data["features"]]
    texts = [json.dumps(f["geometry"]) if f.get("geometry") else None for f in data["features"]]
    return codes, from_geojson_texts(texts)
