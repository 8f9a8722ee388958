"""The documented queries the risk index and the alerts call: close contests, MK filings, high-severity
findings — on the Kaltara 2024 facts."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from waspada.elections import queries
from waspada.elections.import_areas import import_area_table
from waspada.elections.integrity.candidates import read_candidates_csv
from waspada.elections.integrity.tiers import read_area_long_csv
from waspada.elections.models import Election, RecapFinding

from .conftest import tps

pytestmark = pytest.mark.django_db


@pytest.fixture
def pilkada(db: Any) -> Election:
    from waspada.demo import load

    load.load_population()
    load.load_contests()
    return Election.objects.get(code="pilkada-2024")


def test_tana_tidungs_margin_of_435_votes_is_just_above_its_threshold(pilkada: Election) -> None:
    assert [c.region_code for c in queries.close_contests()] == []  # no Kaltara loser was within 158
    near = {c.region_code: c for c in queries.close_contests(max_ratio=1.5)}
    ktt = near["65.04"]
    assert (ktt.margin_votes, ktt.threshold_percent, ktt.eligible, ktt.basis) == (435, 2.0, False, "final")
    assert ktt.threshold_votes == pytest.approx(350.58) and ktt.ratio == pytest.approx(435 / 350.58)
    assert ktt.mk_case.startswith("Perkara 210")
    every = {c.region_code for c in queries.close_contests(eligible_only=False)}
    assert every == {"65", "65.01", "65.03", "65.04", "65.71"}  # Malinau has no final tally


def test_a_contest_without_a_final_tally_gets_provisional_margins_from_the_sirekap_count(
    pilkada: Election, elections_dir: Path
) -> None:
    import_area_table(
        read_area_long_csv(elections_dir / "pilkada2024_kecamatan_sirekap.csv.gz"),
        pilkada,
        candidates=read_candidates_csv(elections_dir / "pilkada2024_candidates.csv"),
        area="6502",
    )
    (malinau,) = [c for c in queries.close_contests(eligible_only=False) if c.region_code == "65.02"]
    assert (malinau.basis, malinau.margin_votes, malinau.winner) == (
        "provisional",
        36567 - 2567,
        "Wempi W. Mawa – Jakaria",
    )
    assert malinau.runner_up == "Kolom kosong (kotak kosong)" and not malinau.eligible


def test_mk_filings_are_the_contests_with_a_case(pilkada: Election) -> None:
    filings = queries.mk_filings()
    assert [f.region_code for f in filings] == ["65.03", "65.04", "65.71"]
    assert all(f.case.startswith("Perkara") and f.outcome for f in filings)
    assert queries.mk_filings(election="pilpres-2019") == []


def test_high_severity_findings_are_open_errors_found_in_the_window_once(db: Any, write_csv: Any) -> None:
    Election.objects.create(
        code="pilpres-2024", name="Pilpres 2024", kind="pemilu", voting_date=date(2024, 2, 14)
    )
    before = timezone.now() - timedelta(seconds=1)
    path = write_csv(
        [tps(1, paslon1=70), tps(2, tps_code="65010110010"), tps(3, dpt=700, dpt_l=350, dpt_p=350)]
    )

    def run() -> None:
        call_command(
            "elections",
            "import-tps",
            "--tps-csv",
            str(path),
            "--election",
            "pilpres-2024",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )

    run()
    found = queries.high_severity_findings(before)
    assert [(f.rule, f.area_code, f.region_code, f.election) for f in found] == [
        ("R1", "6501011001001", "65.01.01.1001", "pilpres-2024")
    ]  # the unreadable code (R10) is an import problem; R8 (DPT above 300) is a warning
    assert {f.rule for f in queries.high_severity_findings(before, include_import_errors=True)} == {
        "R1",
        "R10",
    }
    after = timezone.now()
    run()  # found again: same row, same found_at, not new
    assert queries.high_severity_findings(after) == []
    RecapFinding.objects.filter(rule="R1").update(status="dismissed")
    assert queries.high_severity_findings(before) == []
    assert len(queries.high_severity_findings(before, statuses=("open", "dismissed"))) == 1
