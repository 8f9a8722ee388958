"""The reports API: submitting (with idempotency keys), listing and reading in scope, review actions,
incidents, the taxonomy — and bad input on each, always answered in the one JSON error shape."""

from __future__ import annotations

import dataclasses
import json
import threading
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from waspada.accounts.models import AuditLog
from waspada.reports import idempotency
from waspada.reports.models import IdempotencyRecord, Incident, Report, Reporter
from waspada.reports.schemas import ReportIn
from waspada.reports.services import Submission, create_report

from ._db import run_committed

TARAKAN_DESA = "65.71.01.1001"  # Karang Anyar, Tarakan Barat, Kota Tarakan
SEBATIK_DESA = "65.03.01.2001"  # Tanjungkarang, Sebatik, Kabupaten Nunukan


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def assert_error_shape(response: Any) -> dict[str, Any]:
    assert response.status_code != 500
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert {"status", "code", "message"} <= set(error) <= {"status", "code", "message", "details"}
    assert error["status"] == response.status_code
    assert isinstance(error["message"], str) and error["message"]
    return error  # type: ignore[no-any-return]


def body(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "region": SEBATIK_DESA,
        "event_type": "intimidation",
        "occurred_at": (timezone.now() - timedelta(hours=2)).isoformat(),
        "description": "Sekelompok orang mendatangi rumah saksi paslon 2 dan mengancamnya.",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


class Api:
    """A test client that speaks JSON with one user's bearer token."""

    def __init__(self, client: Client, token: str | None) -> None:
        self.client = client
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def get(self, path: str, params: dict[str, Any] | None = None, **extra: Any) -> Any:
        return self.client.get(path, params or {}, **self.headers, **extra)

    def post(self, path: str, data: Any, *, key: str | None = None, raw: bool = False, **extra: Any) -> Any:
        headers = dict(self.headers, **extra)
        if key is not None:
            headers["HTTP_IDEMPOTENCY_KEY"] = key
        payload = data if raw else json.dumps(data)
        return self.client.post(path, payload, content_type="application/json", **headers)


@pytest.fixture
def api_for(client: Client, personas: dict[str, Any], token_for: Any) -> Any:
    def make(name: str) -> Api:
        return Api(client, token_for(personas[name]))

    return make


def stored(user: Any, region: str, **changes: Any) -> Report:
    """A report created through the service, as another channel would."""
    data = ReportIn.model_validate(body(region=region, **changes))
    return create_report(data, Submission(channel="web", user=user, check_scope=False))


# --- submitting ------------------------------------------------------------------------------------------


def test_it_creates_a_report_and_answers_201_with_it(api_for: Any, personas: dict[str, Any]) -> None:
    response = api_for("analis").post("/api/reports", body(threat_domain="politik", urgency="tinggi"))
    assert response.status_code == 201, response.content
    out = response.json()
    report = Report.objects.get(pk=out["id"])
    assert out["number"] == f"L-{report.pk}" and out["uid"] == str(report.uid)
    assert (out["region"]["code"], out["region"]["name"], out["region"]["level"]) == (
        SEBATIK_DESA,
        "Tanjungkarang",
        4,
    )
    assert (out["event_type"], out["threat_domain"], out["urgency"]) == ("intimidation", "politik", "tinggi")
    assert out["status"] == "baru" and out["channel"] == "api"
    assert report.submitted_by == personas["analis"] and report.channel == "api"
    assert "Idempotent-Replayed" not in response
    assert AuditLog.objects.filter(action="report.created", object_id=str(report.pk)).exists()


def test_a_report_posted_with_the_browser_session_comes_from_the_web_channel(
    client: Client, personas: dict[str, Any]
) -> None:
    client.force_login(personas["pelapor"])
    response = client.post(
        "/api/reports", json.dumps(body()), content_type="application/json", HTTP_IDEMPOTENCY_KEY="web-1"
    )
    assert response.status_code == 201, response.content
    assert response.json()["channel"] == "web"
    assert Report.objects.get(pk=response.json()["id"]).channel == "web"


def test_a_token_user_reports_as_one_reporter_created_on_first_use(
    api_for: Any, personas: dict[str, Any]
) -> None:
    api = api_for("pelapor")
    first = api.post("/api/reports", body()).json()
    second = api.post("/api/reports", body(description="Laporan kedua.")).json()
    reporter = Reporter.objects.get(user=personas["pelapor"])
    assert Report.objects.filter(pk__in=[first["id"], second["id"]], reporter=reporter).count() == 2
    assert first["reporter"] == second["reporter"] == {"pseudonym": reporter.pseudonym}


def test_a_pelapor_is_trusted_only_once_their_reporter_is_marked_trusted(
    api_for: Any, personas: dict[str, Any]
) -> None:
    api = api_for("pelapor")
    assert api.post("/api/reports", body()).json()["source_reliability"] == "belum_diketahui"
    Reporter.objects.filter(user=personas["pelapor"]).update(trusted=True)
    assert api.post("/api/reports", body()).json()["source_reliability"] == "terpercaya"


def test_an_official_s_report_is_trusted(api_for: Any) -> None:
    assert api_for("analis").post("/api/reports", body()).json()["source_reliability"] == "terpercaya"


def test_an_anonymous_report_keeps_no_reporter(api_for: Any) -> None:
    out = api_for("pelapor").post("/api/reports", body(anonymous=True)).json()
    report = Report.objects.get(pk=out["id"])
    assert out["reporter"] is None and report.reporter is None and report.submitted_by is None


def test_a_report_for_someone_else_keeps_their_identity_apart(api_for: Any) -> None:
    response = api_for("koordinator").post(
        "/api/reports", body(reporter={"name": "Pak Rahman", "phone": "+62 812 5555 0101"})
    )
    assert response.status_code == 201
    reporter = Report.objects.get(pk=response.json()["id"]).reporter
    assert reporter is not None and (reporter.name, reporter.phone, reporter.trusted) == (
        "Pak Rahman",
        "+62 812 5555 0101",
        False,
    )
    assert response.json()["reporter"]["name"] == "Pak Rahman"  # a koordinator may see it


def test_a_point_inside_the_region_makes_the_location_precise(api_for: Any) -> None:
    # Tarakan, near the port: the point falls in a Tarakan desa.
    out = api_for("analis").post("/api/reports", body(region="65.71", lon=117.6, lat=3.3)).json()
    assert out["region"]["code"].startswith("65.71.") and out["region"]["level"] == 4
    assert (out["lon"], out["lat"]) == (117.6, 3.3)


def test_script_in_text_fields_is_stored_verbatim_and_returned_as_json(api_for: Any) -> None:
    script = '<script>alert("x")</script>'
    response = api_for("analis").post(
        "/api/reports", body(description=f"Ada {script} di sini", actors=[{"type": "ormas", "text": script}])
    )
    assert response.status_code == 201
    assert response["Content-Type"].startswith("application/json")
    report = Report.objects.get(pk=response.json()["id"])
    assert report.description == f"Ada {script} di sini" and report.actors[0]["text"] == script
    again = api_for("analis").get(f"/api/reports/{report.pk}").json()
    assert again["description"] == f"Ada {script} di sini"
    assert again["actors"] == [{"type": "ormas", "paslon": None, "text": script}]


# --- bad input on submit -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"region": "65.99.99"}, "region", "65.99.99"),
        ({"region": "6599"}, "region", "65.99"),
        ({"region": "65.x"}, "region", ""),
        ({"occurred_at": "2999-01-01T10:00:00+08:00"}, "occurred_at", "masa depan"),
        ({"occurred_at": (timezone.now() + timedelta(days=2)).isoformat()}, "occurred_at", "masa depan"),
        ({"occurred_at": "2001-01-01T10:00:00+08:00"}, "occurred_at", "lima tahun"),
    ],
)
def test_it_rejects_a_report_naming_the_field(
    api_for: Any, changes: dict[str, Any], field: str, fragment: str
) -> None:
    before = Report.objects.count()
    response = api_for("analis").post("/api/reports", body(**changes))
    assert response.status_code == 422
    error = assert_error_shape(response)
    assert error["details"][0]["field"] == field
    assert fragment in error["message"]
    assert Report.objects.count() == before


