"""The map workspace in Chromium: the level selector down to every desa of Kaltara, incident markers with
clusters, server-side filters, layers, the time slider, colouring by score, the side panel, opening an
incident from the map and from the panel, keyboard use, and a phone screen.

The UI text is translated centrally, so the tests assert on structure (ids, data attributes, links) and
on what the server returned, not on words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

SEBATIK_DESA = "65.03.01.2001"
TARAKAN_DESA = "65.71.02.1002"
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module", autouse=True)
def _urls_imported() -> None:
    """Import every view module before the first page load, so the live server's first answer does not
    spend the page's time budget on imports."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports the URL modules and their views


@dataclass
class Scene:
    clash: Any
    protest: Any
    threat: Any
    arson: Any
    alert: Any
    news: Any


@pytest.fixture
def scene(personas: dict[str, Any]) -> Scene:
    """Three incidents in one Sebatik desa (no coordinates: one cluster at its centre), one in Tarakan, an
    open alert and a news finding in Sebatik, and Tarakan's index rising from "rendah" to "tinggi"."""
    from django.utils import timezone

    from waspada.alerts.models import Alert, AlertRule, ResponseAction
    from waspada.reports.models import Incident, Report
    from waspada.risk.models import IndexSnapshot

    now = timezone.now()

    def incident(title: str, region: str, kind: str, days: int, status: str, channel: str) -> Any:
        when = now - dt.timedelta(days=days, hours=1)
        inc = Incident.objects.create(
            title=title, region_id=region, event_type=kind, occurred_at=when, status=status, description=title
        )
        Report.objects.create(
            region_id=region,
            event_type=kind,
            occurred_at=when,
            description=title,
            channel=channel,
            status="terverifikasi",
            incident=inc,
        )
        return inc

    clash = incident("Bentrok pendukung di Sebatik", SEBATIK_DESA, "supporter_clash", 1, "aktif", "sms")
    protest = incident("Aksi damai di Sebatik", SEBATIK_DESA, "peaceful_protest", 2, "selesai", "web")
    threat = incident("Ancaman terhadap saksi", SEBATIK_DESA, "intimidation", 3, "aktif", "whatsapp")
    arson = incident(
        "Pembakaran baliho di Tarakan", TARAKAN_DESA, "property_destruction", 1, "ditangani", "web"
    )
    rule = AlertRule.objects.create(
        name="Bentrok (uji)", kind="incident_count", params={"count": 2, "hours": 24}
    )
    alert = Alert.objects.create(
        rule=rule, region_id="65.03.01", group_key="b1", summary="Dua bentrok di Sebatik"
    )
    ResponseAction.objects.create(incident=clash, kind="mediasi", agency="Kesbangpol Nunukan")
    news = Report.objects.create(
        region_id="65.03.01",
        event_type="hate_speech_hoax_sara",
        occurred_at=now - dt.timedelta(days=1),
        description="Hoaks beredar",
        channel="media",
        status="baru",
    )
    today = timezone.localdate()
    for days, score, category in ((40, 10.0, "rendah"), (0, 72.0, "tinggi")):
        IndexSnapshot.objects.create(
            date=today - dt.timedelta(days=days),
            config_version="uji",
            region_id="65.71",
            score=score,
            category=category,
            contributions={"riwayat_konflik": score},
        )
    return Scene(clash, protest, threat, arson, alert, news)


def wait_ready(page: Any, region: str | None = None) -> None:
    page.wait_for_selector('#map[data-state="ready"]' + (f'[data-region="{region}"]' if region else ""))


def wait_markers(page: Any) -> None:
    page.wait_for_selector('#map[data-markers="ready"]')


def open_map(page: Any, path: str = "/", region: str | None = None) -> None:
    page.goto(path)
    wait_ready(page, region)
    wait_markers(page)


def incident_markers(page: Any) -> list[dict[str, Any]]:
    return page.eval_on_selector_all(
        '#map a.marker[data-layer="kejadian"]',
        "els => els.map(e => ({id: e.dataset.id || null, n: Number(e.dataset.count || 1)}))",
    )


def marker_total(page: Any, layer: str = "kejadian") -> int:
    return sum(
        page.eval_on_selector_all(
            f'#map a.marker[data-layer="{layer}"]', "els => els.map(e => Number(e.dataset.count || 1))"
        )
    )


def choose(page: Any, selector: str, value: str) -> None:
    """Pick a value as a user does, then wait for the markers the server sends back."""
    page.evaluate("() => document.getElementById('map').setAttribute('data-markers', 'stale')")
    page.select_option(selector, value)
    wait_markers(page)


