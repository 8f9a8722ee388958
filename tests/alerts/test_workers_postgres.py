"""Two workers on PostgreSQL, each on its own connection, never send one notification twice."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from django.db import connection, connections

from reports._db import run_committed
from waspada.accounts.models import AuditLog
from waspada.alerts import delivery
from waspada.alerts.models import Alert, AlertRule, Channel, Delivery

pytestmark = pytest.mark.django_db

ALERTS = 30


def _setup(url: str) -> dict[str, Any]:
    from waspada.alerts.services import queue_deliveries

    rule = AlertRule.objects.create(name="Uji dua worker", kind="casualties")
    channel = Channel.objects.create(
        name="Posko uji", kind="webhook", config={"url": url, "secret": "rahasia-webhook-uji-0123456789"}
    )
    ids = []
    for i in range(ALERTS):
        alert = Alert.objects.create(rule=rule, region_id="65.03.01", group_key=f"dua-worker:{i}")
        queue_deliveries(alert)
        ids.append(alert.pk)
    return {"rule": rule.pk, "channel": channel.pk, "alerts": ids}


def _cleanup(state: dict[str, Any]) -> None:
    delivery_ids = [
        str(pk) for pk in Delivery.objects.filter(channel_id=state["channel"]).values_list("pk", flat=True)
    ]
    AuditLog.objects.filter(object_type="alerts.delivery", object_id__in=delivery_ids).delete()
    AuditLog.objects.filter(
        object_type="alerts.alert", object_id__in=[str(i) for i in state["alerts"]]
    ).delete()
    Alert.objects.filter(rule_id=state["rule"]).delete()
    Channel.objects.filter(pk=state["channel"]).delete()
    AlertRule.objects.filter(pk=state["rule"]).delete()


def test_two_workers_deliver_each_notification_exactly_once(http_sink: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent workers are checked on PostgreSQL (DATABASE_URL=postgres://…)")
    state = run_committed(lambda: _setup(http_sink.url + "/posko"))
    try:
        start = threading.Barrier(2)
        errors: list[BaseException] = []

        def worker() -> None:
            try:
                start.wait()
                while delivery.deliver_due(limit=3):
                    pass
            except BaseException as exc:  # noqa: BLE001 - re-raised below
                errors.append(exc)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert not errors, errors
        sent = sorted(json.loads(r["body"])["id"] for r in http_sink.requests)
        assert sent == sorted(state["alerts"])
        statuses = run_committed(
            lambda: list(
                Delivery.objects.filter(channel_id=state["channel"]).values_list("status", "attempts")
            )
        )
        assert statuses == [("delivered", 1)] * ALERTS
    finally:
        run_committed(lambda: _cleanup(state))
