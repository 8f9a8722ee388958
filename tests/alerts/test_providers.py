"""WhatsApp (Cloud-API-shaped) and SMS gateway channels against a real HTTP server on 127.0.0.1: the right
requests with the bearer token, one per number; a partial failure never sends twice; a permanent failure
disables the channel and is shown on the alert page."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from waspada.alerts import delivery
from waspada.alerts.models import Channel, Delivery, DeliveryAttempt

from .conftest import make_alert

pytestmark = pytest.mark.django_db


def bodies(sink: Any, prefix: str) -> list[dict[str, Any]]:
    return [json.loads(r["body"]) for r in sink.requests if r["path"].startswith(prefix)]


def test_it_sends_whatsapp_messages_shaped_like_the_cloud_api(http_sink: Any) -> None:
    Channel.objects.create(
        name="WA TKD",
        kind="whatsapp",
        config={
            "url": http_sink.url + "/v20.0/1234/messages",
            "token": "wa-token",
            "to": ["+6281100001111", "6282200002222"],
        },
    )
    alert = make_alert()
    assert delivery.deliver_due() == 1
    sent = bodies(http_sink, "/v20.0/1234/messages")
    assert [b["to"] for b in sent] == ["6281100001111", "6282200002222"]
    assert sent[0]["messaging_product"] == "whatsapp" and sent[0]["type"] == "text"
    assert f"P-{alert.pk}" in sent[0]["text"]["body"]
    assert {r["headers"]["Authorization"] for r in http_sink.requests} == {"Bearer wa-token"}
    assert Delivery.objects.get().sent_to == ["+6281100001111", "6282200002222"]


def test_it_sends_short_sms_through_the_gateway(http_sink: Any) -> None:
    Channel.objects.create(
        name="SMS camat",
        kind="sms",
        config={
            "url": http_sink.url + "/sms/send",
            "token": "sms-token",
            "to": ["+62812345678"],
            "sender": "WASPADA",
        },
    )
    alert = make_alert(
        rule_name="Bentrok berulang " + "y" * 100, summary="3 kejadian dalam 24 jam " + "x" * 270
    )
    delivery.deliver_due()
    [body] = bodies(http_sink, "/sms/send")
    assert body["to"] == "+62812345678" and body["sender"] == "WASPADA"
    assert body["message"].startswith(f"[WASPADA] P-{alert.pk}") and len(body["message"]) <= 459
    assert body["message"].endswith(f"waspada alerts ack {alert.pk}")
    assert http_sink.requests[0]["headers"]["Authorization"] == "Bearer sms-token"


def test_a_partial_failure_is_retried_without_sending_twice(http_sink: Any) -> None:
    http_sink.fail_once.add("+62822222222")
    Channel.objects.create(
        name="SMS dua nomor",
        kind="sms",
        config={"url": http_sink.url + "/sms/send", "token": "t", "to": ["+62811111111", "+62822222222"]},
    )
    make_alert()
    now = timezone.now()
    delivery.deliver_due(now)
    d = Delivery.objects.get()
    assert (d.status, d.attempts, d.sent_to) == ("retrying", 1, ["+62811111111"])
    assert "HTTP 503" in d.last_error
    delivery.deliver_due(now + timedelta(minutes=5))
    d.refresh_from_db()
    assert (d.status, d.attempts) == ("delivered", 2)
    numbers = [b["to"] for b in bodies(http_sink, "/sms/")]
    assert numbers == ["+62811111111", "+62822222222", "+62822222222"]  # the first number only once


def test_a_rejected_token_disables_the_channel_and_shows_on_the_alert_page(
    http_sink: Any, personas: dict[str, Any]
) -> None:
    http_sink.statuses["/wa"] = 401
    channel = Channel.objects.create(
        name="WA salah token",
        kind="whatsapp",
        config={"url": http_sink.url + "/wa", "token": "x", "to": ["+6281100001111"]},
    )
    alert = make_alert()
    delivery.deliver_due()
    channel.refresh_from_db()
    assert not channel.enabled and "HTTP 401" in channel.disabled_reason
    d = Delivery.objects.get()
    assert (d.status, d.attempts) == ("failed", 1)
    assert DeliveryAttempt.objects.get(delivery=d).permanent

    client = Client()
    client.force_login(personas["analis"])
    page = client.get(f"/peringatan/{alert.pk}/").content.decode()
    assert 'data-status="failed"' in page and "HTTP 401" in page
    listing = client.get("/peringatan/").content.decode()
    assert 'id="broken-channels"' in listing and "WA salah token" in listing

    make_alert(rule_name="Aturan lain", region="65.03.02")  # later alerts fail at once, visibly
    delivery.deliver_due()
    assert "kanal dinonaktifkan" in Delivery.objects.order_by("-id").first().last_error  # type: ignore[union-attr]
