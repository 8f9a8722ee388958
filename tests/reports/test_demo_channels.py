"""The demo's review queue holds simulated reports from every intake channel, made through the real intake
code, and loading the demo again creates nothing new."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from waspada import taxonomy
from waspada.accounts.models import AuditLog
from waspada.demo import load, scenario
from waspada.regions.models import Region
from waspada.reports import access
from waspada.reports.forms_review import OPEN_STATUSES
from waspada.reports.models import InboundMessage, Incident, Report, Reporter

INTAKE_CHANNELS = {"web", "sms", "telegram", "whatsapp", "api", "import"}


@pytest.fixture(autouse=True)
def _fast_passwords_and_plain_static(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def demo(db: Any) -> Any:
    load.load_simulation()
    return get_user_model().objects.get(username="analis")


def test_every_simulated_place_is_in_the_gazetteer(db: Any) -> None:
    codes = {f.region for f in scenario.INTAKE} | {f.region for f in scenario.REPORTS}
    codes |= {str(r["kode_wilayah"]) for r in scenario.IMPORT_ROWS if "kode_wilayah" in r}
    codes = {c if "." in c else f"{c[:2]}.{c[2:4]}.{c[4:6]}.{c[6:]}" for c in codes}
    assert Region.objects.filter(code__in=codes, level=4).count() == len(codes)


def test_the_demo_s_note_names_every_channel_it_fills_and_none_as_to_come() -> None:
    note = scenario.CHANNELS_NOTE.lower()
    for channel in taxonomy.CHANNELS:  # media included: the demo polls its local news sources
        assert channel.label_id.split(" (")[0].lower() in note, channel.code
    assert "menyusul" not in note  # "comes later"


def test_every_intake_channel_waits_in_the_review_queue(demo: Any) -> None:
    queue = access.visible_reports(demo).filter(status__in=OPEN_STATUSES)
    assert set(queue.values_list("channel", flat=True)) >= INTAKE_CHANNELS
    assert not Report.objects.filter(is_simulated=False).exists()
    assert all(d.startswith("[SIMULASI]") for d in Report.objects.values_list("description", flat=True))


def test_the_queue_page_lists_a_report_of_each_channel(client: Any, demo: Any) -> None:
    client.force_login(demo)
    for channel in sorted(INTAKE_CHANNELS):
        response = client.get(reverse("review:queue"), {"channel": channel})
        assert response.status_code == 200
        pks = Report.objects.filter(channel=channel, status__in=OPEN_STATUSES).values_list("pk", flat=True)
        page = response.content.decode()
        assert any(reverse("review:report", args=[pk]) + '"' in page for pk in pks), channel


def test_channel_reports_come_through_the_real_intake_code(demo: Any) -> None:
    imported = Report.objects.filter(client_id__startswith="sim-impor-").order_by("client_id")
    assert [r.submitted_by for r in imported] == [demo] * len(scenario.IMPORT_ROWS)
    assert imported.get(client_id="sim-impor-2").region_id == "65.71.02.1003"  # from the name "Sebengkok"
    assert AuditLog.objects.filter(action="reports.imported", object_id=scenario.IMPORT_FILENAME).exists()
    assert imported.get(client_id="sim-impor-1").reporter.phone == "+620000000104"
    for fact in (f for f in scenario.INTAKE if f.channel in {"sms", "telegram", "whatsapp"}):
        message = InboundMessage.objects.get(channel=fact.channel, external_id=fact.key)
        report = Report.objects.get(inbound_message=message)  # the gateway read the text and made it
        assert report.region_id == fact.region and report.event_type == fact.event_type, fact.key
        assert report.is_simulated and report.channel == fact.channel
        assert "[SIMULASI]" in message.text and report.number in message.reply
    clarify = Report.objects.get(client_id="sim-api-1")
    assert clarify.status == "perlu_klarifikasi" and clarify.status_reason.startswith("[SIMULASI]")
    assert AuditLog.objects.filter(action="report.status", object_id=str(clarify.pk)).exists()
    assert Report.objects.get(client_id="sim-web-1").submitted_by.username == "pelapor"


def test_a_second_load_creates_nothing(demo: Any) -> None:
    def counts() -> tuple[int, ...]:
        return (
            Report.objects.count(),
            Incident.objects.count(),
            InboundMessage.objects.count(),
            Reporter.objects.count(),
            AuditLog.objects.filter(action__startswith="report").count(),
        )

    before = counts()
    assert load.load_simulation() == (0, 0)
    assert counts() == before
