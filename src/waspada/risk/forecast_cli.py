"""The bodies of ``waspada risk backtest``, ``waspada risk forecast`` and the snapshot trend (thin shell)."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Mapping
from typing import Any

import numpy as np
from django.core.management.base import CommandError
from django.utils import timezone

from waspada.risk import backtest as bt
from waspada.risk import trend
from waspada.risk.config import IndexConfig
from waspada.risk.forecast import PERIOD_DAYS
from waspada.risk.forecast_sources import kecamatan_panel
from waspada.risk.models import BacktestRun, IndexSnapshot
from waspada.risk.simulate import simulate
from waspada.risk.store import forecast_probabilities, store_backtest, store_forecast

FORECAST_COLUMNS = ("code", "name", "probability", "incidents_last_period", "neighbour_incidents_last_period")
MIN_PERIODS = 4


def _periods(value: int | None, default: int) -> int:
    periods = default if value is None else value
    if periods < MIN_PERIODS:
        raise CommandError(
            f"--periods {periods}: minimal {MIN_PERIODS} periode (masing-masing {PERIOD_DAYS} hari)"
        )
    return periods


def backtest_text(config: IndexConfig, options: dict[str, Any]) -> str:
    if options.get("simulated"):
        periods = _periods(options.get("periods"), 48)
        panel = simulate(periods=periods, seed=options.get("seed") or 0)
        head = f"Riwayat simulasi / simulated history: {panel.n_regions} wilayah, {periods} periode × {PERIOD_DAYS} hari"
    else:
        periods = _periods(options.get("periods"), 26)
        at = options.get("at") or timezone.localdate()
        panel, _codes, _names = kecamatan_panel(config, at, periods)
        if not panel.n_regions:
            raise CommandError("belum ada kecamatan di basis data; jalankan dulu `waspada regions load`")
        if not np.asarray(panel.counts).any():
            raise CommandError(
                f"belum ada kejadian terverifikasi dalam {periods} periode × {PERIOD_DAYS} hari sampai {at}; "
                "uji mundur tidak bisa dinilai (coba --simulated)"
            )
        head = f"Kejadian terverifikasi / verified incidents: {panel.n_regions} kecamatan, {periods} periode sampai {at}"
    result = bt.backtest(panel, seed=options.get("seed") or 0)
    run = store_backtest(
        result,
        panel,
        source=BacktestRun.Source.CLI,
        simulated=bool(options.get("simulated")),
        as_of=None if options.get("simulated") else at,
        config_version="" if options.get("simulated") else config.version,
    )
    stored = f"Ringkasan disimpan / summary stored: uji mundur #{run.pk} ({'simulasi' if run.simulated else 'data nyata'})"
    return head + "\n" + bt.format_report(result) + "\n" + stored


def write_forecast(config: IndexConfig, options: dict[str, Any]) -> str:
    at: dt.date = options.get("at") or timezone.localdate()
    periods = _periods(options.get("periods"), 26)
    panel, codes, names = kecamatan_panel(config, at, periods)
    if not panel.n_regions:
        raise CommandError("belum ada kecamatan di basis data; jalankan dulu `waspada regions load`")
    probability, own, neighbours = forecast_probabilities(panel)
    with options["output"].open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(FORECAST_COLUMNS)
        for i, code in enumerate(codes):
            writer.writerow([code, names[i], f"{probability[i]:.4f}", int(own[i]), int(neighbours[i])])
    lines = [f"{len(codes)} kecamatan, prakiraan 14 hari sejak {at} → {options['output']}"]
    run = None
    if np.asarray(panel.counts).any():
        result = bt.backtest(panel)
        lines.append(bt.format_report(result).splitlines()[-2])
        if options.get("store"):
            run = store_backtest(
                result,
                panel,
                source=BacktestRun.Source.CLI,
                simulated=False,
                as_of=at,
                config_version=config.version,
            )
    else:
        lines.append(
            "PERHATIAN: belum ada kejadian terverifikasi dalam riwayat; prakiraan belum teruji. / "
            "WARNING: no verified incidents in the history; the forecast is untested."
        )
    if options.get("store"):
        store_forecast(panel, codes, config, at, backtest=run)
        lines.append(f"prakiraan disimpan untuk {at} (config {config.version})")
    return "\n".join(lines)


def snapshot_trend(
    config: IndexConfig, at: dt.date, current: Mapping[str, tuple[float | None, str]], names: dict[str, str]
) -> list[str]:
    """The trend of a snapshot just stored against the latest earlier one under the same config."""
    before = (
        IndexSnapshot.objects.filter(date__lt=at, config_version=config.version)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )
    if before is None:
        return trend.summary([])
    previous = {
        code: (score, category)
        for code, score, category in IndexSnapshot.objects.filter(
            date=before, config_version=config.version
        ).values_list("region_id", "score", "category")
    }
    rows = trend.trend(current, previous, [c.code for c in config.categories])
    lines = trend.summary(rows, names)
    lines[0] += f" (dengan {before})"
    return lines
