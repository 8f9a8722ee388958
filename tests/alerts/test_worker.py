"""The worker on the database task queue: jobs enqueued once per period, ``--once`` runs every job and
drains the queue, a failing job is recorded and does not stop the others, SIGTERM stops it cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from waspada.alerts import worker
from waspada.alerts.models import JobSchedule
from waspada.core.jobs import Job

pytestmark = pytest.mark.django_db

WASPADA = Path(sys.executable).with_name("waspada")
CALLS: list[str] = []


def count_me() -> dict[str, int]:
    CALLS.append("count")
    return {"calls": len(CALLS)}


def boom() -> None:
    raise RuntimeError("sumber berita tidak menjawab")


@pytest.fixture
def jobs(monkeypatch: pytest.MonkeyPatch) -> list[Job]:
    CALLS.clear()
    chosen = [
        Job("uji.hitung", f"{__name__}:count_me", 60),
        Job("uji.gagal", f"{__name__}:boom", 60),
    ]
    monkeypatch.setattr(worker, "JOBS", tuple(chosen))
    return chosen


def test_a_job_is_enqueued_once_per_period_however_many_workers_ask(jobs: list[Job]) -> None:
    now = timezone.now()
    assert worker.enqueue_due(now, jobs) == ["uji.hitung", "uji.gagal"]
    assert worker.enqueue_due(now, jobs) == []  # a second worker at the same moment
    assert worker.enqueue_due(now + timedelta(seconds=59), jobs) == []
    assert DBTaskResult.objects.count() == 2
    # Due again, but the first run has not started yet: it is not queued twice.
    assert worker.enqueue_due(now + timedelta(seconds=61), jobs) == []
    worker.run_ready("uji")
    assert worker.enqueue_due(now + timedelta(seconds=122), jobs) == ["uji.hitung", "uji.gagal"]


def test_once_runs_every_job_and_a_failing_one_is_recorded_without_stopping_the_rest(jobs: list[Job]) -> None:
    out = StringIO()
    call_command("worker", "--once", stdout=out)
    text = out.getvalue()
    assert 'uji.hitung: {"calls": 1}' in text and "uji.gagal: GAGAL" in text
    assert CALLS == ["count"]
    failed = JobSchedule.objects.get(name="uji.gagal")
    assert "sumber berita tidak menjawab" in failed.last_error
    assert JobSchedule.objects.get(name="uji.hitung").last_result == {"calls": 1}
    assert not DBTaskResult.objects.ready().exists()  # the queue is drained
    call_command("worker", "--once", "--only", "uji.hitung", stdout=StringIO())
    assert CALLS == ["count", "count"]  # --once runs a job again even before its period has passed


def test_an_unknown_job_name_is_refused(jobs: list[Job]) -> None:
    with pytest.raises(CommandError, match="tidak ada pekerjaan"):
        call_command("worker", "--once", "--only", "media")


def test_prune_forgets_old_results_and_fails_tasks_of_dead_workers(jobs: list[Job]) -> None:
    from waspada.alerts.tasks import run_job

    worker.enqueue_due(timezone.now(), jobs[:1], force=True)
    worker.run_ready("uji")
    stuck = run_job.enqueue("uji.hitung").db_result  # type: ignore[attr-defined]
    stuck.claim("mati")
    assert worker.prune_tasks(timezone.now() + timedelta(hours=2)) == {"deleted": 0, "stuck": 1}
    stuck.refresh_from_db()
    assert stuck.status == "FAILED" and "worker berhenti" in stuck.traceback
    assert worker.prune_tasks(timezone.now() + timedelta(days=8)) == {"deleted": 2, "stuck": 0}


def test_sigterm_stops_a_running_worker_cleanly(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env["WASPADA_DATA_DIR"] = str(tmp_path)
    log = tmp_path / "worker.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [str(WASPADA), "worker", "--only", "alerts", "--interval", "0.2"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 120
        while "Worker berjalan" not in log.read_text() and time.monotonic() < deadline:
            assert proc.poll() is None, log.read_text()
            time.sleep(0.2)
        time.sleep(1)  # let it take a few rounds
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0, log.read_text()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    text = log.read_text()
    assert "Worker berhenti." in text and "Traceback" not in text


def test_the_task_results_are_stored_in_the_database_queue(jobs: list[Job]) -> None:
    worker.run_once(["uji.hitung"])
    row: Any = DBTaskResult.objects.get()
    assert row.status == "SUCCESSFUL" and row.return_value == {"calls": 1}
    assert row.task_path == "waspada.alerts.tasks.run_job"
