"""Tier sums (R9) on the area long format and two sources of the same TPS, on constructed data."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from waspada.elections.integrity.sources import compare_sources
from waspada.elections.integrity.tiers import read_area_long_csv, tier_findings, tier_summary

from .conftest import frame_of, tps

LONG = """race_type,race_code,level,area_code,parent_code,area_name,candidate_id,nomor_urut,votes,source_file
pkwkp,65,prov,65,,KALIMANTAN UTARA,1,1,300,pkwkp/65/65.json
pkwkp,65,kab,6501,65,BULUNGAN,1,1,180,pkwkp/65/65.json
pkwkp,65,kab,6502,65,MALINAU,1,1,120,pkwkp/65/65.json
pkwkp,65,kab,6501,65,BULUNGAN,1,1,180,pkwkp/65/6501.json
pkwkp,65,kec,650101,6501,,1,1,100,pkwkp/65/6501.json
pkwkp,65,kec,650102,6501,,1,1,80,pkwkp/65/6501.json
pkwkp,65,kab,6502,65,MALINAU,1,1,120,pkwkp/65/6502.json
pkwkp,65,kec,650201,6502,,1,1,120,pkwkp/65/6502.json
"""


def long_frame(tmp_path: Path, text: str = LONG) -> pl.DataFrame:
    path = tmp_path / "long.csv"
    path.write_text(text, encoding="utf-8")
    table = read_area_long_csv(path)
    assert table.errors == []
    return table.frame


def test_consistent_tiers_give_no_finding(tmp_path: Path) -> None:
    frame = long_frame(tmp_path)
    assert tier_findings(frame) == []
    assert tier_summary(frame) == {
        "kab<kec checked": 4,  # each kab total appears twice (province file and kab file)
        "kab<kec failed": 0,
        "prov<kab checked": 1,
        "prov<kab failed": 0,
    }


def test_a_parent_that_is_not_the_sum_of_its_children_is_r9_with_the_difference_and_children(
    tmp_path: Path,
) -> None:
    frame = long_frame(tmp_path, LONG.replace("650102,6501,,1,1,80", "650102,6501,,1,1,83"))
    found = [f for f in tier_findings(frame) if f.rule == "R9"]
    assert {f.area_code for f in found} == {"6501"}  # both copies of the Bulungan total
    first = found[0]
    assert first.values["selisih"] == -3 and first.values["jumlah"] == 183
    assert first.values["rincian"] == [
        {"area_code": "650101", "votes": 100},
        {"area_code": "650102", "votes": 83},
    ]
    assert "selisih -3" in first.message and first.to_dict()["area_code"] == "6501"


def test_copies_of_one_area_that_disagree_are_a_source_difference(tmp_path: Path) -> None:
    frame = long_frame(
        tmp_path,
        LONG.replace(
            "6502,65,MALINAU,1,1,120,pkwkp/65/6502.json", "6502,65,MALINAU,1,1,121,pkwkp/65/6502.json"
        ),
    )
    rules = sorted((f.rule, f.area_code) for f in tier_findings(frame))
    assert ("SOURCE_DIFF", "6502") in rules
    assert ("R9", "6502") in rules  # the kab-file copy is no longer the sum of its kecamatan


def test_a_bad_vote_cell_is_a_row_error(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text(LONG.replace("650201,6502,,1,1,120", "650201,6502,,1,1,12O"), encoding="utf-8")
    (error,) = read_area_long_csv(path).errors
    assert (error.row, error.column) == (9, "votes")


def test_two_sources_that_differ_are_reported_cell_by_cell_with_a_verdict() -> None:
    a = frame_of([tps(1), tps(2), tps(3)])
    b = frame_of(
        [tps(1), tps(2, paslon1=68), tps(3, paslon2=108, suara_sah=188, suara_total=195, pengguna_total=195)]
    )
    found = compare_sources(a, b, labels=("Sirekap", "Rekap"))
    assert [(f.rule, f.tps_code) for f in found] == [
        ("SOURCE_DIFF", "6501011001002"),
        ("SOURCE_DIFF", "6501011001003"),
    ]
    first = found[0]
    assert first.values["kolom_berbeda"] == ["paslon1"]
    assert first.values["Sirekap"]["paslon1"] == 63 and first.values["Rekap"]["paslon1"] == 68  # type: ignore[index]
    assert "Angka Sirekap konsisten; angka Rekap melanggar R1" in first.message


def test_a_tps_with_figures_in_one_source_only_is_reported() -> None:
    empty = {"paslon1": None, "paslon2": None, "paslon3": None, "suara_sah": None, "suara_tidak_sah": None}
    empty.update(
        suara_total=None, pengguna_total=None, pengguna_dpt=None, pengguna_dptb=None, pengguna_dpk=None
    )
    found = compare_sources(frame_of([tps(1)]), frame_of([tps(1, **empty)]), labels=("KPU", "Saksi"))
    assert [(f.rule, f.values["ada_di"]) for f in found] == [("SOURCE_MISSING", "KPU")]
