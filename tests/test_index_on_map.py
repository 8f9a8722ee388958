"""The vulnerability index shows on the map data and the region page once a snapshot exists."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from waspada.risk.models import IndexSnapshot


def snapshot(code: str, score: float, category: str, **contributions: float) -> IndexSnapshot:
    return IndexSnapshot.objects.create(
        date=dt.date(2026, 11, 27),
        config_version="test",
        region_id=code,
        score=score,
        category=category,
        contributions=contributions,
    )


def test_map_data_carries_each_unit_s_latest_category(personas: dict[str, Any]) -> None:
    snapshot("65.04", 55.2, "tinggi", selisih_suara=30.0)
    client = Client()
    client.force_login(personas["analis"])
    data = client.get("/peta/data/65.json").json()
    units = {f["properties"]["code"]: f["properties"] for f in data["children"]["features"]}
    assert data["has_index"] is True
    assert (units["65.04"]["category"], units["65.04"]["score"]) == ("tinggi", 55.2)
    assert units["65.01"]["category"] is None


def test_a_new_snapshot_changes_the_map_data_cache_key(personas: dict[str, Any]) -> None:
    client = Client()
    client.force_login(personas["analis"])
    first = client.get("/peta/data/65.json")
    snapshot("65.04", 20.0, "sedang")
    again = client.get("/peta/data/65.json", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and again.json()["has_index"] is True


def test_region_page_explains_the_index_with_its_largest_contributions(personas: dict[str, Any]) -> None:
    snapshot("65.04", 55.2, "tinggi", selisih_suara=30.0, mk_case=15.0, turnout=1.0, other=0.5)
    client = Client()
    client.force_login(personas["analis"])
    html = client.get("/wilayah/65.04/").content.decode()
    assert 'data-category="tinggi"' in html
    assert "55,2" in html or "55.2" in html
    assert html.index("selisih_suara") < html.index("mk_case") < html.index("turnout")
    assert "other" not in html.split('id="slot-index"')[1].split("</section>")[0]


def test_region_page_without_a_snapshot_says_the_index_is_not_computed(personas: dict[str, Any]) -> None:
    client = Client()
    client.force_login(personas["analis"])
    html = client.get("/wilayah/65.01/").content.decode()
    assert "data-category" not in html.split('id="slot-index"')[1].split("</section>")[0]
