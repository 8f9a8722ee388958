"""Keeping the index current: the worker's ``recompute_if_due`` job and the dirty mark.

The index is recomputed for today when
- something marked it dirty (:func:`mark_dirty`: a verified incident or a stored recap finding changed;
  see :mod:`waspada.risk.signals`),
- incidents or findings changed since the last run began (a backstop for bulk writes that send no signal),
- or today's snapshot (or, where there are kecamatan, today's forecast) is missing under the
  configuration in force — the daily snapshot.

A run stores today's snapshot; the first run of a day also stores the forecast of every kecamatan for the
next 14 days, with a backtest of that forecast on the same history (it reads a year of history, so it runs
once a day). It is idempotent (each store replaces that date's rows)
and safe with many workers: a worker claims the run with a conditional UPDATE of the one
:class:`~waspada.risk.models.RecomputeState` row, a lease that another worker may take over only after
:data:`LEASE` (a crashed worker), and the unique constraints of the stored rows stop any duplicate.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

import numpy as np
from django.db.models import Q
from django.utils import timezone

from waspada.elections.results import RecapFinding
from waspada.regions.models import Region
from waspada.reports.models import Incident
from waspada.risk import backtest as bt
from waspada.risk.active import active_config
from waspada.risk.compute import compute
from waspada.risk.config import IndexConfig
from waspada.risk.dirty import STATE_ID, mark_dirty, state_row  # noqa: F401 - mark_dirty: for callers of the job module
from waspada.risk.forecast_sources import KECAMATAN, kecamatan_panel
from waspada.risk.models import BacktestRun, ForecastValue, IndexSnapshot, RecomputeState
from waspada.risk.sources import gather
from waspada.risk.store import store_backtest, store_forecast, store_snapshot

log = logging.getLogger("waspada.risk")

LEASE = dt.timedelta(minutes=30)
HISTORY_PERIODS = 26


def due_reason(state: RecomputeState, config: IndexConfig, today: dt.date) -> str | None:
    """Why the index must be recomputed now, or None."""
    if state.dirty_at is not None:
        return f"ditandai: {state.dirty_reason or 'perubahan data'}"
    if not IndexSnapshot.objects.filter(date=today, config_version=config.version).exists():
        return "snapshot harian belum ada"
    if forecast_missing(config, today):
        return "prakiraan harian belum ada"
    since = state.last_started_at
    if since is not None:
        if Incident.objects.filter(updated_at__gt=since).exists():
            return "kejadian berubah sejak perhitungan terakhir"
        if RecapFinding.objects.filter(found_at__gt=since).exists():
            return "temuan rekapitulasi baru"
    return None


def forecast_missing(config: IndexConfig, today: dt.date) -> bool:
    return (
        Region.objects.filter(level=KECAMATAN).exists()
        and not ForecastValue.objects.filter(date=today, config_version=config.version).exists()
    )


def recompute(config: IndexConfig, today: dt.date, *, forecast: bool = True) -> dict[str, int]:
    """Compute and store today's snapshot and, when asked, the kecamatan forecast with the day's backtest."""
    table, _names = gather(config, today)
    result = compute(table, config)
    store_snapshot(result, config, today)
    counts = {"regions": len(result.codes), "kecamatan": 0, "backtest": 0}
    if not forecast:
        return counts
    panel, codes, _kec_names = kecamatan_panel(config, today, HISTORY_PERIODS)
    if not codes:
        return counts
    run = (
        BacktestRun.objects.filter(
            source=BacktestRun.Source.WORKER, simulated=False, as_of=today, config_version=config.version
        )
        .order_by("-created_at")
        .first()
    )
    if run is None and np.asarray(panel.counts).any():
        run = store_backtest(
            bt.backtest(panel),
            panel,
            source=BacktestRun.Source.WORKER,
            simulated=False,
            as_of=today,
            config_version=config.version,
        )
        counts["backtest"] = 1
    store_forecast(panel, codes, config, today, backtest=run)
    counts["kecamatan"] = len(codes)
    return counts


def _claim(token: str, now: dt.datetime) -> bool:
    stale = now - LEASE
    claimed = (
        RecomputeState.objects.filter(pk=STATE_ID)
        .filter(Q(running_since__isnull=True) | Q(running_since__lt=stale))
        .update(running_since=now, running_token=token)
    )
    return claimed == 1


def recompute_if_due(*, today: dt.date | None = None) -> dict[str, Any]:
    """The worker's job: recompute when due (see the module), else do nothing; counts for the log."""
    if not Region.objects.exists():
        return {"due": 0}
    config = active_config()
    today = today or timezone.localdate()
    if due_reason(state_row(), config, today) is None:
        return {"due": 0}
    token = uuid.uuid4().hex
    started = timezone.now()
    if not _claim(token, started):
        return {"due": 1, "busy": 1}
    mine = RecomputeState.objects.filter(pk=STATE_ID, running_token=token)
    reason = due_reason(state_row(), config, today)  # another worker may have just finished the same run
    if reason is None:
        mine.update(running_since=None, running_token="")
        return {"due": 0}
    try:
        counts = recompute(config, today, forecast=forecast_missing(config, today))
    except Exception as exc:
        mine.update(running_since=None, running_token="", last_error=f"{type(exc).__name__}: {exc}"[:2000])
        raise
    mine.update(
        running_since=None,
        running_token="",
        last_started_at=started,
        last_finished_at=timezone.now(),
        last_date=today,
        last_config_version=config.version,
        last_error="",
    )
    # A mark made while this run was computing keeps the state dirty for the next turn.
    RecomputeState.objects.filter(pk=STATE_ID, dirty_at__lte=started).update(dirty_at=None, dirty_reason="")
    log.info("index recomputed for %s (%s): %s", today, reason, counts)
    return {"due": 1, **counts}
