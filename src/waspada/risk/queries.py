"""Reading the stored index for a user: who may, which snapshot is current, rankings, history, forecasts.

Reading the index needs ``Action.VIEW_MAP`` (a role without it gets :class:`NotAllowed`, a 403); regions
outside the user's scope answer 404 as if they did not exist; rankings and exports only hold regions in
scope. The page views, the API and ``waspada risk export`` all read through here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from waspada.accounts.access import Action, actor_for, may, scope_q_for
from waspada.regions.models import Region
from waspada.risk.chart import HistoryPoint
from waspada.risk.config import IndexConfig
from waspada.risk.models import BacktestRun, ForecastValue, IndexSnapshot
from waspada.risk.ranking import RankRow, apply_trend, assign_ranks

LEVELS = (1, 2, 3, 4)
KECAMATAN = 3
HISTORY_LIMIT = 400


class NotAllowed(Exception):
    """The user's role may not read the vulnerability index."""


class BadLevel(ValueError):
    """A level that is not 1–4."""


@dataclass(frozen=True, slots=True)
class SnapshotKey:
    date: dt.date
    config_version: str


@dataclass
class Ranking:
    level: int
    parent: Region | None
    key: SnapshotKey | None
    previous: SnapshotKey | None
    rows: list[RankRow] = field(default_factory=list)


def scope_of(user: Any) -> str | None:
    """The user's scope code (None: the whole country); raises NotAllowed when they may not read the index."""
    actor = actor_for(user)
    if actor is None or not actor.can(Action.VIEW_MAP):
        raise NotAllowed
    return actor.scope


def check_level(level: Any) -> int:
    try:
        value = int(level)
    except (TypeError, ValueError):
        raise BadLevel(f"tingkat {level!r} tidak dikenal; pilih 1–4") from None
    if value not in LEVELS:
        raise BadLevel(f"tingkat {value} tidak dikenal; pilih 1–4")
    return value


def region_for(user: Any, code: str) -> Region:
    """The region when the user may read its index; 404 when unknown or outside their scope."""
    scope_of(user)
    if not may(user, Action.VIEW_MAP, code):
        raise Http404("region not found")
    region = Region.objects.filter(code=code).defer("geometry", "display_geometry").first()
    if region is None:
        raise Http404("region not found")
    return region


def region_in_scope(scope: str | None, code: str) -> Region:
    """For the CLI: the region ``code`` inside ``scope`` (Http404 otherwise)."""
    region = Region.objects.filter(scope_q_for(scope, "code"), code=code).defer(
        "geometry", "display_geometry"
    )
    found = region.first()
    if found is None:
        raise Http404("region not found")
    return found


def current_key(at: dt.date | None = None) -> SnapshotKey | None:
    """The latest snapshot (on or before ``at``): its date and, when several configurations were stored
    that day, the most recent one."""
    rows = IndexSnapshot.objects.all()
    if at is not None:
        rows = rows.filter(date__lte=at)
    found = rows.order_by("-date", "-created_at").values_list("date", "config_version").first()
    return SnapshotKey(*found) if found else None


def previous_key(key: SnapshotKey) -> SnapshotKey | None:
    """The snapshot before ``key`` under the same configuration (trends compare like with like)."""
    found = (
        IndexSnapshot.objects.filter(config_version=key.config_version, date__lt=key.date)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )
    return SnapshotKey(found, key.config_version) if found else None


def _area(scope: str | None, parent: Region | None, field_name: str) -> Q:
    q = scope_q_for(scope, field_name)
    if parent is not None:
        q &= scope_q_for(parent.code, field_name)
    return q


def regions_of(scope: str | None, level: int, parent: Region | None) -> QuerySet[Region]:
    return Region.objects.filter(_area(scope, parent, "code"), level=level).order_by("code")


def _scores(
    key: SnapshotKey, scope: str | None, level: int, parent: Region | None
) -> dict[str, tuple[Any, str]]:
    rows = IndexSnapshot.objects.filter(
        _area(scope, parent, "region"), date=key.date, config_version=key.config_version, region__level=level
    ).values_list("region_id", "score", "category")
    return {code: (score, category) for code, score, category in rows}


