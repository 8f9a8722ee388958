"""The side panel of the map for one region, as of a day: the score with its trend and its largest
indicators, recent incidents, open alerts and response actions — gathered for one user.

The index needs ``Action.VIEW_MAP`` on the region; incidents, alerts and actions ``Action.VIEW_INCIDENTS``
(read through ``waspada.reports.access`` and ``waspada.alerts.access``). A section the user may not read
is left out of the answer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from waspada import taxonomy
from waspada.accounts.access import Action, may, scope_q_for
from waspada.alerts.access import visible_actions, visible_alerts
from waspada.alerts.models import OPEN_ACTION_STATUSES, ActionStatus, AlertStatus
from waspada.dashboard.mapdata import Place, place_ref, scores_at
from waspada.reports.access import visible_incidents
from waspada.reports.models import IncidentStatus
from waspada.risk import explain, queries
from waspada.risk.active import active_config
from waspada.risk.config import ConfigError
from waspada.risk.region import category_labels

RECENT = 5
TREND_POINTS = 60
INCIDENT_DAYS = 30


def _when(value: dt.datetime) -> str:
    return timezone.localtime(value).isoformat(timespec="minutes")


def _index(place: Place, day: dt.date, lang: str) -> dict[str, Any] | None:
    snap = scores_at([place.code], day).get(place.code)
    if snap is None:
        return None
    history = [p for p in queries.history(place.code) if p.date <= day][-TREND_POINTS:]
    full = queries.snapshot_of(place.code, queries.SnapshotKey(snap.date, snap.config_version))
    contributions = {k: float(v) for k, v in ((full.contributions if full else {}) or {}).items()}
    try:
        config = active_config()
        labels = category_labels(config, lang)
        top = [
            {"id": c.id, "label": c.label, "points": round(c.points, 1)}
            for c in explain.top(contributions, config, lang)
        ]
    except ConfigError:
        labels = {}
        top = [
            {"id": k, "label": k, "points": round(v, 1)}
            for k, v in sorted(contributions.items(), key=lambda kv: -kv[1])[:3]
        ]
    same = [p for p in history if p.config_version == snap.config_version and p.score is not None]
    previous = same[-2] if len(same) >= 2 else None
    return {
        "score": None if snap.score is None else round(snap.score, 1),
        "category": snap.category,
        "category_label": labels.get(snap.category, snap.category),
        "date": snap.date.isoformat(),
        "delta": (
            round(snap.score - previous.score, 1)
            if previous is not None and previous.score is not None and snap.score is not None
            else None
        ),
        "trend": [[p.date.isoformat(), None if p.score is None else round(p.score, 1)] for p in history],
        "top": top,
    }


def _area(place: Place, field: str) -> Q:
    return Q() if place.region is None else scope_q_for(place.code, field)


def _incidents(user: Any, place: Place, day: dt.date, lang: str) -> dict[str, Any]:
    zone = timezone.get_current_timezone()
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    start = end - dt.timedelta(days=INCIDENT_DAYS)
    rows = visible_incidents(user).filter(_area(place, "region"), occurred_at__lt=end)
    statuses = dict(IncidentStatus.choices)
    recent = []
    for i in rows.select_related("region").order_by("-occurred_at", "-id")[:RECENT]:
        recent.append(
            {
                "id": i.pk,
                "number": i.number,
                "title": i.title,
                "type_label": taxonomy.get_event_type(i.event_type).label(lang)
                if taxonomy.is_event_type(i.event_type)
                else i.event_type,
                "status_label": str(statuses.get(i.status, i.status)),
                "when": _when(i.occurred_at),
                "region_name": i.region.name,
                "url": reverse("review:incident", args=[i.pk]),
            }
        )
    query = f"?region={place.code}" if place.region is not None else ""
    return {
        "window_days": INCIDENT_DAYS,
        "count": rows.filter(occurred_at__gte=start).count(),
        "recent": recent,
        "list_url": reverse("review:incidents") + query,
    }


def _alerts(user: Any, place: Place) -> dict[str, Any]:
    rows = visible_alerts(user).filter(_area(place, "region")).exclude(status=AlertStatus.SELESAI)
    statuses = dict(AlertStatus.choices)
    recent = [
        {
            "id": a.pk,
            "number": f"P-{a.pk}",
            "title": a.summary or a.rule.name,
            "status_label": str(statuses.get(a.status, a.status)),
            "when": _when(a.created_at),
            "url": reverse("alerts:detail", args=[a.pk]),
        }
        for a in rows.select_related("rule").order_by("-created_at", "-id")[:RECENT]
    ]
    query = "?status=aktif" + (f"&region={place.code}" if place.region is not None else "")
    return {"count": rows.count(), "recent": recent, "list_url": reverse("alerts:list") + query}


def _actions(user: Any, place: Place) -> dict[str, Any]:
    rows = visible_actions(user)
    if place.region is not None:
        rows = rows.filter(
            scope_q_for(place.code, "incident__region")
            | (Q(incident__isnull=True) & scope_q_for(place.code, "alert__region"))
        )
    today = timezone.localdate()
    statuses = dict(ActionStatus.choices)
    open_rows = rows.filter(status__in=OPEN_ACTION_STATUSES).select_related("incident", "alert")
    recent = []
    for a in open_rows.order_by("due_date", "id")[:RECENT]:
        url = (
            reverse("alerts:incident-actions", args=[a.incident_id])
            if a.incident_id
            else reverse("alerts:detail", args=[a.alert_id])
        )
        recent.append(
            {
                "id": a.pk,
                "kind_label": str(a.get_kind_display()),
                "agency": a.agency,
                "status_label": str(statuses.get(a.status, a.status)),
                "due": a.due_date.isoformat() if a.due_date else None,
                "overdue": a.is_overdue(today),
                "about": a.incident.number if a.incident_id and a.incident else f"P-{a.alert_id}",
                "url": url,
            }
        )
    return {"open": open_rows.count(), "recent": recent, "list_url": reverse("alerts:actions")}


def region_panel(user: Any, place: Place, day: dt.date, lang: str) -> dict[str, Any]:
    """The panel's sections this user may read, for a region (or the whole country) as of ``day``."""
    panel: dict[str, Any] = {"region": place_ref(place), "date": day.isoformat()}
    if place.region is not None and may(user, Action.VIEW_REGION, place.code):
        panel["page_url"] = reverse("dashboard:region", args=[place.code])
    if place.region is not None and may(user, Action.VIEW_MAP, place.code):
        panel["index"] = _index(place, day, lang)
    if may(user, Action.VIEW_INCIDENTS, None if place.region is None else place.code):
        panel["incidents"] = _incidents(user, place, day, lang)
        panel["alerts"] = _alerts(user, place)
        panel["actions"] = _actions(user, place)
    return panel
