"""An analyst acknowledges or dismisses a finding (page and API), audited; who may, and who may not."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from waspada.accounts.models import AuditLog
from waspada.elections.models import Election, RecapFinding

from .conftest import tps

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _plain_static(settings: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def findings(db: Any, write_csv: Any) -> dict[str, RecapFinding]:
    """An R1 finding in Bulungan (65.01) and one in Nunukan (65.03)."""
    Election.objects.create(
        code="pilpres-2024", name="Pilpres 2024", kind="pemilu", voting_date=date(2024, 2, 14)
    )
    nunukan = dict(
        tps(1, paslon1=70),
        tps_code="6503011001001",
        desa_code="6503011001",
        kab_code="6503",
        kec_code="650301",
    )
    path = write_csv([tps(1, paslon1=70), nunukan])
    call_command(
        "elections", "import-tps", "--tps-csv", str(path), "--election", "pilpres-2024", stdout=io.StringIO()
    )
    return {
        "bulungan": RecapFinding.objects.get(rule="R1", area_code="6501011001001"),
        "nunukan": RecapFinding.objects.get(rule="R1", area_code="6503011001001"),
    }


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_api(token: str, url: str, body: str) -> Any:
    return Client().post(url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_an_analyst_acknowledges_a_finding_on_its_page_and_it_is_audited(
    personas: dict[str, Any], findings: dict[str, RecapFinding]
) -> None:
    f = findings["bulungan"]
    client = client_for(personas["analis"])
    page = client.get(f"/pemilihan/temuan/{f.pk}/")
    assert page.status_code == 200 and 'name="status"' in page.content.decode()
    response = client.post(
        f"/pemilihan/temuan/{f.pk}/", {"status": "acknowledged", "note": "diteruskan ke KPU"}
    )
    assert response.status_code == 302
    f.refresh_from_db()
    assert (f.status, f.status_note, f.reviewed_by) == (
        "acknowledged",
        "diteruskan ke KPU",
        personas["analis"],
    )
    audit = AuditLog.objects.get(action="recap_finding.reviewed")
    assert audit.before == {"status": "open", "note": ""}
    assert audit.after == {"status": "acknowledged", "note": "diteruskan ke KPU"}
    assert (audit.object_id, audit.region_code, audit.actor) == (
        str(f.pk),
        "65.01.01.1001",
        personas["analis"],
    )


def test_dismissing_needs_a_note(personas: dict[str, Any], findings: dict[str, RecapFinding]) -> None:
    f = findings["bulungan"]
    response = client_for(personas["analis"]).post(
        f"/pemilihan/temuan/{f.pk}/", {"status": "dismissed", "note": " "}
    )
    assert response.status_code == 400 and "Beri catatan" in response.content.decode()
    f.refresh_from_db()
    assert f.status == "open" and not AuditLog.objects.filter(action="recap_finding.reviewed").exists()


def test_a_read_only_leader_sees_the_finding_but_may_not_review_it(
    personas: dict[str, Any], findings: dict[str, RecapFinding]
) -> None:
    f = findings["bulungan"]
    client = client_for(personas["pimpinan"])
    page = client.get(f"/pemilihan/temuan/{f.pk}/")
    assert page.status_code == 200 and 'name="status"' not in page.content.decode()
    assert client.post(f"/pemilihan/temuan/{f.pk}/", {"status": "acknowledged"}).status_code == 403


def test_a_finding_outside_the_scope_is_404_and_a_reporter_is_403(
    personas: dict[str, Any], findings: dict[str, RecapFinding]
) -> None:
    f = findings["bulungan"]
    nunukan = client_for(personas["analis_nunukan"])
    assert nunukan.get(f"/pemilihan/temuan/{f.pk}/").status_code == 404
    assert nunukan.post(f"/pemilihan/temuan/{f.pk}/", {"status": "acknowledged"}).status_code == 404
    assert nunukan.get(f"/pemilihan/temuan/{findings['nunukan'].pk}/").status_code == 200
    assert client_for(personas["pelapor"]).get(f"/pemilihan/temuan/{f.pk}/").status_code == 403
    assert client_for(personas["admin"]).get("/pemilihan/temuan/99999999999999999999/").status_code == 404


def test_the_api_reviews_a_finding_and_answers_errors_in_the_one_shape(
    personas: dict[str, Any], token_for: Any, findings: dict[str, RecapFinding]
) -> None:
    f = findings["nunukan"]
    token = token_for(personas["analis_nunukan"])
    response = post_api(
        token,
        f"/api/findings/{f.pk}/review",
        '{"status": "dismissed", "note": "salah ketik, sudah dibetulkan"}',
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["status_note"], body["reviewed_by"]) == (
        "dismissed",
        "salah ketik, sudah dibetulkan",
        personas["analis_nunukan"].username,
    )
    bad = post_api(token, f"/api/findings/{f.pk}/review", '{"status": "dismissed"}')
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid"
    assert (
        post_api(token, f"/api/findings/{findings['bulungan'].pk}/review", '{"status": "open"}').status_code
        == 404
    )
    leader = post_api(token_for(personas["pimpinan"]), f"/api/findings/{f.pk}/review", '{"status": "open"}')
    assert leader.status_code == 403 and set(leader.json()) == {"error"}
    assert post_api(token, f"/api/findings/{f.pk}/review", '{"status": "weg"}').status_code == 422
    got = Client().get(f"/api/findings/{f.pk}", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert got["status"] == "dismissed" and got["kind"] == "tps"


def test_a_review_survives_a_reimport_of_the_same_file(
    personas: dict[str, Any], findings: dict[str, RecapFinding], write_csv: Any
) -> None:
    f = findings["bulungan"]
    client_for(personas["analis"]).post(
        f"/pemilihan/temuan/{f.pk}/", {"status": "dismissed", "note": "dicek"}
    )
    nunukan = dict(
        tps(1, paslon1=70),
        tps_code="6503011001001",
        desa_code="6503011001",
        kab_code="6503",
        kec_code="650301",
    )
    path = write_csv([tps(1, paslon1=70), nunukan])
    call_command(
        "elections", "import-tps", "--tps-csv", str(path), "--election", "pilpres-2024", stdout=io.StringIO()
    )
    again = RecapFinding.objects.get(pk=f.pk)
    assert (again.status, again.status_note) == ("dismissed", "dicek")


def test_the_findings_list_filters_by_status_check_and_source(
    personas: dict[str, Any], findings: dict[str, RecapFinding]
) -> None:
    RecapFinding.objects.filter(pk=findings["bulungan"].pk).update(status="acknowledged")
    client = client_for(personas["analis"])
    acknowledged = client.get("/pemilihan/temuan/?status=acknowledged").context["page"]
    assert [f.pk for f in acknowledged] == [findings["bulungan"].pk]
    assert {f.kind for f in client.get("/pemilihan/temuan/?kind=tps").context["page"]} == {"tps"}
    assert client.get("/pemilihan/temuan/?source=saksi").context["page"].paginator.count == 0
    everything = client.get("/pemilihan/temuan/").context["page"].paginator.count
    ignored = client.get(
        "/pemilihan/temuan/", {"status": "weg", "kind": "x", "contest": "0", "election": "a b"}
    )
    assert ignored.status_code == 200 and ignored.context["page"].paginator.count == everything
