"""Time zone of a region, decided by its province: WIB, WITA or WIT."""

from __future__ import annotations

from typing import Final, Literal

from .codes import normalize_code

__all__ = ["ZoneLabel", "zone_for", "zone_label"]

ZoneLabel = Literal["WIB", "WITA", "WIT"]

_IANA: Final[dict[ZoneLabel, str]] = {
    "WIB": "Asia/Jakarta",
    "WITA": "Asia/Makassar",
    "WIT": "Asia/Jayapura",
}

# Province code -> zone. Sumatra (11-19, 21), Java and Banten (31-36), Kalimantan Barat and Tengah (61, 62)
# are WIB; Bali and Nusa Tenggara (51-53), Kalimantan Selatan, Timur, Utara (63-65) and Sulawesi (71-76) are
# WITA; Maluku (81, 82) and the Papua provinces (91-97) are WIT.
_ZONE_OF_PROVINCE: Final[dict[str, ZoneLabel]] = {
    **dict.fromkeys(("11", "12", "13", "14", "15", "16", "17", "18", "19", "21"), "WIB"),
    **dict.fromkeys(("31", "32", "33", "34", "35", "36"), "WIB"),
    **dict.fromkeys(("61", "62"), "WIB"),
    **dict.fromkeys(("51", "52", "53"), "WITA"),
    **dict.fromkeys(("63", "64", "65"), "WITA"),
    **dict.fromkeys(("71", "72", "73", "74", "75", "76"), "WITA"),
    **dict.fromkeys(("81", "82"), "WIT"),
    **dict.fromkeys(("91", "92", "93", "94", "95", "96", "97"), "WIT"),
}


def zone_label(code: str) -> ZoneLabel:
    """Zone label (WIB, WITA or WIT) of a region code, dotted or undotted, of any level."""
    province = normalize_code(code)[:2]
    try:
        return _ZONE_OF_PROVINCE[province]
    except KeyError:
        raise ValueError(
            f"Provinsi dengan kode {province} tidak dikenal, zona waktunya tidak diketahui."
        ) from None


def zone_for(code: str) -> str:
    """IANA time zone name of a region: Asia/Jakarta, Asia/Makassar or Asia/Jayapura."""
    return _IANA[zone_label(code)]
