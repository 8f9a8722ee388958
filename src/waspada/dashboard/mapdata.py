"""The data behind the map: a region's children as a GeoJSON FeatureCollection of simplified shapes."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Count

from waspada.regions.models import Region


def region_ref(region: Region) -> dict[str, Any]:
    return {"code": region.code, "name": region.name, "level": region.level, "kind": region.kind}


def children_layer(region: Region) -> dict[str, Any]:
    """Everything the map needs to draw one region's children; geometry only where boundaries exist."""
    children = list(
        Region.objects.filter(parent=region)
        .annotate(n_children=Count("children"))
        .only(
            "code", "name", "level", "kind", "population", "display_geometry", "centroid_lon", "centroid_lat"
        )
        .order_by("code")
    )
    features = []
    for child in children:
        features.append(
            {
                "type": "Feature",
                "id": child.code,
                "properties": {
                    **region_ref(child),
                    "population": child.population,
                    "has_children": child.n_children > 0,
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
        "parents": [region_ref(p) for p in region.ancestors()],
        "has_boundaries": drawn > 0,
        "drawn": drawn,
        "children": {"type": "FeatureCollection", "features": features},
    }
