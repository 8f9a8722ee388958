"""The report form in Chromium on a phone-sized screen: sending online, queueing offline and arriving exactly
once when the connection returns, retrying a lost answer without a duplicate, a refused report coming back
to the form, drafts that survive a reload, GPS, the offline copy kept by the service worker, and the weight
of the page.

The UI text is being translated while these tests are written, so they assert on structure (data
attributes, ids, report numbers) and on the server's own Indonesian messages, not on the form's words.
"""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from PIL import Image

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
KB = 1024
DESA = "65.03.01.2001"  # Tanjungkarang, Sebatik, Nunukan: inside the pelapor's kecamatan
OUTSIDE = "65.71.01.1001"  # Kota Tarakan


@pytest.fixture
def viewport() -> dict[str, int]:
    return PHONE


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(tmp_path)}},
    }


@pytest.fixture
def pelapor(personas: dict[str, Any], login: Any) -> Any:
    login(personas["pelapor"])
    return personas["pelapor"]


def photo() -> bytes:
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (4.0, 8.0, 0.0), 3: "E", 4: (117.0, 50.0, 0.0)}
    buf = io.BytesIO()
    Image.new("RGB", (80, 60), (10, 120, 200)).save(buf, "JPEG", exif=exif)
    return buf.getvalue()


def open_form(page: Any) -> None:
    page.goto("/lapor/")
    page.wait_for_selector("#report-form")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")


def choose_desa(page: Any, query: str = "Tanjungkarang", code: str = DESA) -> None:
    page.fill("#f-place", query)
    page.click(f'#f-place-list button[data-code="{code}"]')
    assert page.input_value("input[name=region]") == code


def fill(page: Any, description: str, *, with_photo: bool = False) -> None:
    page.select_option("#f-event", "intimidation")
    page.fill("#f-description", description)
    choose_desa(page)
    if with_photo:
        page.set_input_files(
            "#f-files", files=[{"name": "bukti.jpg", "mimeType": "image/jpeg", "buffer": photo()}]
        )
        page.wait_for_selector("#f-file-list li")


def wait_sent(page: Any) -> str:
    page.wait_for_selector('#queue[data-pending="0"] #sent-items li[data-number]')
    return page.get_attribute("#sent-items li[data-number]", "data-number")  # type: ignore[no-any-return]


def reports(description: str) -> list[Any]:
    from waspada.reports.models import Report

    return list(Report.objects.filter(description=description).prefetch_related("attachments"))


def test_a_report_sent_online_shows_its_number(page: Any, pelapor: Any, js_errors: list[str]) -> None:
    open_form(page)
    assert page.get_attribute("html", "lang") == "id"
    fill(page, "Saksi paslon 2 diancam di depan TPS 03.", with_photo=True)
    page.fill("#f-description", "Saksi paslon 2 diancam di depan TPS 03.")
    page.click("#f-submit")
    number = wait_sent(page)
    [report] = reports("Saksi paslon 2 diancam di depan TPS 03.")
    assert number == report.number
    assert report.region_id == DESA
    assert report.submitted_by_id == pelapor.pk
    assert report.client_id  # the client-generated id travelled with it
    [attachment] = report.attachments.all()
    assert attachment.client_id and attachment.kind == "photo"
    with attachment.file.open("rb") as handle:
        assert not Image.open(handle).getexif()
    # The form is empty again, ready for the next report; no draft is left behind.
    assert page.input_value("#f-description") == ""
    assert page.evaluate(f"localStorage.getItem('waspada.lapor.{pelapor.pk}.draft')") is None
    assert js_errors == []


def test_a_report_made_offline_is_queued_and_arrives_exactly_once(
    page: Any, context: Any, pelapor: Any, js_errors: list[str]
) -> None:
    open_form(page)
    context.set_offline(True)
    page.wait_for_selector("#net:not([hidden])")
    fill(page, "Massa memblokade jalan ke kantor PPK.", with_photo=True)
    page.click("#f-submit")
    page.wait_for_selector('#queue[data-pending="1"] #queue-items li[data-state="waiting"]')
    assert reports("Massa memblokade jalan ke kantor PPK.") == []
    # Still queued after a reload while offline: the queue lives on the device, with its photo.
    page.reload()
    page.wait_for_selector('#queue[data-pending="1"]')
    assert reports("Massa memblokade jalan ke kantor PPK.") == []

    context.set_offline(False)  # the 'online' event sends the queue
    number = wait_sent(page)
    [report] = reports("Massa memblokade jalan ke kantor PPK.")
    assert number == report.number
    assert report.attachments.count() == 1
    # Another load and a manual retry send nothing more.
    page.reload()
    page.wait_for_selector('#queue[data-pending="0"]')
    page.evaluate("document.getElementById('queue-retry').click()")
    page.wait_for_timeout(500)
    assert len(reports("Massa memblokade jalan ke kantor PPK.")) == 1
    assert js_errors == []


