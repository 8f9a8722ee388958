"""What the region page shows of the index: the latest score explained, its history chart, the 14-day
forecast and the recent incidents — gathered for one user (the dashboard's region view renders it).

The index and forecast need ``Action.VIEW_MAP`` on the region; the incidents ``Action.VIEW_INCIDENTS``
(through ``waspada.reports.access``). Without them the sections are simply left out.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from waspada.accounts.access import Action, may, scope_q_for
from waspada.regions.models import Region
from waspada.reports.access import visible_incidents
from waspada.risk import explain, queries
from waspada.risk.active import active_config
from waspada.risk.chart import history_chart
from waspada.risk.config import IndexConfig
from waspada.risk.models import BacktestRun, ForecastValue, IndexSnapshot

RECENT_INCIDENTS = 10
INCIDENT_WINDOW_DAYS = 90
FORECAST_LIST = 5


def category_labels(config: IndexConfig, lang: str | None) -> dict[str, str]:
    key = explain.language_of(lang)
    return {c.code: getattr(c.labels, key) for c in config.categories}


def _index(region: Region, config: IndexConfig, lang: str | None) -> dict[str, Any] | None:
    snap = queries.latest_snapshot(region.code)
    if snap is None:
        return None
    previous = (
        IndexSnapshot.objects.filter(
            region_id=region.code, config_version=snap.config_version, date__lt=snap.date
        )
        .order_by("-date", "-created_at")
        .first()
    )
    delta = None
    if previous is not None and previous.score is not None and snap.score is not None:
        delta = snap.score - previous.score
    points = {k: float(v) for k, v in (snap.contributions or {}).items()}
    dimensions = [d for d in explain.by_dimension(points, config, lang) if d.id or d.indicators]
    largest = max(dimensions, key=lambda d: d.points, default=None)
    return {
        "snapshot": snap,
        "category_label": category_labels(config, lang).get(snap.category, snap.category),
        "top": explain.top(points, config, lang),
        "dimensions": dimensions,
        "open_dimension": largest.id if largest is not None and largest.points > 0 else None,
        "previous": previous,
        "delta": delta,
        "current_config": snap.config_version == config.version,
    }


def _history(region: Region, config: IndexConfig, lang: str | None) -> dict[str, Any] | None:
    points = queries.history(region.code)
    chart = history_chart(points, [(c.code, c.min) for c in config.categories])
    if chart is None:
        return None
    labels = category_labels(config, lang)
    return {
        "chart": chart,
        "points": points,
        "rows": [(p, labels.get(p.category, p.category)) for p in reversed(points)],
        "scores": [p.score for p in points if p.score is not None],
    }


def verdict(run: BacktestRun | None) -> dict[str, Any]:
    """The backtest verdict the pages show next to any forecast."""
    return {"run": run, "beats_no_change": bool(run and run.beats_no_change)}


def _forecast(region: Region) -> dict[str, Any] | None:
    key = queries.forecast_key()
    if key is None:
        return None
    rows: list[ForecastValue]
    if region.level == queries.KECAMATAN:
        rows = list(queries.forecasts(key).filter(region_id=region.code).select_related("region"))
        mode = "own"
    elif region.level > queries.KECAMATAN:
        kec = ".".join(region.code.split(".")[: queries.KECAMATAN])
        rows = list(queries.forecasts(key).filter(region_id=kec).select_related("region"))
        mode = "parent"
    else:
        rows = list(queries.forecasts_in(region.code, None, key)[:FORECAST_LIST])
        mode = "below"
    run = next((r.backtest for r in rows if r.backtest_id), None) or queries.latest_backtest()
    return {"key": key, "rows": rows, "mode": mode, **verdict(run)}


def _incidents(user: Any, region: Region) -> dict[str, Any] | None:
    if not may(user, Action.VIEW_INCIDENTS, region.code):
        return None
    rows = visible_incidents(user).filter(scope_q_for(region.code, "region")).select_related("region")
    since = timezone.now() - dt.timedelta(days=INCIDENT_WINDOW_DAYS)
    return {
        "recent": list(rows.order_by("-occurred_at", "-id")[:RECENT_INCIDENTS]),
        "window_count": rows.filter(occurred_at__gte=since).count(),
        "window_days": INCIDENT_WINDOW_DAYS,
        "can_open": may(user, Action.VIEW_INCIDENTS, region.code),
    }


def region_risk(user: Any, region: Region, lang: str | None) -> dict[str, Any]:
    """The context of the region page's index, history, forecast and incident sections."""
    context: dict[str, Any] = {"can_read_index": may(user, Action.VIEW_MAP, region.code)}
    if context["can_read_index"]:
        config = active_config()
        context.update(
            index=_index(region, config, lang),
            history=_history(region, config, lang),
            forecast=_forecast(region),
            categories=[(c.code, category_labels(config, lang)[c.code], c.min) for c in config.categories],
        )
    context["incidents"] = _incidents(user, region)
    return context