@pytest.mark.browser
def test_the_level_selector_draws_every_desa_of_kaltara_and_a_desa_opens_in_the_panel(
    page: Any,
    personas: dict[str, Any],
    login: Any,
    kaltara_boundaries: None,
    scene: Scene,
    js_errors: list[str],
    artifact: Any,
) -> None:
    login(personas["analis"])
    open_map(page, region="65")
    page.select_option("#ctl-level", "4")
    page.wait_for_selector('#map[data-state="ready"][data-level="4"]')
    assert page.eval_on_selector_all("#map svg path.unit", "els => els.length") == 482
    assert "tingkat=4" in page.url
    wait_markers(page)
    assert page.get_attribute(f'#map path[data-code="{TARAKAN_DESA}"]', "data-code") == TARAKAN_DESA
    page.screenshot(path=str(artifact("workspace-kaltara-desa.png")), full_page=True)

    page.click(f'#units li[data-code="{SEBATIK_DESA}"] a.drill')
    page.wait_for_selector(f'#panel[data-region="{SEBATIK_DESA}"][data-state="ready"]')
    assert page.is_visible("#panel-incidents")
    listed = page.eval_on_selector_all("#panel-incidents a", "els => els.map(a => a.getAttribute('href'))")
    assert f"/kejadian/{scene.clash.pk}/" in listed

    page.click("#panel-back")
    page.wait_for_selector('#panel[data-region="65"][data-state="ready"]')
    assert js_errors == []


@pytest.mark.browser
def test_incidents_cluster_at_a_desa_and_filters_narrow_them_on_the_server(
    page: Any,
    personas: dict[str, Any],
    login: Any,
    kaltara_boundaries: None,
    scene: Scene,
    js_errors: list[str],
) -> None:
    login(personas["analis"])
    open_map(page, region="65")
    markers = incident_markers(page)
    assert sorted(m["n"] for m in markers) == [1, 3], "three in one Sebatik desa, one in Tarakan"
    assert {m["id"] for m in markers if m["n"] == 1} == {str(scene.arson.pk)}
    counts = page.eval_on_selector_all("#units li .count.mk-kejadian", "els => els.map(e => e.textContent)")
    assert sorted(counts) == ["1", "3"]

    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if "/peta/titik/" in r.url else None)
    choose(page, "#ctl-type", "supporter_clash")
    assert [m["id"] for m in incident_markers(page)] == [str(scene.clash.pk)]
    assert requests and "jenis=supporter_clash" in requests[-1], "filtered on the server"
    assert "jenis=supporter_clash" in page.url

    choose(page, "#ctl-type", "")
    choose(page, "#ctl-status", "aktif")
    assert marker_total(page) == 2  # clash and threat
    choose(page, "#ctl-channel", "whatsapp")
    assert [m["id"] for m in incident_markers(page)] == [str(scene.threat.pk)]
    choose(page, "#ctl-status", "")
    choose(page, "#ctl-channel", "")
    choose(page, "#ctl-window", "7")
    assert marker_total(page) == 4

    page.reload()  # the address keeps the view
    wait_ready(page, "65")
    wait_markers(page)
    assert page.input_value("#ctl-window") == "7"
    assert js_errors == []


@pytest.mark.browser
def test_an_incident_opens_from_its_marker_from_a_cluster_and_from_the_panel(
    page: Any, personas: dict[str, Any], login: Any, kaltara_boundaries: None, scene: Scene
) -> None:
    login(personas["analis"])
    open_map(page, region="65")
    page.click(f'#map a.marker[data-id="{scene.arson.pk}"]')
    page.wait_for_url(f"**/kejadian/{scene.arson.pk}/")
    assert "Pembakaran baliho" in page.text_content("main")

    open_map(page, region="65")
    page.click('#map a.marker.cluster[data-layer="kejadian"]')
    page.wait_for_selector('#panel[data-state="cluster"]')
    links = page.eval_on_selector_all("#panel-body li a", "els => els.map(a => a.getAttribute('href'))")
    assert links == [f"/kejadian/{i.pk}/" for i in (scene.clash, scene.protest, scene.threat)], "newest first"
    page.click(f'#panel-body a[href="/kejadian/{scene.protest.pk}/"]')
    page.wait_for_url(f"**/kejadian/{scene.protest.pk}/")

    open_map(page, "/?wilayah=65.03.01", region="65.03.01")
    page.wait_for_selector('#panel[data-region="65.03.01"][data-state="ready"]')
    assert page.is_visible("#panel-alerts") and page.is_visible("#panel-actions")
    page.click(f'#panel-incidents a[href="/kejadian/{scene.clash.pk}/"]')
    page.wait_for_url(f"**/kejadian/{scene.clash.pk}/")


@pytest.mark.browser
def test_layers_add_news_findings_and_alerts(
    page: Any, personas: dict[str, Any], login: Any, kaltara_boundaries: None, scene: Scene
) -> None:
    login(personas["analis"])
    open_map(page, region="65")
    assert marker_total(page, "berita") == 0
    page.check('input[name="lapisan"][value="berita"]')
    page.wait_for_selector('#map a.marker[data-layer="berita"]')
    page.check('input[name="lapisan"][value="peringatan"]')
    page.wait_for_selector('#map a.marker[data-layer="peringatan"]')
    assert marker_total(page, "berita") == 1 and marker_total(page, "peringatan") == 1
    page.uncheck('input[name="lapisan"][value="kejadian"]')
    page.wait_for_function("() => !document.querySelector('#map a.marker[data-layer=kejadian]')")
    assert "lapisan=berita" in page.url and "lapisan=peringatan" in page.url


