"""The data behind the map: the units of one view (a region's children, or every unit of a deeper level
inside it, or of the whole country) with their simplified shapes and their index as of a day.

Shapes of a region's children come from ``Region.display_geometry`` (simplified at import time for the
parent's extent); deeper levels are simplified for the view by :mod:`waspada.dashboard.shapes`. The JSON
is assembled around the stored geometry text rather than parsing and re-serialising it. Permission
decisions are not made here: views decide what the user may open (``waspada.accounts.access``) and pass
the answers in.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from waspada.dashboard import shapes
from waspada.dashboard.params import NATIONAL, BadParam
from waspada.regions.models import Kind, Region
from waspada.risk.models import IndexSnapshot

MAX_UNITS = 2500  # one screen: beyond this, open a smaller region first
_BATCH = 500


@dataclass(frozen=True, slots=True)
class Place:
    """The area a map view shows: one region, or the whole country (``region`` None, level 0)."""

    code: str
    name: str
    level: int
    region: Region | None

    def ancestors(self) -> list[Region]:
        return self.region.ancestors() if self.region is not None else []


def place_for(region: Region | None) -> Place:
    if region is None:
        return Place(NATIONAL, _("Indonesia"), 0, None)
    return Place(region.code, region.name, region.level, region)


def kind_labels() -> dict[str, str]:
    """The kinds' labels in the active language (looked up once, not once per unit)."""
    return {code: str(label) for code, label in Kind.choices}


def region_ref(region: Region, labels: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "kind": region.kind,
        "kind_label": (labels or kind_labels()).get(region.kind, region.kind),
    }


def place_ref(place: Place) -> dict[str, Any]:
    if place.region is not None:
        return region_ref(place.region)
    return {"code": NATIONAL, "name": place.name, "level": 0, "kind": "negara", "kind_label": _("Country")}


def units_of(place: Place, level: int) -> QuerySet[Region]:
    """The units drawn for a place at a level (its children when the level is the next one).

    Deeper levels go down the parent links (``parent__parent_id=…``), which the index on ``parent`` serves,
    rather than a prefix match over the whole gazetteer."""
    if place.region is None:
        rows = Region.objects.filter(level=level)
    else:
        depth = level - place.level
        if depth < 1:
            return Region.objects.none()
        rows = Region.objects.filter(**{"__".join(["parent"] * depth) + "_id": place.code})
    return rows.order_by("code")


def check_size(place: Place, level: int) -> int:
    count = units_of(place, level).count()
    if count > MAX_UNITS:
        raise BadParam(
            "tingkat",
            f"Tampilan ini berisi {count} wilayah (batas {MAX_UNITS}). Buka wilayah yang lebih kecil dulu.",
        )
    return count


def _with_children(rows: QuerySet[Region], level: int) -> QuerySet[Region]:
    if level >= 4:
        return rows
    return rows.annotate(has_kids=Exists(Region.objects.filter(parent_id=OuterRef("code"))))


def unit_list(place: Place, level: int) -> list[dict[str, Any]]:
    """The units without shapes: what the side list and the page without JavaScript need."""
    rows = _with_children(units_of(place, level), level)
    names = ["code", "name", "level", "kind"] + (["has_kids"] if level < 4 else [])
    labels = kind_labels()
    return [
        {
            "code": r["code"],
            "name": r["name"],
            "level": r["level"],
            "kind": r["kind"],
            "kind_label": labels.get(r["kind"], r["kind"]),
            "has_children": bool(r.get("has_kids", False)),
        }
        for r in rows.values(*names)
    ]


class Score(NamedTuple):
    """One region's snapshot as the map reads it."""

    region_id: str
    date: dt.date
    score: float | None
    category: str
    config_version: str
    contributions: dict[str, Any]


def _latest(day: dt.date, field: str) -> Subquery:
    """A field of the region's latest snapshot on or before ``day``, as a subquery on Region rows."""
    return Subquery(
        IndexSnapshot.objects.filter(region_id=OuterRef("code"), date__lte=day)
        .order_by("-date", "-created_at")
        .values(field)[:1]
    )


