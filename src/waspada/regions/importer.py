"""Importing boundary files into the gazetteer (the Django side of ``boundaries.parse_boundaries``)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import shapely
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from waspada.regions.boundaries import BoundaryFeature, BoundaryProblem, parse_boundaries
from waspada.regions.codes import level_of
from waspada.regions.display import simplify_for_display, tolerance_for_bbox
from waspada.regions.models import GeometryVersion, Region

Progress = Callable[[int, int], None]


@dataclass
class ImportResult:
    source: str
    features: int = 0
    matched: int = 0
    changed: int = 0
    repaired: int = 0
    problems: list[BoundaryProblem] = field(default_factory=list)

    @property
    def unknown(self) -> int:
        return sum(1 for p in self.problems if p.kind == "unknown_code")


def import_boundaries(
    path: Path, *, level: int | None = None, progress: Progress | None = None
) -> ImportResult:
    """Validate a GeoJSON file and store each matched unit's boundary. Raises ``BoundaryFileError`` for a
    file that cannot be used at all; per-feature problems are returned, and the good features imported."""
    parsed = parse_boundaries(path.read_bytes(), source=str(path))
    result = ImportResult(source=str(path), features=len(parsed.features) + len(parsed.problems))
    result.problems.extend(parsed.problems)
    codes = [f.code for f in parsed.features]
    known = set(Region.objects.filter(code__in=codes).values_list("code", flat=True))
    good: list[BoundaryFeature] = []
    for feature in parsed.features:
        if feature.code not in known:
            result.problems.append(
                BoundaryProblem(
                    feature.index,
                    feature.code,
                    "unknown_code",
                    f"Fitur ke-{feature.index + 1}: kode {feature.code} tidak ada di gazetir Kemendagri",
                )
            )
        elif level is not None and level_of(feature.code) != level:
            result.problems.append(
                BoundaryProblem(
                    feature.index,
                    feature.code,
                    "wrong_level",
                    f"Fitur ke-{feature.index + 1}: kode {feature.code} bukan tingkat {level} (tingkat {level_of(feature.code)})",
                )
            )
        else:
            good.append(feature)
    result.matched = len(good)
    result.repaired = sum(1 for f in good if f.repaired)
    now = timezone.now()
    with transaction.atomic():
        current = dict(Region.objects.filter(code__in=[f.code for f in good]).values_list("code", "geometry"))
        changed: list[Region] = []
        for i, feature in enumerate(good, start=1):
            text = shapely.to_geojson(feature.geometry)
            if current.get(feature.code) != text:
                minx, miny, maxx, maxy = feature.geometry.bounds
                centroid = feature.geometry.point_on_surface()
                changed.append(
                    Region(
                        code=feature.code,
                        geometry=text,
                        centroid_lon=round(centroid.x, 6),
                        centroid_lat=round(centroid.y, 6),
                        bbox_min_lon=minx,
                        bbox_min_lat=miny,
                        bbox_max_lon=maxx,
                        bbox_max_lat=maxy,
                        boundary_source=Path(path).name[:200],
                        boundary_updated_at=now,
                    )
                )
            if progress is not None and (i % 50 == 0 or i == len(good)):
                progress(i, len(good))
        Region.objects.bulk_update(
            changed,
            [
                "geometry",
                "centroid_lon",
                "centroid_lat",
                "bbox_min_lon",
                "bbox_min_lat",
                "bbox_max_lon",
                "bbox_max_lat",
                "boundary_source",
                "boundary_updated_at",
            ],
            batch_size=500,
        )
        result.changed = len(changed)
        if changed:
            rebuild_display(set(children_by_parent([r.code for r in changed])))
            GeometryVersion.objects.get_or_create(id=1)
            GeometryVersion.objects.filter(id=1).update(version=F("version") + 1)
    return result


def rebuild_display(parent_codes: set[str | None]) -> None:
    """Recompute the simplified drawing of every child of these parents, together so shared borders stay
    shared, at a tolerance that suits drawing the parent's extent on one screen."""
    for parent in parent_codes:
        children = list(
            Region.objects.filter(parent_id=parent, geometry__isnull=False).only("code", "geometry")
        )
        if not children:
            continue
        shapes = [(r.code, shapely.from_geojson(r.geometry)) for r in children]
        bounds = shapely.total_bounds([g for _, g in shapes])
        tolerance = tolerance_for_bbox(*(float(b) for b in bounds))
        simplified = simplify_for_display(shapes, tolerance=tolerance)
        Region.objects.bulk_update(
            [
                Region(code=code, display_geometry=json.dumps(geom, separators=(",", ":")))
                for code, geom in simplified.items()
            ],
            ["display_geometry"],
            batch_size=500,
        )


def children_by_parent(codes: list[str]) -> dict[str | None, list[str]]:
    grouped: dict[str | None, list[str]] = defaultdict(list)
    for code, parent in Region.objects.filter(code__in=codes).values_list("code", "parent_id"):
        grouped[parent].append(code)
    return grouped