def contributions_of(key: SnapshotKey, codes: Iterable[str]) -> dict[str, dict[str, float]]:
    rows = IndexSnapshot.objects.filter(
        date=key.date, config_version=key.config_version, region_id__in=list(codes)
    ).values_list("region_id", "contributions")
    return {code: {k: float(v) for k, v in (contrib or {}).items()} for code, contrib in rows}


def ranking(
    scope: str | None,
    level: int,
    config: IndexConfig,
    *,
    parent: Region | None = None,
    at: dt.date | None = None,
    with_contributions: bool = False,
) -> Ranking:
    """Every region of ``level`` inside ``scope`` (and ``parent``), ranked by the current snapshot."""
    level = check_level(level)
    key = current_key(at)
    result = Ranking(level, parent, key, previous_key(key) if key else None)
    current = _scores(key, scope, level, parent) if key else {}
    rows = [
        RankRow(code, name, lv, parent_id, *(current.get(code, (None, ""))))
        for code, name, lv, parent_id in regions_of(scope, level, parent).values_list(
            "code", "name", "level", "parent_id"
        )
    ]
    assign_ranks(rows)
    previous = _scores(result.previous, scope, level, parent) if result.previous else {}
    apply_trend(rows, previous, [c.code for c in config.categories])
    if with_contributions and key:
        fill_contributions(key, rows)
    result.rows = rows
    return result


def fill_contributions(key: SnapshotKey, rows: list[RankRow]) -> None:
    found = contributions_of(key, [r.code for r in rows])
    for row in rows:
        row.contributions = found.get(row.code, {})


def history(code: str, limit: int = HISTORY_LIMIT) -> list[HistoryPoint]:
    """The region's snapshots, oldest first, one per date (the latest stored that day)."""
    rows = (
        IndexSnapshot.objects.filter(region_id=code)
        .order_by("-date", "-created_at")
        .values_list("date", "score", "category", "config_version")
    )
    points: dict[dt.date, HistoryPoint] = {}
    for date, score, category, version in rows.iterator(chunk_size=500):
        if date not in points:
            points[date] = HistoryPoint(date, score, category, version)
            if len(points) >= limit:
                break
    return sorted(points.values(), key=lambda p: p.date)


def snapshot_of(code: str, key: SnapshotKey | None) -> IndexSnapshot | None:
    if key is None:
        return None
    return IndexSnapshot.objects.filter(
        region_id=code, date=key.date, config_version=key.config_version
    ).first()


def latest_snapshot(code: str) -> IndexSnapshot | None:
    return IndexSnapshot.objects.filter(region_id=code).order_by("-date", "-created_at").first()


def latest_backtest() -> BacktestRun | None:
    """The most recent backtest on real (not simulated) incidents."""
    return BacktestRun.objects.filter(simulated=False).order_by("-created_at", "-id").first()


def forecast_key(at: dt.date | None = None) -> SnapshotKey | None:
    rows = ForecastValue.objects.all()
    if at is not None:
        rows = rows.filter(date__lte=at)
    found = rows.order_by("-date", "-created_at").values_list("date", "config_version").first()
    return SnapshotKey(*found) if found else None


def forecasts(key: SnapshotKey | None, q: Q | None = None) -> QuerySet[ForecastValue]:
    if key is None:
        return ForecastValue.objects.none()
    rows = ForecastValue.objects.filter(date=key.date, config_version=key.config_version)
    return rows.filter(q) if q is not None else rows


def forecasts_in(
    scope: str | None, parent: Region | None, key: SnapshotKey | None
) -> QuerySet[ForecastValue]:
    """The forecasts of ``key`` for the kecamatan inside ``scope`` (and ``parent``), likeliest first."""
    return (
        forecasts(key, _area(scope, parent, "region"))
        .select_related("region")
        .order_by("-probability", "region_id")
    )
