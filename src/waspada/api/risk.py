"""/api/risk: the vulnerability index (Peta Rawan Konflik) — latest scores, one region's explanation and
history, the kecamatan forecast with its backtest verdict, and the stored snapshots.

Reading needs the ``view_map`` action (403 otherwise); regions outside the caller's scope do not exist for
them (404) and lists only hold regions in scope. Decisions in ``waspada.risk.queries``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Max
from django.http import Http404, HttpRequest
from django.utils.translation import get_language
from ninja import Path, Query, Router, Schema

from waspada.accounts.access import scope_q_for
from waspada.api.auth import AUTH
from waspada.api.errors import ApiError
from waspada.api.report_schemas import ErrorOut
from waspada.regions.codes import InvalidCode, normalize_code
from waspada.regions.models import Region
from waspada.risk import explain, queries
from waspada.risk.active import active_config
from waspada.risk.forecast import HORIZON_DAYS
from waspada.risk.models import BacktestRun, IndexSnapshot
from waspada.risk.ranking import SORT_KEYS, filter_rows, sort_rows

router = Router(tags=["risk"])

READ_ERRORS = frozenset({400, 401, 403, 404, 422})
DENIED = "Peran Anda tidak dapat melihat indeks kerawanan."
CODE_PATTERN = r"^[0-9.]{1,20}$"
AT_QUERY = Query(None, description="the latest snapshot on or before this date (YYYY-MM-DD)")
SINCE_QUERY = Query(None, description="from this date (YYYY-MM-DD)")
UNTIL_QUERY = Query(None, description="up to this date (YYYY-MM-DD)")


class ContributionOut(Schema):
    id: str
    label: str
    dimension: str
    points: float
    share: float


class ScoreOut(Schema):
    rank: int | None
    code: str
    name: str
    level: int
    parent_code: str | None
    score: float | None
    category: str
    previous_score: float | None
    delta: float | None
    category_change: int
    top: list[ContributionOut]


class ScoreList(Schema):
    date: dt.date | None
    config_version: str | None
    previous_date: dt.date | None
    level: int
    parent: str | None
    count: int
    limit: int
    offset: int
    results: list[ScoreOut]


class DimensionOut(Schema):
    id: str
    label: str
    points: float


class RegionIndexOut(Schema):
    code: str
    name: str
    level: int
    date: dt.date | None
    config_version: str | None
    score: float | None
    category: str
    previous_date: dt.date | None
    previous_score: float | None
    dimensions: list[DimensionOut]
    contributions: list[ContributionOut]


class HistoryPointOut(Schema):
    date: dt.date
    score: float | None
    category: str
    config_version: str


class HistoryOut(Schema):
    code: str
    name: str
    points: list[HistoryPointOut]


class BacktestOut(Schema):
    id: int
    created_at: dt.datetime
    source: str
    simulated: bool
    as_of: dt.date | None
    regions: int
    periods: int
    forecasts: int
    base_rate: float
    model_brier: float | None
    model_auc_pr: float | None
    no_change_brier: float | None
    no_change_auc_pr: float | None
    historical_brier: float | None
    historical_auc_pr: float | None
    beats_no_change: bool
    beats_historical: bool
    verdict: str


class ForecastOut(Schema):
    code: str
    name: str
    probability: float
    incidents_last_period: int
    neighbour_incidents_last_period: int


class ForecastList(Schema):
    date: dt.date | None
    horizon_days: int
    config_version: str | None
    backtest: BacktestOut | None
    warning: str | None
    count: int
    limit: int
    offset: int
    results: list[ForecastOut]


class SnapshotOut(Schema):
    date: dt.date
    config_version: str
    regions: int
    created_at: dt.datetime


class SnapshotList(Schema):
    count: int
    results: list[SnapshotOut]


class BacktestList(Schema):
    count: int
    results: list[BacktestOut]


def _scope(request: HttpRequest) -> str | None:
    try:
        return queries.scope_of(request.user)
    except queries.NotAllowed:
        raise ApiError(403, DENIED) from None


def _code(raw: str, field: str = "code") -> str:
    try:
        return normalize_code(raw)
    except InvalidCode as exc:
        raise ApiError(400, f"{field}: {exc}", code="invalid_code") from None


def _region(request: HttpRequest, raw: str, field: str = "code") -> Region:
    code = _code(raw, field)
    try:
        return queries.region_for(request.user, code)
    except queries.NotAllowed:
        raise ApiError(403, DENIED) from None
    except Http404:
        raise ApiError(404, f"Wilayah {code} tidak ditemukan.") from None


def _contributions(points: dict[str, Any], lang: str | None) -> list[dict[str, Any]]:
    return [
        {
            "id": c.id,
            "label": c.label,
            "dimension": c.dimension,
            "points": round(c.points, 4),
            "share": round(c.share, 4),
        }
        for c in explain.contributions({k: float(v) for k, v in points.items()}, active_config(), lang)
    ]


VERDICT_BEATS = 'The model beats the "no change" baseline (Brier and AUC-PR) in this backtest.'
VERDICT_FAILS = 'WARNING: the model does NOT beat the "no change" baseline; do not rely on its forecast.'
UNTESTED = "WARNING: the forecast has not been backtested on verified incidents; do not rely on it."


def _backtest(run: BacktestRun) -> dict[str, Any]:
    fields = [
        "id", "created_at", "source", "simulated", "as_of", "regions", "periods", "forecasts", "base_rate",
        "model_brier", "model_auc_pr", "no_change_brier", "no_change_auc_pr", "historical_brier",
        "historical_auc_pr", "beats_no_change", "beats_historical",
    ]  # fmt: skip
    out = {f: getattr(run, f) for f in fields}
    out["verdict"] = VERDICT_BEATS if run.beats_no_change else VERDICT_FAILS
    return out


@router.get(
    "/risk/scores",
    response={200: ScoreList, READ_ERRORS: ErrorOut},
    auth=AUTH,
    summary="Latest index scores of one level, ranked, in the caller's scope",
)
def scores(
    request: HttpRequest,
    level: int = Query(..., ge=1, le=4, description="1 provinsi, 2 kab/kota, 3 kecamatan, 4 desa"),
    parent: str | None = Query(None, max_length=20, description="only regions under this code"),
    category: str | None = Query(None, max_length=48, pattern=r"^[a-z][a-z0-9_]*$"),
    sort: str = Query("rank", pattern="^(" + "|".join(SORT_KEYS) + ")$"),
    at: dt.date | None = AT_QUERY,
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=1_000_000),
) -> dict[str, Any]:
    scope = _scope(request)
    area = _region(request, parent, "parent") if parent else None
    config = active_config()
    if category and category != "none" and category not in {c.code for c in config.categories}:
        raise ApiError(400, f"category: {category!r} tidak dikenal", code="invalid_category")
    ranking = queries.ranking(scope, level, config, parent=area, at=at)
    rows = sort_rows(filter_rows(ranking.rows, category=category or ""), sort)
    page = rows[offset : offset + limit]
    if ranking.key:
        queries.fill_contributions(ranking.key, page)
    lang = get_language()
    return {
        "date": ranking.key.date if ranking.key else None,
        "config_version": ranking.key.config_version if ranking.key else None,
        "previous_date": ranking.previous.date if ranking.previous else None,
        "level": level,
        "parent": area.code if area else None,
        "count": len(rows),
        "limit": limit,
        "offset": offset,
        "results": [
            {
                "rank": r.rank,
                "code": r.code,
                "name": r.name,
                "level": r.level,
                "parent_code": r.parent_code,
                "score": None if r.score is None else round(r.score, 4),
                "category": r.category,
                "previous_score": None if r.previous_score is None else round(r.previous_score, 4),
                "delta": None if r.delta is None else round(r.delta, 4),
                "category_change": r.category_change,
                "top": _contributions(r.contributions, lang)[:3],
            }
            for r in page
        ],
    }


@router.get(
    "/risk/regions/{code}",
    response={200: RegionIndexOut, READ_ERRORS: ErrorOut},
    auth=AUTH,
    summary="One region's latest score explained indicator by indicator",
)
def region_index(
    request: HttpRequest, code: str = Path(..., max_length=20, pattern=CODE_PATTERN)
) -> dict[str, Any]:
    region = _region(request, code)
    snap = queries.latest_snapshot(region.code)
    previous = None
    if snap is not None:
        previous = (
            IndexSnapshot.objects.filter(
                region_id=region.code, config_version=snap.config_version, date__lt=snap.date
            )
            .order_by("-date", "-created_at")
            .first()
        )
    lang = get_language()
    points = {k: float(v) for k, v in (snap.contributions if snap else {}).items()}
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "date": snap.date if snap else None,
        "config_version": snap.config_version if snap else None,
        "score": snap.score if snap else None,
        "category": snap.category if snap else "",
        "previous_date": previous.date if previous else None,
        "previous_score": previous.score if previous else None,
        "dimensions": [
            {"id": d.id, "label": d.label, "points": round(d.points, 4)}
            for d in explain.by_dimension(points, active_config(), lang)
        ],
        "contributions": _contributions(points, lang),
    }


@router.get(
    "/risk/regions/{code}/history",
    response={200: HistoryOut, READ_ERRORS: ErrorOut},
    auth=AUTH,
    summary="One region's score at every stored snapshot, oldest first",
)
def region_history(
    request: HttpRequest,
    code: str = Path(..., max_length=20, pattern=CODE_PATTERN),
    since: dt.date | None = SINCE_QUERY,
    until: dt.date | None = UNTIL_QUERY,
) -> dict[str, Any]:
    region = _region(request, code)
    if since and until and since > until:
        raise ApiError(400, "since harus sebelum until", code="invalid_range")
    points = [
        p
        for p in queries.history(region.code)
        if (not since or p.date >= since) and (not until or p.date <= until)
    ]
    return {
        "code": region.code,
        "name": region.name,
        "points": [
            {"date": p.date, "score": p.score, "category": p.category, "config_version": p.config_version}
            for p in points
        ],
    }


@router.get(
    "/risk/forecast",
    response={200: ForecastList, READ_ERRORS: ErrorOut},
    auth=AUTH,
    summary="P(≥ 1 verified incident in the next 14 days) per kecamatan in scope, with the backtest verdict",
)
def forecast(
    request: HttpRequest,
    parent: str | None = Query(None, max_length=20, description="only kecamatan under this code"),
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=1_000_000),
) -> dict[str, Any]:
    scope = _scope(request)
    area = _region(request, parent, "parent") if parent else None
    key = queries.forecast_key()
    rows = queries.forecasts_in(scope, area, key)
    page = list(rows[offset : offset + limit])
    run = next((f.backtest for f in page if f.backtest_id), None) or (
        queries.latest_backtest() if key else None
    )
    warning = None
    if key is not None and run is None:
        warning = UNTESTED
    elif run is not None and not run.beats_no_change:
        warning = VERDICT_FAILS
    return {
        "date": key.date if key else None,
        "horizon_days": HORIZON_DAYS,
        "config_version": key.config_version if key else None,
        "backtest": _backtest(run) if run else None,
        "warning": warning,
        "count": rows.count(),
        "limit": limit,
        "offset": offset,
        "results": [
            {
                "code": f.region_id,
                "name": f.region.name,
                "probability": round(f.probability, 6),
                "incidents_last_period": f.incidents_last_period,
                "neighbour_incidents_last_period": f.neighbour_incidents_last_period,
            }
            for f in page
        ],
    }


@router.get(
    "/risk/snapshots",
    response={200: SnapshotList, READ_ERRORS: ErrorOut},
    auth=AUTH,
    summary="The stored snapshots: date, configuration version and number of regions, newest first",
)
def snapshots(request: HttpRequest, limit: int = Query(100, ge=1, le=1000)) -> dict[str, Any]:
    scope = _scope(request)
    rows = list(
        IndexSnapshot.objects.filter(scope_q_for(scope, "region"))
        .values("date", "config_version")
        .annotate(regions=Count("id"), created_at=Max("created_at"))
        .order_by("-date", "-created_at")[:limit]
    )
    return {"count": len(rows), "results": rows}


@router.get(
    "/risk/backtests",
    response={200: BacktestList, READ_ERRORS: ErrorOut},
    auth=AUTH,
    summary="Stored backtests of the forecast against the 'no change' and historical-rate baselines",
)
def backtests(
    request: HttpRequest,
    simulated: bool | None = Query(None, description="only simulated (true) or real (false) histories"),
    limit: int = Query(20, ge=1, le=200),
) -> dict[str, Any]:
    _scope(request)
    rows = BacktestRun.objects.all()
    if simulated is not None:
        rows = rows.filter(simulated=simulated)
    found = [_backtest(r) for r in rows.order_by("-created_at", "-id")[:limit]]
    return {"count": len(found), "results": found}
