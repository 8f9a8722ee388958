"""The map workspace page and the overview page, rendered on the server: what each role sees, region scope,
labelled controls, and the link to the latest situation report."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from ._world import DAY, World, at


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def html(user: Any, url: str) -> str:
    response = client_for(user).get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def unlabelled_controls(page: str) -> list[str]:
    """Form controls (not hidden) with neither a <label for=…> nor an aria-label(ledby) nor a wrapping label."""
    labelled = set(re.findall(r'<label[^>]*\bfor="([^"]+)"', page))
    found = []
    for tag in re.finditer(r"<(input|select|textarea)\b([^>]*)>", page):
        attrs = tag.group(2)
        if re.search(r'type="(hidden|submit|button)"', attrs) or "aria-label" in attrs:
            continue
        ident = re.search(r'\bid="([^"]+)"', attrs)
        wrapped = page.rfind("<label", 0, tag.start()) > page.rfind("</label>", 0, tag.start())
        if not wrapped and (ident is None or ident.group(1) not in labelled):
            found.append(tag.group(0))
    return found


def test_the_workspace_has_labelled_filters_layers_time_slider_and_legend(
    world: World, personas: Any
) -> None:
    page = html(personas["analis"], "/")
    for name in ["tingkat", "jenis", "hari", "status", "kanal", "tanggal"]:
        assert f'name="{name}"' in page, name
    assert 'type="range"' in page and 'id="ctl-slider"' in page
    for layer in ["kejadian", "berita", "temuan", "peringatan"]:
        assert f'name="lapisan" value="{layer}"' in page
    assert 'id="map-legend"' in page and 'data-category="tinggi"' in page
    assert 'id="panel"' in page and 'aria-live="polite"' in page
    assert unlabelled_controls(page) == []


def test_the_workspace_offers_only_the_layers_the_role_may_read(world: World, personas: Any) -> None:
    page = html(personas["pimpinan"], "/")
    assert 'value="kejadian"' in page and 'name="lapisan" value="berita"' not in page


def test_the_page_without_javascript_lists_the_units_of_the_chosen_level(world: World, personas: Any) -> None:
    page = html(personas["analis"], "/?wilayah=65.03&tingkat=4")
    codes = re.findall(r'<li data-code="([\d.]+)"', page)
    assert len(codes) > 100 and all(c.startswith("65.03.") and c.count(".") == 3 for c in codes)
    assert 'href="/wilayah/65.03.01.2001/"' in page


def test_a_region_outside_the_scope_opens_the_users_own_region(world: World, personas: Any) -> None:
    page = html(personas["analis_nunukan"], "/?wilayah=65.71")
    assert '"start": "65.03"' in page
    page = html(personas["analis_nunukan"], "/?wilayah=nasional")
    assert '"start": "65.03"' in page and '"national": null' in page


def test_bad_parameters_on_the_page_fall_back_to_the_defaults(world: World, personas: Any) -> None:
    for query in ["tingkat=9", "tanggal=kemarin", "jenis=banjir", "hari=-1", "wilayah=../../etc"]:
        page = html(personas["analis"], f"/?{query}")
        assert '"start": "65"' in page, query


def test_national_users_can_open_the_whole_country(world: World, personas: Any) -> None:
    page = html(personas["admin"], "/?wilayah=nasional&tingkat=2")
    assert '"start": "nasional"' in page and '"level": 2' in page
    assert 'href="?wilayah=nasional"' in html(personas["admin"], "/?wilayah=65")


def test_reporters_start_on_the_report_form_and_cannot_open_the_overview(world: World, personas: Any) -> None:
    client = client_for(personas["pelapor"])
    assert client.get("/")["Location"].startswith("/lapor")
    assert client.get("/ringkasan/").status_code == 403
    assert 'href="/ringkasan/"' not in client.get("/lapor/", follow=True).content.decode()


def test_the_overview_is_in_the_navigation_of_readers(world: World, personas: Any) -> None:
    for name in ["analis", "pimpinan", "koordinator", "admin"]:
        assert 'href="/ringkasan/"' in html(personas[name], "/ringkasan/"), name


def test_the_overview_counts_this_weeks_reports_incidents_and_alerts(
    world: World, personas: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "now", lambda: at(DAY, 20))
    page = html(personas["analis"], "/ringkasan/")
    assert re.search(
        r'data-count="incidents-week"><a [^>]*><span class="n">2</span>', page
    )  # clash, protest is older
    assert re.search(r'data-count="incidents-active"><a [^>]*><span class="n">2</span>', page)  # clash, arson
    assert re.search(r'data-count="alerts-open"><a [^>]*><span class="n">1</span>', page)
    assert re.search(r'data-count="reports-terverifikasi"><a [^>]*><span class="n">3</span>', page)
    assert re.search(r'data-count="reports-baru"><a [^>]*><span class="n">1</span>', page)
    assert "Bentrok pendukung" in page and "Dua bentrok di Sebatik" in page


def test_the_overview_names_the_current_election_stage_and_the_next(
    world: World, personas: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "now", lambda: at(DAY, 20))
    page = html(personas["analis"], "/ringkasan/")
    stage = page.split('id="ov-stage"')[1].split("</section>")[0]
    assert "Rekapitulasi kecamatan" in stage and "Sengketa di MK" in stage
    monkeypatch.setattr(timezone, "now", lambda: at(DAY + dt.timedelta(days=5), 20))
    stage = html(personas["analis"], "/ringkasan/").split('id="ov-stage"')[1].split("</section>")[0]
    assert "Rekapitulasi kecamatan" in stage and "Sengketa di MK" in stage  # the last one and the next one


def test_the_overview_ranks_the_regions_at_highest_risk_with_their_drivers(
    world: World, personas: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "now", lambda: at(DAY, 20))
    risk = html(personas["analis"], "/ringkasan/").split('id="ov-risk"')[1].split("</section>")[0]
    assert risk.index('data-code="65.03"') < risk.index('data-code="65.71"')
    assert 'data-code="65.03.01"' in risk and 'data-category="tinggi"' in risk
    scoped = html(personas["analis_nunukan"], "/ringkasan/").split('id="ov-risk"')[1].split("</section>")[0]
    assert 'data-code="65.71"' not in scoped and 'data-code="65.03.01"' in scoped


def test_the_overview_keeps_to_the_users_scope(world: World, personas: Any) -> None:
    page = html(personas["analis_nunukan"], "/ringkasan/")
    assert "Bentrok pendukung" in page and "Pembakaran baliho" not in page


def test_the_overview_and_the_map_offer_the_latest_situation_report_for_download(
    world: World, personas: Any, settings: Any, tmp_path: Any
) -> None:
    from django.core.files.base import ContentFile

    from waspada.reporting.models import Sitrep

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    page = html(personas["analis"], "/ringkasan/")
    assert 'id="ov-sitrep"' in page and 'id="sitrep-download"' not in page
    sitrep = Sitrep(region_id="65", period="daily", date=DAY)
    sitrep.file.save("laporan-situasi-uji.pdf", ContentFile(b"%PDF-1.4 uji"), save=True)
    page = html(personas["analis"], "/ringkasan/")
    assert f'href="/laporan-situasi/arsip/{sitrep.pk}/" id="sitrep-download"' in page
    assert f'id="sitrep-link" class="btn" href="/laporan-situasi/arsip/{sitrep.pk}/"' in html(
        personas["analis"], "/"
    )
    download = client_for(personas["analis"]).get(f"/laporan-situasi/arsip/{sitrep.pk}/")
    assert download.status_code == 200
    other = html(personas["analis_nunukan"], "/ringkasan/")
    assert 'id="sitrep-download"' not in other, (
        "a province-wide report is outside a kabupaten analyst's scope"
    )


def test_main_pages_label_every_control(world: World, personas: Any) -> None:
    for url in ["/", "/ringkasan/", "/?wilayah=65.03.01"]:
        assert unlabelled_controls(html(personas["analis"], url)) == [], url