@pytest.mark.parametrize(
    "changes",
    [
        {"description": ""},
        {"description": "   \n  "},
        {"event_type": "gempa_bumi"},
        {"occurred_at": "kemarin sore"},
        {"killed": -1},
        {"urgency": "sangat"},
        {"actors": [{"type": "alien"}]},
        {"lon": 117.6},
        {"unknown_field": 1},
    ],
)
def test_invalid_fields_answer_422_and_store_nothing(api_for: Any, changes: dict[str, Any]) -> None:
    before = Report.objects.count()
    response = api_for("analis").post("/api/reports", body(**changes))
    assert response.status_code == 422, response.content
    assert assert_error_shape(response)["details"]
    assert Report.objects.count() == before


@pytest.mark.parametrize("missing", ["region", "event_type", "occurred_at", "description"])
def test_each_required_field_is_required(api_for: Any, missing: str) -> None:
    data = body()
    del data[missing]
    response = api_for("analis").post("/api/reports", data)
    assert response.status_code == 422
    assert any(missing in d["field"] for d in assert_error_shape(response)["details"])


def test_a_region_outside_the_callers_scope_is_403_and_stores_nothing(api_for: Any) -> None:
    response = api_for("pelapor").post("/api/reports", body(region=TARAKAN_DESA))
    assert response.status_code == 403
    error = assert_error_shape(response)
    assert error["details"] == [{"field": "region", "message": error["message"]}]
    assert not Report.objects.exists()


