"""The fingerprint figure (contest page, per-region forensics page, SVG download, API) with its honest "too
few data" answer, the results import page with its template, and the demo's real Pilkada counts."""

from __future__ import annotations

import gzip
import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from waspada.accounts.models import AuditLog
from waspada.elections.models import Contest, Election, ResultRecord

from .conftest import csv_text, tps

pytestmark = pytest.mark.django_db

KALTARA_2024 = "kaltara_pilpres2024_tps_sirekap.csv"


@pytest.fixture(autouse=True)
def _plain_static(settings: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def kaltara_pilpres(db: Any, elections_dir: Path) -> Election:
    from waspada.demo import load

    load.load_pilpres_tps(elections_dir / KALTARA_2024)
    return Election.objects.get(code="pilpres-2024")


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_forensics_page_draws_kaltaras_fingerprint_and_lists_every_test(
    personas: dict[str, Any], kaltara_pilpres: Election
) -> None:
    page = client_for(personas["analis"]).get("/pemilihan/forensik/pilpres-2024/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
    figure = page.context["figure"]
    assert (figure.region, figure.source, figure.tps) == ("65", "sirekap", 2295)
    tests = {r.test: r for r in figure.report.results}
    assert set(tests) >= {"2BL", "LAST_DIGIT", "LAST_DIGIT_05", "KOBAK_TURNOUT", "KOBAK_SHARE", "FINGERPRINT"}
    assert tests["2BL"].expected == pytest.approx(4.187) and tests["FINGERPRINT"].status != "data_kurang"


def test_a_small_region_gets_the_too_few_data_answer_instead_of_a_figure(
    personas: dict[str, Any], kaltara_pilpres: Election
) -> None:
    client = client_for(personas["analis"])
    page = client.get("/pemilihan/forensik/pilpres-2024/", {"region": "65.03.12.2001"})
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" not in html and 'id="fingerprint-too-few"' in html
    assert "Data terlalu sedikit" in html
    assert (
        client.get("/pemilihan/forensik/pilpres-2024/sidik-jari.svg", {"region": "65.03.12.2001"}).status_code
        == 404
    )
    svg = client.get("/pemilihan/forensik/pilpres-2024/sidik-jari.svg", {"region": "65.01"})
    assert svg.status_code == 200 and svg["Content-Type"].startswith("image/svg+xml")


def test_forensics_stay_inside_the_scope(personas: dict[str, Any], kaltara_pilpres: Election) -> None:
    nunukan = client_for(personas["analis_nunukan"])
    own = nunukan.get("/pemilihan/forensik/pilpres-2024/")
    assert own.status_code == 200 and own.context["figure"].region == "65.03"
    assert nunukan.get("/pemilihan/forensik/pilpres-2024/", {"region": "65.01"}).status_code == 404
    assert nunukan.get("/pemilihan/forensik/pemilu-1999/").status_code == 404
    assert client_for(personas["pelapor"]).get("/pemilihan/forensik/pilpres-2024/").status_code == 403


def test_the_api_gives_the_tests_and_the_fingerprint_counts(
    personas: dict[str, Any], token_for: Any, kaltara_pilpres: Election
) -> None:
    token = token_for(personas["analis"])
    body = (
        Client()
        .get("/api/elections/pilpres-2024/forensics?region=6501", HTTP_AUTHORIZATION=f"Bearer {token}")
        .json()
    )
    assert body["region"] == "65.01" and body["source"] == "sirekap" and body["tps"] > 50
    assert {t["test"] for t in body["tests"]} >= {"2BL", "FINGERPRINT"}
    assert len(body["fingerprint"]["counts"]) == body["fingerprint"]["bins"] == 50
    small = (
        Client()
        .get(
            "/api/elections/pilpres-2024/forensics?region=65.03.12.2001", HTTP_AUTHORIZATION=f"Bearer {token}"
        )
        .json()
    )
    assert small["fingerprint"] is None and "terlalu sedikit" in small["message"]
    missing = Client().get("/api/elections/nope/forensics", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert missing.status_code == 404 and set(missing.json()) == {"error"}


def test_the_contest_page_shows_provisional_margins_and_the_too_few_answer(
    personas: dict[str, Any], elections_dir: Path
) -> None:
    from waspada.demo import load

    load.load_population()
    load.load_contests()
    assert load.load_pilkada_areas(elections_dir) is not None
    malinau = Contest.objects.get(region_id="65.02")
    page = client_for(personas["analis"]).get(f"/pemilihan/kontestasi/{malinau.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and 'data-basis="provisional"' in html and 'id="provisional"' in html
    margins = page.context["summary"].margins
    assert margins.standings[0].margin_votes == 36567 - 2567  # Sirekap's count of 28 November 2024
    tiers = [(t.tier, t.areas, t.findings) for t in page.context["summary"].tiers]
    assert tiers == [("kecamatan", 15, 0), ("kabkota", 1, 0)]
    assert 'id="fingerprint-too-few"' in html  # kecamatan counts only: no TPS to draw


def test_the_demo_loads_the_real_pilkada_counts_once(db: Any, elections_dir: Path) -> None:
    from waspada.demo import load

    load.load_population()
    load.load_contests()
    first = load.load_pilkada_areas(elections_dir)
    assert first is not None and "121 areas of 6 races" in first and "121 new" in first
    load.load_contests()  # the demo reloads its facts before the counts on every run
    again = load.load_pilkada_areas(elections_dir)
    assert again is not None and "0 new, 121 unchanged" in again
    assert ResultRecord.objects.count() == 121
    assert load.load_pilkada_areas(elections_dir / "tidak-ada") is None


def test_the_import_page_stores_a_tps_file_and_lists_row_errors(personas: dict[str, Any]) -> None:
    Election.objects.create(
        code="pilpres-2024", name="Pilpres 2024", kind="pemilu", voting_date=date(2024, 2, 14)
    )
    data = csv_text([tps(1), tps(2, suara_sah="x")]).encode()
    client = client_for(personas["analis"])
    assert client.get("/pemilihan/impor/").status_code == 200
    response = client.post(
        "/pemilihan/impor/",
        {"election": "pilpres-2024", "source": "saksi", "file": SimpleUploadedFile("saksi.csv", data)},
    )
    assert response.status_code == 200
    assert (
        "saksi.csv baris 3, kolom suara_sah: &#x27;x&#x27; bukan bilangan bulat" in response.content.decode()
    )
    assert ResultRecord.objects.filter(source="saksi").count() == 2
    assert AuditLog.objects.filter(action="elections.results_imported", actor=personas["analis"]).count() == 1


def test_the_import_page_refuses_rows_outside_the_scope_and_bad_files(personas: dict[str, Any]) -> None:
    Election.objects.create(
        code="pilpres-2024", name="Pilpres 2024", kind="pemilu", voting_date=date(2024, 2, 14)
    )
    nunukan = dict(
        tps(1), tps_code="6503011001001", desa_code="6503011001", kab_code="6503", kec_code="650301"
    )
    data = gzip.compress(csv_text([tps(1), nunukan]).encode())
    client = client_for(personas["analis_nunukan"])
    response = client.post(
        "/pemilihan/impor/",
        {"election": "pilpres-2024", "source": "sirekap", "file": SimpleUploadedFile("t.csv.gz", data)},
    )
    assert "TPS di luar wilayah Anda" in response.content.decode()
    assert list(ResultRecord.objects.values_list("area_code", flat=True)) == ["6503011001001"]
    bad = client.post(
        "/pemilihan/impor/",
        {"election": "pilpres-2024", "source": "sirekap", "file": SimpleUploadedFile("x.xlsx", b"bukan")},
    )
    assert bad.status_code == 400 and "x.xlsx: bukan berkas XLSX" in bad.content.decode()
    kind = client.post(
        "/pemilihan/impor/",
        {"election": "pilpres-2024", "source": "sirekap", "file": SimpleUploadedFile("x.pdf", b"%PDF")},
    )
    assert kind.status_code == 400
    assert client_for(personas["pimpinan"]).get("/pemilihan/impor/").status_code == 403


def test_the_template_downloads_as_a_workbook(personas: dict[str, Any]) -> None:
    response = client_for(personas["analis"]).get("/pemilihan/impor/templat.xlsx", {"paslon": "2"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in next(book["TPS"].iter_rows(max_row=1))][17:19] == ["paslon1", "paslon2"]
    assert client_for(personas["pelapor"]).get("/pemilihan/impor/templat.xlsx").status_code == 403


def test_the_cli_imports_a_workbook(personas: dict[str, Any], tmp_path: Path) -> None:
    Election.objects.create(
        code="pilpres-2024", name="Pilpres 2024", kind="pemilu", voting_date=date(2024, 2, 14)
    )
    call_command("elections", "template", "--output", str(tmp_path / "t.xlsx"), stdout=io.StringIO())
    book = load_workbook(tmp_path / "t.xlsx")
    columns = [c.value for c in next(book["TPS"].iter_rows(max_row=1))]
    book["TPS"].append([tps(1).get(c) for c in columns])
    book.save(tmp_path / "t.xlsx")
    out = io.StringIO()
    call_command(
        "elections",
        "import-xlsx",
        "--xlsx",
        str(tmp_path / "t.xlsx"),
        "--election",
        "pilpres-2024",
        stdout=out,
    )
    assert "format: tps" in out.getvalue() and "tps_new: 1" in out.getvalue()
    assert ResultRecord.objects.get().votes == {"1": 63, "2": 118, "3": 17}