def test_offline_the_desa_is_found_in_the_list_kept_on_the_device(
    page: Any, context: Any, pelapor: Any
) -> None:
    open_form(page)
    page.wait_for_function("caches.match('/lapor/wilayah.json').then(r => !!r)")
    # Offline, the search API cannot answer: the page searches the desa list of the reporter's kecamatan.
    context.set_offline(True)
    page.fill("#f-place", "Balansiku")
    page.wait_for_selector('#f-place-list button[data-code="65.03.01.2002"]')
    text = page.inner_text('#f-place-list button[data-code="65.03.01.2002"]')
    assert text == "Balansiku, Sebatik, Kabupaten Nunukan"
    assert page.locator("#f-place-list li.note").count() == 1  # says it searched the list on the device


@pytest.fixture
def quiet_context(browser: Any, live_server: Any, personas: dict[str, Any]) -> Iterator[Any]:
    """A context without service workers, so page.route sees every request of the page."""
    from django.conf import settings
    from django.test import Client

    ctx = browser.new_context(
        viewport=PHONE,
        locale="id-ID",
        base_url=live_server.url,
        service_workers="block",
        timezone_id="Asia/Makassar",
    )
    ctx.set_default_timeout(10_000)
    client = Client()
    client.force_login(personas["pelapor"])
    name = settings.SESSION_COOKIE_NAME
    ctx.add_cookies([{"name": name, "value": client.cookies[name].value, "url": live_server.url}])
    yield ctx
    ctx.close()


def test_a_lost_answer_is_retried_without_a_duplicate_report_or_photo(quiet_context: Any) -> None:
    page = quiet_context.new_page()
    lost: list[str] = []

    def lose_first_answer(route: Any) -> None:
        # The server stores the report or the photo, but the phone never hears back.
        path = urlsplit(route.request.url).path
        if route.request.method == "POST" and path not in lost:
            answer = route.fetch()
            assert answer.status == 201, answer.text()
            route.abort("connectionreset")
            lost.append(path)
        else:
            route.continue_()

    page.route("**/api/reports", lose_first_answer)
    page.route("**/api/reports/*/attachments", lose_first_answer)
    page.goto("/lapor/")
    fill(page, "Kotak suara dirusak sekelompok orang.", with_photo=True)
    page.click("#f-submit")
    poll(page, lambda: len(lost) == 1)
    # Stored, though the phone does not know: it keeps the report queued and sends it again.
    assert len(reports("Kotak suara dirusak sekelompok orang.")) == 1
    page.wait_for_selector('#queue[data-pending="1"]')
    for _ in range(5):
        page.click("#queue-retry")
        page.wait_for_timeout(500)
        if page.get_attribute("#queue", "data-pending") == "0":
            break
    wait_sent(page)
    assert lost[0] == "/api/reports" and lost[1].endswith("/attachments")
    [report] = reports("Kotak suara dirusak sekelompok orang.")
    assert report.attachments.count() == 1