def test_a_one_megabyte_description_is_refused_and_nothing_stored(api_for: Any) -> None:
    response = api_for("analis").post("/api/reports", body(description="a" * 1_000_000))
    assert response.status_code in {413, 422}
    assert_error_shape(response)
    assert not Report.objects.exists()


def test_a_body_over_the_upload_limit_is_413(api_for: Any, settings: Any) -> None:
    response = api_for("analis").post(
        "/api/reports", body(description="a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1))
    )
    assert response.status_code == 413
    assert assert_error_shape(response)["code"] == "too_large"
    assert not Report.objects.exists()


@pytest.mark.parametrize("raw", ['{"region": "65.03",', "bukan json", "\x00\x01", '{"a": NaN'])
def test_malformed_json_is_400(api_for: Any, raw: str) -> None:
    response = api_for("analis").post("/api/reports", raw, raw=True)
    assert response.status_code == 400
    assert assert_error_shape(response)["code"] == "malformed_json"


@pytest.mark.parametrize("raw", ["[]", '"teks"', "null", "42"])
def test_json_that_is_not_an_object_is_422(api_for: Any, raw: str) -> None:
    response = api_for("analis").post("/api/reports", raw, raw=True)
    assert response.status_code in {400, 422}
    assert_error_shape(response)
    assert not Report.objects.exists()


@pytest.mark.parametrize("token", [None, "wsp_salah", "x" * 300])
def test_a_wrong_or_missing_token_is_401(client: Client, db: Any, token: str | None) -> None:
    response = Api(client, token).post("/api/reports", body())
    assert response.status_code == 401
    assert assert_error_shape(response)["code"] == "unauthorized"
    assert not Report.objects.exists()


def test_a_read_only_role_cannot_submit(api_for: Any) -> None:
    response = api_for("pimpinan").post("/api/reports", body())
    assert response.status_code == 403
    assert_error_shape(response)


# --- idempotency ---------------------------------------------------------------------------------------


def test_the_same_key_and_body_give_the_same_report_again(api_for: Any) -> None:
    api, data = api_for("pelapor"), body()
    first = api.post("/api/reports", data, key="kunci-1")
    again = api.post("/api/reports", data, key="kunci-1")
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert Report.objects.count() == 1 and IdempotencyRecord.objects.count() == 1


def test_key_order_and_whitespace_do_not_make_another_body(api_for: Any) -> None:
    api = api_for("pelapor")
    data = body()
    first = api.post("/api/reports", data, key="k")
    reordered = json.dumps(dict(reversed(list(data.items()))), indent=2)
    again = api.post("/api/reports", reordered, key="k", raw=True)
    assert again.json()["id"] == first.json()["id"]
    assert Report.objects.count() == 1


def test_the_same_key_with_another_body_is_409(api_for: Any) -> None:
    api = api_for("pelapor")
    api.post("/api/reports", body(), key="kunci-1")
    response = api.post("/api/reports", body(description="Isi lain."), key="kunci-1")
    assert response.status_code == 409
    assert assert_error_shape(response)["code"] == "idempotency_key_reused"
    assert Report.objects.count() == 1


def test_keys_belong_to_one_user(api_for: Any) -> None:
    data = body()
    first = api_for("pelapor").post("/api/reports", data, key="sama")
    other = api_for("analis").post("/api/reports", data, key="sama")
    assert other.status_code == 201 and "Idempotent-Replayed" not in other
    assert other.json()["id"] != first.json()["id"]


def test_a_rejected_request_does_not_use_up_its_key(api_for: Any) -> None:
    api = api_for("analis")
    assert api.post("/api/reports", body(region="65.99"), key="k").status_code == 422
    response = api.post("/api/reports", body(), key="k")
    assert response.status_code == 201 and "Idempotent-Replayed" not in response


@pytest.mark.parametrize("key", ["", "x" * 201])
def test_an_empty_or_too_long_key_is_422(api_for: Any, key: str) -> None:
    response = api_for("analis").post("/api/reports", body(), key=key)
    assert response.status_code == 422
    assert "Idempotency-Key" in json.dumps(assert_error_shape(response)["details"])
    assert not Report.objects.exists()


def test_a_key_of_200_characters_is_accepted(api_for: Any) -> None:
    assert api_for("analis").post("/api/reports", body(), key="k" * 200).status_code == 201


def test_a_request_that_loses_the_race_for_its_key_answers_with_the_winners_report(
    api_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second request does not see the first one's record when it looks (they ran at the same time);
    its insert hits the unique constraint, its own report is rolled back, and it replays the first."""
    api, data = api_for("pelapor"), body()
    first = api.post("/api/reports", data, key="balapan").json()
    real_find = idempotency._find
    calls = []

    def late_find(scope: str, key: str) -> Any:
        calls.append(key)
        return None if len(calls) == 1 else real_find(scope, key)

    monkeypatch.setattr(idempotency, "_find", late_find)
    again = api.post("/api/reports", data, key="balapan")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first["id"]
    assert Report.objects.count() == 1
    other = api.post("/api/reports", body(description="Lain."), key="balapan")
    assert other.status_code == 409


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs two real connections (PostgreSQL)")
def test_two_simultaneous_requests_with_one_key_create_one_report(
    db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two threads, two database connections, both past the first look-up before either commits."""
    from waspada.api import reports as api_reports

    state = run_committed(_make_committed_user)
    barrier = threading.Barrier(2, timeout=20)
    real_create = api_reports.create_report

    def create_then_wait(data: ReportIn, sub: Submission) -> Report:
        remember = sub.on_created
        assert remember is not None

        def wait_then_remember(report: Report) -> None:
            barrier.wait()  # both reports exist, uncommitted; now both insert the key record
            remember(report)

        return real_create(data, dataclasses.replace(sub, on_created=wait_then_remember))

    monkeypatch.setattr(api_reports, "create_report", create_then_wait)
    results: list[Any] = [None, None]
    data = body()

    def post(i: int) -> None:
        try:
            results[i] = Api(Client(), state["token"]).post("/api/reports", data, key="serentak")
        finally:
            connections.close_all()

    try:
        threads = [threading.Thread(target=post, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert [r.status_code for r in results] == [201, 201]
        assert results[0].json()["id"] == results[1].json()["id"]
        assert sorted(r.get("Idempotent-Replayed", "") for r in results) == ["", "true"]
        counts = run_committed(lambda: Report.objects.filter(submitted_by_id=state["user_id"]).count())
        assert counts == 1
    finally:
        run_committed(lambda: _delete_committed_user(state["user_id"]))


def _make_committed_user() -> dict[str, Any]:
    from waspada.accounts.management.commands.users import upsert_user
    from waspada.accounts.models import ApiToken
    from waspada.regions.models import Region

    user, _ = upsert_user("serentak.analis", "analis", Region.objects.get(code="65"), None)
    return {"user_id": user.pk, "token": ApiToken.issue(user, "test")[1]}


def _delete_committed_user(user_id: int) -> None:
    from django.contrib.auth import get_user_model

    ids = list(Report.objects.filter(submitted_by_id=user_id).values_list("pk", flat=True))
    IdempotencyRecord.objects.filter(report_id__in=ids).delete()
    AuditLog.objects.filter(object_type="reports.report", object_id__in=[str(i) for i in ids]).delete()
    Report.objects.filter(pk__in=ids).delete()
    Reporter.objects.filter(user_id=user_id).delete()
    AuditLog.objects.filter(object_type="auth.user", object_id=str(user_id)).delete()
    get_user_model().objects.filter(pk=user_id).delete()


# --- listing and reading -------------------------------------------------------------------------------


@pytest.fixture
def two_reports(personas: dict[str, Any]) -> dict[str, Report]:
    """One report in Tarakan (from the admin) and one in Sebatik, Nunukan (from the pelapor)."""
    tarakan = stored(personas["admin"], TARAKAN_DESA, event_type="riot")
    reporter = Reporter.objects.create(
        user=personas["pelapor"], name="Bu Sari", phone="08125550000", chat_id="777"
    )
    sebatik = create_report(
        ReportIn.model_validate(body()),
        Submission(channel="api", user=personas["pelapor"], reporter=reporter),
    )
    return {"tarakan": tarakan, "sebatik": sebatik}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", {"tarakan", "sebatik"}),
        ("koordinator", {"tarakan", "sebatik"}),
        ("analis", {"tarakan", "sebatik"}),
        ("analis_nunukan", {"sebatik"}),
        ("pelapor", {"sebatik"}),
    ],
)
def test_the_list_holds_what_the_caller_may_see(
    api_for: Any, two_reports: dict[str, Report], role: str, expected: set[str]
) -> None:
    response = api_for(role).get("/api/reports")
    assert response.status_code == 200
    ids = {r["id"] for r in response.json()["results"]}
    assert ids == {two_reports[name].pk for name in expected}
    assert response.json()["count"] == len(expected)


def test_a_pelapor_sees_only_their_own_reports_even_in_their_region(
    api_for: Any, personas: dict[str, Any], two_reports: dict[str, Report]
) -> None:
    stored(personas["analis"], SEBATIK_DESA)  # same desa, someone else's
    ids = [r["id"] for r in api_for("pelapor").get("/api/reports").json()["results"]]
    assert ids == [two_reports["sebatik"].pk]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("koordinator", 200),
        ("analis", 200),
        ("analis_nunukan", 404),
        ("pimpinan", 403),
        ("pelapor", 404),
    ],
)
def test_reading_a_tarakan_report(
    api_for: Any, two_reports: dict[str, Report], role: str, status: int
) -> None:
    response = api_for(role).get(f"/api/reports/{two_reports['tarakan'].pk}")
    assert response.status_code == status
    if status != 200:
        assert_error_shape(response)


