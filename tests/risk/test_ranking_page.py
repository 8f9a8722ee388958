"""The ranking page /peta-rawan/: a level at a time, in the viewer's scope, sortable and filterable on
the server, with exports; bad parameters answer 400, unknown or out-of-scope regions 404, roles
without the map 403."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from waspada.accounts.models import AuditLog
from waspada.risk.active import active_config
from waspada.risk.models import BacktestRun, ForecastValue

from ._snapshots import LATEST, kabupaten_snapshots, snap

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def codes(html: str) -> list[str]:
    table = html.split('id="ranking-table"', 1)[1].split("</table>", 1)[0]
    return [part.split('"', 1)[0] for part in table.split('data-code="')[1:]]


def test_the_nav_links_the_ranking_for_map_roles_only(personas: dict[str, Any]) -> None:
    assert "/peta-rawan/" in client_for(personas["pimpinan"]).get("/").content.decode()
    assert "/peta-rawan/" not in client_for(personas["pelapor"]).get("/lapor/").content.decode()


def test_an_analyst_sees_the_kabupaten_of_their_province_ranked_with_trend_and_top_indicators(
    personas: dict[str, Any],
) -> None:
    kabupaten_snapshots()
    html = client_for(personas["analis"]).get("/peta-rawan/").content.decode()
    assert codes(html) == ["65.03", "65.01", "65.02", "65.71", "65.04"]
    row = html.split('data-code="65.03"', 1)[1].split("</tr>", 1)[0]
    assert "61,25" in row or "61.25" in row
    assert "▲" in row and ("21,25" in row or "21.25" in row)
    assert active_config().indicator("kekerasan_terkini").labels.id in row
    assert 'class="badge cat-tinggi"' in row
    tarakan = html.split('data-code="65.71"', 1)[1].split("</tr>", 1)[0]
    assert "▼" in tarakan


def test_a_kabupaten_analyst_only_sees_their_kabupaten(personas: dict[str, Any]) -> None:
    kabupaten_snapshots()
    client = client_for(personas["analis_nunukan"])
    assert codes(client.get("/peta-rawan/?tingkat=2").content.decode()) == ["65.03"]
    kec = codes(client.get("/peta-rawan/").content.decode())  # default: the level below their scope
    assert kec and all(c.startswith("65.03.") for c in kec)


def test_sorting_and_filtering_happen_on_the_server(personas: dict[str, Any]) -> None:
    kabupaten_snapshots()
    client = client_for(personas["analis"])
    assert codes(client.get("/peta-rawan/?tingkat=2&urut=name").content.decode())[0] == "65.01"  # Bulungan
    assert codes(client.get("/peta-rawan/?tingkat=2&urut=delta").content.decode())[:2] == ["65.03", "65.01"]
    assert codes(client.get("/peta-rawan/?tingkat=2&urut=score&arah=asc").content.decode())[-1] == "65.04"
    assert codes(client.get("/peta-rawan/?tingkat=2&kategori=rendah").content.decode()) == ["65.02", "65.71"]
    assert codes(client.get("/peta-rawan/?tingkat=2&q=nunukan").content.decode()) == ["65.03"]
    assert codes(client.get("/peta-rawan/?tingkat=3&wilayah=65.71").content.decode())[0].startswith("65.71.")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("tingkat=7", "tingkat"),
        ("tingkat=dua", "tingkat"),
        ("urut=populasi", "urut"),
        ("arah=naik", "arah"),
        ("kategori=merah", "kategori"),
        ("wilayah=65.x", "wilayah"),
    ],
)
def test_bad_parameters_answer_400_with_a_message(personas: dict[str, Any], query: str, message: str) -> None:
    response = client_for(personas["analis"]).get(f"/peta-rawan/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode().split('id="error-message"', 1)[1]


@pytest.mark.parametrize("code", ["65.99", "65.01"])
def test_unknown_and_out_of_scope_regions_answer_404(personas: dict[str, Any], code: str) -> None:
    client = client_for(personas["analis_nunukan"])
    assert client.get(f"/peta-rawan/?wilayah={code}").status_code == 404
    assert client.get(f"/peta-rawan/ekspor.csv?wilayah={code}").status_code == 404


def test_roles_without_the_map_get_403(personas: dict[str, Any]) -> None:
    client = client_for(personas["pelapor"])
    assert client.get("/peta-rawan/").status_code == 403
    assert client.get("/peta-rawan/ekspor.csv").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client: Client) -> None:
    response = client.get("/peta-rawan/")
    assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_the_page_exports_what_it_shows_in_three_formats_and_audits_it(personas: dict[str, Any]) -> None:
    kabupaten_snapshots()
    client = client_for(personas["pimpinan"])
    html = client.get("/peta-rawan/?tingkat=2&kategori=rendah").content.decode()
    assert "/peta-rawan/ekspor.csv?tingkat=2&amp;kategori=rendah" in html
    response = client.get("/peta-rawan/ekspor.csv?tingkat=2&kategori=rendah")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [r["code"] for r in rows] == ["65.02", "65.71"]
    book = load_workbook(
        io.BytesIO(b"".join(client.get("/peta-rawan/ekspor.xlsx?tingkat=2").streaming_content))
    )
    assert book.worksheets[0].max_row == 6
    geo = json.loads(b"".join(client.get("/peta-rawan/ekspor.geojson?tingkat=2").streaming_content))
    assert len(geo["features"]) == 5 and geo["metadata"]["date"] == "2024-12-12"
    assert AuditLog.objects.filter(action="risk.exported", actor=personas["pimpinan"]).count() == 3


def test_a_scoped_export_holds_only_the_scope(personas: dict[str, Any]) -> None:
    kabupaten_snapshots()
    response = client_for(personas["analis_nunukan"]).get("/peta-rawan/ekspor.csv?tingkat=2")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [r["code"] for r in rows] == ["65.03"]


def test_at_kecamatan_level_the_table_shows_the_forecast_and_the_verdict(personas: dict[str, Any]) -> None:
    snap("65.03.01", 30.0, "sedang", kekerasan_terkini=30.0)
    run = BacktestRun.objects.create(
        source="worker", as_of=LATEST, regions=55, periods=26, origins=13, forecasts=715, base_rate=0.1,
        beats_no_change=False, beats_historical=True,
    )  # fmt: skip
    ForecastValue.objects.create(
        date=LATEST,
        config_version=active_config().version,
        region_id="65.03.01",
        probability=0.25,
        backtest=run,
    )
    client = client_for(personas["analis"])
    html = client.get("/peta-rawan/?tingkat=3&wilayah=65.03").content.decode()
    assert 'data-verdict="does-not-beat"' in html
    row = html.split('data-code="65.03.01"', 1)[1].split("</tr>", 1)[0]
    assert "25,0 %" in row or "25.0 %" in row
    other = client.get("/peta-rawan/?tingkat=2").content.decode()
    assert 'data-verdict="does-not-beat"' in other  # said plainly on every level


def test_without_snapshots_the_page_lists_regions_and_says_the_index_is_not_computed(
    personas: dict[str, Any],
) -> None:
    html = client_for(personas["analis"]).get("/peta-rawan/").content.decode()
    assert len(codes(html)) == 5 and "/peta-rawan/ekspor" not in html
