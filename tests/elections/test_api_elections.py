"""/api/contests, /api/findings and /api/tps: shapes, scope, and the one error shape."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from .test_pages import load_results

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def results(write_csv: Any) -> dict[str, Any]:
    """The same imported results as the pages' tests."""
    return load_results(write_csv)


def get(token: str | None, url: str) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return Client().get(url, **headers)


def error_of(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"} and body["error"]["status"] == status
    assert body["error"]["message"] and body["error"]["code"]
    return body["error"]  # type: ignore[no-any-return]


def test_contests_lists_the_contests_in_scope(personas: dict[str, Any], token_for: Any, results: Any) -> None:
    everything = get(token_for(personas["analis"]), "/api/contests").json()
    assert everything["count"] == 6
    row = next(c for c in everything["results"] if c["region_code"] == "65.04")
    assert row == {
        "id": results["ktt"].pk,
        "election": row["election"],
        "election_name": row["election_name"],
        "office": "bupati",
        "region_code": "65.04",
        "region_name": row["region_name"],
        "valid_votes": row["valid_votes"],
        "margin": 435,
    }
    nunukan = get(token_for(personas["analis_nunukan"]), "/api/contests").json()
    assert [c["region_code"] for c in nunukan["results"]] == ["65.03"]


def test_a_contest_has_margins_pasal_158_stage_and_tiers(
    personas: dict[str, Any], token_for: Any, results: Any
) -> None:
    body = get(token_for(personas["pimpinan"]), f"/api/contests/{results['ktt'].pk}").json()
    assert body["margin"] == 435
    assert [c["votes"] for c in body["candidates"]] == [8982, 8547]
    pasal = body["pasal158"]
    assert pasal["threshold_percent"] == 2.0 and pasal["any_eligible"] is False
    assert pasal["standings"][0]["margin_votes"] == 435 and pasal["standings"][0]["eligible"] is False
    assert body["pasal158_error"] is None
    assert body["stage"]["code"]
    assert body["tiers"] == [
        {
            "tier": "tps",
            "source": "sirekap",
            "areas": 2,
            "votes": {"1": 126, "2": 236, "3": 34},
            "valid_votes": 396,
            "findings": 0,
        }
    ]
    assert body["pasal158_basis"] == "final" and body["provisional"]["tier"] == "tps"
    assert (
        body["fingerprint"]["status"] == "data_kurang" and "terlalu sedikit" in body["fingerprint"]["verdict"]
    )


def test_a_contest_without_final_votes_explains_why_there_are_no_margins(
    personas: dict[str, Any], token_for: Any, results: Any
) -> None:
    from waspada.elections.models import Contest

    malinau = Contest.objects.get(region_id="65.02")
    body = get(token_for(personas["analis"]), f"/api/contests/{malinau.pk}").json()
    assert body["pasal158"] is None and "tidak lengkap" in body["pasal158_error"]


def test_findings_filter_by_rule_severity_and_region(
    personas: dict[str, Any], token_for: Any, results: Any
) -> None:
    token = token_for(personas["analis"])
    r1 = get(token, "/api/findings?rule=R1").json()
    assert r1["count"] >= 3 and {f["rule"] for f in r1["results"]} == {"R1"}
    first = r1["results"][0]
    assert set(first) == {
        "id",
        "election",
        "contest_id",
        "source",
        "other_source",
        "kind",
        "rule",
        "severity",
        "area_code",
        "region_code",
        "values",
        "message",
        "suggested",
        "status",
        "status_note",
        "reviewed_by",
        "reviewed_at",
        "found_at",
    }
    assert first["status"] == "open" and first["message"]
    errors = get(token, "/api/findings?severity=error").json()["results"]
    assert errors and {f["severity"] for f in errors} == {"error"}
    nunukan = get(token, "/api/findings?region=6503").json()
    assert nunukan["count"] >= 1 and all(f["region_code"].startswith("65.03.") for f in nunukan["results"])
    scoped = get(token_for(personas["analis_nunukan"]), "/api/findings").json()
    assert scoped["count"] == nunukan["count"]


def test_tps_has_every_source_and_version(personas: dict[str, Any], token_for: Any, results: Any) -> None:
    body = get(token_for(personas["analis"]), "/api/tps/6501011001001").json()
    assert body["code"] == "6501011001001" and body["region_code"] == "65.01.01.1001"
    seen = {(r["election"], r["source"], r["version"], r["is_current"]) for r in body["records"]}
    assert ("pilpres-2024", "saksi", 2, True) in seen and ("pilpres-2024", "saksi", 1, False) in seen
    saksi2 = next(r for r in body["records"] if r["source"] == "saksi" and r["version"] == 2)
    assert saksi2["votes"] == {"1": 63, "2": 120, "3": 17}
    assert saksi2["counts"]["dpt"] == 250 and saksi2["file_name"] == "saksi.csv" and saksi2["row_number"] == 2


def test_a_field_reporter_gets_403(personas: dict[str, Any], token_for: Any, results: Any) -> None:
    token = token_for(personas["pelapor"])
    for url in [
        "/api/contests",
        f"/api/contests/{results['ktt'].pk}",
        "/api/findings",
        "/api/tps/6503011001001",
    ]:
        error_of(get(token, url), 403)


def test_out_of_scope_gets_404(personas: dict[str, Any], token_for: Any, results: Any) -> None:
    token = token_for(personas["analis_nunukan"])
    error_of(get(token, f"/api/contests/{results['ktt'].pk}"), 404)
    error_of(get(token, "/api/tps/6501011001001"), 404)
    assert get(token, "/api/tps/6503011001001").status_code == 200


def test_bad_input_answers_in_the_error_shape(personas: dict[str, Any], token_for: Any, results: Any) -> None:
    token = token_for(personas["admin"])
    assert error_of(get(token, "/api/tps/12345"), 400)["code"] == "invalid_code"
    assert error_of(get(token, "/api/findings?region=65.x"), 400)["code"] == "invalid_code"
    error_of(get(token, "/api/findings?severity=fatal"), 422)
    error_of(get(token, "/api/contests/0"), 422)
    error_of(get(token, "/api/contests/999999"), 404)
    error_of(get(token, "/api/tps/6501011001999"), 404)
    error_of(get(None, "/api/contests"), 401)
