"""Election forensics: digit tests against hand-computed values, the exact integer-percentage null, the
Klimek fingerprint and its SVG, an honest "too few data" for a small area, and the CLI on the real
Kaltara Pilpres 2024 TPS file."""

from __future__ import annotations

import io
import json
import math
import xml.etree.ElementTree as ET
from pathlib import Path

import polars as pl
import pytest
from django.core.management import call_command

from waspada.elections.integrity import read_tps_csv
from waspada.elections.integrity.fingerprint_svg import render_svg
from waspada.elections.integrity.forensics import (
    SECOND_DIGIT_MEAN,
    SECOND_DIGIT_P,
    SECOND_DIGIT_SD,
    chi2_sf,
    fingerprint,
    integer_percent_probability,
    integer_percent_test,
    last_digit_05_test,
    last_digit_test,
    run_forensics,
    second_digit_test,
)

from .conftest import frame_of, tps

SAMPLE = [12, 25, 37, 108, 5, 9]  # counts below 10 have no second digit and are left out


def test_benford_second_digit_expectations_match_the_reference_notes() -> None:
    assert [round(q, 5) for q in SECOND_DIGIT_P][:3] == [0.11968, 0.11389, 0.10882]
    assert round(SECOND_DIGIT_MEAN, 4) == 4.1874 and round(SECOND_DIGIT_SD, 4) == 2.8729
    assert math.isclose(sum(SECOND_DIGIT_P), 1.0)


def test_chi2_p_values_match_the_critical_values_of_the_notes() -> None:
    assert chi2_sf(16.919, 9) == pytest.approx(0.05, abs=1e-4)
    assert chi2_sf(21.666, 9) == pytest.approx(0.01, abs=1e-4)
    assert chi2_sf(3.841, 1) == pytest.approx(0.05, abs=1e-3)
    assert chi2_sf(5.991, 2) == pytest.approx(0.05, abs=1e-3)
    assert chi2_sf(0, 9) == 1.0


def test_second_digit_mean_and_z_score_equal_the_hand_computed_values() -> None:
    result = second_digit_test(SAMPLE, min_n=1)
    # second digits of 12, 25, 37, 108 → 2, 5, 7, 0: mean 3.5; z = (3.5 − 4.18739) / (2.87294 / √4)
    assert result.n == 4 and result.statistic == 3.5
    assert result.z == pytest.approx((3.5 - 4.18739) / (2.87294 / 2), abs=1e-4)
    assert result.expected == 4.187 and result.status == "wajar"
    assert result.details["digit_counts"] == [1, 0, 1, 0, 0, 1, 0, 1, 0, 0]


def test_last_digit_chi2_and_share_of_zero_and_five_equal_the_hand_computed_values() -> None:
    uniform = last_digit_test(SAMPLE, min_n=1)
    # last digits 2, 5, 7, 8 of n = 4: χ² = 6·(0 − 0.4)²/0.4 + 4·(1 − 0.4)²/0.4 = 2.4 + 3.6
    assert uniform.statistic == pytest.approx(6.0) and uniform.expected == 9.0
    share = last_digit_05_test(SAMPLE, min_n=1)
    assert share.statistic == 0.25 and share.z == pytest.approx((0.25 - 0.2) / math.sqrt(0.16 / 4))


def test_digit_tests_flag_invented_round_numbers() -> None:
    invented = [100 + 10 * (i % 30) for i in range(300)]  # every count ends in 0
    result = last_digit_05_test(invented)
    assert result.status == "menyimpang" and result.statistic == 1.0
    assert "menyimpang" in result.verdict and "bukan bukti" in result.verdict


def test_digit_tests_say_too_few_data_instead_of_a_number() -> None:
    result = second_digit_test(SAMPLE)
    assert result.status == "data_kurang" and result.statistic is None and result.z is None
    assert result.verdict.startswith("Data terlalu sedikit: 4 angka suara ≥ 10, perlu sedikitnya 50")


