"""The region page: the score explained, its history as an accessible inline SVG chart, the 14-day
forecast with a plain verdict, and recent incidents — each only for roles and scopes that may see it."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from waspada.reports.models import Incident
from waspada.risk.active import active_config
from waspada.risk.models import BacktestRun, ForecastValue

from ._snapshots import EARLIER, LATEST, snap

pytestmark = pytest.mark.django_db


def page(user: Any, code: str) -> Any:
    client = Client()
    client.force_login(user)
    return client.get(f"/wilayah/{code}/")


def section(html: str, slot: str) -> str:
    return html.split(f'id="{slot}"', 1)[1].split("</section>", 1)[0]


def backtest(beats: bool) -> BacktestRun:
    return BacktestRun.objects.create(
        source="worker", as_of=LATEST, regions=55, periods=26, origins=13, forecasts=715, base_rate=0.1,
        model_brier=0.08, no_change_brier=0.12 if beats else 0.07, beats_no_change=beats, beats_historical=beats,
    )  # fmt: skip


def forecast(code: str, p: float, run: BacktestRun | None = None) -> ForecastValue:
    return ForecastValue.objects.create(
        date=LATEST, config_version=active_config().version, region_id=code, probability=p,
        incidents_last_period=2, neighbour_incidents_last_period=1, backtest=run,
    )  # fmt: skip


def test_the_index_card_names_the_top_indicators_with_their_points_and_the_trend(
    personas: dict[str, Any],
) -> None:
    snap("65.03", 40.0, "sedang", EARLIER, kekerasan_terkini=25.0)
    snap("65.03", 61.25, "tinggi", kekerasan_terkini=30.0, korban_terkini=16.25, selisih_suara=15.0)
    html = page(personas["analis"], "65.03").content.decode()
    card = section(html, "slot-index")
    assert 'data-category="tinggi"' in card
    labels = (
        active_config().indicator("kekerasan_terkini").labels.id,
        active_config().indicator("korban_terkini").labels.id,
    )
    assert card.index(labels[0]) < card.index(labels[1])
    assert 'data-delta="21.25"' in card and "2024-12-05" in card
    explained = section(html, "slot-explanation")
    assert "selisih_suara" in explained and active_config().dimensions[0].labels.id in explained
    opened = explained.split("<details open>", 1)[1].split("</details>", 1)[0]
    assert "korban_terkini" in opened  # the dimension with the most points is unfolded


def test_the_history_chart_is_inline_svg_with_a_title_and_a_data_table(personas: dict[str, Any]) -> None:
    for day, score in [(1, 10.0), (5, 20.0), (9, None), (12, 55.0)]:
        snap("65.03", score, "sedang" if score else "", dt.date(2024, 12, day))
    html = page(personas["analis"], "65.03").content.decode()
    history = section(html, "slot-history")
    svg = history.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert svg.count('class="mark"') == 3  # the missing score is not drawn
    assert re.search(r'<path class="line" d="M[\d.]+ [\d.]+ L[\d.]+ [\d.]+ M[\d.]+ [\d.]+"', svg)
    assert "," not in re.search(r'd="([^"]+)"', svg).group(1)  # coordinates are never localised
    table = history.split('id="history-table"', 1)[1]
    assert table.index("2024-12-12") < table.index("2024-12-01")  # newest first
    assert "<script" not in html.split('id="slot-history"', 1)[1].split("</section>", 1)[0]


def test_a_kecamatan_shows_its_forecast_and_says_plainly_when_the_model_does_not_beat_no_change(
    personas: dict[str, Any],
) -> None:
    forecast("65.03.01", 0.4321, backtest(beats=False))
    block = section(page(personas["analis"], "65.03.01").content.decode(), "slot-forecast")
    assert 'data-probability="0.4321"' in block
    assert 'data-verdict="does-not-beat"' in block


def test_the_forecast_verdict_says_when_the_model_beats_no_change(personas: dict[str, Any]) -> None:
    forecast("65.03.01", 0.2, backtest(beats=True))
    block = section(page(personas["analis"], "65.03.01").content.decode(), "slot-forecast")
    assert 'data-verdict="beats"' in block


def test_an_untested_forecast_is_flagged_as_untested(personas: dict[str, Any]) -> None:
    forecast("65.03.01", 0.2)
    block = section(page(personas["analis"], "65.03.01").content.decode(), "slot-forecast")
    assert 'data-verdict="untested"' in block


def test_a_kabupaten_lists_its_likeliest_kecamatan_and_a_desa_shows_its_kecamatan(
    personas: dict[str, Any],
) -> None:
    run = backtest(beats=False)
    forecast("65.03.01", 0.6, run)
    forecast("65.03.02", 0.1, run)
    forecast("65.01.01", 0.9, run)
    block = section(page(personas["analis"], "65.03").content.decode(), "slot-forecast")
    assert block.index("/wilayah/65.03.01/") < block.index("/wilayah/65.03.02/")
    assert "/wilayah/65.01.01/" not in block
    desa = section(page(personas["analis"], "65.03.01.2001").content.decode(), "slot-forecast")
    assert 'data-probability="0.6000"' in desa


def test_recent_incidents_of_the_region_and_below_are_listed_newest_first(personas: dict[str, Any]) -> None:
    now = timezone.now()
    for title, region, days in [
        ("Bentrok lama", "65.03.01.2001", 20),
        ("Blokade baru", "65.03.02", 1),
        ("Di Malinau", "65.01", 1),
    ]:
        Incident.objects.create(
            title=title, event_type="blockade", region_id=region, description="x",
            occurred_at=now - dt.timedelta(days=days),
        )  # fmt: skip
    block = section(page(personas["analis"], "65.03").content.decode(), "slot-incidents")
    assert block.index("Blokade baru") < block.index("Bentrok lama")
    assert "Di Malinau" not in block
    assert "/kejadian/" in block


def test_a_reporter_sees_neither_the_index_nor_incidents(personas: dict[str, Any]) -> None:
    snap("65.03.01", 61.25, "tinggi", kekerasan_terkini=30.0)
    html = page(personas["pelapor"], "65.03.01").content.decode()
    assert (
        'id="slot-index"' not in html
        and 'id="slot-incidents"' not in html
        and 'id="slot-forecast"' not in html
    )


@pytest.mark.parametrize("code", ["65.01", "99.99", "65.03.99"])
def test_out_of_scope_and_unknown_regions_are_not_found(personas: dict[str, Any], code: str) -> None:
    assert page(personas["analis_nunukan"], code).status_code == 404


def test_the_page_without_snapshots_says_so(personas: dict[str, Any]) -> None:
    html = page(personas["analis"], "65.01").content.decode()
    assert "data-category" not in section(html, "slot-index")
    assert "<svg" not in section(html, "slot-history")