def poll(page: Any, condition: Any, timeout_ms: int = 10_000) -> None:
    for _ in range(timeout_ms // 100):
        if condition():
            return
        page.wait_for_timeout(100)
    raise AssertionError("condition not met in time")


def test_a_refused_report_comes_back_to_the_form_with_the_servers_message(page: Any, pelapor: Any) -> None:
    open_form(page)
    fill(page, "Laporan di luar wilayah tugas.")
    # A region outside the reporter's kecamatan (the picker would not offer it): the server answers 403.
    page.evaluate(f"document.querySelector('input[name=region]').value = '{OUTSIDE}'")
    page.click("#f-submit")
    page.wait_for_selector("#form-error:not([hidden])")
    assert "di luar cakupan" in page.inner_text("#form-error")
    assert page.input_value("#f-description") == "Laporan di luar wilayah tugas."
    assert page.get_attribute("#queue", "data-pending") == "0"
    assert reports("Laporan di luar wilayah tugas.") == []


def test_a_refused_attachment_is_not_retried_and_the_report_still_arrives(page: Any, pelapor: Any) -> None:
    open_form(page)
    fill(page, "Spanduk provokatif dipasang di depan kantor KPU.")
    fake = b"MZ\x90\x00 not a photo" + b"\x00" * 64
    page.set_input_files(
        "#f-files", files=[{"name": "spanduk.jpg", "mimeType": "image/jpeg", "buffer": fake}]
    )
    page.wait_for_selector("#f-file-list li")
    uploads: list[int] = []
    page.on("response", lambda r: uploads.append(r.status) if r.url.endswith("/attachments") else None)
    page.click("#f-submit")
    number = wait_sent(page)
    line = page.inner_text("#sent-items li[data-number]")
    assert number in line and "spanduk.jpg" in line and "Jenis berkas tidak diterima" in line
    [report] = reports("Spanduk provokatif dipasang di depan kantor KPU.")
    assert report.attachments.count() == 0
    page.evaluate("document.getElementById('queue-retry').click()")
    page.wait_for_timeout(500)
    assert uploads == [415]  # answered once, never sent again


def test_a_draft_survives_a_page_reload(page: Any, pelapor: Any) -> None:
    open_form(page)
    page.select_option("#f-event", "money_politics")
    page.fill("#f-description", "Pembagian amplop di dekat TPS 05 menjelang pencoblosan.")
    choose_desa(page)
    page.click("#f-impact summary")
    page.fill("input[name=injured]", "2")
    page.click("#f-actors-box summary")
    page.click("#f-add-actor")
    page.select_option("#f-actors .actor select", "paslon_supporters")
    page.fill("#f-actors .actor input[name=actor_paslon]", "1")
    page.set_input_files(
        "#f-files", files=[{"name": "amplop.jpg", "mimeType": "image/jpeg", "buffer": photo()}]
    )
    page.wait_for_selector("#f-file-list li")
    page.wait_for_function("document.getElementById('draft-state').textContent !== ''")

    page.reload()
    page.wait_for_selector("#report-form")
    assert page.input_value("#f-event") == "money_politics"
    assert page.input_value("#f-description") == "Pembagian amplop di dekat TPS 05 menjelang pencoblosan."
    assert page.input_value("input[name=region]") == DESA
    assert "Tanjungkarang" in page.inner_text("#f-place-chosen")
    assert page.input_value("input[name=injured]") == "2"
    assert page.input_value("#f-actors .actor select") == "paslon_supporters"
    assert page.input_value("#f-actors .actor input[name=actor_paslon]") == "1"
    page.wait_for_selector("#f-file-list li")
    assert "amplop.jpg" in page.inner_text("#f-file-list")


def test_gps_fills_the_desa(page: Any, context: Any, pelapor: Any, kaltara_boundaries: None) -> None:
    import shapely

    from waspada.regions.models import Region

    point = shapely.from_geojson(Region.objects.get(code=DESA).geometry).representative_point()
    context.grant_permissions(["geolocation"])
    context.set_geolocation({"longitude": point.x, "latitude": point.y})
    open_form(page)
    page.click("#f-gps")
    page.wait_for_function(f"document.querySelector('input[name=region]').value === '{DESA}'")
    assert page.input_value("input[name=lon]")
    assert "Tanjungkarang, Sebatik, Kabupaten Nunukan" in page.inner_text("#f-place-chosen")


def test_the_service_worker_keeps_the_form_for_offline_use(page: Any, context: Any, pelapor: Any) -> None:
    open_form(page)
    assets = page.eval_on_selector_all(
        "link[rel=stylesheet], script[src]", "els => els.map(e => new URL(e.href || e.src).pathname)"
    )
    page.wait_for_function("caches.match('/lapor/').then(r => !!r)")
    for url in assets:
        assert page.evaluate("url => caches.match(url).then(r => !!r)", url), url
    context.set_offline(True)
    response = page.reload()
    assert response is not None and response.from_service_worker
    page.wait_for_selector("#report-form")


def test_the_form_page_weighs_under_150_kb_on_a_phone(page: Any, pelapor: Any, artifact: Any) -> None:
    responses: list[Any] = []
    page.on("response", lambda response: responses.append(response))
    page.goto("/lapor/")
    page.wait_for_load_state("networkidle")
    loaded: dict[str, dict[str, int]] = {}
    for response in responses:
        if response.request.resource_type not in {"document", "stylesheet", "script"}:
            continue
        body = response.body()
        loaded[urlsplit(response.url).path] = {
            "bytes": len(body),
            "transferred": response.request.sizes()["responseBodySize"],
            "gzip": len(gzip.compress(body)),
        }
    assert {"/lapor/", "/static/reports/form.js", "/static/reports/form.css"} <= set(loaded), loaded
    total = {k: sum(r[k] for r in loaded.values()) for k in ("bytes", "transferred", "gzip")}
    artifact("report-form-weight.json").write_text(json.dumps({"files": loaded, "total": total}, indent=2))
    print("report form weight:", json.dumps(total))
    assert total["transferred"] < 150 * KB
    assert total["bytes"] < 150 * KB  # even uncompressed