@pytest.mark.browser
def test_the_time_slider_moves_the_index_and_the_incidents_back_in_time(
    page: Any, personas: dict[str, Any], login: Any, kaltara_boundaries: None, scene: Scene
) -> None:
    login(personas["analis"])
    open_map(page, region="65")
    assert page.get_attribute('#map path[data-code="65.71"]', "data-category") == "tinggi"

    page.focus("#ctl-slider")
    page.keyboard.press("Home")  # the first day the slider offers
    page.wait_for_function(
        "() => document.getElementById('ctl-date').value === document.getElementById('ctl-slider').dataset.start"
    )
    page.wait_for_selector('#map[data-state="ready"]')
    page.wait_for_function(
        "() => !document.querySelector('#map path[data-code=\"65.71\"][data-category=tinggi]')"
    )
    assert page.get_attribute('#map path[data-code="65.71"]', "data-category") in (None, "rendah")
    wait_markers(page)
    assert marker_total(page) == 0
    assert "tanggal=" in page.url

    day = (dt.date.fromisoformat(page.input_value("#ctl-date")) + dt.timedelta(days=5)).isoformat()
    page.fill("#ctl-date", day)
    page.dispatch_event("#ctl-date", "change")
    page.wait_for_function(f"() => document.getElementById('ctl-slider-out').textContent === '{day}'")


@pytest.mark.browser
def test_colouring_by_score_switches_the_fill_and_the_legend(
    page: Any, personas: dict[str, Any], login: Any, kaltara_boundaries: None, scene: Scene
) -> None:
    login(personas["analis"])
    open_map(page, region="65")
    assert "cat-tinggi" in page.get_attribute('#map path[data-code="65.71"]', "class")
    assert page.is_visible("#legend-category") and page.is_hidden("#legend-score")
    page.check('input[name="warna"][value="skor"]')
    assert "score-3" in page.get_attribute('#map path[data-code="65.71"]', "class")  # 72 points
    assert "none" in page.get_attribute('#map path[data-code="65.01"]', "class")
    assert page.is_visible("#legend-score") and page.is_hidden("#legend-category")
    assert "warna=skor" in page.url


@pytest.mark.browser
def test_keyboard_reaches_the_filters_a_unit_and_a_marker(
    page: Any, personas: dict[str, Any], login: Any, kaltara_boundaries: None, scene: Scene
) -> None:
    login(personas["analis"])
    open_map(page, region="65")
    seen: list[str] = []
    for _ in range(80):
        page.keyboard.press("Tab")
        seen.append(
            page.evaluate(
                "() => document.activeElement.id || document.activeElement.getAttribute('class') || ''"
            )
        )
        if "marker" in seen[-1]:
            break
    assert "ctl-type" in seen and "ctl-slider" in seen, "the filters come before the map"
    assert "unit-link" in seen, "the units are reachable"
    assert "marker" in seen[-1], "so are the markers"

    focused = page.evaluate("() => document.activeElement.dataset.id || 'cluster'")
    page.keyboard.press("Enter")
    if focused == "cluster":
        page.wait_for_selector('#panel[data-state="cluster"]')
        assert page.evaluate("() => document.activeElement.id") == "panel-title", "focus moves to the list"
    else:
        page.wait_for_url(f"**/kejadian/{focused}/")


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [PHONE], ids=["360x740"])
def test_the_workspace_is_usable_on_a_phone(
    page: Any, personas: dict[str, Any], login: Any, kaltara_boundaries: None, scene: Scene, artifact: Any
) -> None:
    login(personas["analis"])
    open_map(page, region="65")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate("() => document.getElementById('controls-box').open") is False, "filters folded away"
    page.click("#controls-box summary")
    assert page.is_visible("#ctl-type")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    choose(page, "#ctl-type", "supporter_clash")
    assert marker_total(page) == 1
    page.wait_for_selector('#panel[data-state="ready"]')
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(artifact("workspace-phone.png")), full_page=True)


@pytest.mark.browser
def test_main_pages_name_every_control_for_assistive_technology(
    page: Any, personas: dict[str, Any], login: Any, kaltara_boundaries: None, scene: Scene
) -> None:
    unnamed = """() => [...document.querySelectorAll('input, select, textarea, button, a[href]')]
      .filter(e => e.type !== 'hidden' && e.offsetParent !== null)
      .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
                   && !e.getAttribute('aria-labelledby') && !e.textContent.trim() && !e.title)
      .map(e => e.outerHTML.slice(0, 120))"""
    login(personas["analis"])
    for path in [
        "/",
        "/ringkasan/",
        "/?wilayah=65.03.01",
        "/antrean/",
        "/kejadian/",
        "/peringatan/",
        "/wilayah/65.03/",
    ]:
        page.goto(path)
        page.wait_for_load_state("load")
        if path.startswith("/?") or path == "/":
            page.evaluate(
                "() => { const b = document.getElementById('controls-box'); if (b) b.open = true; }"
            )
            wait_ready(page)
        assert page.evaluate(unnamed) == [], path
        assert page.evaluate("() => document.documentElement.lang") == "id"
        assert page.evaluate("() => !!document.querySelector('main h1, main [role=heading]')"), path
