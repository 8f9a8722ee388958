"""The worker behind ``waspada worker``: enqueues each job of ``waspada.core.jobs.JOBS`` when it is due and
runs the tasks of the database queue (jobs and deliveries) until told to stop.

Several workers may run at once, on one host or many: a job run is enqueued only by the worker whose
conditional update moved the job's ``next_run_at`` on, and each task is claimed by one worker with
``SELECT … FOR UPDATE SKIP LOCKED`` (an exclusive transaction on SQLite).
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import OperationalError, close_old_connections, connections, transaction
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from waspada.alerts.models import JobSchedule
from waspada.alerts.tasks import run_job
from waspada.core.jobs import JOBS, Job

log = logging.getLogger("waspada.worker")

BACKEND = "default"
KEEP_RESULTS = timedelta(days=7)
STUCK_AFTER = timedelta(hours=1)


def selected(only: Sequence[str] = ()) -> list[Job]:
    """The jobs this worker schedules: all, or those whose name starts with one of ``only``."""
    return [j for j in JOBS if not only or any(j.name == o or j.name.startswith(o + ".") for o in only)]


def _summary(result: Any) -> dict[str, Any]:
    """A job's return value as a small JSON-safe dict for the task row and the log."""
    if result is None:
        return {}
    if isinstance(result, dict):
        return {
            str(k): v if isinstance(v, str | int | float | bool) or v is None else str(v)
            for k, v in result.items()
        }
    if isinstance(result, list | tuple | set):
        return {"count": len(result)}
    if isinstance(result, int | float):
        return {"count": result}
    return {"result": str(result)[:200]}


def run_job_now(name: str) -> dict[str, Any]:
    """Run one job in this process (what the ``run_job`` task does), recording when it finished."""
    job = next((j for j in JOBS if j.name == name), None)
    if job is None:
        raise LookupError(f"pekerjaan {name!r} tidak ada di waspada.core.jobs.JOBS")
    try:
        result = _summary(job.load()())
    except Exception as exc:
        JobSchedule.objects.filter(name=name).update(
            last_finished_at=timezone.now(), last_error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        raise
    JobSchedule.objects.filter(name=name).update(
        last_finished_at=timezone.now(), last_result=result, last_error=""
    )
    return result


def _waiting(name: str) -> bool:
    """A run of the job is already queued or running: another one would only repeat it (a run left behind
    by a dead worker stops counting once ``prune_tasks`` fails it)."""
    from django_tasks_db.compat import TaskResultStatus

    return DBTaskResult.objects.filter(
        task_path=run_job.module_path,
        args_kwargs__args__0=name,
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
    ).exists()


def enqueue_due(now: datetime, jobs: Sequence[Job], *, force: bool = False) -> list[str]:
    """Enqueue each job whose time has come (every job with ``force``); returns their names."""
    known = set(JobSchedule.objects.filter(name__in=[j.name for j in jobs]).values_list("name", flat=True))
    missing = [JobSchedule(name=j.name, next_run_at=now) for j in jobs if j.name not in known]
    if missing:
        JobSchedule.objects.bulk_create(missing, ignore_conflicts=True)
    enqueued = []
    for job in jobs:
        rows = JobSchedule.objects.filter(name=job.name)
        if not force:
            rows = rows.filter(next_run_at__lte=now)
        with transaction.atomic():
            moved = rows.update(next_run_at=now + timedelta(seconds=job.every_seconds), last_enqueued_at=now)
            if moved and not _waiting(job.name):
                run_job.enqueue(job.name)
                enqueued.append(job.name)
    return enqueued


@dataclass(frozen=True, slots=True)
class Ran:
    task: str
    args: list[Any]
    status: str
    result: Any


def _next_task(worker_id: str) -> DBTaskResult | None:
    tasks = DBTaskResult.objects.ready().filter(backend_name=BACKEND)
    try:
        with exclusive_transaction(tasks.db):
            found = tasks.get_locked()
            if found is not None:
                found.claim(worker_id)  # RUNNING: no other worker will take it
            return found
    except OperationalError as exc:
        if is_locked_database_exception(exc):
            return None
        raise


def run_ready(worker_id: str, stop: Callable[[], bool] = lambda: False) -> list[Ran]:
    """Run queued tasks that are due, one at a time, until none is left or ``stop()`` says so."""
    runner = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=BACKEND,
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    ran: list[Ran] = []
    while not stop():
        found = _next_task(worker_id)
        if found is None:
            break
        runner.run_task(found)  # records success or failure (with the traceback) on the task row
        found.refresh_from_db(fields=["status", "return_value", "exception_class_path"])
        ran.append(
            Ran(
                found.task_path.rsplit(".", 1)[-1],
                list(found.args_kwargs.get("args", [])),
                found.status,
                found.return_value if found.status == "SUCCESSFUL" else found.exception_class_path,
            )
        )
    return ran


def new_worker_id() -> str:
    return f"waspada-{secrets.token_hex(6)}"


def run_once(only: Sequence[str] = (), worker_id: str | None = None) -> list[Ran]:
    """Enqueue every selected job now and run the queue until it is empty (``waspada worker --once``)."""
    enqueue_due(timezone.now(), selected(only), force=True)
    return run_ready(worker_id or new_worker_id())


def run_forever(
    stop: threading.Event,
    *,
    interval: float = 2.0,
    threads: int = 4,
    only: Sequence[str] = (),
    worker_id: str | None = None,
    report: Callable[[list[Ran]], None] = lambda ran: None,
) -> None:
    """Schedule in this thread and run tasks in ``threads`` runner threads until ``stop`` is set; each
    runner finishes the task in progress first. Several runners keep one slow job (an index recompute)
    from holding up escalations and deliveries."""
    worker_id = worker_id or new_worker_id()
    jobs = selected(only)
    lock = threading.Lock()

    def runner(n: int) -> None:
        try:
            while not stop.is_set():
                try:
                    ran = run_ready(f"{worker_id}-{n}", stop.is_set)
                    if ran:
                        with lock:
                            report(ran)
                except Exception:  # keep the runner alive (the database may be briefly away); logged
                    log.exception("worker runner failed")
                close_old_connections()
                stop.wait(interval)
        finally:
            connections.close_all()

    pool = [threading.Thread(target=runner, args=(n,), name=f"runner-{n}") for n in range(max(1, threads))]
    for t in pool:
        t.start()
    while not stop.is_set():
        close_old_connections()
        try:
            enqueue_due(timezone.now(), jobs)
        except Exception:
            log.exception("worker schedule round failed")
        close_old_connections()
        stop.wait(interval)
    for t in pool:
        t.join()


def prune_tasks(now: datetime | None = None) -> dict[str, int]:
    """A periodic job: forget finished tasks after a week; fail tasks whose worker died while running them
    (their deliveries are picked up again by the sweep)."""
    from django_tasks_db.compat import TaskResultStatus

    now = now or timezone.now()
    stuck = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=now - STUCK_AFTER)
    failed = 0
    for row in stuck:
        row.set_failed(TimeoutError("worker berhenti sebelum tugas selesai"))
        failed += 1
    deleted, _ = (
        DBTaskResult.objects.filter(finished_at__lt=now - KEEP_RESULTS)
        .filter(status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED])
        .delete()
    )
    return {"deleted": deleted, "stuck": failed}