def test_pimpinan_gets_403_on_the_report_list(api_for: Any, two_reports: dict[str, Report]) -> None:
    assert_error_shape(api_for("pimpinan").get("/api/reports"))


@pytest.mark.parametrize("role", ["koordinator", "admin"])
def test_coordinators_see_the_reporters_identity(
    api_for: Any, two_reports: dict[str, Report], role: str
) -> None:
    out = api_for(role).get(f"/api/reports/{two_reports['sebatik'].pk}").json()
    pseudonym = two_reports["sebatik"].reporter.pseudonym  # type: ignore[union-attr]
    assert out["reporter"] == {
        "pseudonym": pseudonym,
        "name": "Bu Sari",
        "phone": "08125550000",
        "chat_id": "777",
    }


@pytest.mark.parametrize("role", ["analis", "analis_nunukan", "pelapor"])
def test_everyone_else_sees_only_a_pseudonym(api_for: Any, two_reports: dict[str, Report], role: str) -> None:
    response = api_for(role).get(f"/api/reports/{two_reports['sebatik'].pk}")
    assert response.json()["reporter"] == {"pseudonym": two_reports["sebatik"].reporter.pseudonym}  # type: ignore[union-attr]
    assert "Bu Sari" not in response.content.decode() and "08125550000" not in response.content.decode()
    listed = api_for(role).get("/api/reports").content.decode()
    assert "Bu Sari" not in listed and "08125550000" not in listed


