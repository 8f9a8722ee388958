"""Identical results in one desa, 100 % DPT turnout at large TPS, and turnout outliers in a kecamatan."""

from __future__ import annotations

from waspada.elections.integrity.duplicates import duplicate_findings
from waspada.elections.integrity.turnout import full_turnout_findings, turnout_outlier_findings

from .conftest import frame_of, tps


def test_identical_paslon_counts_in_two_tps_of_one_desa_are_flagged_both_ways() -> None:
    rows = [tps(1), tps(2, dpt=240, dpt_l=120, dpt_p=120), tps(3, paslon1=60, suara_sah=195, suara_total=202)]
    rows[2].update(pengguna_total=202, pengguna_dpt=197)
    found = duplicate_findings(frame_of(rows))
    assert [(f.tps_code, f.values["tps_identik"]) for f in found] == [
        ("6501011001001", ["6501011001002"]),
        ("6501011001002", ["6501011001001"]),
    ]
    assert found[0].rule == "DUP" and found[0].severity == "warning"
    assert "suara_sah" in found[0].values["kolom_lain_sama"]  # type: ignore[operator]
    assert "dpt" not in found[0].values["kolom_lain_sama"]  # type: ignore[operator]
    assert 0 < found[0].values["perkiraan_kebetulan"] < 1  # type: ignore[operator]
    assert "terbaca dua kali" in found[0].message


def test_the_same_counts_in_different_desa_are_not_duplicates() -> None:
    other = tps(1, tps_code="6501011002001", desa_code="6501011002")
    assert duplicate_findings(frame_of([tps(1), other])) == []


def test_tiny_or_empty_tps_are_not_duplicates() -> None:
    zero = {"paslon1": 0, "paslon2": 0, "paslon3": 0}
    assert duplicate_findings(frame_of([tps(1, **zero), tps(2, **zero)])) == []


def test_with_two_paslon_the_invalid_count_must_match_as_well() -> None:
    two = {"paslon1": 80, "paslon2": 118, "paslon3": None}
    same = [tps(1, **two), tps(2, **two)]
    assert len(duplicate_findings(frame_of(same))) == 2
    differ = [tps(1, **two), tps(2, **two, suara_tidak_sah=6, suara_total=204, pengguna_total=204)]
    assert duplicate_findings(frame_of(differ)) == []


def test_full_dpt_turnout_is_flagged_only_above_the_size_threshold() -> None:
    big = tps(1, pengguna_dpt=250, pengguna_dptb=0, pengguna_dpk=0, pengguna_total=250)
    small = tps(2, dpt=40, dpt_l=20, dpt_p=20, pengguna_dpt=40)
    (found,) = full_turnout_findings(frame_of([big, small]))
    assert found.tps_code == "6501011001001" and found.rule == "TURNOUT100"
    assert found.values["dpt"] == 250 and "100%" in found.message
    assert full_turnout_findings(frame_of([big]), min_dpt=300) == []


def test_a_turnout_far_from_its_kecamatan_is_an_outlier() -> None:
    rows = [tps(n, pengguna_total=180 + n, pengguna_dpt=175 + n) for n in range(1, 12)]
    rows.append(tps(12, pengguna_total=100, pengguna_dpt=95))
    (found,) = turnout_outlier_findings(frame_of(rows))
    assert found.tps_code == "6501011001012" and found.rule == "TURNOUT_OUTLIER"
    assert found.values["z"] < -3.5 and "di bawah median kecamatan" in found.message  # type: ignore[operator]


def test_a_small_kecamatan_is_not_judged() -> None:
    rows = [tps(n, pengguna_total=180 + n) for n in range(1, 5)] + [tps(5, pengguna_total=100)]
    assert turnout_outlier_findings(frame_of(rows)) == []