def scores_at(codes: Iterable[str], day: dt.date, *, with_contributions: bool = False) -> dict[str, Score]:
    """Each region's latest snapshot on or before ``day`` (regions without one are absent)."""
    latest = _latest(day, "pk")
    codes = list(codes)
    ids: list[int] = []
    for start in range(0, len(codes), _BATCH):
        ids += [
            pk
            for pk in Region.objects.filter(code__in=codes[start : start + _BATCH])
            .annotate(snap=latest)
            .values_list("snap", flat=True)
            if pk is not None
        ]
    found: dict[str, Score] = {}
    fields = ["region_id", "date", "score", "category", "config_version"]
    for start in range(0, len(ids), _BATCH):
        rows = IndexSnapshot.objects.filter(pk__in=ids[start : start + _BATCH])
        for row in rows.values_list(*fields, *(["contributions"] if with_contributions else [])):
            found[row[0]] = Score(*row[:5], row[5] if with_contributions else {})
    return found


_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)
_dumps = _ENCODER.encode


def layer_json(
    place: Place,
    level: int,
    day: dt.date,
    *,
    may_open: Callable[[str], bool] | None = None,
    national_link: bool = False,
) -> str:
    """Everything the map needs to draw one view, as JSON text; geometry only where boundaries exist.

    ``may_open(code)`` says whether the viewer may open an ancestor's map: the breadcrumb links only those;
    ``national_link`` adds the whole country at the top of the breadcrumb.
    """
    direct = place.region is not None and level == place.level + 1
    fields = ["code", "name", "level", "kind", "population", "centroid_lon", "centroid_lat", "has_shape"]
    fields += ["display_geometry"] if direct else []
    fields += ["has_kids"] if level < 4 else []
    fields += ["snap_score", "snap_category", "snap_date"]
    rows = list(
        _with_children(units_of(place, level), level)
        .annotate(
            has_shape=ExpressionWrapper(Q(display_geometry__isnull=False), output_field=BooleanField()),
            snap_score=_latest(day, "score"),
            snap_category=_latest(day, "category"),
            snap_date=_latest(day, "date"),
        )
        .values(*fields)
    )
    if direct:
        geometry = {r["code"]: r["display_geometry"] for r in rows if r["display_geometry"]}
    else:
        with_shape = [r["code"] for r in rows if r["has_shape"]]
        geometry = shapes.simplified_shapes(place.code, level, with_shape) if with_shape else {}
    labels = kind_labels()
    features = []
    for unit in rows:
        code = unit["code"]
        score, category = unit["snap_score"], unit["snap_category"]
        lon, lat = unit["centroid_lon"], unit["centroid_lat"]
        props = {
            "code": code,
            "name": unit["name"],
            "level": unit["level"],
            "kind": unit["kind"],
            "kind_label": labels.get(unit["kind"], unit["kind"]),
            "population": unit["population"],
            "has_children": bool(unit.get("has_kids", False)),
            "score": None if score is None else round(score, 1),
            "category": category if unit["snap_date"] is not None else None,
            "label_point": [round(lon, 4), round(lat, 4)] if lon is not None and lat is not None else None,
        }
        features.append(
            f'{{"type":"Feature","id":{_dumps(code)},"properties":{_dumps(props)},'
            f'"geometry":{geometry.get(code) or "null"}}}'
        )
    drawn = sum(1 for r in rows if geometry.get(r["code"]))
    parents = [{**region_ref(p), "link": bool(may_open and may_open(p.code))} for p in place.ancestors()]
    if national_link and place.region is not None:
        parents.insert(0, {**place_ref(place_for(None)), "link": True})
    dates = [r["snap_date"] for r in rows if r["snap_date"] is not None]
    head = {
        "region": place_ref(place),
        "level": level,
        "date": day.isoformat(),
        "parents": parents,
        "has_boundaries": drawn > 0 and drawn * 2 >= len(rows),
        "drawn": drawn,
        "has_index": bool(dates),
        "index_date": max(dates).isoformat() if dates else None,
    }
    head_text = _dumps(head)[:-1]
    return f'{head_text},"children":{{"type":"FeatureCollection","features":[{",".join(features)}]}}}}'
