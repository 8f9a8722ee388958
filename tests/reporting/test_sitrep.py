"""The situation report from the database: PDF sections and pages, the HTML version, region scope, privacy,
regions without boundaries, the page and the API."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext as _
from pypdf import PdfReader

from waspada.accounts.models import AuditLog
from waspada.regions.models import Region
from waspada.reporting import services

from ._world import DAY, NOW, REPORTER_CHAT, REPORTER_NAME, REPORTER_PHONE, World

SECTION_KEYS = ["summary", "map", "risk", "incidents", "alerts", "findings", "recommendations"]
SECTION_MSGIDS = [
    "Summary",
    "Vulnerability map",
    "Regions at highest risk",
    "New incidents",
    "Alerts and response actions",
    "Recapitulation findings",
    "Recommendations",
]


def titles(lang: str = "id") -> list[str]:
    with translation.override(lang):
        return [f"{n}. {_(m)}" for n, m in enumerate(SECTION_MSGIDS, start=1)]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def pdf(content: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(content))
    return reader, flat("\n".join(page.extract_text() for page in reader.pages))


def sitrep(code: str, kind: str = "weekly", fmt: str = "pdf", **kw: Any) -> services.Rendered:
    return services.generate(Region.objects.get(code=code), kind, DAY, fmt, now=NOW, **kw)


def assert_private(text: str) -> None:
    for secret in (REPORTER_NAME, REPORTER_PHONE, REPORTER_PHONE[1:], "0812-9988-7766", REPORTER_CHAT):
        assert secret not in text


def test_the_pdf_sitrep_has_every_section_in_order_and_numbers_its_pages(world: World) -> None:
    rendered = sitrep("65")
    assert rendered.content_type == "application/pdf"
    assert rendered.filename == "laporan-situasi-mingguan-65-2026-11-20.pdf"
    reader, text = pdf(rendered.content)
    positions = [text.find(flat(t)) for t in titles()]
    assert all(p >= 0 for p in positions), list(zip(titles(), positions, strict=True))
    assert positions == sorted(positions)
    pages = len(reader.pages)
    assert rendered.pages == pages
    assert 2 <= pages <= 6
    with translation.override("id"):
        last = _("Page %(page)s of %(total)s") % {"page": pages, "total": pages}
    assert last in flat(reader.pages[-1].extract_text())


def test_the_pdf_embeds_its_fonts(world: World) -> None:
    reader, _text = pdf(sitrep("65.03", "daily").content)
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert fonts
    for ref in fonts.values():
        font = ref.get_object()
        descriptor = font.get("/FontDescriptor")
        if descriptor is None:  # a composite font keeps it on its descendant
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        descriptor = descriptor.get_object()
        assert "/FontFile2" in descriptor, font["/BaseFont"]
        assert "Helvetica" not in str(font["/BaseFont"])


def test_the_sitrep_tells_the_period_s_incidents_risk_alerts_and_recommendations(world: World) -> None:
    _reader, text = pdf(sitrep("65").content)
    assert f"K-{world.sebatik_incident.pk}" in text and "Bentrok pendukung di Tanjungkarang" in text
    assert f"K-{world.tarakan_incident.pk}" in text
    assert "Kejadian lama di luar periode" not in text
    assert "Sebatik (65.03.01)" in text  # the region at the top of the ranking
    assert "Riwayat konflik sosial" in text  # what drives it, by the indicator's label
    assert f"P-{world.sebatik_alert.pk}" in text
    assert "Kesbangpol Nunukan" in text  # the overdue response action
    with translation.override("id"):
        assert _("overdue") in text
    assert "R1" in text  # recap findings by rule


def test_no_reporter_identity_appears_in_any_sitrep(world: World) -> None:
    _reader, text = pdf(sitrep("65").content)
    assert_private(text)
    assert_private(sitrep("65", fmt="html").content.decode())


def test_the_html_sitrep_has_every_section_and_the_map(world: World) -> None:
    rendered = sitrep("65", "daily", "html")
    html = rendered.content.decode()
    assert rendered.content_type.startswith("text/html")
    found = re.findall(r'data-section="([a-z]+)"', html)
    assert found == SECTION_KEYS
    for title in titles():
        assert title in html
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
    assert 'data-category="tinggi"' in html  # Sebatik, coloured by its category
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")


def test_the_risk_table_s_change_column_is_not_the_button_word(world: World) -> None:
    html = sitrep("65", "daily", "html").content.decode()
    risk = html.split('data-section="risk"', 1)[1].split("data-section=", 1)[0]
    headings = re.findall(r'<th scope="col">([^<]*)</th>', risk)
    with translation.override("id"):
        assert headings[3] == translation.pgettext("sitrep table heading", "Change")
        assert headings[3] != _("Change")  # "Ganti", the label of a form button


def test_simulated_incidents_are_flagged_in_the_report(world: World) -> None:
    world.sebatik_incident.is_simulated = True
    world.sebatik_incident.save()
    html = sitrep("65", fmt="html").content.decode()
    with translation.override("id"):
        notice = _("This report contains SIMULATED incidents (demo or training data), marked [SIMULASI].")
    assert notice in html


def test_a_region_without_boundaries_still_gets_a_report(world: World) -> None:
    Region.objects.filter(code__startswith="65.03.").update(display_geometry=None)
    html = sitrep("65.03", fmt="html").content.decode()
    assert "<svg" not in html
    assert "waspada regions import-boundaries" in html  # the report says how to get a map
    _reader, text = pdf(sitrep("65.03").content)
    assert "Bentrok pendukung di Tanjungkarang" in text


def test_a_desa_gets_a_report_of_itself(world: World) -> None:
    _reader, text = pdf(sitrep("65.03.01.2001", "daily").content)
    assert "Tanjungkarang (65.03.01.2001)" in text


def test_making_a_sitrep_is_audited(world: World, personas: dict[str, Any]) -> None:
    sitrep("65.03", user=personas["analis"], via="test")
    row = AuditLog.objects.filter(action="sitrep.generate").latest("id")
    assert (row.actor_label, row.region_code, row.after["format"], row.after["period"]) == (
        "analis",
        "65.03",
        "pdf",
        "weekly",
    )


# --- the page ------------------------------------------------------------------------------------------


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_page_is_for_readers_and_has_a_nav_link(world: World, personas: dict[str, Any]) -> None:
    for name in ("analis", "pimpinan", "koordinator", "admin"):
        response = client_for(personas[name]).get("/laporan-situasi/")
        assert response.status_code == 200, name
        assert b'href="/laporan-situasi/"' in response.content
    assert client_for(personas["pelapor"]).get("/laporan-situasi/").status_code == 403
    assert client_for(personas["pelapor"]).get("/laporan-situasi/buat/?wilayah=65.03.01").status_code == 403
    assert Client().get("/laporan-situasi/").status_code == 302  # to the login page


def test_the_page_makes_a_pdf_download(world: World, personas: dict[str, Any]) -> None:
    url = "/laporan-situasi/buat/?wilayah=6503&tanggal=2026-11-20&periode=weekly&format=pdf"
    response = client_for(personas["analis"]).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="laporan-situasi-mingguan-65.03-2026-11-20.pdf"'
    )
    assert response.content.startswith(b"%PDF")


def test_analis_nunukan_sees_only_nunukan(world: World, personas: dict[str, Any]) -> None:
    c = client_for(personas["analis_nunukan"])
    refused = c.get("/laporan-situasi/buat/?wilayah=65&tanggal=2026-11-20&periode=weekly&format=pdf")
    assert refused.status_code == 400
    assert b'data-error="wilayah"' in refused.content
    page = c.get("/laporan-situasi/")
    assert b'value="65.03"' in page.content  # the form opens on their own region
    response = c.get("/laporan-situasi/buat/?wilayah=65.03&tanggal=2026-11-20&periode=weekly&format=pdf")
    _reader, text = pdf(response.content)
    assert "Bentrok pendukung di Tanjungkarang" in text
    assert "Pamusian" not in text and "Tarakan" not in text


def test_the_page_rejects_bad_input_with_form_errors(world: World, personas: dict[str, Any]) -> None:
    c = client_for(personas["analis"])
    for query, field in [
        ("wilayah=65.99&tanggal=2026-11-20&periode=daily&format=pdf", "wilayah"),
        ("wilayah=abc&tanggal=2026-11-20&periode=daily&format=pdf", "wilayah"),
        ("wilayah=65&tanggal=2026-13-40&periode=daily&format=pdf", "tanggal"),
        ("wilayah=65&tanggal=2026-11-20&periode=yearly&format=pdf", "periode"),
        ("wilayah=65&tanggal=2026-11-20&periode=daily&format=docx", "format"),
    ]:
        response = c.get("/laporan-situasi/buat/?" + query)
        assert response.status_code == 400, query
        assert f'data-error="{field}"'.encode() in response.content, query


def test_stored_reports_are_listed_and_downloaded_in_scope_only(
    world: World, personas: dict[str, Any], media_root: Any
) -> None:
    tarakan = Region.objects.get(code="65.71")
    stored = services.store(tarakan, "daily", DAY, sitrep("65.71", "daily"))
    analis, nunukan = client_for(personas["analis"]), client_for(personas["analis_nunukan"])
    assert f'data-sitrep="{stored.pk}"'.encode() in analis.get("/laporan-situasi/").content
    assert f'data-sitrep="{stored.pk}"'.encode() not in nunukan.get("/laporan-situasi/").content
    response = analis.get(f"/laporan-situasi/arsip/{stored.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert nunukan.get(f"/laporan-situasi/arsip/{stored.pk}/").status_code == 404


# --- the API -------------------------------------------------------------------------------------------


@pytest.fixture
def api(personas: dict[str, Any], token_for: Any) -> Any:
    def call(who: str, query: str) -> Any:
        headers = {"Authorization": f"Bearer {token_for(personas[who])}"} if who else {}
        return Client().get("/api/sitrep?" + query, headers=headers)

    return call


def test_the_api_makes_the_sitrep_in_scope(world: World, api: Any) -> None:
    ok = api("analis_nunukan", "region=65.03&date=2026-11-20&period=weekly&format=pdf")
    assert ok.status_code == 200 and ok["Content-Type"] == "application/pdf"
    html = api("analis", "region=65&date=2026-11-20&format=html")
    assert html.status_code == 200 and b'data-section="recommendations"' in html.content


@pytest.mark.parametrize(
    ("who", "query", "status"),
    [
        ("analis_nunukan", "region=65&date=2026-11-20", 404),
        ("pelapor", "region=65.03.01&date=2026-11-20", 403),
        ("analis", "region=65.99&date=2026-11-20", 422),
        ("analis", "region=6x&date=2026-11-20", 400),
        ("analis", "region=65&date=2026-13-01", 422),
        ("analis", "region=65&date=2026-11-20&period=monthly", 422),
        ("", "region=65&date=2026-11-20", 401),
    ],
)
def test_the_api_refuses_in_the_one_error_shape(
    world: World, api: Any, who: str, query: str, status: int
) -> None:
    response = api(who, query)
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"} and body["error"]["status"] == status and body["error"]["message"]
