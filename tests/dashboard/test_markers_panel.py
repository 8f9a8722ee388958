"""``/peta/titik/`` (marker layers, filtered on the server, clustered) and ``/peta/panel/`` (a region's side
panel): filters, layers by role, region scope, the day and its window, and bad input."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from ._world import DAY, SEBATIK_DESA, TARAKAN_DESA, World

ALL = "lapisan=kejadian,berita,temuan,peringatan"


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def markers(user: Any, query: str, code: str = "65") -> dict[str, Any]:
    response = client_for(user).get(f"/peta/titik/{code}.json?tanggal={DAY}&{query}")
    assert response.status_code == 200, response.content
    return response.json()


def ids(layer: dict[str, Any]) -> set[int]:
    return {item["id"] for c in layer["clusters"] for item in c["items"]}


def test_incidents_of_the_window_up_to_the_day_with_links_to_their_pages(world: World, personas: Any) -> None:
    data = markers(personas["analis"], "hari=30")
    layer = data["layers"]["kejadian"]
    assert ids(layer) == {world.clash.pk, world.protest.pk, world.arson.pk}
    assert layer["total"] == layer["placed"] == 3
    one = next(i for c in layer["clusters"] for i in c["items"] if i["id"] == world.clash.pk)
    assert one["url"] == f"/kejadian/{world.clash.pk}/" and one["number"] == f"K-{world.clash.pk}"
    assert one["type_label"] and one["type_label"] != "supporter_clash", "labelled, not the bare code"
    assert data["first_day"] == "2026-10-22" and data["date"] == DAY.isoformat()
    assert ids(markers(personas["analis"], "hari=0")["layers"]["kejadian"]) >= {world.old.pk}
    assert ids(markers(personas["analis"], "hari=7")["layers"]["kejadian"]) == {
        world.clash.pk,
        world.arson.pk,
    }


def test_the_day_hides_what_happened_after_it(world: World, personas: Any) -> None:
    client = client_for(personas["analis"])
    data = client.get("/peta/titik/65.json?tanggal=2026-11-15&hari=30").json()
    assert ids(data["layers"]["kejadian"]) == {world.protest.pk}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("jenis=supporter_clash", {"clash"}),
        ("jenis=supporter_clash&jenis=property_destruction", {"clash", "arson"}),
        ("status=selesai", {"protest"}),
        ("status=aktif,ditangani", {"clash", "arson"}),
        ("kanal=sms", {"clash"}),
        ("kanal=web&status=selesai", {"protest"}),
        ("kanal=media", set()),
    ],
)
def test_filters_apply_on_the_server(world: World, personas: Any, query: str, expected: set[str]) -> None:
    found = ids(markers(personas["analis"], f"hari=30&{query}")["layers"]["kejadian"])
    assert found == {getattr(world, name).pk for name in expected}


def test_markers_are_counted_per_unit_of_the_view_and_clustered(world: World, personas: Any) -> None:
    data = markers(personas["analis"], "hari=30")
    assert data["layers"]["kejadian"]["by_unit"] == {"65.03": 2, "65.71": 1}
    deep = markers(personas["analis"], "hari=30&tingkat=4")["layers"]["kejadian"]
    assert deep["by_unit"] == {SEBATIK_DESA: 2, TARAKAN_DESA: 1}
    coarse = client_for(personas["analis"]).get(f"/peta/titik/65.json?tanggal={DAY}&hari=30").json()
    assert sum(c["n"] for c in coarse["layers"]["kejadian"]["clusters"]) == 3


def test_the_other_layers_show_news_findings_recap_findings_and_alerts(world: World, personas: Any) -> None:
    layers = markers(personas["analis"], f"hari=30&{ALL}")["layers"]
    assert ids(layers["berita"]) == {world.news.pk}, "rejected news findings are left out"
    assert len(ids(layers["temuan"])) == 2
    assert ids(layers["peringatan"]) == {world.alert_open.pk, world.alert_closed.pk}
    alert = next(
        i for c in layers["peringatan"]["clusters"] for i in c["items"] if i["id"] == world.alert_open.pk
    )
    assert alert["open"] is True and alert["url"] == f"/peringatan/{world.alert_open.pk}/"
    finding = next(i for c in layers["temuan"]["clusters"] for i in c["items"])
    assert finding["url"].startswith("/pemilihan/tps/")


def test_scope_keeps_markers_of_other_regions_out(world: World, personas: Any) -> None:
    nunukan = personas["analis_nunukan"]
    layers = markers(nunukan, f"hari=30&{ALL}", code="65.03")["layers"]
    assert ids(layers["kejadian"]) == {world.clash.pk, world.protest.pk}
    assert ids(layers["peringatan"]) == {world.alert_open.pk}
    assert len(ids(layers["temuan"])) == 1
    assert client_for(nunukan).get("/peta/titik/65.json").status_code == 404
    assert client_for(nunukan).get("/peta/titik/65.71.json").status_code == 404


def test_a_layer_the_role_may_not_read_is_forbidden(world: World, personas: Any) -> None:
    client = client_for(personas["pimpinan"])
    assert client.get("/peta/titik/65.json?lapisan=kejadian,peringatan,temuan").status_code == 200
    response = client.get("/peta/titik/65.json?lapisan=berita")
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"


def test_reporters_get_no_map_markers(world: World, personas: Any) -> None:
    assert client_for(personas["pelapor"]).get("/peta/titik/65.03.01.json").status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "hari=-1",
        "hari=x",
        "jenis=banjir",
        "status=hilang",
        "kanal=merpati",
        "lapisan=cuaca",
        "tanggal=2026-11-31",
        "tingkat=1",
    ],
)
def test_bad_marker_filters_get_400(world: World, personas: Any, query: str) -> None:
    response = client_for(personas["analis"]).get(f"/peta/titik/65.json?{query}")
    assert response.status_code == 400
    assert response.json()["error"]["details"][0]["field"] == query.split("=")[0]


def test_anonymous_visitors_are_sent_to_the_login(world: World) -> None:
    for url in ["/peta/titik/65.json", "/peta/panel/65.json", "/peta/data/65.json"]:
        response = Client().get(url)
        assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_the_panel_explains_the_score_and_lists_incidents_alerts_and_actions(
    world: World, personas: Any
) -> None:
    data = client_for(personas["analis"]).get(f"/peta/panel/65.03.01.json?tanggal={DAY}").json()
    assert data["region"]["code"] == "65.03.01" and data["page_url"] == "/wilayah/65.03.01/"
    index = data["index"]
    assert (index["score"], index["category"], index["date"], index["delta"]) == (
        61.5,
        "tinggi",
        DAY.isoformat(),
        31.5,
    )
    assert [p[1] for p in index["trend"]] == [30.0, 61.5]
    assert [c["id"] for c in index["top"]] == ["riwayat_konflik", "temuan_rekap"]
    assert [i["id"] for i in data["incidents"]["recent"]][:2] == [world.clash.pk, world.protest.pk]
    assert data["incidents"]["count"] == 2
    assert [a["id"] for a in data["alerts"]["recent"]] == [world.alert_open.pk]
    assert data["actions"]["open"] == 1 and data["actions"]["recent"][0]["agency"] == "Kesbangpol Nunukan"


def test_the_panel_as_of_an_earlier_day(world: World, personas: Any) -> None:
    data = client_for(personas["analis"]).get("/peta/panel/65.03.01.json?tanggal=2026-11-19").json()
    assert data["index"]["score"] == 30.0 and data["index"]["delta"] is None
    assert (
        client_for(personas["analis"]).get("/peta/panel/65.03.01.json?tanggal=2026-01-01").json()["index"]
        is None
    )


def test_the_panel_leaves_out_what_the_role_may_not_read(world: World, personas: Any) -> None:
    data = client_for(personas["pimpinan"]).get(f"/peta/panel/65.03.json?tanggal={DAY}").json()
    assert {"index", "incidents", "alerts", "actions"} <= set(data)
    national = client_for(personas["admin"]).get(f"/peta/panel/nasional.json?tanggal={DAY}").json()
    assert "index" not in national and national["incidents"]["count"] >= 2


def test_the_panel_of_a_region_outside_the_scope_is_not_found(world: World, personas: Any) -> None:
    client = client_for(personas["analis_nunukan"])
    assert client.get("/peta/panel/65.03.01.json").status_code == 200
    for url in [
        "/peta/panel/65.71.json",
        "/peta/panel/65.json",
        "/peta/panel/nasional.json",
        "/peta/panel/99.json",
    ]:
        response = client.get(url)
        assert response.status_code == 404 and response.json()["error"]["status"] == 404
    assert client.get("/peta/panel/65.03.json?tanggal=31-12-2026").status_code == 400