def test_integer_percent_probability_is_exact_for_simple_denominators() -> None:
    assert integer_percent_probability(100, 0.37) == pytest.approx(1.0)  # every k/100 is an integer percent
    assert integer_percent_probability(200, 0.5) == pytest.approx(0.5, abs=1e-3)  # k even
    assert integer_percent_probability(300, 0.5) == pytest.approx(1 / 3, abs=1e-2)  # k divisible by 3


def test_integer_percentage_peak_is_flagged_when_turnout_is_rounded() -> None:
    # 300-voter TPS whose turnout was written as an integer percent: k = 3·j, far more than the 1/3 expected
    voters = [300] * 120
    rounded = [3 * (60 + i % 25) for i in range(120)]
    result = integer_percent_test(rounded, voters, test="KOBAK_TURNOUT", title="uji")
    assert result.statistic == 120 and result.expected == pytest.approx(40, rel=0.1)
    assert result.status == "menyimpang"


def test_fingerprint_counts_every_usable_tps_and_renders_valid_svg() -> None:
    frame = frame_of([tps(i) for i in range(1, 61)])
    print_, summary = fingerprint(frame, bins=10)
    assert print_ is not None and print_.candidate == "paslon2"
    assert sum(map(sum, print_.counts)) == 60 == print_.n
    # every clean TPS: turnout 205/250 = 0.82 (bin 8), share 118/198 = 0.596 (bin 5)
    assert print_.counts[8][5] == 60 and summary.status == "data_kurang"  # identical TPS: r undefined
    svg = render_svg(print_)
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg") and "Partisipasi (%)" in svg and "60 TPS" in svg


@pytest.fixture
def kaltara_tps(elections_dir: Path) -> pl.DataFrame:
    return read_tps_csv(elections_dir / "kaltara_pilpres2024_tps_sirekap.csv").frame


def test_real_kaltara_file_gives_the_documented_figures(kaltara_tps: pl.DataFrame) -> None:
    report = run_forensics(kaltara_tps)
    by_test = {r.test: r for r in report.results}
    assert report.candidate == "paslon2" and report.tps == 2295
    two = by_test["2BL"]
    assert two.n == 4652 and two.statistic == pytest.approx(4.0638, abs=1e-4)
    assert two.z == pytest.approx(-2.93, abs=0.01)  # small TPS counts: below Benford (see docs)
    assert by_test["LAST_DIGIT_05"].status == "wajar"
    assert by_test["KOBAK_TURNOUT"].status == "wajar" and by_test["KOBAK_SHARE"].status == "wajar"
    assert by_test["FINGERPRINT"].status == "wajar" and report.fingerprint is not None
    for result in report.results:
        assert result.expected is not None and result.verdict


def test_a_single_desa_is_too_small_for_a_verdict(kaltara_tps: pl.DataFrame) -> None:
    desa = kaltara_tps.filter(pl.col("tps_code").str.starts_with("6503122001"))
    report = run_forensics(desa)
    assert 0 < desa.height < 20
    assert {r.status for r in report.results} == {"data_kurang"}
    assert report.fingerprint is None


def test_forensics_command_prints_results_and_writes_the_fingerprint(
    elections_dir: Path, tmp_path: Path
) -> None:
    svg = tmp_path / "sidik.svg"
    source = str(elections_dir / "kaltara_pilpres2024_tps_sirekap.csv")
    out = io.StringIO()
    call_command(
        "elections", "forensics", "--tps-csv", source, "--fingerprint", str(svg), "--json", stdout=out
    )
    data = json.loads(out.getvalue())
    assert [r["test"] for r in data["results"]] == [
        "2BL",
        "LAST_DIGIT",
        "LAST_DIGIT_05",
        "KOBAK_TURNOUT",
        "KOBAK_SHARE",
        "FINGERPRINT",
    ]
    assert "counts" not in data["fingerprint"]
    ET.fromstring(svg.read_text(encoding="utf-8"))
    text = io.StringIO()
    call_command("elections", "forensics", "--tps-csv", source, "--area", "65.03.12.2001", stdout=text)
    assert "Data terlalu sedikit" in text.getvalue()
