"""Acceptance on the real files of ``../shared/data/elections`` (read in place, never copied).

Counts per rule are compared with SOURCE.md; where the rule is defined differently the difference is
asserted exactly and explained in docs/recap-checks.md.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import polars as pl
import pytest

from waspada.elections.integrity import CheckConfig, CheckReport, check_tps, read_tps_csv
from waspada.elections.integrity.findings import Finding
from waspada.elections.integrity.rules import evaluate, rule_counts
from waspada.elections.integrity.sources import compare_sources, read_kawalpemilu_2019
from waspada.elections.integrity.tiers import (
    read_area_long_csv,
    read_area_totals_csv,
    tier_findings,
    tier_summary,
    tps_long,
)

KALTARA_2024 = "kaltara_pilpres2024_tps_sirekap.csv"


@pytest.fixture(scope="module")
def kaltara_report() -> CheckReport:
    from .conftest import ELECTIONS, IN_CI

    if not ELECTIONS.is_dir():
        if IN_CI:
            pytest.fail(f"shared data folder {ELECTIONS} is missing (required under CI)")
        pytest.skip(f"shared data folder {ELECTIONS} is not on this machine")
    return check_tps(read_tps_csv(ELECTIONS / KALTARA_2024), CheckConfig.for_election("pemilu"))


def by_rule(findings: list[Finding]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for f in findings:
        out[f.rule].add(f.tps_code or f.area_code or "")
    return out


def test_the_kaltara_file_is_read_without_a_row_error(kaltara_report: CheckReport) -> None:
    assert kaltara_report.tps == 2295
    assert (kaltara_report.with_votes, kaltara_report.with_admin) == (1849, 1606)
    assert not any(f.rule == "R10" for f in kaltara_report.findings)


def test_counts_per_rule_agree_with_source_md(kaltara_report: CheckReport) -> None:
    counts = kaltara_report.counts
    assert counts["R7"] == 15  # dpt ≠ dpt_l + dpt_p
    assert counts["R5Z"] == 54  # DPT 0 with votes
    assert counts["R1"] == 47  # ticket sum ≠ suara_sah
    assert counts["R2"] == 6  # sah + tidak sah ≠ total
    assert counts["TURNOUT100"] == 65  # pengguna_dpt == DPT > 50
    assert counts["DUP"] == 10  # 5 desa pairs: the 3 of SOURCE.md and 2 more (docs/recap-checks.md)


def test_r3_checks_equality_so_it_counts_the_92_of_source_md_plus_40_below(elections_dir: Path) -> None:
    frame = read_tps_csv(elections_dir / KALTARA_2024).frame
    above = frame.filter(pl.col("suara_total") > pl.col("pengguna_total")).height
    below = frame.filter(pl.col("suara_total") < pl.col("pengguna_total")).height
    assert (above, below) == (92, 40)
    assert rule_counts(evaluate(frame, CheckConfig.for_election("pemilu").rules))["R3"] == above + below


def test_every_named_anomaly_of_source_md_is_flagged(kaltara_report: CheckReport) -> None:
    rules = by_rule(kaltara_report.findings)
    assert {"6503122001009", "6571011002006"} <= rules["R7"]  # L + P ≠ DPT
    assert "6503122001009" in rules["R5"]  # 181 ticket votes above DPT 172 + reserve
    assert "6571011002006" in rules["R4"]  # pengguna_dpt 195 above DPT 125
    assert {"6502022004012", "6502042001001"} <= rules["R5Z"]  # votes with DPT 0
    pairs = [
        ("6501051002027", "6501051002035"),
        ("6501051001008", "6501051001014"),
        ("6503142008001", "6503142008002"),
    ]
    for a, b in pairs:
        assert {a, b} <= rules["DUP"]
    assert {"6501082006001", "6501051002066"} <= rules["R1"]  # 5/75/75 vs 150; valid = 0
    assert {"6503021002008", "6571011001061"} <= rules["R2"]  # 78 + 1 ≠ 1; 185 + 0 ≠ 85
    assert "6501011003002" in rules["TURNOUT100"]  # 214/214


def test_every_tps_of_each_source_md_category_is_flagged(
    elections_dir: Path, kaltara_report: CheckReport
) -> None:
    frame = read_tps_csv(elections_dir / KALTARA_2024).frame
    c = pl.col
    votes = c("paslon1") + c("paslon2") + c("paslon3")
    categories = {
        "R7": c("dpt") != c("dpt_l") + c("dpt_p"),
        "R5Z": (c("dpt") == 0) & c("paslon1").is_not_null() & (votes > 0),
        "R1": votes != c("suara_sah"),
        "R2": c("suara_sah") + c("suara_tidak_sah") != c("suara_total"),
        "R3": c("suara_total") > c("pengguna_total"),
        "TURNOUT100": (c("pengguna_dpt") == c("dpt")) & (c("dpt") > 50),
    }
    rules = by_rule(kaltara_report.findings)
    for rule, mask in categories.items():
        expected = set(frame.filter(mask.fill_null(False))["tps_code"])
        assert expected and expected <= rules[rule], rule


def test_the_readable_digit_error_of_kaltara_is_suggested(kaltara_report: CheckReport) -> None:
    (r2,) = [f for f in kaltara_report.findings if f.rule == "R2" and f.tps_code == "6571011001061"]
    assert r2.suggested is not None
    assert (r2.suggested["column"], r2.suggested["from"], r2.suggested["to"]) == ("suara_total", 85, 185)


def test_rule_counts_match_a_plain_duckdb_query(elections_dir: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    path = elections_dir / KALTARA_2024
    sql = f"""
      WITH t AS (SELECT *, paslon1 + paslon2 + paslon3 AS votes FROM read_csv('{path}', header = true))
      SELECT count(*) FILTER (WHERE votes <> suara_sah),
             count(*) FILTER (WHERE suara_sah + suara_tidak_sah <> suara_total),
             count(*) FILTER (WHERE suara_total <> pengguna_total),
             count(*) FILTER (WHERE pengguna_dpt + pengguna_dptb + pengguna_dpk <> pengguna_total),
             count(*) FILTER (WHERE pengguna_dpt > dpt),
             count(*) FILTER (WHERE dpt > 0 AND greatest(pengguna_total, suara_total, votes) > dpt + (dpt * 2 + 99) // 100),
             count(*) FILTER (WHERE dpt = 0 AND greatest(pengguna_total, suara_total, votes) > 0),
             count(*) FILTER (WHERE dpt_l + dpt_p <> dpt)
      FROM t"""
    expected = dict(
        zip(["R1", "R2", "R3", "R3B", "R4", "R5", "R5Z", "R7"], duckdb.sql(sql).fetchone(), strict=True)
    )
    frame = read_tps_csv(path).frame
    counts = rule_counts(evaluate(frame, CheckConfig.for_election("pemilu").rules))
    assert {rule: counts[rule] for rule in expected} == expected


def test_tps_votes_sum_to_sirekaps_province_total(elections_dir: Path) -> None:
    tps = read_tps_csv(elections_dir / KALTARA_2024)
    parents = read_area_totals_csv(elections_dir / "pilpres2024_province_sirekap.csv")
    frame = pl.concat([parents.frame.drop("_row"), tps_long(tps.frame)], how="diagonal_relaxed")
    assert tier_summary(frame) == {"prov<tps checked": 3, "prov<tps failed": 0}
    assert tier_findings(frame) == []


def test_pilkada_2024_tier_sums_hold_everywhere(elections_dir: Path) -> None:
    table = read_area_long_csv(elections_dir / "pilkada2024_kecamatan_sirekap.csv.gz")
    assert table.frame.height == 43620 and table.errors == []
    assert tier_findings(table.frame) == []  # the clean control: no false alarm
    assert tier_summary(table.frame) == {
        "kab<kec checked": 5588,  # 2,794 (race, kab, candidate) totals, each in two copies
        "kab<kec failed": 0,
        "prov<kab checked": 104,
        "prov<kab failed": 0,
    }


def test_pilkada_tier_check_catches_one_changed_vote(elections_dir: Path) -> None:
    frame = read_area_long_csv(elections_dir / "pilkada2024_kecamatan_sirekap.csv.gz").frame
    changed = frame.with_columns(
        pl.when((pl.col("area_code") == "650101") & (pl.col("race_type") == "pkwkk"))
        .then(pl.col("votes") + 1)
        .otherwise(pl.col("votes"))
        .alias("votes")
    )
    assert {f.area_code for f in tier_findings(changed)} == {"6501"}


def test_kawalpemilu_2019_sources_are_compared(elections_dir: Path) -> None:
    paired = read_kawalpemilu_2019(elections_dir / "kaltara_pilpres2019_tps_kawalpemilu.csv")
    assert paired.a.height == paired.b.height == 2186 and paired.errors == []
    found = compare_sources(paired.a, paired.b, labels=paired.labels, key=paired.key)
    differ = {f.values["tps_id"] for f in found if f.rule == "SOURCE_DIFF"}
    missing = {f.values["tps_id"] for f in found if f.rule == "SOURCE_MISSING"}
    raw = pl.read_csv(elections_dir / "kaltara_pilpres2019_tps_kawalpemilu.csv", infer_schema_length=0)
    fields = ["pas1", "pas2", "sah", "tsah", "jum"]
    both = raw.filter(
        pl.all_horizontal(
            [pl.col(f"kpu_{f}").is_not_null() & pl.col(f"kp_{f}").is_not_null() for f in fields]
        )
    )
    expected = set(
        both.filter(pl.any_horizontal([pl.col(f"kpu_{f}") != pl.col(f"kp_{f}") for f in fields]))["tps_id"]
    )
    assert len(expected) == 137
    assert expected <= differ | missing  # every TPS where the two sources differ is reported
    assert "64631-3" in differ  # KPU jum 291 vs KawalPemilu 214
    assert "65693-2" in missing  # KPU figures, nothing from KawalPemilu
