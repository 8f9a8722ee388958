"""The tasks the worker runs, on Django's tasks API (``django.tasks`` from Django 6, the ``django-tasks``
backport before), queued in the database by ``django_tasks_db``: one task runs a job of
``waspada.core.jobs.JOBS``, one sends a delivery."""

from __future__ import annotations

from typing import Any

try:  # Django 6+
    from django.tasks import task  # type: ignore[import-not-found,unused-ignore]
except ImportError:  # Django 5.2: the backport
    from django_tasks import task

DELIVERY_QUEUE = "deliveries"


@task()
def run_job(name: str) -> dict[str, Any]:
    from waspada.alerts.worker import run_job_now

    return run_job_now(name)


@task(queue_name=DELIVERY_QUEUE)
def send_delivery(delivery_id: int) -> dict[str, Any]:
    from waspada.alerts.delivery import deliver_task

    return deliver_task(delivery_id)
