"""The situation report in Chromium: an analyst opens the page from the navigation, makes the weekly report
of Kabupaten Nunukan and downloads the PDF; then downloads an ACLED export. Screenshots of each step are
kept in test-artifacts/.

The UI text is being translated while these tests are written, so they find things by ids and attributes."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from pypdf import PdfReader

from waspada.reports.models import Incident

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(
        transaction=True, available_apps=[app for app in settings.INSTALLED_APPS if app != "waspada.regions"]
    ),
]

WITA = ZoneInfo("Asia/Makassar")


def test_an_analyst_makes_and_downloads_a_sitrep_from_the_page(
    page: Any, login: Any, make_user: Any, artifact: Any, js_errors: list[str], settings: Any, tmp_path: Any
) -> None:
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path
    analyst = make_user("analis.nunukan", "analis", "65.03")
    today = dt.datetime.now(WITA)
    Incident.objects.create(
        title="Bentrok pendukung di Tanjungkarang",
        region_id="65.03.01.2001",
        event_type="supporter_clash",
        occurred_at=today - dt.timedelta(hours=2),
        description="Dua kelompok saling dorong.",
        injured=2,
    )
    login(analyst)
    page.goto("/")
    page.locator('nav a[href="/laporan-situasi/"]').click()
    expect(page.locator("#sitrep-form")).to_be_visible()
    expect(page.locator("#id_wilayah")).to_have_value("65.03")
    page.select_option("#id_periode", "weekly")
    page.select_option("#id_format", "pdf")
    page.screenshot(path=str(artifact("sitrep-form.png")), full_page=True)

    with page.expect_download() as info:
        page.locator("#sitrep-submit").click()
    download = info.value
    assert re.fullmatch(
        r"laporan-situasi-mingguan-65\.03-\d{4}-\d{2}-\d{2}\.pdf", download.suggested_filename
    )
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    reader = PdfReader(io.BytesIO(saved.read_bytes()))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))
    assert "Kabupaten Nunukan (65.03)" in text
    assert "Bentrok pendukung di Tanjungkarang" in text
    assert len(reader.pages) >= 1

    page.select_option("#ekspor_data", "incidents")
    page.select_option("#ekspor_format", "acled")
    with page.expect_download() as info:
        page.locator("#export-submit").click()
    exported = info.value
    assert exported.suggested_filename.endswith("-acled.csv")
    path = tmp_path / exported.suggested_filename
    exported.save_as(path)
    assert path.read_text(encoding="utf-8").startswith("event_id_cnty,event_date,year,")
    page.screenshot(path=str(artifact("sitrep-after-downloads.png")), full_page=True)
    assert js_errors == []


def test_the_html_report_opens_in_the_browser(page: Any, login: Any, make_user: Any, artifact: Any) -> None:
    from playwright.sync_api import expect

    login(make_user("pimpinan", "pimpinan", "65"))
    page.goto("/laporan-situasi/")
    page.locator("#sitrep-form select[name=format]").select_option("html")
    page.locator("#sitrep-submit").click()
    expect(page.locator('section[data-section="recommendations"]')).to_be_visible()
    expect(page.locator("svg.sitrep-map path").first).to_be_attached()
    page.screenshot(path=str(artifact("sitrep-html.png")), full_page=True)
