"""Alerts raised from incidents, delivered over real local peers, retried, failed, escalated, listed."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import timedelta
from email import message_from_bytes
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from waspada.accounts.models import AuditLog
from waspada.alerts import delivery, http, services
from waspada.alerts.models import Alert, AlertRule, Channel, Delivery, DeliveryAttempt

from .conftest import make_alert, make_incident

pytestmark = pytest.mark.django_db

SECRET = "rahasia-webhook-uji-0123456789"


def run_worker() -> str:
    out = StringIO()
    call_command("worker", "--once", "--only", "alerts", stdout=out)
    return out.getvalue()


def listed() -> list[dict[str, Any]]:
    out = StringIO()
    call_command("alerts", "list", "--json", stdout=out)
    return json.loads(out.getvalue())  # type: ignore[no-any-return]


def test_it_raises_one_alert_for_one_situation_and_emails_it(smtp_sink: list[Any]) -> None:
    Channel.objects.create(
        name="FKDM Lumbis", kind="email", config={"to": ["fkdm@lumbis.example"]}, scope_code="65.03.01"
    )
    rule = AlertRule.objects.create(
        name="Bentrok berulang",
        kind="incident_count",
        params={"count": 2, "hours": 24},
        scope_code="65",
        level=3,
    )
    now = timezone.now()
    a = make_incident("65.03.01.2001", now - timedelta(hours=2))
    b = make_incident("65.03.01", now - timedelta(hours=1))
    run_worker()
    make_incident("65.03.01", now)
    run_worker()  # the same situation: no second alert

    alert = Alert.objects.get()
    assert (alert.rule, alert.region_id, alert.status) == (rule, "65.03.01", "terbuka")
    assert set(alert.evidence["incidents"]) >= {a.pk, b.pk}
    assert len(smtp_sink) == 1
    envelope = smtp_sink[0]
    assert envelope.rcpt_tos == ["fkdm@lumbis.example"]
    msg = message_from_bytes(envelope.content)
    assert "Bentrok berulang" in msg["Subject"]
    text = msg.get_payload(decode=True).decode()
    assert f"Peringatan P-{alert.pk}" in text and "Wilayah:" in text and f"K-{a.pk}" in text
    assert AuditLog.objects.filter(action="alert.raise", object_id=str(alert.pk)).exists()


def test_it_sends_a_signed_webhook_and_a_telegram_message(http_sink: Any) -> None:
    Channel.objects.create(
        name="Posko", kind="webhook", config={"url": http_sink.url + "/hook", "secret": SECRET}
    )
    Channel.objects.create(
        name="Grup TKD",
        kind="telegram",
        config={"bot_token": "123:ABC", "chat_id": "-100200", "api_base": http_sink.url},
    )
    alert = make_alert()
    assert delivery.deliver_due() == 2

    by_path = {r["path"]: r for r in http_sink.requests}
    hook = by_path["/hook"]
    expected = "sha256=" + hmac.new(SECRET.encode(), hook["body"], hashlib.sha256).hexdigest()
    assert hook["headers"]["X-Waspada-Signature"] == expected
    assert json.loads(hook["body"])["id"] == alert.pk
    tg = json.loads(by_path["/bot123:ABC/sendMessage"]["body"])
    assert tg["chat_id"] == "-100200" and f"P-{alert.pk}" in tg["text"]
    assert set(Delivery.objects.values_list("status", flat=True)) == {"delivered"}


def test_a_failing_endpoint_is_retried_then_marked_failed_and_listed(http_sink: Any) -> None:
    http_sink.statuses["/rusak"] = 500
    Channel.objects.create(
        name="Rusak", kind="webhook", config={"url": http_sink.url + "/rusak", "secret": SECRET}
    )
    make_alert()
    now = timezone.now()
    delivery.deliver_due(now)
    d = Delivery.objects.get()
    assert (d.status, d.attempts) == ("retrying", 1)
    assert d.next_attempt_at == now + delivery.backoff(1)
    assert delivery.deliver_due(now) == 0  # not due yet
    for _ in range(delivery.MAX_ATTEMPTS - 1):
        now += timedelta(hours=2)
        delivery.deliver_due(now)
    d.refresh_from_db()
    assert (d.status, d.attempts) == ("failed", delivery.MAX_ATTEMPTS)
    assert DeliveryAttempt.objects.filter(delivery=d, ok=False).count() == delivery.MAX_ATTEMPTS
    assert len(http_sink.requests) == delivery.MAX_ATTEMPTS
    [row] = listed()
    assert row["deliveries"] == [
        {
            "channel": "Rusak",
            "status": "failed",
            "attempts": delivery.MAX_ATTEMPTS,
            "last_error": d.last_error,
        }
    ]
    assert "HTTP 500" in d.last_error
    assert Channel.objects.get().enabled  # temporary failures do not disable the channel


def test_a_4xx_answer_is_permanent_and_disables_the_channel(http_sink: Any) -> None:
    http_sink.statuses["/hilang"] = 404
    channel = Channel.objects.create(
        name="Salah", kind="webhook", config={"url": http_sink.url + "/hilang", "secret": SECRET}
    )
    make_alert()
    delivery.deliver_due()
    d = Delivery.objects.get()
    assert (d.status, d.attempts) == ("failed", 1)
    channel.refresh_from_db()
    assert not channel.enabled and "HTTP 404" in channel.disabled_reason
    assert AuditLog.objects.filter(action="channel.disable", object_id=str(channel.pk)).exists()


def test_a_bad_channel_configuration_is_permanent(allow_loopback: None) -> None:
    Channel.objects.create(name="Tanpa rahasia", kind="webhook", config={"url": "http://127.0.0.1:9/"})
    make_alert()
    delivery.deliver_due()
    d = Delivery.objects.get()
    assert d.status == "failed" and "secret" in d.last_error


def test_it_refuses_private_and_loopback_addresses_unless_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WASPADA_ALLOW_PRIVATE_HTTP", raising=False)
    for url in ("http://127.0.0.1:8080/x", "http://10.1.2.3/x", "http://192.168.0.1/x", "http://[::1]/x"):
        with pytest.raises(http.RefusedAddress):
            http.post_json(url, {})
    Channel.objects.create(
        name="Lokal", kind="webhook", config={"url": "http://127.0.0.1:9/x", "secret": SECRET}
    )
    make_alert()
    delivery.deliver_due()
    assert "bukan alamat publik" in Delivery.objects.get().last_error


def test_it_escalates_an_unacknowledged_alert_to_the_kabupaten_then_the_province(
    allow_loopback: None, http_sink: Any
) -> None:
    for name, scope in (("Kecamatan", "65.03.01"), ("Kabupaten", "65.03"), ("Provinsi", "65")):
        Channel.objects.create(
            name=name,
            kind="webhook",
            config={"url": f"{http_sink.url}/{name}", "secret": SECRET},
            scope_code=scope,
        )
    created = timezone.now()
    alert = make_alert(created_at=created)
    AlertRule.objects.filter(pk=alert.rule_id).update(ack_timeout_minutes=30)
    assert [d.channel.name for d in alert.deliveries.all()] == ["Kecamatan"]
    assert services.escalate_due(created + timedelta(minutes=29)) == []
    services.escalate_due(created + timedelta(minutes=31))
    alert.refresh_from_db()
    assert alert.escalation_level == 1
    assert sorted(alert.deliveries.values_list("channel__name", flat=True)) == ["Kabupaten", "Kecamatan"]
    services.escalate_due(created + timedelta(minutes=61))
    alert.refresh_from_db()
    assert alert.escalation_level == 2 and alert.deliveries.count() == 3
    assert AuditLog.objects.filter(action="alert.escalate", object_id=str(alert.pk)).count() == 2


def test_an_acknowledged_alert_does_not_escalate(personas: dict[str, Any]) -> None:
    created = timezone.now()
    alert = make_alert(created_at=created)
    out = StringIO()
    call_command("alerts", "ack", str(alert.pk), "--as", "analis.nunukan", stdout=out)
    assert "diterima" in out.getvalue()
    services.escalate_due(created + timedelta(days=1))
    alert.refresh_from_db()
    assert (alert.status, alert.escalation_level, alert.acknowledged_by) == (
        "diterima",
        0,
        personas["analis_nunukan"],
    )
    assert AuditLog.objects.filter(action="alert.diterima", object_id=str(alert.pk)).exists()
    with pytest.raises(CommandError, match="berstatus diterima"):
        call_command("alerts", "ack", str(alert.pk), "--as", "analis.nunukan")


def test_ack_refuses_read_only_and_unknown_users(personas: dict[str, Any]) -> None:
    alert = make_alert()
    with pytest.raises(CommandError, match="tidak berwenang"):
        call_command("alerts", "ack", str(alert.pk), "--as", "pimpinan")
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("alerts", "ack", str(alert.pk), "--as", "siapa")
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("alerts", "ack", "99999", "--as", "analis")


def test_alerts_list_json_has_the_contract_shape(http_sink: Any) -> None:
    Channel.objects.create(
        name="Posko", kind="webhook", config={"url": http_sink.url + "/ok", "secret": SECRET}
    )
    alert = make_alert()
    delivery.deliver_due()
    [row] = listed()
    assert set(row) == {
        "id",
        "rule",
        "region",
        "status",
        "created_at",
        "acknowledged_at",
        "escalation_level",
        "deliveries",
    }
    assert (row["id"], row["rule"], row["region"], row["status"]) == (
        alert.pk,
        "Bentrok berulang",
        "65.03.01",
        "terbuka",
    )
    assert row["acknowledged_at"] is None and row["escalation_level"] == 0
    assert row["deliveries"] == [{"channel": "Posko", "status": "delivered", "attempts": 1, "last_error": ""}]


def test_channel_and_rule_configuration_is_validated() -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="secret"):
        Channel(name="x", kind="webhook", config={"url": "https://contoh.example/h"}).full_clean()
    with pytest.raises(ValidationError, match="tidak dikenal"):
        AlertRule(name="x", kind="incident_count", params={"event_types": ["tawuran_pesta"]}).full_clean()
    AlertRule(name="x", kind="incident_count", params={"count": 2, "event_types": ["riot"]}).full_clean()
