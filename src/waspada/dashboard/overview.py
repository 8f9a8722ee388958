"""The overview page (``/ringkasan/``): this week's counts, the regions at highest risk, the latest
incidents, the open alerts, the current election stage and the latest situation report — for one user.

Every list reads through its app's access helper, so the user's role and region scope apply; a section
the role may not read is None and the page leaves it out.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from waspada import taxonomy
from waspada.accounts.access import Action, home_region_code, may, scope_q
from waspada.alerts.access import visible_alerts
from waspada.alerts.models import AlertStatus
from waspada.dashboard import mapdata
from waspada.elections import calendar
from waspada.elections.models import ElectionStage
from waspada.regions.models import Level, Region
from waspada.reports.access import visible_incidents, visible_reports
from waspada.reports.models import IncidentStatus, ReportStatus
from waspada.risk import explain
from waspada.risk.active import active_config
from waspada.risk.config import ConfigError
from waspada.risk.region import category_labels

WEEK_DAYS = 7
LATEST = 6
TOP_RISK = 5


def week_start(today: dt.date) -> dt.datetime:
    """Midnight (in the current time zone) at the start of the last seven days, today included."""
    first = today - dt.timedelta(days=WEEK_DAYS - 1)
    return dt.datetime.combine(first, dt.time.min, tzinfo=timezone.get_current_timezone())


def report_counts(user: Any, since: dt.datetime) -> list[dict[str, Any]] | None:
    if not may(user, Action.VIEW_REPORTS):
        return None
    found = dict(
        visible_reports(user)
        .filter(created_at__gte=since)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    queue = reverse("review:queue")
    return [
        {"status": code, "label": str(label), "count": found.get(code, 0), "url": f"{queue}?status={code}"}
        for code, label in ReportStatus.choices
    ]


def incident_counts(user: Any, since: dt.datetime) -> dict[str, int] | None:
    if not may(user, Action.VIEW_INCIDENTS):
        return None
    rows = visible_incidents(user)
    return {
        "week": rows.filter(occurred_at__gte=since).count(),
        "active": rows.exclude(status=IncidentStatus.SELESAI).count(),
    }


def latest_incidents(user: Any, lang: str) -> list[dict[str, Any]] | None:
    if not may(user, Action.VIEW_INCIDENTS):
        return None
    return [
        {
            "incident": i,
            "type_label": (
                taxonomy.get_event_type(i.event_type).label(lang)
                if taxonomy.is_event_type(i.event_type)
                else i.event_type
            ),
        }
        for i in visible_incidents(user).select_related("region").order_by("-occurred_at", "-id")[:LATEST]
    ]


def open_alerts(user: Any) -> dict[str, Any] | None:
    if not may(user, Action.VIEW_INCIDENTS):
        return None
    rows = visible_alerts(user).exclude(status=AlertStatus.SELESAI)
    return {
        "count": rows.count(),
        "unacknowledged": rows.filter(status=AlertStatus.TERBUKA).count(),
        "latest": list(rows.select_related("rule", "region").order_by("-created_at", "-id")[:LATEST]),
    }


def top_risk(user: Any, home: Region | None, today: dt.date, lang: str) -> list[dict[str, Any]] | None:
    """The highest scores one and two levels below the user's home region (as of today)."""
    if home is None or not may(user, Action.VIEW_MAP, home.code):
        return None
    place = mapdata.place_for(home)
    try:
        config = active_config()
        labels = category_labels(config, lang)
    except ConfigError:
        config, labels = None, {}
    groups = []
    for level in range(place.level + 1, min(place.level + 2, 4) + 1):
        codes = list(mapdata.units_of(place, level).values_list("code", flat=True)[: mapdata.MAX_UNITS + 1])
        if not codes or len(codes) > mapdata.MAX_UNITS:
            continue
        snaps = mapdata.scores_at(codes, today, with_contributions=True)
        ranked = sorted(
            (s for s in snaps.values() if s.score is not None), key=lambda s: (-(s.score or 0.0), s.region_id)
        )[:TOP_RISK]
        names = dict(
            Region.objects.filter(code__in=[s.region_id for s in ranked]).values_list("code", "name")
        )
        rows = []
        for snap in ranked:
            points = {k: float(v) for k, v in (snap.contributions or {}).items()}
            drivers = explain.top(points, config, lang, n=2) if config is not None else []
            rows.append(
                {
                    "code": snap.region_id,
                    "name": names.get(snap.region_id, snap.region_id),
                    "score": snap.score,
                    "category": snap.category,
                    "category_label": labels.get(snap.category, snap.category),
                    "date": snap.date,
                    "drivers": [d.label for d in drivers],
                }
            )
        if rows:
            groups.append({"level": level, "label": Level(level).label, "rows": rows})
    return groups


def election_stage(today: dt.date) -> dict[str, Any]:
    """The stage today falls in (the riskiest when several overlap), else the last one and the next one."""
    stages = list(ElectionStage.objects.select_related("election"))
    current = calendar.current_stage(stages, today)
    upcoming = sorted((s for s in stages if s.starts_on > today), key=lambda s: s.starts_on)
    past = sorted(
        (s for s in stages if (s.ends_on or s.starts_on) < today), key=lambda s: s.ends_on or s.starts_on
    )
    return {
        "current": current,
        "next": upcoming[0] if upcoming else None,
        "last": past[-1] if past else None,
        "any": bool(stages),
    }


def latest_sitrep(user: Any) -> dict[str, Any] | None:
    """The newest stored situation report in the user's scope, and the page that makes one (when the
    reporting app is installed and the user may read situation reports)."""
    try:
        from waspada.reporting.models import Sitrep
        from waspada.reporting.views import may_sitrep

        page = reverse("reporting:page")
    except (ImportError, NoReverseMatch):
        return None
    if not may_sitrep(user):
        return None
    sitrep = Sitrep.objects.filter(scope_q(user, "region")).exclude(file="").select_related("region").first()
    url = None
    if sitrep is not None:
        try:
            url = reverse("reporting:stored", args=[sitrep.pk])
        except NoReverseMatch:
            url = None
    return {"sitrep": sitrep, "url": url, "page": page}


def overview(user: Any, lang: str) -> dict[str, Any]:
    today = timezone.localdate()
    since = week_start(today)
    home_code = home_region_code(user, settings.DEFAULT_REGION)
    home = (
        Region.objects.filter(code=home_code).only("code", "name", "level", "kind").first()
        if home_code
        else None
    )
    return {
        "today": today,
        "since": since.date(),
        "home": home,
        "reports": report_counts(user, since),
        "incidents": incident_counts(user, since),
        "latest_incidents": latest_incidents(user, lang),
        "alerts": open_alerts(user),
        "top_risk": top_risk(user, home, today, lang),
        "stage": election_stage(today),
        "sitrep": latest_sitrep(user),
    }