def test_a_report_without_a_reporter_shows_null(api_for: Any, two_reports: dict[str, Report]) -> None:
    assert api_for("koordinator").get(f"/api/reports/{two_reports['tarakan'].pk}").json()["reporter"] is None


@pytest.mark.parametrize(("report_id"), ["0", "-1", "abc", "9" * 30, "1.5"])
def test_a_malformed_report_id_is_an_error_not_a_crash(api_for: Any, report_id: str) -> None:
    response = api_for("admin").get(f"/api/reports/{report_id}")
    assert response.status_code in {404, 422}
    assert_error_shape(response)


def test_an_unknown_report_is_404(api_for: Any) -> None:
    response = api_for("admin").get("/api/reports/999999")
    assert response.status_code == 404
    assert "L-999999" in assert_error_shape(response)["message"]


def test_the_list_filters_by_region_type_status_and_time(
    api_for: Any, personas: dict[str, Any], two_reports: dict[str, Report]
) -> None:
    api = api_for("admin")
    old = stored(personas["admin"], "65.71.02", event_type="riot")
    Report.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=10), status="ditolak")

    def ids(**params: Any) -> set[int]:
        response = api.get("/api/reports", params)
        assert response.status_code == 200, response.content
        return {r["id"] for r in response.json()["results"]}

    tarakan, sebatik = two_reports["tarakan"].pk, two_reports["sebatik"].pk
    assert ids(region="65.71") == {tarakan, old.pk}
    assert ids(region="6571") == {tarakan, old.pk}
    assert ids(region="65.71.01") == {tarakan}
    assert ids(region="65") == {tarakan, sebatik, old.pk}
    assert ids(event_type="riot") == {tarakan, old.pk}
    assert ids(status="ditolak") == {old.pk}
    assert ids(status="baru", event_type="riot") == {tarakan}
    assert ids(since=(timezone.now() - timedelta(days=1)).isoformat()) == {tarakan, sebatik}
    assert ids(since=(timezone.now() - timedelta(days=1)).date().isoformat()) == {tarakan, sebatik}
    assert ids(region="65.03", event_type="riot") == set()


