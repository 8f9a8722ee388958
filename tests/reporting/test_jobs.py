"""The scheduled daily sitrep: made once a day after the hour, emailed with the PDF attached to the email
alert channels of its region through a real SMTP server, every attempt counted, failures retried; and the
demo's ready-made report."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import os
from email.message import Message
from typing import Any

import pytest
from django.test import Client

from waspada.accounts.models import AuditLog
from waspada.alerts.models import Channel
from waspada.core.jobs import JOBS
from waspada.reporting import jobs
from waspada.reporting.demo import ready_sitrep
from waspada.reporting.models import Sitrep, SitrepDelivery

from ._world import DAY, WITA, World, free_port

MORNING = dt.datetime.combine(DAY + dt.timedelta(days=1), dt.time(7, 30), tzinfo=WITA)
EARLY = dt.datetime.combine(DAY + dt.timedelta(days=1), dt.time(5, 0), tzinfo=WITA)


@pytest.fixture
def channels(db: Any) -> dict[str, Channel]:
    return {
        "kaltara": Channel.objects.create(
            name="Kesbangpol Kaltara", kind="email", config={"to": ["kesbangpol@kaltara.example"]}
        ),
        "nunukan": Channel.objects.create(
            name="Kesbangpol Nunukan",
            kind="email",
            config={"to": ["nunukan@kaltara.example"]},
            scope_code="65.03",
        ),
        "webhook": Channel.objects.create(
            name="Integrasi", kind="webhook", config={"url": "https://x.example/h", "secret": "s" * 20}
        ),
    }


def attachment_of(envelope: Any) -> tuple[Message, bytes, str]:
    msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
    for part in msg.walk():
        if part.get_content_type() == "application/pdf":
            return msg, part.get_payload(decode=True), part.get_filename()
    raise AssertionError("no PDF attached")


def test_the_job_is_registered_with_the_worker() -> None:
    assert any(j.target == "waspada.reporting.jobs:send_scheduled_sitreps" for j in JOBS)
    job = next(j for j in JOBS if j.name == "reporting.sitrep")
    assert job.load() is jobs.send_scheduled_sitreps


def test_it_makes_yesterday_s_report_once_and_emails_it_with_the_pdf(
    world: World, channels: dict[str, Channel], smtp_sink: list[Any], media_root: Any, settings: Any
) -> None:
    settings.DEFAULT_REGION = "65"
    counts = jobs.send_scheduled_sitreps(MORNING)
    assert counts["built"] == 2  # Kaltara (the default region) and Nunukan (a channel's region)
    assert counts["delivered"] == 2
    stored = {s.region_id: s for s in Sitrep.objects.filter(scheduled=True)}
    assert set(stored) == {"65", "65.03"}
    assert all(s.date == DAY and s.period == "daily" and s.pages >= 1 for s in stored.values())
    by_recipient = {tuple(e.rcpt_tos): e for e in smtp_sink}
    msg, pdf, filename = attachment_of(by_recipient[("nunukan@kaltara.example",)])
    assert pdf.startswith(b"%PDF") and filename == "laporan-situasi-harian-65.03-2026-11-20.pdf"
    assert "Kabupaten Nunukan" in msg["Subject"] and msg["From"] == "waspada@kesbangpol.example"
    _msg, pdf_65, _name = attachment_of(by_recipient[("kesbangpol@kaltara.example",)])
    assert pdf_65 == stored["65"].file.open("rb").read()

    again = jobs.send_scheduled_sitreps(MORNING + dt.timedelta(hours=2))
    assert again == {"built": 0, "queued": 0, "delivered": 0, "retrying": 0, "failed": 0}
    assert len(smtp_sink) == 2 and Sitrep.objects.filter(scheduled=True).count() == 2


def test_nothing_is_made_before_the_hour(
    world: World, channels: dict[str, Channel], smtp_sink: list[Any]
) -> None:
    assert jobs.send_scheduled_sitreps(EARLY)["built"] == 0
    assert not Sitrep.objects.exists() and not smtp_sink


def test_the_hour_is_a_setting(
    world: World,
    channels: dict[str, Channel],
    monkeypatch: pytest.MonkeyPatch,
    smtp_sink: list[Any],
    media_root: Any,
) -> None:
    monkeypatch.setenv("WASPADA_SITREP_HOUR", "4")
    assert jobs.send_scheduled_sitreps(EARLY)["built"] == 2


def test_an_unreachable_smtp_server_is_retried_then_delivered(
    world: World,
    channels: dict[str, Channel],
    media_root: Any,
    monkeypatch: pytest.MonkeyPatch,
    smtp_sink: list[Any],
) -> None:
    real_port = os.environ["WASPADA_SMTP_PORT"]
    monkeypatch.setenv("WASPADA_SMTP_PORT", str(free_port()))  # nobody listens there
    counts = jobs.send_scheduled_sitreps(MORNING)
    assert counts["retrying"] == 2 and counts["delivered"] == 0
    delivery = SitrepDelivery.objects.filter(channel=channels["nunukan"]).get()
    assert delivery.attempts == 1 and "SMTP" in delivery.last_error and delivery.next_attempt_at > MORNING
    assert jobs.send_scheduled_sitreps(MORNING + dt.timedelta(seconds=10))["delivered"] == 0  # backing off
    monkeypatch.setenv("WASPADA_SMTP_PORT", real_port)
    later = jobs.send_scheduled_sitreps(MORNING + dt.timedelta(minutes=5))
    assert later["delivered"] == 2 and later["built"] == 0
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("delivered", 2, "")


def test_a_channel_without_addresses_fails_for_good(
    world: World, media_root: Any, smtp_sink: list[Any], settings: Any
) -> None:
    settings.DEFAULT_REGION = "65"
    broken = Channel.objects.create(name="Rusak", kind="email", config={"to": "bukan-daftar"})
    counts = jobs.send_scheduled_sitreps(MORNING)
    assert counts["failed"] == 1
    delivery = SitrepDelivery.objects.get(channel=broken)
    assert delivery.status == "failed" and "konfigurasi email tidak sah" in delivery.last_error
    assert jobs.send_scheduled_sitreps(MORNING + dt.timedelta(hours=3))["failed"] == 0  # not tried again


def test_a_channel_by_role_also_mails_the_users_of_the_report_s_region_once(
    world: World,
    personas: dict[str, Any],
    make_user: Any,
    smtp_sink: list[Any],
    media_root: Any,
    settings: Any,
) -> None:
    settings.DEFAULT_REGION = "65"
    people = {
        "analis.nunukan": "analis.nunukan@uji.id",  # analyst of Nunukan: in
        "koordinator": "koordinator@uji.id",  # provincial: gets the province's report
        "analis": "analis@uji.id",  # provincial: gets the province's report
        "pimpinan": "pimpinan@uji.id",  # a role the channel does not serve
        "pelapor": "pelapor@uji.id",
    }
    for who, address in people.items():
        user = personas[who.replace(".", "_")]
        user.email = address
        user.save()
    for username, role, scope, address, active in (
        ("kab.nunukan", "koordinator", "65.03", "Posko@Nunukan.example", True),  # also a fixed address
        ("camat.sebatik", "analis", "65.03.01", "camat@uji.id", True),  # scoped below Nunukan: out
        ("analis.tarakan", "analis", "65.71", "tarakan@uji.id", True),  # another kabupaten: out
        ("mantan", "analis", "65.03", "mantan@uji.id", False),  # inactive: out
    ):
        user = make_user(username, role, scope)
        user.email, user.is_active = address, active
        user.save()
    Channel.objects.create(
        name="Petugas Nunukan",
        kind="email",
        config={"to": ["posko@nunukan.example"], "profiles": True},
        scope_code="65.03",
    )
    Channel.objects.create(name="Petugas provinsi", kind="email", config={"profiles": True})

    counts = jobs.send_scheduled_sitreps(MORNING)
    assert counts["delivered"] == 2 and counts["failed"] == 0
    by_region = {}
    for envelope in smtp_sink:
        msg, _pdf, filename = attachment_of(envelope)
        by_region[filename.split("-")[3]] = (msg, envelope.rcpt_tos)
    msg, rcpt = by_region["65.03"]
    assert sorted(rcpt) == ["analis.nunukan@uji.id", "posko@nunukan.example"]
    assert msg["To"] == "posko@nunukan.example"  # people only in the envelope, never shown to each other
    assert "analis.nunukan@uji.id" not in headers_text(msg)
    msg, rcpt = by_region["65"]
    assert sorted(rcpt) == ["analis@uji.id", "koordinator@uji.id"]
    assert msg["To"] == "undisclosed-recipients:;"


def test_a_channel_by_role_with_nobody_in_the_region_fails_with_the_reason(
    world: World, personas: dict[str, Any], smtp_sink: list[Any], media_root: Any
) -> None:
    channel = Channel.objects.create(
        name="Petugas Tana Tidung", kind="email", config={"profiles": True}, scope_code="65.04"
    )
    jobs.send_scheduled_sitreps(MORNING)
    delivery = SitrepDelivery.objects.get(channel=channel)
    assert delivery.status == "failed" and "tidak ada penerima" in delivery.last_error
    assert not any(e.rcpt_tos for e in smtp_sink if "65.04" in attachment_of(e)[2])


def headers_text(msg: Message) -> str:
    return "\n".join(f"{k}: {v}" for k, v in msg.items())


def test_the_demo_has_a_report_ready_to_download(
    world: World, personas: dict[str, Any], media_root: Any
) -> None:
    message = ready_sitrep()
    assert "ready to download" in message
    stored = Sitrep.objects.get()
    assert stored.period == "weekly" and stored.pages >= 1
    audits = AuditLog.objects.count()
    assert ready_sitrep() == message  # a second run of the same day changes nothing
    assert Sitrep.objects.count() == 1 and AuditLog.objects.count() == audits
    c = Client()
    c.force_login(personas["pimpinan"])
    page = c.get("/laporan-situasi/")
    assert f'href="/laporan-situasi/arsip/{stored.pk}/"'.encode() in page.content
