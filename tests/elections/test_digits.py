"""Likely digit-reading errors: what one misread can do to a number, and the single correction that makes
a constructed form add up again (and only then)."""

from __future__ import annotations

from typing import Any

import pytest

from waspada.elections.integrity import check_frame
from waspada.elections.integrity.digits import explain_misread, misread_variants, suggest_corrections
from waspada.elections.integrity.rules import RuleConfig, evaluate

from .conftest import frame_of, tps

PEMILU = RuleConfig.for_election("pemilu")


@pytest.mark.parametrize(
    ("observed", "intended", "kind"),
    [
        (88, 38, "swap_3_8"),
        (38, 88, "swap_3_8"),
        (172, 122, "swap_2_7"),
        (122, 172, "swap_2_7"),
        (171, 111, "swap_1_7"),
        (117, 111, "swap_1_7"),
        (780, 80, "digit_added"),
        (652, 52, "digit_added"),
        (85, 185, "digit_dropped"),
        (0, 40, "digit_dropped"),
    ],
)
def test_it_explains_one_reading_error(observed: int, intended: int, kind: str) -> None:
    misread = explain_misread(observed, intended)
    assert misread is not None and misread.kind == kind


@pytest.mark.parametrize(
    ("observed", "intended"), [(85, 86), (150, 155), (38, 83), (1, 79), (136188, 136), (5, 5)]
)
def test_it_refuses_what_one_reading_error_cannot_explain(observed: int, intended: int) -> None:
    assert explain_misread(observed, intended) is None


def test_the_confusable_pairs_are_configurable() -> None:
    assert explain_misread(56, 55) is None
    assert explain_misread(56, 55, pairs=[("5", "6")]) is not None


def test_variants_are_exactly_the_values_one_error_away() -> None:
    variants = misread_variants(38)
    assert {88, 33, 3, 8, 138}.issubset(variants)  # 3→8, 8→3, dropped 8, dropped 3, added 1
    assert 39 not in variants and 38 not in variants
    assert all(explain_misread(38, v) is not None for v in variants)


def corrections(rows: list[dict[str, Any]]) -> dict[str, list[tuple[str, int, int]]]:
    found = suggest_corrections(evaluate(frame_of(rows), PEMILU), PEMILU)
    return {code: [(c.column, c.observed, c.value) for c in fixes] for code, fixes in found.items()}


# The clean form of conftest: paslon 63 + 118 + 17 = 198 valid, 7 invalid, 205 total = 205 voters,
# DPT 250 = 126 + 124, DPT voters 200 + DPTb 3 + DPK 2 = 205.


def test_a_3_read_as_8_is_corrected() -> None:
    row = tps(1, paslon1=88, paslon2=143)  # true 38 + 143 + 17 = 198; the 3 of 38 read as 8
    assert corrections([row]) == {"6501011001001": [("paslon1", 88, 38)]}


def test_a_2_read_as_7_and_a_7_read_as_2_are_corrected() -> None:
    assert corrections([tps(1, paslon1=23, paslon2=108)]) == {"6501011001001": [("paslon1", 23, 73)]}
    assert corrections([tps(1, dpt_l=176)]) == {"6501011001001": [("dpt_l", 176, 126)]}


def test_a_1_read_as_7_is_corrected_and_repairs_the_voter_bound_too() -> None:
    frame = frame_of([tps(1, paslon2=718)])  # 118 read as 718: Σ paslon 798 > DPT + 2 %
    findings = {f.rule: f for f in check_frame(frame)}
    assert findings["R1"].suggested is not None and findings["R1"].suggested["to"] == 118
    assert findings["R1"].suggested["kind"] == "swap_1_7"
    assert findings["R5"].suggested == findings["R1"].suggested


def test_a_digit_added_to_a_paslon_count_is_corrected() -> None:
    assert corrections([tps(1, paslon3=177)]) == {"6501011001001": [("paslon3", 177, 17)]}


def test_a_digit_dropped_from_the_total_is_suggested_on_every_rule_it_repairs() -> None:
    frame = frame_of([tps(1, suara_total=25)])  # 205 read as 25: R2 and R3 both break
    findings = [f for f in check_frame(frame) if f.rule in {"R2", "R3"}]
    assert {f.rule for f in findings} == {"R2", "R3"}
    for item in findings:
        assert item.suggested == {
            "column": "suara_total",
            "from": 25,
            "to": 205,
            "kind": "digit_dropped",
            "reason": "suara_total: angka '0' tidak terbaca (205 terbaca 25)",
        }
        assert "Kemungkinan salah baca" in item.message


def test_several_possible_corrections_are_listed_not_chosen() -> None:
    frame = frame_of([tps(1, paslon1=68)])  # Σ 5 too many: 68→63, 118→113 and 17→12 all fit
    (r1,) = [f for f in check_frame(frame) if f.rule == "R1"]
    assert r1.suggested is None
    options = {(o["column"], o["to"]) for o in r1.values["kemungkinan_koreksi"]}  # type: ignore[union-attr]
    assert options == {("paslon1", 63), ("paslon2", 113), ("paslon3", 12)}


def test_no_suggestion_when_the_correction_leaves_a_related_rule_broken() -> None:
    # Like TPS 6503122001009: DPT 172 but L + P = 154 + 128. Reading 18 as 128 would repair L + P = DPT,
    # yet the 179 voters stay above DPT + 2 % — so the DPT itself is the suspect: nothing is suggested.
    row = tps(
        1,
        dpt=172,
        dpt_l=154,
        dpt_p=128,
        pengguna_dpt=172,
        pengguna_dptb=7,
        pengguna_dpk=0,
        pengguna_total=179,
        paslon1=41,
        paslon2=93,
        paslon3=45,
        suara_sah=179,
        suara_tidak_sah=0,
        suara_total=179,
    )
    assert corrections([row]) == {}


def test_a_correction_that_would_break_a_rule_that_held_is_not_suggested() -> None:
    # L + P = 138 ≠ DPT 188 (138 → 188 is one 3↔8), but a DPT of 138 is below the 150 DPT voters.
    row = tps(
        1,
        dpt=188,
        dpt_l=70,
        dpt_p=68,
        pengguna_dpt=150,
        pengguna_total=155,
        paslon1=50,
        paslon2=80,
        paslon3=18,
        suara_sah=148,
        suara_total=155,
    )
    assert corrections([row]) == {}


def test_an_oversized_tps_does_not_block_a_paslon_correction() -> None:
    row = tps(1, dpt=350, dpt_l=175, dpt_p=175, paslon1=88, paslon2=143)
    assert corrections([row]) == {"6501011001001": [("paslon1", 88, 38)]}