def test_the_list_is_newest_first_and_paged(api_for: Any, personas: dict[str, Any]) -> None:
    made = [stored(personas["admin"], SEBATIK_DESA, description=f"Laporan {i}").pk for i in range(5)]
    api = api_for("admin")
    first = api.get("/api/reports", {"limit": 2}).json()
    second = api.get("/api/reports", {"limit": 2, "offset": 2}).json()
    assert first["count"] == second["count"] == 5
    assert [r["id"] for r in first["results"] + second["results"]] == list(reversed(made))[:4]


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"region": "65.x"}, 400),
        ({"region": "65.99"}, 422),
        ({"event_type": "gempa"}, 422),
        ({"status": "selesai"}, 422),
        ({"since": "kemarin"}, 422),
        ({"since": "0001-01-01T00:00:00+14:00"}, 422),
        ({"limit": 201}, 422),
        ({"limit": 0}, 422),
        ({"offset": -1}, 422),
        ({"region": "x" * 50}, 422),
    ],
)
def test_a_bad_filter_is_an_error_in_the_shape(api_for: Any, params: dict[str, Any], status: int) -> None:
    response = api_for("admin").get("/api/reports", params)
    assert response.status_code == status, response.content
    assert_error_shape(response)


# --- review actions ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("koordinator", 200),
        ("analis", 200),
        ("analis_nunukan", 404),
        ("pimpinan", 403),
        ("pelapor", 403),
    ],
)
def test_changing_the_status_of_a_tarakan_report(
    api_for: Any, two_reports: dict[str, Report], role: str, status: int
) -> None:
    report = two_reports["tarakan"]
    response = api_for(role).post(
        f"/api/reports/{report.pk}/status", {"status": "terverifikasi", "reason": "cek"}
    )
    assert response.status_code == status
    report.refresh_from_db()
    if status == 200:
        assert response.json()["status"] == "terverifikasi" == report.status
        assert AuditLog.objects.filter(action="report.status", object_id=str(report.pk)).exists()
    else:
        assert_error_shape(response)
        assert report.status == "baru"


def test_a_status_that_needs_a_reason_without_one_is_422(
    api_for: Any, two_reports: dict[str, Report]
) -> None:
    response = api_for("analis").post(
        f"/api/reports/{two_reports['tarakan'].pk}/status", {"status": "ditolak"}
    )
    assert response.status_code == 422
    assert_error_shape(response)


def test_an_impossible_transition_is_409(api_for: Any, two_reports: dict[str, Report]) -> None:
    api = api_for("analis")
    url = f"/api/reports/{two_reports['tarakan'].pk}/status"
    api.post(url, {"status": "ditolak", "reason": "hoaks"})
    response = api.post(url, {"status": "terverifikasi"})
    assert response.status_code == 409
    assert_error_shape(response)


