"""The review flow in Chromium on a phone-sized screen: an analyst opens the queue, verifies a report with a
bulk action, follows the duplicate hint of another report and merges it into one incident. A screenshot of
each step is kept in test-artifacts/.

The UI text is being translated while these tests are written, so they find things by data attributes and
ids, not by words."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from waspada.reports.models import Incident, Report
from waspada.reports.schemas import ReportIn
from waspada.reports.services import Submission, create_report

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(
        transaction=True, available_apps=[app for app in settings.INSTALLED_APPS if app != "waspada.regions"]
    ),
]

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def viewport() -> dict[str, int]:
    return PHONE


def report(
    region: str, description: str, hours_ago: float, channel: str = "web", event_type: str = "arson"
) -> Report:
    data = ReportIn(
        region=region,
        event_type=event_type,
        occurred_at=timezone.now() - timedelta(hours=hours_ago),
        description=description,
    )
    return create_report(data, Submission(channel=channel, check_scope=False))


def test_an_analyst_verifies_a_report_and_merges_a_duplicate_into_one_incident(
    page: Any, login: Any, make_user: Any, artifact: Any, js_errors: list[str]
) -> None:
    from playwright.sync_api import expect

    analyst = make_user("analis", "analis", "65")
    original = report(
        "65.03.01.2001",
        "Massa pendukung paslon 2 membakar ban di depan kantor KPU Nunukan, polisi berjaga.",
        3,
    )
    duplicate = report(
        "65.03.01.2001", "ada pembakaran ban oleh pendukung paslon no 2 didepan kantor kpu nunukan", 1, "sms"
    )
    elsewhere = report(
        "65.71.01.1001", "Spanduk paslon dirobek orang tak dikenal.", 2, "telegram", "property_destruction"
    )
    login(analyst)

    page.goto("/antrean/")
    for r in (original, duplicate, elsewhere):
        expect(page.locator(f'tr[data-report="{r.pk}"]')).to_be_visible()
    expect(page.locator(f'tr[data-report="{duplicate.pk}"]')).to_have_attribute("data-duplicates", "1")
    expect(page.locator(f'tr[data-report="{elsewhere.pk}"]')).to_have_attribute("data-duplicates", "0")

    # Verify the first report with a bulk action; it leaves the default queue (new + needs clarification).
    page.locator(f'tr[data-report="{original.pk}"] input[name="ids"]').check()
    page.select_option("#bulk-action", "verify")
    expect(page.locator("#bulk-reason")).to_be_visible()
    expect(page.locator("#bulk-assignee")).to_be_hidden()
    page.locator("#bulk-apply").click()
    expect(page.locator(f'tr[data-report="{original.pk}"]')).to_have_count(0)
    expect(page.locator('.status-counts [data-status="terverifikasi"]')).to_have_attribute("data-count", "1")
    original.refresh_from_db()
    assert original.status == "terverifikasi"
    page.screenshot(path=str(artifact("review-1-queue-after-verify.png")), full_page=True)

    # Follow the duplicate hint to the report page; the verified report is the candidate.
    page.locator(f'tr[data-report="{duplicate.pk}"] a.dup-hint').click()
    expect(page.locator("#lock")).to_have_attribute("data-lock", "mine")
    candidate = page.locator(f'#candidates [data-candidate="report:{original.pk}"]')
    expect(candidate).to_be_visible()
    expect(candidate.locator(".reason")).to_contain_text("desa sama")
    page.screenshot(path=str(artifact("review-2-report-candidates.png")), full_page=True)

    candidate.locator("button.merge-button").click()
    page.wait_for_url("**/kejadian/*/")
    incident = Incident.objects.get()
    expect(page.locator("#sources li")).to_have_count(2)
    expect(page.locator(f'#sources [data-report="{original.pk}"]')).to_have_attribute(
        "data-status", "terverifikasi"
    )
    expect(page.locator(f'#sources [data-report="{duplicate.pk}"]')).to_have_attribute(
        "data-status", "digabung"
    )
    page.screenshot(path=str(artifact("review-3-incident.png")), full_page=True)

    assert set(incident.reports.values_list("pk", flat=True)) == {original.pk, duplicate.pk}
    assert Report.objects.count() == 3  # every source report kept
    assert js_errors == []


def test_a_second_analyst_sees_the_lock_and_cannot_act(
    browser: Any, page: Any, login: Any, live_server: Any, make_user: Any, artifact: Any
) -> None:
    """Two analysts in two browsers (desktop size): the second one sees who holds the report and finds its
    actions disabled until the first one releases it."""
    from django.test import Client
    from playwright.sync_api import expect

    first = make_user("analis", "analis", "65")
    second = make_user("analis.nunukan", "analis", "65.03")
    target = report(
        "65.03.01.2001", "Kelompok pemuda bentrok setelah kampanye di lapangan desa.", 2, "whatsapp"
    )
    login(first)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/laporan/{target.pk}/")
    expect(page.locator("#lock")).to_have_attribute("data-lock", "mine")
    page.screenshot(path=str(artifact("review-4-report-desktop.png")), full_page=True)

    other = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="id-ID", base_url=live_server.url
    )
    try:
        client = Client()
        client.force_login(second)
        name = settings.SESSION_COOKIE_NAME
        other.add_cookies([{"name": name, "value": client.cookies[name].value, "url": live_server.url}])
        theirs = other.new_page()
        theirs.goto(f"/laporan/{target.pk}/")
        expect(theirs.locator("#lock")).to_have_attribute("data-lock", "other")
        expect(theirs.locator("#lock")).to_have_attribute("data-locked-by", "analis")
        expect(theirs.locator("#status-form button[type=submit]")).to_be_disabled()
        theirs.screenshot(path=str(artifact("review-5-locked-for-second-analyst.png")), full_page=True)

        page.locator("#release-lock").click()
        page.wait_for_url("**/antrean/")
        theirs.reload()
        expect(theirs.locator("#lock")).to_have_attribute("data-lock", "mine")
        theirs.select_option("#status-select", "terverifikasi")
        theirs.locator("#status-form button[type=submit]").click()
        theirs.wait_for_url("**/antrean/")
    finally:
        other.close()
    target.refresh_from_db()
    assert target.status == "terverifikasi"
