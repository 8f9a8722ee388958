"""Keeping the index current: the daily snapshot, the dirty mark after verified incidents and stored
findings, idempotent re-runs, and one computation at a time however many workers run the job."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection, connections
from django.utils import timezone

from reports._db import run_committed
from waspada.core.jobs import JOBS
from waspada.elections.models import Election
from waspada.elections.results import RecapFinding
from waspada.reports.models import Incident
from waspada.risk import jobs
from waspada.risk.active import active_config
from waspada.risk.config import load_config
from waspada.risk.models import BacktestRun, ForecastValue, IndexSnapshot, RecomputeState

pytestmark = pytest.mark.django_db

TODAY = dt.date(2024, 12, 20)


def incident(region: str, day: dt.date, **extra: Any) -> Incident:
    return Incident.objects.create(
        title="Bentrok pendukung",
        event_type="supporter_clash",
        region_id=region,
        description="x",
        occurred_at=timezone.make_aware(dt.datetime.combine(day, dt.time(10))),
        **extra,
    )


def test_the_job_is_registered_for_the_worker() -> None:
    job = next(j for j in JOBS if j.name == "risk.recompute")
    assert job.load() is jobs.recompute_if_due
    assert job.every_seconds <= 3600


def test_it_stores_the_daily_snapshot_and_forecast_when_missing_then_does_nothing() -> None:
    for k in range(4):
        incident("65.03.01.2001", TODAY - dt.timedelta(days=3 + 14 * k))
    first = jobs.recompute_if_due(today=TODAY)
    version = active_config().version
    assert first["due"] == 1 and first["regions"] > 500 and first["kecamatan"] == 55
    assert IndexSnapshot.objects.filter(date=TODAY, config_version=version, region_id="65").exists()
    assert ForecastValue.objects.filter(date=TODAY, config_version=version).count() == 55
    run = BacktestRun.objects.get(source="worker", as_of=TODAY)
    assert not run.simulated and ForecastValue.objects.filter(backtest=run).count() == 55
    assert jobs.recompute_if_due(today=TODAY) == {"due": 0}
    state = RecomputeState.objects.get()
    assert state.running_since is None and state.last_date == TODAY and state.dirty_at is None


def test_a_rerun_replaces_the_day_s_rows_without_duplicates() -> None:
    jobs.recompute_if_due(today=TODAY)
    count = IndexSnapshot.objects.filter(date=TODAY).count()
    jobs.mark_dirty("uji")
    again = jobs.recompute_if_due(today=TODAY)
    assert again["due"] == 1 and again["kecamatan"] == 0  # the forecast is made once a day
    assert IndexSnapshot.objects.filter(date=TODAY).count() == count
    assert ForecastValue.objects.filter(date=TODAY).count() == 55
    ForecastValue.objects.filter(date=TODAY).delete()
    assert jobs.recompute_if_due(today=TODAY)["kecamatan"] == 55  # missing again: made again


def test_verifying_an_incident_marks_the_index_dirty_and_the_next_turn_recomputes(
    django_capture_on_commit_callbacks: Any,
) -> None:
    jobs.recompute_if_due(today=TODAY)
    before = IndexSnapshot.objects.get(date=TODAY, region_id="65.03.01").score
    with django_capture_on_commit_callbacks(execute=True):
        incident("65.03.01.2001", TODAY - dt.timedelta(days=1), killed=1, injured=3)
    state = RecomputeState.objects.get()
    assert state.dirty_at is not None and "65.03.01.2001" in state.dirty_reason
    assert jobs.recompute_if_due(today=TODAY)["due"] == 1
    assert IndexSnapshot.objects.get(date=TODAY, region_id="65.03.01").score > before
    assert RecomputeState.objects.get().dirty_at is None


def test_a_stored_recap_finding_marks_the_index_dirty(django_capture_on_commit_callbacks: Any) -> None:
    election = Election.objects.create(code="uji-2024", name="Uji", kind="pilkada", voting_date=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        RecapFinding.objects.create(
            election=election, source="sirekap", rule="R1", severity="error", area_code="6503012001001",
            region_code="65.03.01.2001", message="Jumlah suara tidak cocok.",
        )  # fmt: skip
    assert "R1" in RecomputeState.objects.get().dirty_reason


def test_findings_written_in_bulk_without_signals_still_trigger_a_recomputation() -> None:
    jobs.recompute_if_due(today=TODAY)
    election = Election.objects.create(code="uji-2024", name="Uji", kind="pilkada", voting_date=TODAY)
    RecapFinding.objects.bulk_create(
        [
            RecapFinding(
                election=election,
                source="sirekap",
                rule="R2",
                severity="warning",
                area_code="6503012001001",
                region_code="65.03.01.2001",
                message="x",
            )  # fmt: skip
        ]
    )
    assert RecomputeState.objects.get().dirty_at is None
    assert jobs.recompute_if_due(today=TODAY)["due"] == 1


def test_a_mark_made_during_a_run_keeps_the_index_dirty_for_the_next_turn(monkeypatch: Any) -> None:
    real = jobs.recompute

    def slow(config: Any, today: dt.date, **kwargs: Any) -> dict[str, int]:
        out = real(config, today, **kwargs)
        jobs.mark_dirty("kejadian baru selama perhitungan")
        return out

    monkeypatch.setattr(jobs, "recompute", slow)
    jobs.recompute_if_due(today=TODAY)
    assert RecomputeState.objects.get().dirty_at is not None


def test_a_second_worker_leaves_a_running_computation_alone_until_its_lease_expires() -> None:
    jobs.mark_dirty("uji")
    now = timezone.now()
    RecomputeState.objects.filter(pk=1).update(running_since=now, running_token="pekerja-lain")
    assert jobs.recompute_if_due(today=TODAY) == {"due": 1, "busy": 1}
    assert not IndexSnapshot.objects.filter(date=TODAY).exists()
    RecomputeState.objects.filter(pk=1).update(running_since=now - jobs.LEASE - dt.timedelta(minutes=1))
    assert jobs.recompute_if_due(today=TODAY)["due"] == 1  # a crashed worker's lease is taken over
    assert IndexSnapshot.objects.filter(date=TODAY).exists()


def test_a_failed_run_releases_the_lease_and_records_the_error(monkeypatch: Any) -> None:
    def broken(config: Any, today: dt.date, **kwargs: Any) -> dict[str, int]:
        raise RuntimeError("disk penuh")

    monkeypatch.setattr(jobs, "recompute", broken)
    with pytest.raises(RuntimeError):
        jobs.recompute_if_due(today=TODAY)
    state = RecomputeState.objects.get()
    assert state.running_since is None and "disk penuh" in state.last_error


def _cleanup(day: dt.date) -> None:
    IndexSnapshot.objects.filter(date=day).delete()
    ForecastValue.objects.filter(date=day).delete()
    BacktestRun.objects.filter(as_of=day).delete()
    RecomputeState.objects.all().delete()


def test_two_workers_compute_the_day_once() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent workers are checked on PostgreSQL (DATABASE_URL=postgres://…)")
    day = dt.date(2024, 12, 21)
    run_committed(lambda: _cleanup(day))
    try:
        start = threading.Barrier(2)
        results: list[dict[str, Any]] = []
        errors: list[BaseException] = []

        def worker() -> None:
            try:
                start.wait()
                results.append(jobs.recompute_if_due(today=day))
            except BaseException as exc:  # noqa: BLE001 - re-raised below
                errors.append(exc)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(300)
        assert not errors, errors
        computed = [r for r in results if r.get("regions")]
        assert len(computed) == 1, results
        counts = run_committed(
            lambda: (
                IndexSnapshot.objects.filter(date=day).count(),
                IndexSnapshot.objects.filter(date=day).values("region_id").distinct().count(),
            )
        )
        assert counts[0] == counts[1] > 500
    finally:
        run_committed(lambda: _cleanup(day))


def test_a_broken_configuration_in_force_fails_the_system_check(tmp_path: Any, monkeypatch: Any) -> None:
    from waspada.risk.checks import risk_config_loads

    assert risk_config_loads() == []
    broken = tmp_path / "indeks.toml"
    broken.write_text("name = 3\n", encoding="utf-8")
    monkeypatch.setenv("WASPADA_RISK_CONFIG", str(broken))
    errors = risk_config_loads()
    assert len(errors) == 1 and errors[0].id == "waspada.risk.E001" and str(broken) in errors[0].msg
    monkeypatch.setenv("WASPADA_RISK_CONFIG", str(tmp_path / "tidak-ada.toml"))
    assert "tidak dapat dibaca" in risk_config_loads()[0].msg


def test_the_configuration_in_force_is_the_one_the_job_stores_under(tmp_path: Any, monkeypatch: Any) -> None:
    from waspada.risk.config import DEFAULT_CONFIG_PATH

    custom = tmp_path / "indeks.toml"
    custom.write_text(
        DEFAULT_CONFIG_PATH.read_text(encoding="utf-8").replace("min = 49.33", "min = 45"), "utf-8"
    )
    monkeypatch.setenv("WASPADA_RISK_CONFIG", str(custom))
    version = active_config().version
    jobs.recompute(active_config(), TODAY, forecast=False)
    assert set(IndexSnapshot.objects.filter(date=TODAY).values_list("config_version", flat=True)) == {version}
    assert version != load_config().version
