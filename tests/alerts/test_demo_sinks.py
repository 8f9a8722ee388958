"""The demo's local notification sinks (stdlib SMTP and HTTP servers on 127.0.0.1) and its alert staging:
alerts raised from the scenario, delivered into the sinks' files, one acknowledged; a second staging is a
no-op."""

from __future__ import annotations

import json
import os
import socket
import urllib.request
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest

from waspada.alerts.models import Alert, AlertRule, Channel, Delivery
from waspada.alerts.transports import Outbound
from waspada.alerts.transports.email import EmailTransport
from waspada.alerts.transports.webhook import WebhookTransport
from waspada.demo import sinks

from .conftest import make_alert

pytestmark = pytest.mark.django_db


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_pass_points_the_transports_at_the_sinks_then_restores_the_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WASPADA_SMTP_HOST", "smtp.kesbangpol.example")
    monkeypatch.delenv("WASPADA_ALLOW_PRIVATE_HTTP", raising=False)
    with sinks.sink_environment(sinks.Sinks(8025, 8026, [])):
        assert (os.environ["WASPADA_SMTP_HOST"], os.environ["WASPADA_SMTP_PORT"]) == ("127.0.0.1", "8025")
        assert os.environ["WASPADA_ALLOW_PRIVATE_HTTP"] == "true"
    assert os.environ["WASPADA_SMTP_HOST"] == "smtp.kesbangpol.example"
    assert "WASPADA_ALLOW_PRIVATE_HTTP" not in os.environ


def test_the_sinks_keep_emails_and_signed_webhooks_as_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    running = sinks.start(tmp_path, free_port(), free_port())
    try:
        alert = make_alert()
        email = Channel.objects.create(
            name="Surel", kind="email", config={"to": ["tkd@demo.waspada.invalid"]}
        )
        hook = Channel.objects.create(
            name="Kait",
            kind="webhook",
            config={"url": f"http://127.0.0.1:{running.http_port}/posko", "secret": sinks.WEBHOOK_SECRET},
        )
        with sinks.sink_environment(running):
            EmailTransport().notify(Outbound(alert, email))
            WebhookTransport().notify(Outbound(alert, hook))
        [mail] = list((tmp_path / sinks.MAILBOX).glob("*.eml"))
        message = message_from_bytes(mail.read_bytes())
        assert message["X-Demo-Envelope-To"] == "tkd@demo.waspada.invalid"
        assert f"Peringatan P-{alert.pk}" in message.get_payload(decode=True).decode()
        [call] = list((tmp_path / sinks.HOOKS).glob("*.json"))
        record = json.loads(call.read_text())
        assert record["signature_valid"] and record["payload"]["id"] == alert.pk
        with urllib.request.urlopen(f"http://127.0.0.1:{running.http_port}/", timeout=10) as page:
            text = page.read().decode()
        assert "Bentrok berulang" in text and "tanda tangan HMAC sah" in text
    finally:
        running.stop()


def test_staging_raises_delivers_and_acknowledges_demo_alerts_once(
    tmp_path: Path, personas: dict[str, Any]
) -> None:
    from waspada.demo import load

    load.load_population()
    load.load_contests()  # real contests, three with a case at the MK
    lines = sinks.stage_alerts(18000 + free_port() % 1000, tmp_path)
    assert lines[0].startswith("alerts: ") and "raised" in lines[0]
    mk = Alert.objects.filter(group_key__contains=":mk:")
    assert mk.count() == 3 and mk.filter(status="diterima").count() == 1
    assert Delivery.objects.filter(status="delivered").count() == Delivery.objects.count() > 0
    assert list((tmp_path / sinks.MAILBOX).glob("*.eml")) and list((tmp_path / sinks.HOOKS).glob("*.json"))
    before = (Alert.objects.count(), AlertRule.objects.count(), Delivery.objects.count())
    assert sinks.stage_alerts(18000, tmp_path)[0].startswith("alerts: already set up")
    assert (Alert.objects.count(), AlertRule.objects.count(), Delivery.objects.count()) == before
