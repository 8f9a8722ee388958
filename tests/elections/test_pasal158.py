"""UU 10/2016 Pasal 158 thresholds and margins, checked against the Kaltara Pilkada 2024 facts
(``shared/data/kaltara/pilkada2024.json``; the MK's rulings on Tana Tidung, Nunukan and Tarakan)."""

from __future__ import annotations

import io
import json
from fractions import Fraction

import pytest
from django.core.management import call_command

from waspada.elections.pasal158 import Entrant, level_for_office, margins, threshold


@pytest.mark.parametrize(
    ("level", "population", "percent"),
    [
        ("provinsi", 770_627, Fraction(2)),  # Kaltara
        ("provinsi", 2_000_000, Fraction(2)),  # the bound belongs to the lower class
        ("provinsi", 2_000_001, Fraction(3, 2)),
        ("provinsi", 6_000_001, Fraction(1)),
        ("provinsi", 12_000_001, Fraction(1, 2)),
        ("kabkota", 30_036, Fraction(2)),  # Tana Tidung
        ("kabkota", 250_000, Fraction(2)),
        ("kabkota", 255_310, Fraction(3, 2)),  # Tarakan
        ("kabkota", 500_001, Fraction(1)),
        ("kabkota", 1_000_001, Fraction(1, 2)),
    ],
)
def test_it_picks_the_threshold_of_the_population_class(
    level: str, population: int, percent: Fraction
) -> None:
    assert threshold(level, population).percent == percent  # type: ignore[arg-type]


def test_it_names_the_population_class_in_indonesian() -> None:
    assert threshold("kabkota", 30_036).class_label == "≤ 250.000 jiwa"
    assert threshold("kabkota", 255_310).class_label == "> 250.000 – 500.000 jiwa"
    assert threshold("provinsi", 20_000_000).class_label == "> 12.000.000 jiwa"


def test_tana_tidung_loser_is_just_above_the_threshold_as_the_mk_ruled() -> None:
    result = margins(
        "kabkota",
        30_036,
        [Entrant("Said Agil – Hendrik", 8_547), Entrant("Ibrahim Ali – Sabri", 8_982)],
        17_529,
    )
    loser = result.runner_up
    assert loser is not None and result.winner == "Ibrahim Ali – Sabri"
    assert loser.margin_votes == 435
    assert round(loser.margin_percent, 2) == 2.48
    assert round(result.threshold_votes, 2) == 350.58  # 2 % of 17,529
    assert not loser.eligible  # the MK: "tidak dapat diterima" (legal standing, Pasal 158(2))
    assert 1 < loser.ratio < 1.25  # close: still contentious
    assert "435 suara" in result.summary() and "di atas ambang" in result.summary()


def test_nunukan_runner_up_is_above_the_threshold() -> None:
    result = margins(
        "kabkota",
        227_460,
        [Entrant("GAAS", 40_106), Entrant("BAHAGIA", 23_361), Entrant("IRAMA", 43_832)],
        107_299,
    )
    assert result.winner == "IRAMA"
    assert [(s.name, s.margin_votes) for s in result.standings] == [("GAAS", 3_726), ("BAHAGIA", 20_471)]
    assert round(result.standings[0].margin_percent, 2) == 3.47
    assert not result.any_eligible


def test_tarakan_empty_box_is_the_loser_of_a_single_candidate_race() -> None:
    result = margins(
        level_for_office("walikota"),
        255_310,
        [Entrant("Khairul – Ibnu Saud", 59_204), Entrant("Kotak kosong", 43_787, is_empty_box=True)],
        102_991,
    )
    loser = result.runner_up
    assert loser is not None and loser.is_empty_box
    assert loser.margin_votes == 15_417 and round(loser.margin_percent, 2) == 14.97
    assert result.threshold.percent == Fraction(3, 2) and not loser.eligible


def test_the_province_margin_is_far_above_two_percent() -> None:
    result = margins(
        level_for_office("gubernur"),
        770_627,
        [Entrant("SULTON", 40_228), Entrant("ZIAP", 194_021), Entrant("YESS", 97_244)],
        331_493,
    )
    assert result.threshold.percent == 2 and result.runner_up is not None
    assert result.runner_up.name == "YESS" and result.runner_up.margin_votes == 96_777
    assert round(result.runner_up.margin_percent, 2) == 29.19


def test_a_margin_exactly_at_the_threshold_may_file() -> None:
    # 2 % of 10,000 = 200 votes: a difference of 200 is "paling banyak" 2 %
    result = margins("kabkota", 100_000, [Entrant("A", 5_100), Entrant("B", 4_900)], 10_000)
    assert result.standings[0].eligible and result.standings[0].ratio == 1.0
    result = margins("kabkota", 100_000, [Entrant("A", 5_101), Entrant("B", 4_900)], 10_001)
    assert not result.standings[0].eligible


def test_it_refuses_an_office_without_a_pasal_158_threshold() -> None:
    with pytest.raises(ValueError, match="presiden"):
        level_for_office("presiden")


@pytest.mark.django_db
def test_mk_eligibility_command_reports_every_demo_contest() -> None:
    from waspada.demo import load

    load.load_population()
    load.load_contests()
    out = io.StringIO()
    call_command("elections", "mk-eligibility", "--json", stdout=out)
    rows = {row["region"]: row for row in map(json.loads, out.getvalue().splitlines())}
    assert set(rows) == {"65", "65.01", "65.02", "65.03", "65.04", "65.71"}
    ktt = rows["65.04"]
    assert ktt["threshold_percent"] == 2.0 and ktt["losers"][0]["margin_votes"] == 435
    assert ktt["losers"][0]["eligible"] is False and ktt["mk_case"].startswith("Perkara 210")
    assert rows["65.71"]["threshold_percent"] == 1.5 and rows["65.71"]["losers"][0]["is_empty_box"]
    assert "error" in rows["65.02"]  # Malinau: official votes not found, never guessed
    text = io.StringIO()
    call_command("elections", "mk-eligibility", stdout=text)
    assert "di atas ambang" in text.getvalue() and "Tana Tidung" in text.getvalue()
