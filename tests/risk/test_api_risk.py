"""/api/risk: latest scores by level and parent, one region's explanation and history, the forecast with
its backtest verdict, the snapshots — in scope, and every bad input a 4xx in the one error shape."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from waspada.risk.active import active_config
from waspada.risk.models import BacktestRun, ForecastValue

from ._snapshots import EARLIER, LATEST, kabupaten_snapshots, snap

pytestmark = pytest.mark.django_db


def assert_error_shape(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and body["error"]["status"] == status
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]  # type: ignore[no-any-return]


@pytest.fixture
def api(client: Client, personas: dict[str, Any], token_for: Any) -> Any:
    def get(name: str, path: str, **params: Any) -> Any:
        return client.get(path, params, HTTP_AUTHORIZATION=f"Bearer {token_for(personas[name])}")

    return get


def test_scores_rank_a_level_with_trend_and_labelled_top_indicators(api: Any) -> None:
    kabupaten_snapshots()
    body = api("analis", "/api/risk/scores", level=2).json()
    assert (body["date"], body["previous_date"], body["count"]) == ("2024-12-12", "2024-12-05", 5)
    first = body["results"][0]
    assert (first["code"], first["rank"], first["category"], first["delta"]) == ("65.03", 1, "tinggi", 21.25)
    assert first["category_change"] == 1
    assert [t["id"] for t in first["top"]] == ["kekerasan_terkini", "korban_terkini", "selisih_suara"]
    assert first["top"][0]["label"] == active_config().indicator("kekerasan_terkini").labels.id
    assert body["results"][-1]["rank"] is None


def test_scores_apply_scope_parent_category_and_paging(api: Any) -> None:
    kabupaten_snapshots()
    assert [r["code"] for r in api("analis_nunukan", "/api/risk/scores", level=2).json()["results"]] == [
        "65.03"
    ]
    rendah = api("analis", "/api/risk/scores", level=2, category="rendah").json()
    assert [r["code"] for r in rendah["results"]] == ["65.02", "65.71"]
    paged = api("analis", "/api/risk/scores", level=2, limit=2, offset=2).json()
    assert paged["count"] == 5 and [r["code"] for r in paged["results"]] == ["65.02", "65.71"]
    kec = api("analis", "/api/risk/scores", level=3, parent="6503").json()
    assert kec["parent"] == "65.03" and all(r["code"].startswith("65.03.") for r in kec["results"])
    old = api("analis", "/api/risk/scores", level=2, at="2024-12-06").json()
    assert old["date"] == "2024-12-05" and old["previous_date"] is None


def test_one_region_is_explained_by_dimension_and_indicator(api: Any) -> None:
    kabupaten_snapshots()
    body = api("analis", "/api/risk/regions/65.03").json()
    assert (body["score"], body["category"], body["previous_score"]) == (61.25, "tinggi", 40.0)
    assert sum(c["points"] for c in body["contributions"]) == pytest.approx(61.25)
    dims = {d["id"]: d["points"] for d in body["dimensions"]}
    assert dims["dinamika"] == pytest.approx(46.25) and dims["kontestasi"] == pytest.approx(15.0)


def test_history_lists_every_snapshot_oldest_first_and_can_be_cut(api: Any) -> None:
    kabupaten_snapshots()
    body = api("analis", "/api/risk/regions/65.03/history").json()
    assert [(p["date"], p["score"]) for p in body["points"]] == [("2024-12-05", 40.0), ("2024-12-12", 61.25)]
    cut = api("analis", "/api/risk/regions/65.03/history", since="2024-12-06").json()
    assert [p["date"] for p in cut["points"]] == ["2024-12-12"]


def test_the_forecast_carries_its_backtest_and_warns_when_it_does_not_beat_no_change(api: Any) -> None:
    run = BacktestRun.objects.create(
        source="worker", as_of=LATEST, regions=55, periods=26, origins=13, forecasts=715, base_rate=0.1,
        model_brier=0.09, no_change_brier=0.08, beats_no_change=False, beats_historical=True,
    )  # fmt: skip
    version = active_config().version
    for code, p in [("65.03.01", 0.4), ("65.03.02", 0.1), ("65.01.01", 0.7)]:
        ForecastValue.objects.create(
            date=LATEST, config_version=version, region_id=code, probability=p, backtest=run
        )
    body = api("analis_nunukan", "/api/risk/forecast").json()
    assert [r["code"] for r in body["results"]] == ["65.03.01", "65.03.02"]
    assert body["backtest"]["beats_no_change"] is False and "NOT beat" in body["warning"]
    assert body["horizon_days"] == 14


def test_snapshots_and_backtests_are_listed(api: Any) -> None:
    kabupaten_snapshots()
    body = api("analis", "/api/risk/snapshots").json()
    assert [(s["date"], s["regions"]) for s in body["results"]] == [("2024-12-12", 5), ("2024-12-05", 3)]
    scoped = api("analis_nunukan", "/api/risk/snapshots").json()
    assert [s["regions"] for s in scoped["results"]] == [1, 1]
    assert api("analis", "/api/risk/backtests").json() == {"count": 0, "results": []}


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/api/risk/scores", {"level": 5}, 422),
        ("/api/risk/scores", {"level": "dua"}, 422),
        ("/api/risk/scores", {}, 422),
        ("/api/risk/scores", {"level": 2, "parent": "65.x"}, 400),
        ("/api/risk/scores", {"level": 2, "parent": "65.99"}, 404),
        ("/api/risk/scores", {"level": 2, "parent": "65.01"}, 404),  # out of Nunukan's scope
        ("/api/risk/scores", {"level": 2, "category": "merah"}, 400),
        ("/api/risk/scores", {"level": 2, "sort": "populasi"}, 422),
        ("/api/risk/scores", {"level": 2, "at": "12/12/2024"}, 422),
        ("/api/risk/regions/65.01", {}, 404),
        ("/api/risk/regions/65.03.99", {}, 404),
        ("/api/risk/regions/6503999", {}, 400),
        ("/api/risk/regions/65.01/history", {}, 404),
        ("/api/risk/regions/65.03/history", {"since": "2024-12-10", "until": "2024-12-01"}, 400),
        ("/api/risk/forecast", {"parent": "65.01"}, 404),
    ],
)
def test_bad_input_answers_4xx_in_the_one_error_shape(
    api: Any, path: str, params: dict[str, Any], status: int
) -> None:
    kabupaten_snapshots()
    assert_error_shape(api("analis_nunukan", path, **params), status)


@pytest.mark.parametrize(
    "path",
    ["/api/risk/scores?level=2", "/api/risk/regions/65.03.01", "/api/risk/forecast", "/api/risk/snapshots"],
)
def test_a_reporter_gets_403_and_no_token_401(api: Any, client: Client, path: str) -> None:
    assert_error_shape(api("pelapor", path), 403)
    assert_error_shape(client.get(path), 401)


def test_an_old_configuration_s_indicator_keeps_its_id_as_label(api: Any) -> None:
    snap("65.03", 10.0, "rendah", EARLIER, version="lama", indikator_lama=10.0)
    body = api("analis", "/api/risk/regions/65.03").json()
    assert body["contributions"] == [
        {"id": "indikator_lama", "label": "indikator_lama", "dimension": "", "points": 10.0, "share": 1.0}
    ]
