"""Contest page, findings list and TPS detail: content, filters, and who may see what."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from waspada.elections.models import Contest, Election

from .conftest import tps

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _plain_static(settings: Any) -> None:
    """Static file names without the collected manifest (the base page links its CSS)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def results(write_csv: Any) -> dict[str, Any]:
    return load_results(write_csv)


def load_results(write_csv: Any) -> dict[str, Any]:
    """The demo's Pilkada 2024 contests; a small Pilpres file from two sources, the second one changed
    twice; and the same file as TPS results of Tana Tidung's contest."""
    from waspada.demo import load

    load.load_population()
    load.load_contests()
    Election.objects.create(
        code="pilpres-2024", name="Pilpres 2024", kind="pemilu", voting_date=date(2024, 2, 14)
    )
    ktt = Contest.objects.get(region_id="65.04", office="bupati")

    def run(path: Any, *extra: str) -> None:
        call_command("elections", "import-tps", "--tps-csv", str(path), *extra, stdout=io.StringIO())

    run(write_csv([tps(1), tps(2, paslon1=70)]), "--election", "pilpres-2024")
    run(write_csv([tps(1)], name="saksi.csv"), "--election", "pilpres-2024", "--source", "saksi")
    run(write_csv([tps(1, paslon2=120)], name="saksi.csv"), "--election", "pilpres-2024", "--source", "saksi")
    nunukan = dict(
        tps(1), tps_code="6503011001001", desa_code="6503011001", kab_code="6503", kec_code="650301"
    )
    run(
        write_csv([nunukan, dict(nunukan, tps_code="6503011001002", tps_no=2, paslon1=70)], name="n.csv"),
        "--election",
        "pilpres-2024",
    )
    run(
        write_csv([tps(1), tps(2)], name="ktt.csv", n_paslon=3),
        "--election",
        ktt.election.code,
        "--contest",
        str(ktt.pk),
    )
    return {"ktt": ktt}


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_contest_page_shows_candidates_margins_pasal_158_and_tiers(
    personas: dict[str, Any], results: dict[str, Any]
) -> None:
    ktt = results["ktt"]
    page = client_for(personas["analis"]).get(f"/pemilihan/kontestasi/{ktt.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "8982" in html and "8547" in html
    assert ">435<" in html  # the margin of Tana Tidung
    assert 'data-eligible="0"' in html  # above the 2 % threshold: no MK filing
    assert page.context["summary"].margins.threshold.class_label
    tiers = page.context["summary"].tiers
    assert [(t.tier, t.source, t.areas) for t in tiers] == [("tps", "sirekap", 2)]
    assert tiers[0].votes == {"1": 126, "2": 236, "3": 34}
    assert page.context["summary"].stage is not None


def test_region_page_links_each_contest_to_its_page(
    personas: dict[str, Any], results: dict[str, Any]
) -> None:
    html = client_for(personas["analis"]).get("/wilayah/65.04/").content.decode()
    assert f'href="/pemilihan/kontestasi/{results["ktt"].pk}/"' in html


def test_findings_list_filters_by_rule_severity_and_region(
    personas: dict[str, Any], results: dict[str, Any]
) -> None:
    client = client_for(personas["analis"])
    everything = client.get("/pemilihan/temuan/").context["page"].paginator.count
    r1 = client.get("/pemilihan/temuan/?rule=R1").context["page"]
    assert r1.paginator.count >= 3 and {f.rule for f in r1} == {"R1"}
    assert everything > r1.paginator.count
    assert {f.severity for f in client.get("/pemilihan/temuan/?severity=error").context["page"]} == {"error"}
    nunukan = client.get("/pemilihan/temuan/?region=65.03").context["page"]
    assert nunukan.paginator.count >= 1 and all(f.region_code.startswith("65.03.") for f in nunukan)


def test_findings_outside_the_scope_are_left_out(personas: dict[str, Any], results: dict[str, Any]) -> None:
    page = client_for(personas["analis_nunukan"]).get("/pemilihan/temuan/").context["page"]
    assert page.paginator.count >= 1
    assert all(f.region_code.startswith("65.03.") for f in page)


def test_tps_page_shows_every_source_and_version_side_by_side(
    personas: dict[str, Any], results: dict[str, Any]
) -> None:
    page = client_for(personas["pimpinan"]).get("/pemilihan/tps/6501011001001/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-source="sirekap" data-version="1"' in html
    assert 'data-source="saksi" data-version="1"' in html
    assert 'data-source="saksi" data-version="2"' in html
    # the row of paslon2: 118 (sirekap pilpres), 120 (saksi v2), 118 (saksi v1), 118 (Tana Tidung contest)
    assert [r[1] for r in page.context["vote_rows"] if r[0] == "2"][0].count(120) == 1


@pytest.mark.parametrize(
    "url", ["/pemilihan/temuan/", "/pemilihan/tps/6503011001001/", "/pemilihan/kontestasi/{ktt}/"]
)
def test_a_field_reporter_gets_403(url: str, personas: dict[str, Any], results: dict[str, Any]) -> None:
    response = client_for(personas["pelapor"]).get(url.format(ktt=results["ktt"].pk))
    assert response.status_code == 403


@pytest.mark.parametrize("url", ["/pemilihan/tps/6501011001001/", "/pemilihan/kontestasi/{ktt}/"])
def test_out_of_scope_gets_404(url: str, personas: dict[str, Any], results: dict[str, Any]) -> None:
    response = client_for(personas["analis_nunukan"]).get(url.format(ktt=results["ktt"].pk))
    assert response.status_code == 404


def test_an_unknown_tps_gets_404(personas: dict[str, Any], results: dict[str, Any]) -> None:
    assert client_for(personas["admin"]).get("/pemilihan/tps/6501011001999/").status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_page(results: dict[str, Any]) -> None:
    response = Client().get("/pemilihan/temuan/")
    assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_malformed_filters_are_ignored_not_an_error(
    personas: dict[str, Any], results: dict[str, Any]
) -> None:
    client = client_for(personas["analis"])
    everything = client.get("/pemilihan/temuan/").context["page"].paginator.count
    response = client.get("/pemilihan/temuan/", {"rule": "R1\x00", "severity": "fatal", "region": "65.x"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == everything
