from __future__ import annotations

import pytest

from waspada.regions.codes import (
    InvalidCode,
    ancestors,
    is_within,
    level_of,
    normalize_code,
    parent_of,
    split_tps_code,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("65.03.12.2001", "65.03.12.2001"),
        ("6503122001", "65.03.12.2001"),
        ("  6503122001\n", "65.03.12.2001"),
        (" 65.03 ", "65.03"),
        ("650312", "65.03.12"),
        ("65", "65"),
        ("6571", "65.71"),
    ],
)
def test_it_normalizes_dotted_and_undotted_codes_to_dotted(raw: str, expected: str) -> None:
    assert normalize_code(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "abc",
        "6",
        "65031",
        "65.3",
        "65.03.12.201",
        "65.03.12.2001.5",
        "65..03",
        "65.03.",
        "65-03",
        "65 03",
        "00",
        "65.00",
        "65.03.12.0000",
        "٦٥",  # Arabic-Indic digits are not Kemendagri digits
    ],
)
def test_it_rejects_garbage_codes_with_an_indonesian_message(raw: str) -> None:
    with pytest.raises(InvalidCode) as caught:
        normalize_code(raw)
    assert "Kode wilayah" in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_it_points_out_that_a_13_digit_code_is_a_tps_code() -> None:
    with pytest.raises(InvalidCode, match="kode TPS"):
        normalize_code("6503122001004")


def test_it_rejects_a_code_that_is_not_text() -> None:
    with pytest.raises(InvalidCode):
        normalize_code(6503)  # type: ignore[arg-type]


@pytest.mark.parametrize(("code", "level"), [("65", 1), ("65.03", 2), ("650312", 3), ("65.03.12.2001", 4)])
def test_it_tells_the_level_of_a_code(code: str, level: int) -> None:
    assert level_of(code) == level


def test_it_gives_the_parent_of_each_level_and_none_for_a_province() -> None:
    assert parent_of("6503122001") == "65.03.12"
    assert parent_of("65.03.12") == "65.03"
    assert parent_of("65.03") == "65"
    assert parent_of("65") is None


def test_it_lists_ancestors_province_first_without_the_code_itself() -> None:
    assert ancestors("65.03.12.2001") == ["65", "65.03", "65.03.12"]
    assert ancestors("65") == []


def test_it_says_a_code_is_within_itself_and_its_ancestors() -> None:
    assert is_within("65.03.12.2001", "65.03.12.2001")
    assert is_within("65.03.12.2001", "65.03")
    assert is_within("6503122001", "65")


def test_it_does_not_confuse_siblings_sharing_leading_digits() -> None:
    assert not is_within("65.03", "65.03.12")
    assert not is_within("65.71.01", "65.01")
    assert not is_within("65.71", "65.03.12")
    assert not is_within("65.03.12.2001", "65.03.01")


def test_it_splits_a_tps_code_into_desa_code_and_number() -> None:
    assert split_tps_code(" 6503122001004 ") == ("65.03.12.2001", 4)
    assert split_tps_code("6571021001123") == ("65.71.02.1001", 123)


@pytest.mark.parametrize(
    "raw", ["650312200104", "65031220010045", "6503122001000", "65.03.12.2001.004", "x503122001004"]
)
def test_it_rejects_malformed_tps_codes(raw: str) -> None:
    with pytest.raises(InvalidCode, match="Kode TPS"):
        split_tps_code(raw)
