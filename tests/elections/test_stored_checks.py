"""Checks across stored records: sources that disagree, tiers that do not add up (TPS → kecamatan), and
findings that keep their id, status and note when found again."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from waspada.elections.import_areas import import_area_table
from waspada.elections.importing import store_findings
from waspada.elections.integrity.findings import finding
from waspada.elections.integrity.tiers import parse_area_long_csv
from waspada.elections.models import Contest, Election, RecapFinding
from waspada.elections.stored_checks import check_stored

from .conftest import tps

pytestmark = pytest.mark.django_db


@pytest.fixture
def pilpres(db: Any) -> Election:
    return Election.objects.create(
        code="pilpres-2024", name="Pilpres 2024", kind="pemilu", voting_date=date(2024, 2, 14)
    )


def run(path: Path, *extra: str, election: str = "pilpres-2024") -> str:
    out = io.StringIO()
    call_command(
        "elections", "import-tps", "--tps-csv", str(path), "--election", election, *extra, stdout=out
    )
    return out.getvalue()


def test_two_sources_that_disagree_on_a_tps_are_a_stored_finding(pilpres: Election, write_csv: Any) -> None:
    run(write_csv([tps(1), tps(2), tps(3)]))
    run(write_csv([tps(1, paslon2=120, suara_sah=200), tps(2)], name="saksi.csv"), "--source", "saksi")

    (diff,) = RecapFinding.objects.filter(kind="sources")
    assert (diff.rule, diff.area_code, diff.source, diff.other_source) == (
        "SOURCE_DIFF",
        "6501011001001",
        "sirekap",
        "saksi",
    )
    assert diff.values["kolom_berbeda"] == ["paslon2", "suara_sah"]
    assert "Sirekap dan Salinan saksi berbeda" in diff.message
    # TPS 3 only has Sirekap figures: a witness copied two TPS, that is no finding
    assert not RecapFinding.objects.filter(rule="SOURCE_MISSING").exists()


def test_a_source_finding_disappears_when_the_sources_agree_again(pilpres: Election, write_csv: Any) -> None:
    run(write_csv([tps(1)]))
    run(write_csv([tps(1, paslon2=120, suara_sah=200)], name="saksi.csv"), "--source", "saksi")
    assert RecapFinding.objects.filter(kind="sources").count() == 1
    run(write_csv([tps(1)], name="saksi.csv"), "--source", "saksi")
    assert not RecapFinding.objects.filter(kind="sources").exists()


def test_tps_results_and_kecamatan_totals_of_a_contest_are_summed_tier_by_tier(write_csv: Any) -> None:
    from waspada.demo import load

    load.load_population()
    load.load_contests()
    bulungan = Contest.objects.get(region_id="65.01", office="bupati")
    rows = [tps(1, paslon3=None, paslon2=135), tps(2, paslon3=None, paslon2=135)]
    run(write_csv(rows, n_paslon=2), "--contest", str(bulungan.pk), election="pilkada-2024")
    header = "race_type,race_code,level,area_code,candidate_id,nomor_urut,votes"
    long = f"{header}\npkwkk,6501,kec,650101,1001100,1,126\npkwkk,6501,kec,650101,1001101,2,271\n"
    table = parse_area_long_csv(long.encode(), source="kec.csv")
    import_area_table(table, bulungan.election)

    (r9,) = RecapFinding.objects.filter(rule="R9")
    assert (r9.kind, r9.area_code, r9.contest) == ("tiers", "65.01.01", bulungan)
    assert (r9.values["votes"], r9.values["jumlah"], r9.values["tingkat_bawah"]) == (271, 270, "tps")
    assert [c["area_code"] for c in r9.values["rincian"]] == ["6501011001001", "6501011001002"]


def test_a_finding_found_again_keeps_its_id_status_and_note(pilpres: Election) -> None:
    f = finding("R1", "pesan", {"x": 1}, tps_code="6501011001001")
    store_findings([f], pilpres, None, "sirekap", kind="tps")
    stored = RecapFinding.objects.get()
    RecapFinding.objects.filter(pk=stored.pk).update(status="dismissed", status_note="sudah dicek")
    store_findings(
        [f, finding("R2", "lain", {}, tps_code="6501011001002")], pilpres, None, "sirekap", kind="tps"
    )
    again = RecapFinding.objects.get(rule="R1")
    assert (again.pk, again.status, again.status_note, again.found_at) == (
        stored.pk,
        "dismissed",
        "sudah dicek",
        stored.found_at,
    )
    store_findings([], pilpres, None, "sirekap", kind="tps")
    assert not RecapFinding.objects.exists()


def test_findings_of_one_check_leave_the_other_checks_alone(pilpres: Election) -> None:
    store_findings([finding("R1", "a", {}, tps_code="6501011001001")], pilpres, None, "sirekap", kind="tps")
    store_findings([finding("R9", "b", {}, area_code="650101")], pilpres, None, "sirekap", kind="tiers")
    check_stored(pilpres)  # no records: the tier finding goes, the form finding stays
    assert list(RecapFinding.objects.values_list("rule", flat=True)) == ["R1"]


def test_check_stored_recomputes_every_election_from_the_cli(pilpres: Election, write_csv: Any) -> None:
    run(write_csv([tps(1)]))
    run(write_csv([tps(1, paslon2=120, suara_sah=200)], name="saksi.csv"), "--source", "saksi")
    RecapFinding.objects.filter(kind="sources").delete()
    out = io.StringIO()
    call_command("elections", "check-stored", "--forms", stdout=out)
    assert "SOURCE_DIFF" in out.getvalue() and "pilpres-2024" in out.getvalue()
    assert RecapFinding.objects.filter(kind="sources").count() == 1


def test_the_real_kaltara_file_and_its_witness_copy_disagree_where_changed(
    pilpres: Election, elections_dir: Path, tmp_path: Path
) -> None:
    source = elections_dir / "kaltara_pilpres2024_tps_sirekap.csv"
    lines = source.read_text(encoding="utf-8").splitlines()
    witness = tmp_path / "saksi.csv"
    changed = lines[1].replace(",63,181,16,", ",63,180,16,")  # TPS 6501011001001: paslon2 181 → 180
    assert changed != lines[1]
    witness.write_text("\n".join([lines[0], changed, *lines[2:50]]) + "\n", encoding="utf-8")
    run(source)
    run(witness, "--source", "saksi")
    diffs = RecapFinding.objects.filter(kind="sources")
    assert [(d.rule, d.area_code) for d in diffs] == [("SOURCE_DIFF", "6501011001001")]
    assert "paslon2: Sirekap 181, Salinan saksi 180" in diffs[0].message
