"""The data behind the map: a region's children as a GeoJSON FeatureCollection of simplified shapes.

Shapes come from ``Region.display_geometry``, simplified at import time for drawing all siblings on one
screen, so a level of the whole province stays a few tens of kilobytes. Permission decisions are not made
here: views decide what the user may open (``waspada.accounts.access``) and pass the answers in.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet

from waspada.regions.models import Region
from waspada.risk.latest import latest_snapshots


def region_ref(region: Region) -> dict[str, Any]:
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "kind": region.kind,
        "kind_label": str(region.get_kind_display()),
    }


def _children(region: Region) -> QuerySet[Region]:
    return Region.objects.filter(parent=region).annotate(n_children=Count("children")).order_by("code")


def child_units(region: Region) -> list[dict[str, Any]]:
    """The children of a region without shapes: what the side list and the no-script page need."""
    rows = (
        _children(region)
        .annotate(has_shape=ExpressionWrapper(Q(display_geometry__isnull=False), output_field=BooleanField()))
        .only("code", "name", "level", "kind")
    )
    return [{**region_ref(r), "has_children": r.n_children > 0, "has_shape": bool(r.has_shape)} for r in rows]


def children_layer(region: Region, may_open: Callable[[str], bool] | None = None) -> dict[str, Any]:
    """Everything the map needs to draw one region's children; geometry only where boundaries exist.

    ``may_open(code)`` says whether the viewer may open an ancestor's map: the breadcrumb links only those
    (none when it is not given).
    """
    children = list(
        _children(region).only(
            "code", "name", "level", "kind", "population", "display_geometry", "centroid_lon", "centroid_lat"
        )
    )
    index = latest_snapshots(c.code for c in children)
    features = []
    for child in children:
        snap = index.get(child.code)
        features.append(
            {
                "type": "Feature",
                "id": child.code,
                "properties": {
                    **region_ref(child),
                    "population": child.population,
                    "has_children": child.n_children > 0,
                    "score": None if snap is None or snap.score is None else round(snap.score, 1),
                    "category": snap.category if snap is not None else None,
                    "label_point": (
                        [child.centroid_lon, child.centroid_lat] if child.centroid_lon is not None else None
                    ),
                },
                "geometry": json.loads(child.display_geometry) if child.display_geometry else None,
            }
        )
    drawn = sum(1 for f in features if f["geometry"] is not None)
    return {
        "region": region_ref(region),
        "parents": [
            {**region_ref(p), "link": bool(may_open and may_open(p.code))} for p in region.ancestors()
        ],
        "has_boundaries": drawn > 0,
        "has_index": bool(index),
        "drawn": drawn,
        "children": {"type": "FeatureCollection", "features": features},
    }
