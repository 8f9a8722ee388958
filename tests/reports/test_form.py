"""The web report form (/lapor/): who may open it, what it offers, how heavy it is, and its service worker."""

from __future__ import annotations

import gzip
import json
import re
from typing import Any

import pytest
from django.test import Client

from waspada import taxonomy

PAGE_BUDGET = 150 * 1024  # bytes transferred per page load on a phone: HTML + CSS + JS


@pytest.fixture(autouse=True)
def _plain_static_files(settings: Any) -> None:
    """Static file names without the collected manifest (the page links its CSS and JS)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _config(html: str) -> dict[str, Any]:
    match = re.search(r'<script id="lapor-config" type="application/json">(.*?)</script>', html, re.S)
    assert match, "the page carries its configuration as JSON"
    return json.loads(match.group(1))  # type: ignore[no-any-return]


def test_the_form_opens_for_a_reporter_in_indonesian(personas: dict[str, Any]) -> None:
    response = _client(personas["pelapor"]).get("/lapor/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="id">' in html
    for event in taxonomy.EVENT_TYPES:
        assert f'<option value="{event.code}">{event.label_id}</option>' in html
    assert "Pendukung paslon" in html  # actor types, Indonesian labels
    assert 'name="anonymous"' in html
    assert response["Cache-Control"] == "private, no-cache"


def test_the_form_offers_the_definition_of_each_event_type_and_the_reporters_scope(
    personas: dict[str, Any],
) -> None:
    config = _config(_client(personas["pelapor"]).get("/lapor/").content.decode())
    assert (
        config["definitions"]["peaceful_protest"] == taxonomy.get_event_type("peaceful_protest").definition_id
    )
    assert config["scope"] == "65.03.01"
    assert config["scopeName"]
    assert config["urls"]["reports"] == "/api/reports"
    assert config["urls"]["search"] == "/api/regions/search"
    assert config["urls"]["locate"] == "/api/regions/locate"
    assert config["paslonActors"] == ["paslon_supporters", "candidate_team"]
    assert set(config["accept"]) == {"image/jpeg", "image/png", "image/webp", "application/pdf"}


def test_the_form_is_refused_to_leadership(personas: dict[str, Any]) -> None:
    response = _client(personas["pimpinan"]).get("/lapor/")
    assert response.status_code == 403
    assert 'id="report-form"' not in response.content.decode()


def test_the_form_asks_an_anonymous_visitor_to_log_in(db: Any) -> None:
    response = Client().get("/lapor/")
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")


def test_the_form_only_answers_get(personas: dict[str, Any]) -> None:
    assert _client(personas["pelapor"]).post("/lapor/").status_code == 405


def test_the_configuration_block_cannot_be_broken_out_of(personas: dict[str, Any]) -> None:
    """The configuration JSON is embedded with <, > and & escaped: no text in it can close the block."""
    html = _client(personas["analis"]).get("/lapor/").content.decode()
    block = re.search(r'<script id="lapor-config" type="application/json">(.*?)</script>', html, re.S)
    assert block and "<" not in block.group(1)


def _page_weight(client: Client) -> dict[str, int]:
    """Bytes of the page and of every stylesheet and script it loads, compressed as the server sends them
    (gzip for the page; whitenoise serves the collected assets pre-compressed, counted here with gzip)."""
    response = client.get("/lapor/", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.content).decode()
    sizes = {"/lapor/": len(response.content)}
    for url in re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html):
        from django.contrib.staticfiles import finders

        path = finders.find(url.removeprefix("/static/"))
        assert path, url
        with open(path, "rb") as handle:
            sizes[url] = len(gzip.compress(handle.read()))
    return sizes


def test_the_form_page_weighs_under_150_kb(personas: dict[str, Any]) -> None:
    sizes = _page_weight(_client(personas["pelapor"]))
    assert {"/static/waspada/base.css", "/static/reports/form.css", "/static/reports/form.js"} <= set(sizes)
    assert sum(sizes.values()) < PAGE_BUDGET, sizes


def test_the_form_page_is_light_even_uncompressed(personas: dict[str, Any]) -> None:
    """Without compression (a proxy that strips it) the page still fits the budget."""
    from django.contrib.staticfiles import finders

    client = _client(personas["admin"])
    html = client.get("/lapor/").content
    total = len(html)
    for url in re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html):
        total += len(open(finders.find(url.decode().removeprefix("/static/")), "rb").read())  # noqa: SIM115
    assert total < PAGE_BUDGET


# --- service worker ----------------------------------------------------------------------------------------


def test_the_service_worker_covers_the_form_and_lists_the_assets_the_page_loads(
    personas: dict[str, Any],
) -> None:
    client = _client(personas["pelapor"])
    html = client.get("/lapor/").content.decode()
    response = client.get("/lapor/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Cache-Control"] == "no-cache"
    assert response["Service-Worker-Allowed"] == "/lapor/"
    body = response.content.decode()
    config = json.loads(body.split("\n", 1)[0].removeprefix("const CONFIG = ").removesuffix(";"))
    assert config["page"] == "/lapor/"
    linked = set(re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html))
    assert linked <= set(config["assets"])
    assert config["units"] == "/lapor/wilayah.json"
    assert re.fullmatch(r"[0-9a-f]{12}", config["version"])


def test_the_service_worker_version_changes_with_its_assets(personas: dict[str, Any], settings: Any) -> None:
    first = Client().get("/lapor/sw.js").content.decode().split("\n", 1)[0]
    settings.STATIC_URL = "/aset/"
    second = Client().get("/lapor/sw.js").content.decode().split("\n", 1)[0]
    assert first != second


# --- the desa list kept for offline search -----------------------------------------------------------------


def test_the_offline_desa_list_holds_the_reporters_scope_with_kecamatan_and_kabupaten(
    personas: dict[str, Any],
) -> None:
    from waspada.regions.models import Region

    response = _client(personas["pelapor"]).get("/lapor/wilayah.json")
    assert response.status_code == 200
    data = response.json()
    assert data["complete"] is True
    expected = Region.objects.filter(level=4, code__startswith="65.03.01.").count()
    assert expected > 0
    assert len(data["units"]) == expected
    code, desa, kecamatan, kabupaten = data["units"][0]
    assert code.startswith("65.03.01.")
    region = Region.objects.get(code=code)
    assert desa == region.name
    assert kecamatan == region.parent.name
    assert kabupaten == region.parent.parent.name


def test_the_offline_desa_list_is_refused_to_roles_that_cannot_report(personas: dict[str, Any]) -> None:
    response = _client(personas["pimpinan"]).get("/lapor/wilayah.json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert Client().get("/lapor/wilayah.json").status_code == 403


def test_the_offline_desa_list_is_empty_for_a_scope_too_large_to_keep(
    personas: dict[str, Any], monkeypatch: Any
) -> None:
    from waspada.reports import form_views

    monkeypatch.setattr(form_views, "MAX_OFFLINE_UNITS", 10)
    data = _client(personas["analis"]).get("/lapor/wilayah.json").json()
    assert data == {"scope": "65", "complete": False, "units": []}
