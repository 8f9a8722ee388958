"""The backtest's summary is stored (Brier and AUC-PR of the model and both baselines, the verdict, the
date) so the pages can say whether the forecast beats "no change"; simulated runs never speak for the
real forecast."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from waspada.reports.models import Incident
from waspada.risk import queries
from waspada.risk.active import active_config
from waspada.risk.models import BacktestRun, ForecastValue

pytestmark = pytest.mark.django_db

AT = dt.date(2024, 12, 31)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("risk", *args, stdout=out)
    return out.getvalue()


def some_incidents() -> None:
    for k, region in enumerate(
        ["65.03.01.2001", "65.03.01", "65.71.01", "65.03.08", "65.01.01", "65.03.01"] * 2
    ):
        Incident.objects.create(
            title="Unjuk rasa", event_type="peaceful_protest", region_id=region, description="x",
            occurred_at=timezone.make_aware(dt.datetime.combine(AT - dt.timedelta(days=5 + 9 * k), dt.time(9))),
        )  # fmt: skip


def test_a_backtest_on_verified_incidents_stores_its_summary_and_prints_the_verdict() -> None:
    some_incidents()
    text = run("backtest", "--periods", "10", "--at", AT.isoformat())
    stored = BacktestRun.objects.get()
    assert not stored.simulated and stored.as_of == AT and stored.source == "cli"
    assert stored.config_version == active_config().version
    assert (stored.regions, stored.periods, stored.origins) == (55, 10, 5)
    assert (
        stored.model_brier is not None
        and stored.no_change_brier is not None
        and stored.historical_brier is not None
    )
    assert f"{stored.model_brier:.4f}" in text and f"{stored.no_change_brier:.4f}" in text
    assert set(stored.calibration) == {"model", "no_change", "historical_rate"}
    if stored.beats_no_change:
        assert "The model BEATS" in text
    else:
        assert 'WARNING: the model does NOT beat the "no change" baseline' in text
    assert f"#{stored.pk}" in text
    assert queries.latest_backtest() == stored


def test_a_simulated_backtest_is_stored_as_simulated_and_never_used_for_the_real_verdict() -> None:
    text = run("backtest", "--simulated", "--periods", "24")
    stored = BacktestRun.objects.get()
    assert stored.simulated and stored.as_of is None and "simulasi" in text
    assert stored.beats_no_change  # the simulated history has a signal the model recovers
    assert queries.latest_backtest() is None


def test_forecast_store_keeps_the_probabilities_for_pages_with_their_backtest(tmp_path: Path) -> None:
    some_incidents()
    text = run(
        "forecast", "--at", AT.isoformat(), "--periods", "8", "--output", str(tmp_path / "p.csv"), "--store"
    )
    assert "prakiraan disimpan" in text
    rows = ForecastValue.objects.filter(date=AT)
    assert rows.count() == 55 and rows.filter(backtest__isnull=False).count() == 55
    top = rows.order_by("-probability").first()
    assert top is not None and top.region_id.startswith("65.03.0")
