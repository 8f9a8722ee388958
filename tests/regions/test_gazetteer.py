from __future__ import annotations

from collections import Counter

import pytest

from waspada.regions.codes import level_of, parent_of
from waspada.regions.gazetteer import KINDS, Unit

pytestmark = pytest.mark.slow


def test_it_yields_every_unit_of_the_country_per_level(units: list[Unit]) -> None:
    assert len(units) == 91_599
    assert Counter(unit.level for unit in units) == {1: 38, 2: 514, 3: 7_285, 4: 83_762}


def test_it_yields_kaltara_with_5_kabkota_55_kecamatan_and_482_desa_kelurahan(units: list[Unit]) -> None:
    kaltara = [unit for unit in units if unit.code == "65" or unit.code.startswith("65.")]
    assert Counter(unit.level for unit in kaltara) == {1: 1, 2: 5, 3: 55, 4: 482}
    assert Counter(unit.kind for unit in kaltara if unit.level == 4) == {"desa": 447, "kelurahan": 35}
    assert {unit.code: unit.kind for unit in kaltara if unit.level == 2} == {
        "65.01": "kabupaten",
        "65.02": "kabupaten",
        "65.03": "kabupaten",
        "65.04": "kabupaten",
        "65.71": "kota",
    }


def test_it_yields_each_parent_before_its_children(units: list[Unit]) -> None:
    seen: set[str] = set()
    for unit in units:
        assert unit.parent_code is None or unit.parent_code in seen, unit
        seen.add(unit.code)


def test_it_gives_consistent_codes_levels_and_parents(units: list[Unit]) -> None:
    codes = [unit.code for unit in units]
    assert len(set(codes)) == len(codes)
    for unit in units:
        assert level_of(unit.code) == unit.level
        assert parent_of(unit.code) == unit.parent_code
        assert KINDS[unit.kind] == unit.level
        assert unit.name.strip() == unit.name and unit.name


def test_it_uses_only_its_own_six_kinds_folding_distrik_and_desa_adat(units: list[Unit]) -> None:
    kinds = Counter(unit.kind for unit in units)
    assert set(kinds) == {"provinsi", "kabupaten", "kota", "kecamatan", "desa", "kelurahan"}
    papua_kecamatan = [unit for unit in units if unit.level == 3 and unit.code.startswith("91.")]
    assert papua_kecamatan and all(unit.kind == "kecamatan" for unit in papua_kecamatan)
    desa_adat = [unit for unit in units if unit.level == 4 and unit.code.split(".")[3].startswith("3")]
    assert desa_adat and all(unit.kind == "desa" for unit in desa_adat)


def test_it_marks_kelurahan_by_the_1xxx_suffix(units: list[Unit]) -> None:
    for unit in units:
        if unit.level == 4:
            assert (unit.kind == "kelurahan") == unit.code.split(".")[3].startswith("1"), unit


def test_it_names_kaltara_and_tarakan(units: list[Unit]) -> None:
    by_code = {unit.code: unit for unit in units}
    assert by_code["65"].name == "Kalimantan Utara"
    assert by_code["65.71"] == Unit("65.71", "Kota Tarakan", 2, "kota", "65")