def test_a_report_locked_by_another_analyst_is_423(
    api_for: Any, personas: dict[str, Any], two_reports: dict[str, Report]
) -> None:
    from waspada.reports.services import acquire_lock

    acquire_lock(two_reports["tarakan"], personas["koordinator"])
    response = api_for("analis").post(
        f"/api/reports/{two_reports['tarakan'].pk}/status", {"status": "terverifikasi"}
    )
    assert response.status_code == 423
    assert assert_error_shape(response)["code"] == "locked"


@pytest.mark.parametrize("payload", [{"status": "selesai"}, {}, {"status": "baru", "reason": "x" * 3000}])
def test_a_bad_status_body_is_422(
    api_for: Any, two_reports: dict[str, Report], payload: dict[str, Any]
) -> None:
    response = api_for("analis").post(f"/api/reports/{two_reports['tarakan'].pk}/status", payload)
    assert response.status_code == 422
    assert_error_shape(response)


# --- incidents -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 201),
        ("koordinator", 201),
        ("analis", 201),
        ("analis_nunukan", 404),
        ("pimpinan", 403),
        ("pelapor", 403),
    ],
)
def test_forming_an_incident_from_a_tarakan_report(
    api_for: Any, two_reports: dict[str, Report], role: str, status: int
) -> None:
    report = two_reports["tarakan"]
    response = api_for(role).post(
        "/api/incidents", {"reports": [report.pk], "title": "Ricuh di Tarakan Barat"}
    )
    assert response.status_code == status
    if status == 201:
        out = response.json()
        assert (out["title"], out["region"]["code"], out["report_count"], out["reports"]) == (
            "Ricuh di Tarakan Barat",
            TARAKAN_DESA,
            1,
            [report.pk],
        )
        report.refresh_from_db()
        assert report.incident_id == out["id"] and report.status == "terverifikasi"
    else:
        assert_error_shape(response)
        assert not Incident.objects.exists()


@pytest.fixture
def incident(personas: dict[str, Any], two_reports: dict[str, Report]) -> Incident:
    from waspada.reports.services import create_incident

    return create_incident([two_reports["tarakan"]], personas["admin"], title="Ricuh")


@pytest.mark.parametrize(
    ("role", "visible"),
    [("admin", True), ("analis", True), ("pimpinan", True), ("analis_nunukan", False)],
)
def test_incidents_are_listed_in_scope(api_for: Any, incident: Incident, role: str, visible: bool) -> None:
    response = api_for(role).get("/api/incidents")
    assert response.status_code == 200
    assert [i["id"] for i in response.json()["results"]] == ([incident.pk] if visible else [])
    detail = api_for(role).get(f"/api/incidents/{incident.pk}")
    assert detail.status_code == (200 if visible else 404)


def test_pimpinan_sees_the_incident_but_not_the_reports_behind_it(api_for: Any, incident: Incident) -> None:
    out = api_for("pimpinan").get(f"/api/incidents/{incident.pk}").json()
    assert out["report_count"] == 1 and out["reports"] == []


def test_a_pelapor_cannot_list_incidents(api_for: Any, incident: Incident) -> None:
    assert api_for("pelapor").get("/api/incidents").status_code == 403
    assert api_for("pelapor").get(f"/api/incidents/{incident.pk}").status_code == 403


def test_incidents_filter_by_region_and_status(api_for: Any, incident: Incident) -> None:
    api = api_for("admin")
    assert api.get("/api/incidents", {"region": "65.71"}).json()["count"] == 1
    assert api.get("/api/incidents", {"region": "65.03"}).json()["count"] == 0
    assert api.get("/api/incidents", {"status": "aktif"}).json()["count"] == 1
    assert api.get("/api/incidents", {"status": "selesai"}).json()["count"] == 0
    assert api.get("/api/incidents", {"event_type": "riot"}).json()["count"] == 1


@pytest.mark.parametrize(
    ("role", "status"),
    [("analis", 200), ("koordinator", 200), ("analis_nunukan", 404), ("pimpinan", 403), ("pelapor", 403)],
)
def test_merging_a_duplicate_into_an_incident(
    api_for: Any, personas: dict[str, Any], incident: Incident, role: str, status: int
) -> None:
    duplicate = stored(personas["admin"], TARAKAN_DESA, event_type="riot", description="Kericuhan yang sama.")
    response = api_for(role).post(f"/api/incidents/{incident.pk}/reports", {"report": duplicate.pk})
    assert response.status_code == status
    duplicate.refresh_from_db()
    if status == 200:
        assert response.json()["report_count"] == 2
        assert duplicate.incident_id == incident.pk and duplicate.status == "digabung"
    else:
        assert_error_shape(response)
        assert duplicate.incident_id is None


