"""The consistency rules R1–R8 on constructed TPS rows, with the thresholds of each election type."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import polars as pl
import pytest

from waspada.elections.integrity import CheckConfig, check_frame
from waspada.elections.integrity.findings import ARITHMETIC_RULES, RULES
from waspada.elections.integrity.rules import RuleConfig, evaluate, rule_counts, rule_findings

from .conftest import frame_of, tps

PILKADA = RuleConfig.for_election("pilkada")
PEMILU = RuleConfig.for_election("pemilu")


def broken(rows: list[dict[str, Any]], config: RuleConfig = PEMILU, n_paslon: int = 3) -> dict[str, int]:
    return {rule: n for rule, n in rule_counts(evaluate(frame_of(rows, n_paslon), config)).items() if n}


def test_a_consistent_form_breaks_no_rule() -> None:
    assert broken([tps(1)]) == {}
    assert broken([tps(1)], PILKADA) == {}
    assert [f for f in check_frame(frame_of([tps(1)])) if f.rule in ARITHMETIC_RULES] == []


def test_r1_candidate_votes_must_sum_to_valid_votes() -> None:
    assert broken([tps(1, paslon2=128)]) == {"R1": 1}


def test_r1_counts_kotak_kosong_as_a_paslon_column() -> None:
    # A single-candidate race: paslon1 = the candidate, paslon2 = kotak kosong.
    row = tps(1, paslon1=150, paslon2=48, paslon3=None)
    assert broken([row]) == {}
    assert broken([dict(row, paslon2=None)]) == {"R1": 1}


def test_empty_trailing_paslon_cells_are_absent_candidates() -> None:
    row = tps(1, paslon1=80, paslon2=118, paslon3=None)
    assert broken([row]) == {}


def test_r2_valid_plus_invalid_must_equal_total() -> None:
    assert broken([tps(1, suara_tidak_sah=8, pengguna_total=205)]) == {"R2": 1}


def test_r3_total_must_equal_voters_in_both_directions() -> None:
    assert broken([tps(1, suara_total=215, suara_sah=208, paslon1=73)]) == {"R3": 1}
    assert broken([tps(1, pengguna_total=204, pengguna_dpk=1)]) == {"R3": 1}


def test_r3b_voters_by_list_must_add_up() -> None:
    assert broken([tps(1, pengguna_dpk=12)]) == {"R3B": 1}


def test_r4_dpt_voters_cannot_exceed_dpt() -> None:
    row = tps(1, dpt=199, dpt_l=100, dpt_p=99)
    assert broken([row])["R4"] == 1


def test_r5_reserve_is_2_5_percent_for_pilkada_and_2_percent_for_pemilu() -> None:
    # DPT 200: reserve ⌈2.5 %⌉ = 5 (limit 205) for Pilkada, ⌈2 %⌉ = 4 (limit 204) for Pemilu.
    row = tps(1, dpt=200, dpt_l=100, dpt_p=100, pengguna_dpt=198, pengguna_dptb=5, pengguna_dpk=2)
    assert broken([row], PILKADA) == {}
    assert broken([row], PEMILU) == {"R5": 1}


def test_r5_reserve_is_rounded_up_in_exact_arithmetic() -> None:
    assert PEMILU.reserve_for(250) == 5  # not 6, which float 250 * 0.02 = 5.000000000000001 would give
    assert PEMILU.reserve_for(251) == 6
    assert PILKADA.reserve_for(200) == 5
    assert PILKADA.reserve_for(201) == 6


def test_the_reserve_is_configurable() -> None:
    config = RuleConfig.for_election("pilkada", reserve_percent="1")
    assert config.reserve == Fraction(1, 100) and config.reserve_label == "1%"
    row = tps(1, dpt=200, dpt_l=100, dpt_p=100, pengguna_dpt=198, pengguna_dptb=5, pengguna_dpk=2)
    assert broken([row], config) == {"R5": 1}
    assert CheckConfig.for_election("pemilu", reserve_percent=2.5).rules.reserve == Fraction(1, 40)


def test_r5_uses_the_largest_of_voters_total_and_candidate_votes() -> None:
    # Ticket votes above DPT + reserve even though the (unread) voter totals are empty.
    row = tps(1, pengguna_total=None, suara_total=None, suara_tidak_sah=None, paslon2=190, suara_sah=270)
    assert broken([row]) == {"R5": 1}


def test_r5z_dpt_zero_with_votes_is_its_own_rule() -> None:
    row = tps(1, dpt=0, dpt_l=0, dpt_p=0, pengguna_dpt=0, pengguna_dptb=0, pengguna_dpk=0, pengguna_total=0)
    assert broken([row]) == {"R3": 1, "R5Z": 1}
    empty = tps(2, dpt=0, dpt_l=0, dpt_p=0, pengguna_dpt=0, pengguna_dptb=0, pengguna_dpk=0, pengguna_total=0)
    empty.update(paslon1=0, paslon2=0, paslon3=0, suara_sah=0, suara_tidak_sah=0, suara_total=0)
    assert broken([empty]) == {}


def test_r7_male_plus_female_must_equal_dpt() -> None:
    assert broken([tps(1, dpt_l=154, dpt_p=128)]) == {"R7": 1}


def test_r8_maximum_dpt_is_600_for_pilkada_2024_and_300_for_pemilu_2024() -> None:
    row = tps(1, dpt=450, dpt_l=225, dpt_p=225)
    assert broken([row], PILKADA) == {}
    assert broken([row], PEMILU) == {"R8": 1}
    assert broken([tps(1, dpt=601, dpt_l=301, dpt_p=300)], PILKADA) == {"R8": 1}
    assert PILKADA.max_dpt == 600 and PEMILU.max_dpt == 300
    assert RuleConfig.for_election("pilkada", max_dpt=800).max_dpt == 800


def test_empty_cells_never_break_a_rule_by_themselves() -> None:
    blank = {k: None for k in ("dpt", "dpt_l", "dpt_p", "pengguna_dpt", "pengguna_dptb", "pengguna_dpk")}
    blank.update(pengguna_total=None, suara_sah=None, suara_tidak_sah=None, suara_total=None)
    assert broken([tps(1, **blank)]) == {}
    assert broken([tps(1, paslon1=None, paslon2=None, paslon3=None)]) == {}


def test_an_unusable_paslon_cell_makes_r1_not_evaluable_instead_of_wrong() -> None:
    from waspada.elections.integrity import parse_tps_csv

    from .conftest import csv_text

    frame = parse_tps_csv(csv_text([tps(1, paslon3="1O")]).encode()).frame
    assert rule_counts(evaluate(frame, PEMILU))["R1"] == 0


def test_optional_ballot_accounting_columns_add_r6() -> None:
    from waspada.elections.integrity import parse_tps_csv

    from .conftest import columns_for, csv_text

    cols = [
        *columns_for(3),
        "surat_suara_diterima",
        "surat_suara_digunakan",
        "surat_suara_tidak_digunakan",
        "surat_suara_rusak",
    ]
    ok = tps(
        1,
        surat_suara_diterima=255,
        surat_suara_digunakan=205,
        surat_suara_tidak_digunakan=49,
        surat_suara_rusak=1,
    )
    bad = tps(
        2,
        surat_suara_diterima=255,
        surat_suara_digunakan=205,
        surat_suara_tidak_digunakan=48,
        surat_suara_rusak=1,
    )
    frame = parse_tps_csv(csv_text([ok, bad], columns=cols).encode()).frame
    assert rule_counts(evaluate(frame, PEMILU))["R6"] == 1


def test_findings_carry_values_and_an_indonesian_message() -> None:
    evaluated = evaluate(frame_of([tps(7, paslon1=5, paslon2=75, paslon3=75, suara_sah=150)]), PEMILU)
    (r1, *_) = rule_findings(evaluated, PEMILU)
    assert r1.rule == "R1" and r1.severity == "error" and r1.tps_code == "6501011001007"
    assert r1.values["jumlah"] == 155 and r1.values["suara_sah"] == 150 and r1.values["selisih"] == -5
    assert r1.message.startswith("Jumlah suara paslon (5 + 75 + 75 = 155) tidak sama dengan suara sah (150)")
    assert r1.to_dict().keys() == {"rule", "severity", "tps_code", "values", "message", "suggested"}


def test_every_rule_id_in_the_catalogue_has_an_indonesian_title() -> None:
    assert {"R1", "R2", "R3", "R3B", "R4", "R5", "R5Z", "R6", "R7", "R8", "R9", "R10"} <= set(RULES)
    assert all(info.title and info.severity in {"error", "warning", "info"} for info in RULES.values())


def test_an_unknown_election_type_is_refused() -> None:
    with pytest.raises(ValueError, match="pilkada or pemilu"):
        RuleConfig.for_election("pileg")  # type: ignore[arg-type]


def test_a_frame_with_nothing_stored_yet_has_no_findings_and_no_error() -> None:
    # What the store holds before any TPS of an election was imported: no rows, no paslon columns.
    empty = pl.DataFrame({"tps_code": [], "desa_code": [], "dpt": []}, schema_overrides={"dpt": pl.Int64})
    assert check_frame(empty) == []
