"""The marker layers of the map: incidents (filtered), news findings, recapitulation findings and alerts
inside one view, up to a day, clustered on a grid (:mod:`waspada.dashboard.clusters`).

Each layer reads through its app's access helper, so the user's region scope and role apply; a layer the
role may not read raises :class:`LayerNotAllowed` (the view answers 403). Markers without coordinates of
their own sit at their region's centroid (or the nearest ancestor's).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Exists, Max, Min, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from waspada import taxonomy
from waspada.accounts.access import Action, may, scope_q, scope_q_for
from waspada.alerts.access import visible_alerts
from waspada.alerts.models import AlertStatus
from waspada.dashboard import clusters
from waspada.dashboard.clusters import Point
from waspada.dashboard.mapdata import Place, units_of
from waspada.dashboard.params import MarkerQuery
from waspada.elections.results import FindingStatus, RecapFinding
from waspada.regions.models import Region
from waspada.reports.access import visible_incidents, visible_reports
from waspada.reports.models import IncidentStatus, Report, ReportStatus

MAX_POINTS = 5000  # per layer and request: the newest are drawn, the total is still counted
TITLE_CHARS = 120
TPS_CODE_LENGTH = 13

RIGHTS: dict[str, Action] = {
    "kejadian": Action.VIEW_INCIDENTS,
    "berita": Action.VIEW_REPORTS,
    "temuan": Action.VIEW_AGGREGATES,
    "peringatan": Action.VIEW_INCIDENTS,
}


class LayerNotAllowed(Exception):
    def __init__(self, layer: str) -> None:
        super().__init__(layer)
        self.layer = layer


def allowed_layers(user: Any) -> list[str]:
    return [name for name, right in RIGHTS.items() if may(user, right)]


def _bounds(q: MarkerQuery) -> tuple[dt.datetime | None, dt.datetime]:
    """The window as aware datetimes in the current time zone: [start, end)."""
    zone = timezone.get_current_timezone()
    end = dt.datetime.combine(q.day + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    first = q.first_day
    start = dt.datetime.combine(first, dt.time.min, tzinfo=zone) if first is not None else None
    return start, end


def _window(field: str, q: MarkerQuery) -> Q:
    start, end = _bounds(q)
    found = Q(**{f"{field}__lt": end})
    if start is not None:
        found &= Q(**{f"{field}__gte": start})
    return found


def _area(place: Place, field: str) -> Q:
    return Q() if place.region is None else scope_q_for(place.code, field)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TITLE_CHARS else text[: TITLE_CHARS - 1] + "…"


def _label(lookup: Callable[[str], Any], code: str, lang: str) -> str:
    try:
        return str(lookup(code).label(lang))
    except (KeyError, ValueError):
        return code


def incidents(user: Any, place: Place, q: MarkerQuery, lang: str) -> tuple[list[dict[str, Any]], int]:
    rows = visible_incidents(user).filter(_area(place, "region"), _window("occurred_at", q))
    if q.event_types:
        rows = rows.filter(event_type__in=q.event_types)
    if q.statuses:
        rows = rows.filter(status__in=q.statuses)
    if q.channels:
        rows = rows.filter(Exists(Report.objects.filter(incident=OuterRef("pk"), channel__in=q.channels)))
    statuses = dict(IncidentStatus.choices)
    found = []
    for r in rows.order_by("-occurred_at", "-id").values(
        "id",
        "title",
        "event_type",
        "status",
        "occurred_at",
        "region_id",
        "lon",
        "lat",
        "killed",
        "injured",
        "is_simulated",
    )[:MAX_POINTS]:
        found.append(
            {
                "id": r["id"],
                "number": f"K-{r['id']}",
                "title": _short(r["title"]),
                "type": r["event_type"],
                "type_label": _label(taxonomy.get_event_type, r["event_type"], lang),
                "status": r["status"],
                "status_label": str(statuses.get(r["status"], r["status"])),
                "when": timezone.localtime(r["occurred_at"]).isoformat(timespec="minutes"),
                "region": r["region_id"],
                "killed": r["killed"],
                "injured": r["injured"],
                "simulated": r["is_simulated"],
                "url": reverse("review:incident", args=[r["id"]]),
                "_pos": (r["lon"], r["lat"]),
            }
        )
    return found, rows.count() if len(found) >= MAX_POINTS else len(found)


def news(user: Any, place: Place, q: MarkerQuery, lang: str) -> tuple[list[dict[str, Any]], int]:
    rows = (
        visible_reports(user)
        .filter(_area(place, "region"), _window("occurred_at", q), channel="media")
        .exclude(status=ReportStatus.DITOLAK)
    )
    statuses = dict(ReportStatus.choices)
    found = []
    for r in rows.order_by("-occurred_at", "-id").values(
        "id", "description", "event_type", "status", "occurred_at", "region_id", "lon", "lat", "source_url"
    )[:MAX_POINTS]:
        found.append(
            {
                "id": r["id"],
                "number": f"L-{r['id']}",
                "title": _short(r["description"]),
                "type": r["event_type"],
                "type_label": _label(taxonomy.get_event_type, r["event_type"], lang),
                "status": r["status"],
                "status_label": str(statuses.get(r["status"], r["status"])),
                "when": timezone.localtime(r["occurred_at"]).isoformat(timespec="minutes"),
                "region": r["region_id"],
                "url": reverse("review:report", args=[r["id"]]),
                "_pos": (r["lon"], r["lat"]),
            }
        )
    return found, rows.count() if len(found) >= MAX_POINTS else len(found)


def findings(user: Any, place: Place, q: MarkerQuery, lang: str) -> tuple[list[dict[str, Any]], int]:
    rows = (
        RecapFinding.objects.filter(scope_q(user, "region_code"), _area(place, "region_code"))
        .filter(_window("found_at", q))
        .exclude(region_code="")
        .exclude(status=FindingStatus.DISMISSED)
    )
    statuses = dict(FindingStatus.choices)
    found = []
    for r in rows.order_by("-found_at", "-id").values(
        "id", "rule", "severity", "message", "status", "found_at", "region_code", "area_code"
    )[:MAX_POINTS]:
        tps = len(r["area_code"]) == TPS_CODE_LENGTH and r["area_code"].isdigit()
        found.append(
            {
                "id": r["id"],
                "number": r["rule"],
                "title": _short(r["message"]),
                "type": r["severity"],
                "type_label": r["severity"],
                "status": r["status"],
                "status_label": str(statuses.get(r["status"], r["status"])),
                "when": timezone.localtime(r["found_at"]).isoformat(timespec="minutes"),
                "region": r["region_code"],
                "url": (
                    reverse("elections:tps", args=[r["area_code"]])
                    if tps
                    else reverse("elections:findings") + f"?region={r['region_code']}"
                ),
                "_pos": (None, None),
            }
        )
    return found, rows.count() if len(found) >= MAX_POINTS else len(found)


def alerts(user: Any, place: Place, q: MarkerQuery, lang: str) -> tuple[list[dict[str, Any]], int]:
    rows = visible_alerts(user).filter(_area(place, "region"), _window("created_at", q))
    statuses = dict(AlertStatus.choices)
    found = []
    for r in rows.order_by("-created_at", "-id").values(
        "id", "summary", "rule__name", "status", "created_at", "region_id"
    )[:MAX_POINTS]:
        found.append(
            {
                "id": r["id"],
                "number": f"P-{r['id']}",
                "title": _short(r["summary"] or r["rule__name"]),
                "type": "alert",
                "type_label": r["rule__name"],
                "status": r["status"],
                "status_label": str(statuses.get(r["status"], r["status"])),
                "open": r["status"] != AlertStatus.SELESAI,
                "when": timezone.localtime(r["created_at"]).isoformat(timespec="minutes"),
                "region": r["region_id"],
                "url": reverse("alerts:detail", args=[r["id"]]),
                "_pos": (None, None),
            }
        )
    return found, rows.count() if len(found) >= MAX_POINTS else len(found)


READERS = {"kejadian": incidents, "berita": news, "temuan": findings, "peringatan": alerts}


def view_extent(place: Place, level: int) -> clusters.Extent | None:
    box = units_of(place, level).aggregate(
        a=Min("bbox_min_lon"), b=Min("bbox_min_lat"), c=Max("bbox_max_lon"), d=Max("bbox_max_lat")
    )
    if any(box[k] is None for k in "abcd"):
        return None
    return (box["a"], box["b"], box["c"], box["d"])


def _centroids(codes: Iterable[str]) -> dict[str, tuple[float, float]]:
    wanted = list(clusters.ancestors_and_self(codes))
    found: dict[str, tuple[float, float]] = {}
    for start in range(0, len(wanted), 500):
        for code, lon, lat in Region.objects.filter(
            code__in=wanted[start : start + 500], centroid_lon__isnull=False, centroid_lat__isnull=False
        ).values_list("code", "centroid_lon", "centroid_lat"):
            found[code] = (lon, lat)
    return found


def marker_layers(
    user: Any, place: Place, level: int, q: MarkerQuery, lang: str, *, cells: int = clusters.DEFAULT_CELLS
) -> dict[str, Any]:
    """Every requested layer, clustered for this view; raises LayerNotAllowed for a layer the role lacks."""
    for name in q.layers:
        if not may(user, RIGHTS[name]):
            raise LayerNotAllowed(name)
    items = {name: READERS[name](user, place, q, lang) for name in q.layers}
    centroids = _centroids({m["region"] for found, _ in items.values() for m in found})
    points: dict[str, list[Point]] = {}
    for name, (found, _total) in items.items():
        points[name] = []
        for m in found:
            lon, lat = clusters.position(m["region"], *m.pop("_pos"), centroids)
            unit = clusters.unit_at_level(m["region"], level) if place.level < level else None
            points[name].append(Point(lon, lat, unit, m["when"], m))
    extent = view_extent(place, level) or _extent_of([p for ps in points.values() for p in ps])
    layers = {}
    for name, (found, total) in items.items():
        layers[name] = {
            "total": total,
            "shown": len(found),
            "placed": sum(1 for p in points[name] if p.lon is not None),
            "by_unit": clusters.count_by_unit(points[name]),
            "clusters": (
                [c.as_dict() for c in clusters.grid_clusters(points[name], extent, cells=cells)]
                if extent
                else []
            ),
        }
    return {
        "region": place.code,
        "level": level,
        "date": q.day.isoformat(),
        "first_day": q.first_day.isoformat() if q.first_day else None,
        "window_days": q.window_days,
        "layers": layers,
    }


def _extent_of(points: list[Point]) -> clusters.Extent | None:
    placed = [(p.lon, p.lat) for p in points if p.lon is not None and p.lat is not None]
    if not placed:
        return None
    lons = [x for x, _ in placed]
    lats = [y for _, y in placed]
    return (min(lons), min(lats), max(lons), max(lats))
