"""Storing what the index computes: daily snapshots, kecamatan forecasts and backtest summaries.

Each store is idempotent per (date, configuration version): it replaces that date's rows in one
transaction. The unique constraints make a second writer racing on the same date fail instead of
duplicating rows; the store then retries once, replacing what the other wrote.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import numpy as np
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from waspada.risk import backtest as bt
from waspada.risk.compute import IndexResult
from waspada.risk.config import IndexConfig
from waspada.risk.forecast import Panel, features, fit_until
from waspada.risk.models import BacktestRun, ForecastValue, IndexSnapshot

T = TypeVar("T")
INSERT_BATCH = 5000


def _replace(write: Callable[[], T]) -> T:
    try:
        with transaction.atomic():
            return write()
    except IntegrityError:
        with transaction.atomic():  # another process stored the same date meanwhile: replace its rows
            return write()


Current = dict[str, tuple[float | None, str]]


def snapshot_values(result: IndexResult) -> list[tuple[str, float | None, str, dict[str, float]]]:
    """(code, score, category, contributions) per region: contributions in points, rounded to 4 decimals,
    only those above zero."""
    scores = np.round(result.scores, 4)
    points = np.round(result.contributions, 4)
    ids = result.indicator_ids
    out = []
    for i, code in enumerate(result.codes):
        row = points[i]
        contributions = {ids[j]: float(row[j]) for j in np.flatnonzero(row > 0)}
        score = float(scores[i])
        out.append((code, None if math.isnan(score) else score, result.categories[i] or "", contributions))
    return out


def store_snapshot(result: IndexResult, config: IndexConfig, at: dt.date) -> Current:
    """Replace the snapshot of ``at`` under this configuration with ``result``; returns code → (score,
    category). Rows are written with ``executemany`` (a national snapshot is 91,599 rows)."""
    rows = snapshot_values(result)
    table = IndexSnapshot._meta.db_table
    field = IndexSnapshot._meta.get_field
    names = ["date", "config_version", "region_id", "score", "category", "contributions", "created_at"]
    columns = ", ".join(connection.ops.quote_name(field(n).column) for n in names)
    sql = f"INSERT INTO {connection.ops.quote_name(table)} ({columns}) VALUES ({', '.join(['%s'] * len(names))})"
    date = field("date").get_db_prep_save(at, connection)
    created = field("created_at").get_db_prep_save(timezone.now(), connection)
    contributions = field("contributions")

    def write() -> Current:
        IndexSnapshot.objects.filter(date=at, config_version=config.version).delete()
        with connection.cursor() as cursor:
            for start in range(0, len(rows), INSERT_BATCH):
                cursor.executemany(
                    sql,
                    [
                        (
                            date,
                            config.version,
                            code,
                            score,
                            category,
                            contributions.get_db_prep_save(points, connection),
                            created,
                        )
                        for code, score, category, points in rows[start : start + INSERT_BATCH]
                    ],
                )
        return {code: (score, category) for code, score, category, _points in rows}

    return _replace(write)


def _num(value: float) -> float | None:
    return None if value != value else float(value)  # NaN → NULL


def store_backtest(
    result: bt.BacktestResult,
    panel: Panel,
    *,
    source: str,
    simulated: bool,
    as_of: dt.date | None,
    config_version: str = "",
) -> BacktestRun:
    scores = result.scores
    return BacktestRun.objects.create(
        source=source,
        simulated=simulated,
        as_of=as_of,
        config_version=config_version,
        regions=panel.n_regions,
        periods=panel.n_periods,
        origins=len(result.origins),
        forecasts=result.forecasts,
        base_rate=result.base_rate,
        model_brier=_num(scores[bt.MODEL].brier),
        model_auc_pr=_num(scores[bt.MODEL].auc_pr),
        no_change_brier=_num(scores[bt.NO_CHANGE].brier),
        no_change_auc_pr=_num(scores[bt.NO_CHANGE].auc_pr),
        historical_brier=_num(scores[bt.HISTORICAL].brier),
        historical_auc_pr=_num(scores[bt.HISTORICAL].auc_pr),
        beats_no_change=result.beats_no_change,
        beats_historical=bool(result.beats.get(bt.HISTORICAL)),
        calibration={
            key: [
                {
                    "decile": row.decile,
                    "count": row.count,
                    "mean_predicted": round(row.mean_predicted, 6),
                    "observed": round(row.observed, 6),
                }
                for row in score.calibration
            ]
            for key, score in scores.items()
        },
    )


def forecast_probabilities(panel: Panel) -> tuple[Any, Any, Any]:
    """Probabilities for the 14 days after the panel, with each region's incidents and its neighbours'
    incidents in the last period."""
    x = features(panel, panel.n_periods)
    probability = fit_until(panel, panel.n_periods).predict(x)
    last = list(panel.feature_names).index("own_last")
    return probability, x[:, last], x[:, last + 2]


def store_forecast(
    panel: Panel,
    codes: Sequence[str],
    config: IndexConfig,
    at: dt.date,
    *,
    backtest: BacktestRun | None = None,
) -> list[ForecastValue]:
    """Replace the forecast made on ``at`` under this configuration."""
    probability, own, neighbours = forecast_probabilities(panel)
    rows = [
        ForecastValue(
            date=at,
            config_version=config.version,
            region_id=code,
            probability=round(float(probability[i]), 6),
            incidents_last_period=int(np.rint(own[i])),
            neighbour_incidents_last_period=int(np.rint(neighbours[i])),
            backtest=backtest,
        )
        for i, code in enumerate(codes)
    ]

    def write() -> list[ForecastValue]:
        ForecastValue.objects.filter(date=at, config_version=config.version).delete()
        ForecastValue.objects.bulk_create(rows, batch_size=2000)
        return rows

    return _replace(write)
