"""Several workers on PostgreSQL never send one notification twice: two delivery sweeps on two connections,
two task runners draining one queue, and two real ``waspada worker`` processes raising and delivering."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections
from django.utils import timezone

from reports._db import run_committed
from waspada.accounts.models import AuditLog
from waspada.alerts import delivery, worker
from waspada.alerts.models import Alert, AlertRule, Channel, Delivery, JobSchedule
from waspada.reports.models import Incident

pytestmark = pytest.mark.django_db

ALERTS = 30
SECRET = "rahasia-webhook-uji-0123456789"
WASPADA = Path(sys.executable).with_name("waspada")


def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent workers are checked on PostgreSQL (DATABASE_URL=postgres://…)")


def _setup(url: str) -> dict[str, Any]:
    from waspada.alerts.services import queue_deliveries

    rule = AlertRule.objects.create(name="Uji dua worker", kind="casualties")
    channel = Channel.objects.create(name="Posko uji", kind="webhook", config={"url": url, "secret": SECRET})
    ids = []
    for i in range(ALERTS):
        alert = Alert.objects.create(rule=rule, region_id="65.03.01", group_key=f"dua-worker:{i}")
        queue_deliveries(alert)  # also enqueues one sending task per delivery
        ids.append(alert.pk)
    return {"rule": rule.pk, "channel": channel.pk, "alerts": ids}


def _cleanup(state: dict[str, Any]) -> None:
    from django_tasks_db.models import DBTaskResult

    delivery_ids = [
        str(pk) for pk in Delivery.objects.filter(channel_id=state["channel"]).values_list("pk", flat=True)
    ]
    AuditLog.objects.filter(object_type="alerts.delivery", object_id__in=delivery_ids).delete()
    alert_ids = list(Alert.objects.filter(rule_id=state["rule"]).values_list("pk", flat=True))
    AuditLog.objects.filter(object_type="alerts.alert", object_id__in=[str(i) for i in alert_ids]).delete()
    Alert.objects.filter(rule_id=state["rule"]).delete()
    Channel.objects.filter(pk=state["channel"]).delete()
    AlertRule.objects.filter(pk=state["rule"]).delete()
    Incident.objects.filter(pk__in=state.get("incidents", [])).delete()
    AuditLog.objects.filter(
        object_type="reports.incident", object_id__in=[str(i) for i in state.get("incidents", [])]
    ).delete()
    DBTaskResult.objects.all().delete()
    JobSchedule.objects.all().delete()


def _in_threads(target: Any, n: int = 2) -> None:
    start = threading.Barrier(n)
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            start.wait()
            target(i)
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors


def _assert_each_sent_once(http_sink: Any, state: dict[str, Any]) -> None:
    sent = sorted(json.loads(r["body"])["id"] for r in http_sink.requests)
    assert sent == sorted(state["alerts"])
    statuses = run_committed(
        lambda: list(Delivery.objects.filter(channel_id=state["channel"]).values_list("status", "attempts"))
    )
    assert statuses == [("delivered", 1)] * len(state["alerts"])


def test_two_sweeps_deliver_each_notification_exactly_once(http_sink: Any) -> None:
    _postgres_only()
    state = run_committed(lambda: _setup(http_sink.url + "/posko"))
    try:

        def sweep(_: int) -> None:
            while delivery.deliver_due(limit=3):
                pass

        _in_threads(sweep)
        _assert_each_sent_once(http_sink, state)
    finally:
        run_committed(lambda: _cleanup(state))


def test_two_task_runners_and_a_sweep_deliver_each_notification_exactly_once(http_sink: Any) -> None:
    _postgres_only()
    state = run_committed(lambda: _setup(http_sink.url + "/posko"))
    try:

        def drain(i: int) -> None:
            while True:
                ran = worker.run_ready(f"uji-{i}")
                swept = delivery.sweep()["attempts"] if i == 0 else 0
                if not ran and not swept:
                    return

        _in_threads(drain, 3)
        _assert_each_sent_once(http_sink, state)
    finally:
        run_committed(lambda: _cleanup(state))


def _database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def test_two_worker_processes_raise_and_deliver_each_alert_once(http_sink: Any, tmp_path: Path) -> None:
    _postgres_only()

    def setup() -> dict[str, Any]:
        rule = AlertRule.objects.create(name="Uji dua proses", kind="casualties", params={"hours": 72})
        channel = Channel.objects.create(
            name="Posko proses", kind="webhook", config={"url": http_sink.url + "/proses", "secret": SECRET}
        )
        now = timezone.now()
        incidents = [
            Incident.objects.create(
                title=f"Uji {i}",
                description="uji",
                event_type="riot",
                region_id="65.03.01",
                occurred_at=now,
                injured=1,
            ).pk
            for i in range(12)
        ]
        return {"rule": rule.pk, "channel": channel.pk, "incidents": incidents, "alerts": []}

    state = run_committed(setup)
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    env.update(
        DATABASE_URL=_database_url(), WASPADA_DATA_DIR=str(tmp_path), WASPADA_ALLOW_PRIVATE_HTTP="true"
    )
    logs = [tmp_path / f"worker{i}.log" for i in range(2)]
    procs = []
    try:
        for log in logs:
            with log.open("w") as out:
                procs.append(
                    subprocess.Popen(
                        [str(WASPADA), "worker", "--only", "alerts", "--interval", "0.2"],
                        env=env,
                        stdout=out,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
                )

        def delivered() -> int:
            return Delivery.objects.filter(channel_id=state["channel"], status="delivered").count()

        deadline = time.monotonic() + 90
        while run_committed(delivered) < 12 and time.monotonic() < deadline:
            time.sleep(0.3)
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p, log in zip(procs, logs, strict=True):
            assert p.wait(30) == 0, log.read_text()
            assert "Worker berhenti." in log.read_text()
        state["alerts"] = run_committed(
            lambda: list(Alert.objects.filter(rule_id=state["rule"]).values_list("pk", flat=True))
        )
        assert len(state["alerts"]) == 12  # one alert per incident, though both workers evaluated
        _assert_each_sent_once(http_sink, state)
    finally:
        for p in procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)
        run_committed(lambda: _cleanup(state))
