"""The backtest: honest scores against baselines, a plain verdict, and the CLI on simulated and real data."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from sklearn.metrics import average_precision_score

from waspada.reports.models import Incident
from waspada.risk.backtest import (
    HISTORICAL,
    MODEL,
    NO_CHANGE,
    average_precision,
    backtest,
    calibration_table,
    format_report,
)
from waspada.risk.simulate import simulate


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("risk", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("seed", [0, 1])
def test_model_beats_both_baselines_on_a_simulated_history_with_signal(seed: int) -> None:
    result = backtest(simulate(seed=seed))
    model = result.scores[MODEL]
    for base in (NO_CHANGE, HISTORICAL):
        assert model.brier < result.scores[base].brier
        assert model.auc_pr > result.scores[base].auc_pr
        assert result.beats[base]
    assert "MENGALAHKAN" in format_report(result) and "BEATS" in format_report(result)


@pytest.mark.parametrize("seed", [0, 1])
def test_on_pure_noise_the_report_says_the_model_does_not_beat_no_change(seed: int) -> None:
    result = backtest(simulate(seed=seed, signal=False))
    assert not result.beats_no_change
    text = format_report(result)
    assert 'TIDAK mengalahkan baseline "tanpa perubahan"' in text
    assert 'does NOT beat the "no change" baseline' in text


def test_calibration_table_accounts_for_every_forecast() -> None:
    rng = np.random.default_rng(4)
    p = rng.random(1003)
    y = (rng.random(1003) < p).astype(int)
    rows = calibration_table(p, y)
    assert [r.decile for r in rows] == list(range(1, 11))
    assert sum(r.count for r in rows) == 1003
    assert sum(r.count * r.mean_predicted for r in rows) == pytest.approx(p.sum())
    assert sum(r.count * r.observed for r in rows) == pytest.approx(y.sum())
    assert all(a.mean_predicted <= b.mean_predicted for a, b in zip(rows, rows[1:], strict=False))


def test_average_precision_matches_scikit_learn_with_ties() -> None:
    rng = np.random.default_rng(9)
    p = rng.integers(0, 4, 400) / 3
    y = rng.random(400) < 0.3
    assert average_precision(p, y) == pytest.approx(average_precision_score(y, p))


def test_backtest_needs_training_periods() -> None:
    with pytest.raises(ValueError, match="at least 2 training periods"):
        backtest(simulate(rows=2, cols=2, periods=3), first=1)


@pytest.mark.django_db
def test_cli_backtest_on_a_simulated_history_prints_scores_and_calibration() -> None:
    text = run("backtest", "--simulated", "--periods", "24")
    assert "Brier" in text and "AUC-PR" in text and "Tabel kalibrasi / calibration table" in text
    assert "tanpa perubahan / no change" in text and "laju historis / historical rate" in text


@pytest.mark.django_db
def test_cli_backtest_without_verified_incidents_says_so_in_indonesian() -> None:
    with pytest.raises(CommandError, match="belum ada kejadian terverifikasi"):
        run("backtest", "--periods", "6", "--at", "2024-12-31")


@pytest.mark.django_db
def test_cli_refuses_too_few_periods() -> None:
    with pytest.raises(CommandError, match="minimal 4 periode"):
        run("backtest", "--simulated", "--periods", "2")


def incident(region: str, day: dt.date) -> Incident:
    return Incident.objects.create(
        title="Bentrok",
        event_type="supporter_clash",
        region_id=region,
        description="x",
        occurred_at=timezone.make_aware(dt.datetime.combine(day, dt.time(10))),
    )


@pytest.mark.django_db
def test_cli_forecast_writes_a_probability_per_kecamatan_highest_where_violence_recurs(
    tmp_path: Path,
) -> None:
    at = dt.date(2024, 12, 31)
    for k in range(6):
        incident("65.03.01.2001", at - dt.timedelta(days=3 + 14 * k))  # a desa of Sebatik, every period
    incident("65.03.10", at - dt.timedelta(days=40))
    simulated = incident("65.01.01", at - dt.timedelta(days=2))
    simulated.is_simulated = True
    simulated.save()
    output = tmp_path / "prakiraan.csv"
    text = run("forecast", "--at", at.isoformat(), "--periods", "8", "--output", str(output))
    assert "kecamatan" in text and "baseline" in text
    rows = list(csv.DictReader(output.open(encoding="utf-8")))
    assert len(rows) == 55
    prob = {r["code"]: float(r["probability"]) for r in rows}
    assert all(0.0 <= p <= 1.0 for p in prob.values())
    assert prob["65.03.01"] == max(prob.values())
    assert next(r for r in rows if r["code"] == "65.03.01")["incidents_last_period"] == "1"
    assert next(r for r in rows if r["code"] == "65.03.08")["neighbour_incidents_last_period"] == "1"
    assert next(r for r in rows if r["code"] == "65.01.01")["incidents_last_period"] == "0"  # demo ignored


@pytest.mark.django_db
def test_snapshot_prints_the_trend_against_the_previous_snapshot() -> None:
    first = run("snapshot", "--at", "2024-12-01")
    assert "belum ada snapshot sebelumnya" in first
    incident("65.03.01", dt.date(2024, 12, 9))
    second = run("snapshot", "--at", "2024-12-10")
    assert "tren:" in second and "dengan 2024-12-01" in second
    assert "naik +" in second and "65.03.01" in second
