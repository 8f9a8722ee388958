"""``/peta/data/<code>.json``: the units of a view at any level, the index as of a day, the whole country for
national users, region scope, and bad input answered in the API's error shape (never a 500)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from waspada.risk.models import IndexSnapshot

DAY = "2026-11-20"


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def features(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["properties"]["code"]: f for f in data["children"]["features"]}


def snapshot(code: str, date: str, score: float, category: str) -> None:
    IndexSnapshot.objects.create(
        date=dt.date.fromisoformat(date), config_version="t", region_id=code, score=score, category=category
    )


def test_it_draws_every_desa_of_the_province_in_one_view(personas: dict[str, Any], kaltara_dir: Any) -> None:
    response = client_for(personas["analis"]).get(f"/peta/data/65.json?tingkat=4&tanggal={DAY}")
    assert response.status_code == 200
    data = response.json()
    units = features(data)
    assert len(units) == 482 and data["level"] == 4 and data["drawn"] == 482
    assert all(code.count(".") == 3 for code in units)
    assert data["has_boundaries"] is True
    assert not any(f["properties"]["has_children"] for f in units.values())


def test_deeper_levels_are_simplified_for_the_province_and_rounded(
    personas: dict[str, Any], kaltara_dir: Any
) -> None:
    from waspada.regions.models import Region

    data = client_for(personas["analis"]).get("/peta/data/65.json?tingkat=4").json()
    drawn = sum(len(json.dumps(f["geometry"])) for f in data["children"]["features"])
    own = sum(len(g) for g in Region.objects.filter(level=4).values_list("display_geometry", flat=True) if g)
    assert drawn < own * 0.6, "simplified for the whole province, lighter than the per-kecamatan drawings"
    ring = data["children"]["features"][0]["geometry"]["coordinates"][0]
    point = ring[0] if data["children"]["features"][0]["geometry"]["type"] == "Polygon" else ring[0][0]
    assert all(len(str(v).split(".")[-1]) <= 5 for v in point)


def test_the_index_is_the_latest_snapshot_on_or_before_the_day(personas: dict[str, Any]) -> None:
    snapshot("65.03", "2026-11-10", 20.0, "sedang")
    snapshot("65.03", "2026-11-18", 70.0, "tinggi")
    client = client_for(personas["analis"])

    def nunukan(day: str) -> dict[str, Any]:
        data = client.get(f"/peta/data/65.json?tanggal={day}").json()
        return features(data)["65.03"]["properties"] | {"index_date": data["index_date"]}

    assert nunukan("2026-11-09")["category"] is None
    assert (nunukan("2026-11-15")["score"], nunukan("2026-11-15")["index_date"]) == (20.0, "2026-11-10")
    assert nunukan("2026-11-30")["category"] == "tinggi"


def test_the_cache_key_follows_the_day_and_the_level(personas: dict[str, Any]) -> None:
    client = client_for(personas["analis"])
    first = client.get("/peta/data/65.json?tanggal=2026-11-01")
    assert (
        client.get("/peta/data/65.json?tanggal=2026-11-01", HTTP_IF_NONE_MATCH=first["ETag"]).status_code
        == 304
    )
    assert (
        client.get("/peta/data/65.json?tanggal=2026-11-02", HTTP_IF_NONE_MATCH=first["ETag"]).status_code
        == 200
    )
    assert (
        client.get(
            "/peta/data/65.json?tingkat=3&tanggal=2026-11-01", HTTP_IF_NONE_MATCH=first["ETag"]
        ).status_code
        == 200
    )


def test_national_users_open_the_whole_country_and_see_it_in_the_breadcrumb(personas: dict[str, Any]) -> None:
    client = client_for(personas["admin"])
    data = client.get("/peta/data/nasional.json").json()
    assert data["region"]["code"] == "nasional" and data["level"] == 1
    assert "65" in features(data)
    assert client.get("/peta/data/nasional.json?tingkat=2").json()["level"] == 2
    crumbs = client.get("/peta/data/65.03.json").json()["parents"]
    assert [c["code"] for c in crumbs] == ["nasional", "65"] and crumbs[0]["link"] is True


@pytest.mark.parametrize("user", ["analis", "analis_nunukan", "pimpinan"])
def test_scoped_users_cannot_open_the_whole_country(personas: dict[str, Any], user: str) -> None:
    response = client_for(personas[user]).get("/peta/data/nasional.json")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    crumbs = client_for(personas[user]).get("/peta/data/65.03.json").json().get("parents", [])
    assert "nasional" not in [c["code"] for c in crumbs]


def test_a_region_outside_the_scope_does_not_exist_for_the_user(personas: dict[str, Any]) -> None:
    client = client_for(personas["analis_nunukan"])
    assert client.get("/peta/data/65.03.json?tingkat=4").status_code == 200
    for url in ["/peta/data/65.71.json", "/peta/data/65.json?tingkat=4", "/peta/data/65.04.01.json"]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert set(response.json()["error"]) >= {"status", "code", "message"}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("tingkat=9", "tingkat"),
        ("tingkat=1", "tingkat"),
        ("tingkat=dua", "tingkat"),
        ("tanggal=2026-02-30", "tanggal"),
        ("tanggal=besok", "tanggal"),
        ("tingkat=2&tingkat=3", "tingkat"),
    ],
)
def test_bad_parameters_get_400_in_the_error_shape(personas: dict[str, Any], query: str, field: str) -> None:
    response = client_for(personas["analis"]).get(f"/peta/data/65.json?{query}")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["status"] == 400 and error["code"] == "bad_request"
    assert error["details"][0]["field"] == field and error["message"]


def test_unknown_and_malformed_codes_are_not_found(personas: dict[str, Any]) -> None:
    client = client_for(personas["admin"])
    assert client.get("/peta/data/99.json").json()["error"]["status"] == 404
    assert client.get("/peta/data/65.99.json").status_code == 404
    for url in [
        "/peta/data/6.json",
        "/peta/data/65.3.json",
        "/peta/data/nasional2.json",
        "/peta/data/65..json",
    ]:
        assert client.get(url).status_code == 404, url


def test_too_many_units_in_one_view_is_refused_with_a_reason(
    personas: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from waspada.dashboard import mapdata

    monkeypatch.setattr(mapdata, "MAX_UNITS", 100)
    response = client_for(personas["admin"]).get("/peta/data/65.json?tingkat=4")
    assert response.status_code == 400 and "482" in response.json()["error"]["message"]


def test_the_map_is_gzipped_when_the_browser_accepts_it(personas: dict[str, Any]) -> None:
    response = client_for(personas["analis"]).get("/peta/data/65.json?tingkat=3", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
