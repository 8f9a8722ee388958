"""The served map in Chromium: Kaltara's units drawn from the real boundaries, drill-down by mouse and
keyboard, the side list, region scope, the schematic fallback, no request leaving the machine, and the
weight of what the page loads.

The UI text is being translated while these tests are written, so they assert on structure (data
attributes, counts, links) and on ``<html lang="id">``, not on words.
"""

from __future__ import annotations

import gzip
import json
from typing import Any
from urllib.parse import urlsplit

import pytest

# Live-server tests run outside a transaction: Django empties the tables after each one, all but the
# gazetteer's (see conftest.py).
pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module", autouse=True)
def _urls_imported() -> None:
    """Import every view module before the first page load, so the live server's first answer does not
    spend the page's time budget on imports."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports the URL modules and their views


KALTARA_KABKOTA = ["65.01", "65.02", "65.03", "65.04", "65.71"]
PASSWORD = "kata-sandi-uji-123"
KB = 1024

# A point inside a drawn unit that the unit itself receives (shapes are irregular: their box centre may
# belong to a neighbour), so the test clicks the way a user does.
FIND_POINT = """code => {
  const el = document.querySelector(`#map path[data-code="${code}"]`);
  if (!el) return null;
  el.scrollIntoView({block: "center"});
  const r = el.getBoundingClientRect();
  for (let n = 4; n <= 64; n *= 2)
    for (let i = 1; i < n; i++)
      for (let j = 1; j < n; j++) {
        const x = r.left + r.width * i / n, y = r.top + r.height * j / n;
        if (document.elementFromPoint(x, y) === el) return [x, y];
      }
  return null;
}"""

# Boxes of the labels on screen, to check that they do not cover one another.
LABEL_BOXES = """() => [...document.querySelectorAll('#map .label')]
  .filter(t => t.getAttribute('display') !== 'none')
  .map(t => { const r = t.getBoundingClientRect(); return [t.dataset.for, r.left, r.top, r.right, r.bottom]; })"""


def wait_ready(page: Any, region: str | None = None) -> None:
    selector = '#map[data-state="ready"]' + (f'[data-region="{region}"]' if region else "")
    page.wait_for_selector(selector)


def open_map(page: Any, path: str = "/", region: str | None = None) -> None:
    page.goto(path)
    wait_ready(page, region)


def shape_codes(page: Any) -> list[str]:
    return page.eval_on_selector_all("#map svg path[data-code]", "els => els.map(e => e.dataset.code)")


def list_codes(page: Any) -> list[str]:
    return page.eval_on_selector_all("#units li[data-code]", "els => els.map(e => e.dataset.code)")


def child_codes(code: str) -> list[str]:
    from waspada.regions.models import Region

    return list(Region.objects.filter(parent_id=code).order_by("code").values_list("code", flat=True))


def click_shape(page: Any, code: str) -> None:
    point = page.evaluate(FIND_POINT, code)
    assert point is not None, f"no clickable point inside unit {code}"
    page.mouse.click(*point)


def overlapping(boxes: list[list[Any]]) -> list[tuple[str, str]]:
    pairs = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]:
                pairs.append((a[0], b[0]))
    return pairs


@pytest.mark.browser
def test_map_shows_the_five_kabkota_of_kaltara_with_readable_labels(
    page: Any, personas: dict[str, Any], kaltara_boundaries: None, js_errors: list[str], artifact: Any
) -> None:
    page.goto("/")
    page.fill("#id_username", "analis")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    wait_ready(page, "65")

    assert page.get_attribute("html", "lang") == "id"
    assert page.get_attribute("#map", "data-mode") == "shapes"
    assert shape_codes(page) == KALTARA_KABKOTA
    labels = page.evaluate(LABEL_BOXES)
    assert sorted(label[0] for label in labels) == KALTARA_KABKOTA, "every kab/kota is labelled"
    assert overlapping(labels) == []
    assert page.is_hidden("#no-boundaries")
    assert js_errors == []
    page.screenshot(path=str(artifact("map-kaltara.png")), full_page=True)


@pytest.mark.browser
def test_clicking_drills_down_from_kabupaten_to_kecamatan_to_desa_and_its_panel_opens_its_page(
    page: Any, personas: dict[str, Any], login: Any, kaltara_boundaries: None, js_errors: list[str]
) -> None:
    login(personas["analis"])
    open_map(page, region="65")

    click_shape(page, "65.03")
    wait_ready(page, "65.03")
    kecamatan = shape_codes(page)
    assert len(kecamatan) == 21
    assert kecamatan == child_codes("65.03")
    assert page.url.endswith("?wilayah=65.03")

    click_shape(page, "65.03.01")
    wait_ready(page, "65.03.01")
    desa = shape_codes(page)
    assert desa == child_codes("65.03.01") and desa

    click_shape(page, desa[0])  # a desa has nothing below it: the side panel shows it
    page.wait_for_selector(f'#panel[data-region="{desa[0]}"][data-state="ready"]')
    assert "selected" in page.get_attribute(f'#map path[data-code="{desa[0]}"]', "class")
    page.click(f'#panel a[href="/wilayah/{desa[0]}/"]')
    page.wait_for_url(f"**/wilayah/{desa[0]}/")
    assert desa[0] in page.text_content("h1")
    assert js_errors == []


@pytest.mark.browser
def test_breadcrumb_and_back_button_go_back_up(
    page: Any, personas: dict[str, Any], login: Any, kaltara_boundaries: None
) -> None:
    login(personas["analis"])
    open_map(page, "/?wilayah=65.03.01", region="65.03.01")
    crumbs = page.eval_on_selector_all("#crumbs a", "els => els.map(a => a.textContent)")
    assert len(crumbs) == 2  # province and kabupaten link; the current kecamatan is plain text
    assert page.get_attribute("#crumbs [aria-current=page]", "aria-current") == "page"

    page.click("#crumbs a >> nth=1")
    wait_ready(page, "65.03")
    assert len(shape_codes(page)) == 21

    page.click("#map-up")
    wait_ready(page, "65")
    assert shape_codes(page) == KALTARA_KABKOTA
    assert page.is_hidden("#map-up")

    page.go_back()
    wait_ready(page, "65.03")
    page.go_back()
    wait_ready(page, "65.03.01")


@pytest.mark.browser
def test_keyboard_tab_reaches_a_unit_and_enter_drills_down(
    page: Any, personas: dict[str, Any], login: Any, kaltara_boundaries: None
) -> None:
    login(personas["analis"])
    open_map(page, region="65")
    focused = None
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const p = document.activeElement.querySelector('path[data-code]');"
            " return p && p.closest('#map') ? p.dataset.code : null; }"
        )
        if focused:
            break
    assert focused == "65.01", "the first unit is reachable with Tab"
    assert page.get_attribute("#map .focus-ring", "display") is None, "the focus ring is drawn"
    assert page.get_attribute("#map .focus-ring", "d") == page.get_attribute(
        '#map path[data-code="65.01"]', "d"
    )

    page.keyboard.press("Enter")
    wait_ready(page, "65.01")
    assert shape_codes(page) == child_codes("65.01")
    assert page.evaluate("() => document.activeElement.id") == "map-title", "focus follows the drill-down"


@pytest.mark.browser
def test_side_list_has_the_same_units_with_links_and_a_filter(
    page: Any, personas: dict[str, Any], login: Any, kaltara_boundaries: None
) -> None:
    login(personas["analis"])
    open_map(page, region="65")
    assert list_codes(page) == shape_codes(page) == KALTARA_KABKOTA
    for code in KALTARA_KABKOTA:
        item = f'#units li[data-code="{code}"]'
        assert page.get_attribute(f"{item} a.drill", "href").endswith(f"?wilayah={code}")
        assert page.get_attribute(f"{item} a.page", "href") == f"/wilayah/{code}/"

    page.click('#units li[data-code="65.03"] a.drill')
    wait_ready(page, "65.03")
    assert list_codes(page) == shape_codes(page)
    assert page.is_visible("#units-filter"), "long lists get a filter"
    page.fill("#units-filter", "sebatik")
    shown = page.eval_on_selector_all(
        "#units li[data-code]:not([hidden])", "els => els.map(e => e.querySelector('a.drill').textContent)"
    )
    assert shown and all("sebatik" in name.lower() for name in shown)

    page.click('#units li[data-code="65.03.01"] a.page')
    page.wait_for_url("**/wilayah/65.03.01/")


@pytest.mark.browser
def test_analyst_scoped_to_nunukan_opens_on_nunukan_and_cannot_open_tarakan(
    page: Any, personas: dict[str, Any], login: Any, kaltara_boundaries: None
) -> None:
    login(personas["analis_nunukan"])
    open_map(page, region="65.03")
    assert len(shape_codes(page)) == 21
    assert page.is_hidden("#map-up"), "no way up out of the scope"
    assert page.eval_on_selector_all("#crumbs a", "els => els.length") == 0

    status = "url => fetch(url, {credentials: 'same-origin'}).then(r => r.status)"
    assert page.evaluate(status, "/peta/data/65.71.json") == 404
    assert page.evaluate(status, "/peta/data/65.json") == 404
    assert page.evaluate(status, "/peta/data/65.03.01.json") == 200

    open_map(page, "/?wilayah=65.71", region="65.03")


@pytest.mark.browser
def test_without_boundaries_the_map_is_a_schematic_grid_that_says_how_to_import(
    page: Any, personas: dict[str, Any], login: Any, without_boundaries: None, artifact: Any
) -> None:
    login(personas["analis"])
    open_map(page, region="65")
    assert page.get_attribute("#map", "data-mode") == "schematic"
    assert page.eval_on_selector_all("#map svg", "els => els.length") == 0
    cells = page.eval_on_selector_all("#map .schematic [data-code]", "els => els.map(e => e.dataset.code)")
    assert cells == KALTARA_KABKOTA
    assert page.is_visible("#no-boundaries")
    assert "waspada regions import-boundaries" in page.text_content("#no-boundaries")
    page.screenshot(path=str(artifact("map-schematic.png")), full_page=True)

    page.click('#map .schematic [data-code="65.03"]')
    wait_ready(page, "65.03")
    assert page.eval_on_selector_all("#map .schematic [data-code]", "els => els.length") == 21
    assert page.is_visible("#no-boundaries")


@pytest.mark.browser
def test_the_pages_load_nothing_from_outside_the_local_server(
    page: Any, personas: dict[str, Any], login: Any, kaltara_boundaries: None
) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    login(personas["analis"])
    open_map(page, region="65")
    click_shape(page, "65.03")
    wait_ready(page, "65.03")
    click_shape(page, "65.03.01")
    wait_ready(page, "65.03.01")
    page.goto("/wilayah/65.03/")
    page.wait_for_load_state("load")

    assert len(requested) >= 5
    outside = [
        url
        for url in requested
        if urlsplit(url).scheme not in {"data", "blob"}
        and urlsplit(url).hostname not in {"127.0.0.1", "localhost"}
    ]
    assert outside == []


@pytest.mark.browser
def test_home_page_and_map_data_stay_small(
    page: Any, personas: dict[str, Any], login: Any, kaltara_boundaries: None, artifact: Any
) -> None:
    """HTML + JS + CSS + map data of the home page, and every map level of the province, in bytes."""
    responses: list[Any] = []
    page.on("response", lambda response: responses.append(response))
    login(personas["analis"])
    open_map(page, region="65")
    page.wait_for_load_state("load")

    home: dict[str, dict[str, int]] = {}
    for response in responses:
        body = response.body() if response.status == 200 else b""
        home[urlsplit(response.url).path] = {
            "bytes": len(body),
            "transferred": response.request.sizes()["responseBodySize"],
            "gzip": len(gzip.compress(body)),
        }
    kinds = {path.rsplit(".", 1)[-1] if "." in path else "html" for path in home}
    assert {"html", "js", "css", "json"} <= kinds, home

    levels = {}
    for code in ["65", *KALTARA_KABKOTA]:
        response = page.context.request.get(f"/peta/data/{code}.json")
        assert response.status == 200
        body = response.body()
        assert len(json.loads(body)["children"]["features"]) == len(child_codes(code))
        levels[code] = {"bytes": len(body), "gzip": len(gzip.compress(body))}
    kecamatan_gzip = sum(levels[c]["gzip"] for c in KALTARA_KABKOTA)
    figures = {
        "home": home,
        "home_total": {k: sum(r[k] for r in home.values()) for k in ("bytes", "transferred", "gzip")},
        "map_data": levels,
        "kabkota_level_gzip": levels["65"]["gzip"],
        "kecamatan_level_gzip": kecamatan_gzip,
    }
    artifact("page-weight.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
    print("page weight:", json.dumps(figures["home_total"]), "map data gzip:", json.dumps(levels))

    assert levels["65"]["gzip"] < 300 * KB
    assert all(levels[c]["gzip"] < 300 * KB for c in KALTARA_KABKOTA)
    assert kecamatan_gzip < 300 * KB, "all of Kaltara's kecamatan together"
    assert figures["home_total"]["gzip"] < 150 * KB


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [PHONE], ids=["360x740"])
def test_map_is_readable_on_a_phone(
    page: Any, personas: dict[str, Any], login: Any, kaltara_boundaries: None, artifact: Any
) -> None:
    login(personas["analis"])
    open_map(page, region="65")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scroll"
    box = page.locator("#map svg").bounding_box()
    assert box["width"] >= PHONE["width"] - 40 and box["height"] >= 200
    labels = page.evaluate(LABEL_BOXES)
    assert sorted(label[0] for label in labels) == KALTARA_KABKOTA
    assert overlapping(labels) == []
    heights = [label[4] - label[2] for label in labels]
    assert min(heights) >= 10, "labels keep a readable size on a small screen"
    page.screenshot(path=str(artifact("map-kaltara-phone.png")), full_page=True)

    click_shape(page, "65.03")
    wait_ready(page, "65.03")
    assert overlapping(page.evaluate(LABEL_BOXES)) == []
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.browser
def test_failed_map_data_shows_an_error_and_retry_recovers(
    page: Any, personas: dict[str, Any], login: Any, kaltara_boundaries: None
) -> None:
    login(personas["analis"])
    open_map(page, region="65")
    page.route("**/peta/data/65.03.json?*", lambda route: route.fulfill(status=500, body="{}"))
    click_shape(page, "65.03")
    page.wait_for_selector('#map[data-state="error"]')
    assert page.get_attribute("#map-status", "role") == "status"
    assert page.is_visible("#map-status button")
    assert page.get_attribute("#map", "data-region") == "65", "the last good map stays underneath"

    page.unroute("**/peta/data/65.03.json?*")
    page.click("#map-status button")
    wait_ready(page, "65.03")
    assert page.is_hidden("#map-status")


@pytest.mark.browser
def test_without_javascript_the_page_says_loading_and_the_list_still_links(
    browser: Any, live_server: Any, personas: dict[str, Any], kaltara_boundaries: None
) -> None:
    from django.test import Client

    client = Client()
    client.force_login(personas["analis"])
    ctx = browser.new_context(java_script_enabled=False, locale="id-ID", base_url=live_server.url)
    try:
        ctx.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
        )
        pg = ctx.new_page()
        pg.goto("/?wilayah=65.03")
        assert pg.get_attribute("#map", "data-state") == "loading"
        assert pg.get_attribute("#map", "aria-busy") == "true"
        assert pg.is_visible("#map-status")
        assert list_codes(pg) == child_codes("65.03")
        assert pg.get_attribute('#units li[data-code="65.03.01"] a.drill', "href") == "?wilayah=65.03.01"
        assert pg.eval_on_selector_all("#crumbs a", "els => els.length") == 1
    finally:
        ctx.close()