def test_merging_a_report_the_caller_cannot_see_is_404(
    api_for: Any, personas: dict[str, Any], two_reports: dict[str, Report]
) -> None:
    from waspada.reports.services import create_incident

    sebatik_incident = create_incident([two_reports["sebatik"]], personas["admin"])
    response = api_for("analis_nunukan").post(
        f"/api/incidents/{sebatik_incident.pk}/reports", {"report": two_reports["tarakan"].pk}
    )
    assert response.status_code == 404
    assert_error_shape(response)


@pytest.mark.parametrize(
    ("role", "status"), [("analis", 200), ("analis_nunukan", 404), ("pimpinan", 403), ("pelapor", 403)]
)
def test_changing_an_incident_status(api_for: Any, incident: Incident, role: str, status: int) -> None:
    response = api_for(role).post(
        f"/api/incidents/{incident.pk}/status", {"status": "ditangani", "reason": "Polres turun"}
    )
    assert response.status_code == status
    incident.refresh_from_db()
    assert incident.status == ("ditangani" if status == 200 else "aktif")


@pytest.mark.parametrize(
    "payload", [{"reports": []}, {"reports": ["abc"]}, {"reports": [0]}, {"reports": [1, 1]}, {"title": "x"}]
)
def test_a_bad_incident_body_is_422(
    api_for: Any, two_reports: dict[str, Report], payload: dict[str, Any]
) -> None:
    if payload.get("reports") == [1, 1]:
        payload = {"reports": [two_reports["tarakan"].pk] * 2}
    response = api_for("analis").post("/api/incidents", payload)
    assert response.status_code == 422
    assert_error_shape(response)
    assert not Incident.objects.exists()


def test_a_report_already_in_an_incident_cannot_form_another(api_for: Any, incident: Incident) -> None:
    response = api_for("analis").post("/api/incidents", {"reports": [incident.reports.get().pk]})
    assert response.status_code == 409
    assert_error_shape(response)


# --- taxonomy ------------------------------------------------------------------------------------------


def test_the_taxonomy_is_public_and_lists_every_event_type(client: Client, db: Any) -> None:
    from waspada import taxonomy

    response = client.get("/api/taxonomy")
    assert response.status_code == 200
    out = response.json()
    assert [e["code"] for e in out["event_types"]] == [e.code for e in taxonomy.EVENT_TYPES]
    riot = next(e for e in out["event_types"] if e["code"] == "riot")
    assert riot["label_id"] == "Kerusuhan / unjuk rasa anarkis" == riot["label"]
    assert (riot["acled_event_type"], riot["acled_sub_event_type"], riot["snpk_category"]) == (
        "Riots",
        "Violent demonstration",
        "pemilihan dan jabatan",
    )
    assert {a["code"] for a in out["actor_types"]} >= {"paslon_supporters", "kpu_staff", "police", "unknown"}
    assert [u["code"] for u in out["urgency"]] == ["rendah", "sedang", "tinggi", "darurat"]
    assert {c["code"] for c in out["channels"]} >= {"web", "sms", "telegram", "api"}
    assert [g["value"] for g in out["geo_precision"]] == [1, 2, 3, 4]
    assert {s["code"] for s in out["report_statuses"]} == {
        "baru",
        "perlu_klarifikasi",
        "terverifikasi",
        "ditolak",
        "digabung",
    }
    assert len(out["threat_domains"]) == 6


def test_the_taxonomy_labels_follow_the_language_asked_for(client: Client, db: Any) -> None:
    out = client.get("/api/taxonomy", {"lang": "en"}).json()
    riot = next(e for e in out["event_types"] if e["code"] == "riot")
    assert riot["label"] == riot["label_en"] == "Riot / violent demonstration"
    assert client.get("/api/taxonomy", {"lang": "xx"}).status_code == 422


def test_the_taxonomy_labels_follow_the_language_chosen_in_the_application(
    client: Client, db: Any, settings: Any
) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    riot = next(e for e in client.get("/api/taxonomy").json()["event_types"] if e["code"] == "riot")
    assert riot["label"] == "Riot / violent demonstration"
