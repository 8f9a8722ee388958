"""Exports from the database: every format's content, privacy (no reporter identity, rounded coordinates),
region scope and roles, through the service, the page and the API."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from waspada.accounts.models import AuditLog
from waspada.regions.models import Region
from waspada.reporting import exports
from waspada.reporting.export_data import ExportError, export

from ._world import PRECISE_LAT, PRECISE_LON, REPORTER_CHAT, REPORTER_NAME, REPORTER_PHONE, World

FORMATS = list(exports.FORMATS)
SECRETS = (REPORTER_NAME, REPORTER_PHONE, REPORTER_PHONE[1:], "0812-9988-7766", "081299887766", REPORTER_CHAT)


def text_of(fmt: str, content: bytes) -> str:
    if fmt == "xlsx":
        book = load_workbook(io.BytesIO(content))
        return "\n".join(
            " ".join("" if v is None else str(v) for v in row)
            for sheet in book
            for row in sheet.iter_rows(values_only=True)
        )
    return content.decode("utf-8-sig")


def assert_private(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, secret
    assert str(PRECISE_LON) not in text and str(PRECISE_LAT) not in text


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("dataset", ["incidents", "reports"])
def test_no_export_carries_reporter_identity_or_precise_coordinates(
    world: World, personas: dict[str, Any], dataset: str, fmt: str
) -> None:
    result = export(
        personas["koordinator"], dataset, fmt
    )  # the coordinator may see identities; exports never
    text = text_of(fmt, result.content)
    assert result.count >= 1
    assert_private(text)
    assert "117.89" in text and "4.06" in text
    assert "[disamarkan]" in text  # the identity was in the text, and was taken out


def test_the_incident_csv_lists_the_scope_s_incidents_with_their_places(
    world: World, personas: dict[str, Any]
) -> None:
    result = export(personas["analis"], "incidents", "csv")
    assert result.content_type == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(result.content.decode("utf-8-sig"))))
    assert tuple(rows[0]) == exports.COLUMNS
    by_number = {r["number"]: r for r in rows}
    sebatik = by_number[world.sebatik_incident.number]
    assert (sebatik["kabupaten_kota"], sebatik["kecamatan"], sebatik["desa_kelurahan"]) == (
        "Kabupaten Nunukan",
        "Sebatik",
        "Tanjungkarang",
    )
    assert sebatik["occurred_at"] == "2026-11-20T14:30+08:00"
    assert (sebatik["injured"], sebatik["report_count"], sebatik["channels"]) == ("3", "1", "sms")
    assert sebatik["actors"] == "Pendukung paslon 01; Pendukung paslon 02"
    tarakan = by_number[world.tarakan_incident.number]
    assert tarakan["point_source"] == "region_centre"  # no coordinates given: its desa's centre, rounded
    assert len(rows) == 3


def test_the_reports_export_has_verified_reports_only(world: World, personas: dict[str, Any]) -> None:
    rows = list(
        csv.DictReader(io.StringIO(export(personas["analis"], "reports", "csv").content.decode("utf-8-sig")))
    )
    assert [r["number"] for r in rows] == [world.verified_report.number]


def test_the_acled_export_maps_the_taxonomy(world: World, personas: dict[str, Any]) -> None:
    content = export(
        personas["analis"], "incidents", "acled", region=Region.objects.get(code="65.71")
    ).content
    rows = list(csv.DictReader(io.StringIO(content.decode())))
    assert tuple(rows[0]) == exports.ACLED_COLUMNS
    (row,) = rows
    assert row["event_id_cnty"] == f"IDN-K-{world.tarakan_incident.pk}"
    assert (row["event_type"], row["sub_event_type"]) == (
        "Strategic developments",
        "Looting/property destruction",
    )
    assert (row["admin1"], row["admin2"], row["admin3"], row["location"]) == (
        "Kalimantan Utara",
        "Kota Tarakan",
        "Tarakan Tengah",
        "Pamusian",
    )
    assert row["fatalities"] == "1"


def test_the_hxl_export_has_hashtags_under_the_header(world: World, personas: dict[str, Any]) -> None:
    rows = list(csv.reader(io.StringIO(export(personas["analis"], "incidents", "hxl").content.decode())))
    assert rows[1][:4] == ["#event+id", "#date+occurred", "#adm1+name", "#adm1+code"]
    assert len(rows) == 2 + 3


def test_the_geojson_export_is_a_feature_collection(world: World, personas: dict[str, Any]) -> None:
    data = json.loads(export(personas["analis"], "incidents", "geojson").content)
    assert data["type"] == "FeatureCollection"
    feature = next(f for f in data["features"] if f["id"] == world.sebatik_incident.number)
    assert feature["geometry"] == {"type": "Point", "coordinates": [117.89, 4.06]}
    assert feature["properties"]["region_code"] == "65.03.01.2001"


def test_the_xlsx_export_says_what_it_holds(world: World, personas: dict[str, Any]) -> None:
    book = load_workbook(io.BytesIO(export(personas["analis"], "incidents", "xlsx").content))
    assert book.sheetnames == ["Data", "Keterangan"]
    assert book["Data"].max_row == 1 + 3
    about = {row[0]: row[1] for row in book["Keterangan"].iter_rows(values_only=True)}
    assert "tanpa identitas pelapor" in about["Privasi / privacy"]


def test_filters_region_since_and_simulated(world: World, personas: dict[str, Any]) -> None:
    import datetime as dt

    nunukan = Region.objects.get(code="65.03")
    assert export(personas["analis"], "incidents", "csv", region=nunukan).count == 2
    assert export(personas["analis"], "incidents", "csv", since=dt.date(2026, 11, 20)).count == 2
    world.tarakan_incident.is_simulated = True
    world.tarakan_incident.save()
    assert export(personas["analis"], "incidents", "csv", exclude_simulated=True).count == 2


def test_analis_nunukan_exports_nunukan_only(world: World, personas: dict[str, Any]) -> None:
    text = export(personas["analis_nunukan"], "incidents", "csv").content.decode("utf-8-sig")
    assert "Tanjungkarang" in text and "Pamusian" not in text
    with pytest.raises(ExportError) as refused:
        export(personas["analis_nunukan"], "incidents", "csv", region=Region.objects.get(code="65.71"))
    assert refused.value.status == 404


def test_roles_decide_who_exports_what(world: World, personas: dict[str, Any]) -> None:
    with pytest.raises(ExportError) as reporter:
        export(personas["pelapor"], "incidents", "csv")
    assert reporter.value.status == 403
    assert export(personas["pimpinan"], "incidents", "csv").count == 3
    with pytest.raises(ExportError) as leader:
        export(personas["pimpinan"], "reports", "csv")  # leadership reads incidents, not raw reports
    assert leader.value.status == 403


def test_exports_are_audited_without_their_content(world: World, personas: dict[str, Any]) -> None:
    export(personas["analis"], "incidents", "acled", via="test")
    row = AuditLog.objects.filter(action="export.download").latest("id")
    assert row.actor_label == "analis" and row.after["format"] == "acled" and row.after["rows"] == 3


# --- page and API --------------------------------------------------------------------------------------


def test_the_page_downloads_an_export(world: World, personas: dict[str, Any]) -> None:
    c = Client()
    c.force_login(personas["analis"])
    response = c.get("/ekspor/?data=incidents&format=hxl&wilayah=65.03")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="waspada-kejadian-65.03-')
    assert_private(response.content.decode())
    bad = c.get("/ekspor/?data=incidents&format=pdf")
    assert bad.status_code == 400 and b'data-error="format"' in bad.content
    c.force_login(personas["analis_nunukan"])
    outside = c.get("/ekspor/?data=incidents&format=csv&wilayah=65.71")
    assert outside.status_code == 400 and b'data-error="wilayah"' in outside.content


@pytest.fixture
def api(personas: dict[str, Any], token_for: Any) -> Any:
    def call(who: str, path: str) -> Any:
        headers = {"Authorization": f"Bearer {token_for(personas[who])}"} if who else {}
        return Client().get(path, headers=headers)

    return call


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_api_exports_every_format(world: World, api: Any, fmt: str) -> None:
    response = api("analis", f"/api/exports/incidents?format={fmt}&region=65")
    assert response.status_code == 200
    assert response["Content-Type"] == exports.FORMATS[fmt][0]
    assert response["X-Total-Count"] == "3"
    assert_private(text_of(fmt, response.content))


@pytest.mark.parametrize(
    ("who", "path", "status"),
    [
        ("", "/api/exports/incidents", 401),
        ("pelapor", "/api/exports/incidents", 403),
        ("pimpinan", "/api/exports/reports", 403),
        ("analis_nunukan", "/api/exports/incidents?region=65.71", 404),
        ("analis", "/api/exports/incidents?region=65.99", 422),
        ("analis", "/api/exports/incidents?region=x1", 400),
        ("analis", "/api/exports/incidents?format=pdf", 422),
        ("analis", "/api/exports/incidents?since=2026-02-30", 422),
    ],
)
def test_the_api_refuses_in_the_one_error_shape(
    world: World, api: Any, who: str, path: str, status: int
) -> None:
    response = api(who, path)
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"} and body["error"]["status"] == status and body["error"]["message"]
