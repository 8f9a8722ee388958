"""Reading and checking a boundary file (GeoJSON, WGS84) before its polygons are imported.

Problems that make the whole file unusable raise :class:`BoundaryFileError`; problems of single features
are collected as :class:`BoundaryProblem` rows so that the good features can still be imported and the
bad ones reported by number. Messages are in Bahasa Indonesia and name the file or the feature.
"""

from __future__ import annotations

import json
from collections.abc import Container, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal

import numpy as np
import shapely
from shapely.errors import ShapelyError
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.geometry.base import BaseGeometry

from .codes import InvalidCode, normalize_code

__all__ = [
    "BoundaryFeature",
    "BoundaryFileError",
    "BoundaryParse",
    "BoundaryProblem",
    "ProblemKind",
    "parse_boundaries",
]

ProblemKind = Literal[
    "missing_code",
    "invalid_code",
    "unknown_code",  # well formed, but not in ``known_codes`` (or, for an importer, not in the gazetteer)
    "invalid_geometry",
    "empty_geometry",
    "not_polygon",
    "outside_indonesia",
    "wrong_level",  # not produced here: for importers that expect one level per file
]

#: Indonesia's extent with a margin: longitude (bujur) and latitude (lintang) in degrees.
LON_RANGE: Final = (94.0, 142.0)
LAT_RANGE: Final = (-12.0, 7.0)

_CODE_KEYS: Final = ("kode", "code", "KODE", "kode_wilayah", "Kode", "CODE", "KODE_WILAYAH")
_NAME_KEYS: Final = ("nama", "name", "NAMA", "NAME", "Nama", "Name")
_POLYGONAL: Final = ("Polygon", "MultiPolygon")


class BoundaryFileError(ValueError):
    """The whole file cannot be used; the message (Bahasa Indonesia) names the file and the reason."""


@dataclass(frozen=True, slots=True)
class BoundaryFeature:
    """A usable feature: its position in the file (0-based), dotted code, name and polygonal geometry."""

    index: int
    code: str
    name: str | None
    geometry: Polygon | MultiPolygon
    #: True when the geometry was invalid and has been repaired with ``shapely.make_valid``.
    repaired: bool = False


@dataclass(frozen=True, slots=True)
class BoundaryProblem:
    """A feature that was left out. ``index`` is 0-based; the message counts from 1 ("fitur ke-1")."""

    index: int
    code: str | None
    kind: ProblemKind
    message: str


@dataclass(slots=True)
class BoundaryParse:
    """Result of :func:`parse_boundaries`: the usable features and the features left out, in file order."""

    features: list[BoundaryFeature] = field(default_factory=list)
    problems: list[BoundaryProblem] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Rejected:
    kind: ProblemKind
    reason: str


def parse_boundaries(data: bytes, *, source: str, known_codes: Container[str] | None = None) -> BoundaryParse:
    """Parse a GeoJSON FeatureCollection (or a single Feature) of region boundaries.

    Each feature needs a region code in its properties (``kode``, ``code``, ``KODE`` or ``kode_wilayah``,
    dotted or undotted) and may carry a name (``nama`` or ``name``). When ``known_codes`` is given, codes
    not in it are reported as ``unknown_code``. ``source`` names the file in messages.
    """
    raw_features = _features_of(_load_json(data, source), source)
    geometries = [_read_geometry(raw) for raw in raw_features]
    _check_coordinate_order([g for g in geometries if isinstance(g, BaseGeometry)], source)

    result = BoundaryParse()
    first_index_of_code: dict[str, int] = {}
    for index, (raw, geometry) in enumerate(zip(raw_features, geometries, strict=True)):
        outcome = _read_feature(index, raw, geometry, known_codes, first_index_of_code)
        if isinstance(outcome, BoundaryProblem):
            result.problems.append(outcome)
        else:
            first_index_of_code[outcome.code] = index
            result.features.append(outcome)
    return result


def _read_feature(
    index: int,
    raw: object,
    geometry: BaseGeometry | _Rejected,
    known_codes: Container[str] | None,
    first_index_of_code: Mapping[str, int],
) -> BoundaryFeature | BoundaryProblem:
    where = f"Fitur ke-{index + 1}"
    properties = _properties_of(raw)
    code, code_problem = _read_code(properties, where, known_codes)
    if code_problem is not None or code is None:
        kind, message = code_problem or ("missing_code", f"{where}: tidak punya kode wilayah.")
        return BoundaryProblem(index, code, kind, message)
    where = f"{where} (kode {code})"
    earlier = first_index_of_code.get(code)
    if earlier is not None:
        return BoundaryProblem(
            index, code, "invalid_code", f"{where}: kode ini sudah dipakai oleh fitur ke-{earlier + 1}."
        )
    checked = geometry if isinstance(geometry, _Rejected) else _check_geometry(geometry)
    if isinstance(checked, _Rejected):
        return BoundaryProblem(index, code, checked.kind, f"{where}: {checked.reason}")
    polygon, repaired = checked
    return BoundaryFeature(index, code, _read_name(properties), polygon, repaired=repaired)


def _load_json(data: bytes, source: str) -> object:
    if not data.strip():
        raise BoundaryFileError(f"Berkas {source} kosong.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BoundaryFileError(
            f"Berkas {source} tidak bisa dibaca sebagai teks UTF-8 (byte ke-{error.start + 1})."
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise BoundaryFileError(
            f"Berkas {source} bukan JSON yang sah: ada kesalahan di baris {error.lineno}, kolom {error.colno}."
        ) from None
    except RecursionError:
        raise BoundaryFileError(f"Berkas {source} bersarang terlalu dalam untuk dibaca.") from None


def _features_of(document: object, source: str) -> list[object]:
    not_geojson = (
        f"Berkas {source} bukan GeoJSON batas wilayah: yang diharapkan adalah objek "
        '{"type": "FeatureCollection", "features": [...]} atau satu objek "Feature".'
    )
    if not isinstance(document, dict):
        raise BoundaryFileError(not_geojson)
    kind = document.get("type")
    if kind == "Feature":
        return [document]
    if kind != "FeatureCollection" or not isinstance(document.get("features"), list):
        raise BoundaryFileError(not_geojson)
    features: list[object] = document["features"]
    if not features:
        raise BoundaryFileError(f"Berkas {source} tidak berisi satu fitur pun (daftar features kosong).")
    return features


def _properties_of(raw: object) -> Mapping[str, Any]:
    if isinstance(raw, dict):
        properties = raw.get("properties")
        if isinstance(properties, dict):
            return properties
    return {}


def _read_code(
    properties: Mapping[str, Any], where: str, known_codes: Container[str] | None
) -> tuple[str | None, tuple[ProblemKind, str] | None]:
    value = next((properties[key] for key in _CODE_KEYS if properties.get(key) not in (None, "")), None)
    if value is None:
        return None, ("missing_code", f"{where}: tidak punya kode wilayah (properti 'kode' atau 'code').")
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None, ("invalid_code", f"{where}: kode wilayah {value!r} harus berupa teks atau angka.")
    try:
        code = normalize_code(str(value))
    except InvalidCode:
        return None, ("invalid_code", f"{where}: kode wilayah {str(value)!r} tidak valid.")
    if known_codes is not None and code not in known_codes:
        return code, (
            "unknown_code",
            f"{where} (kode {code}): kode ini tidak ada dalam daftar wilayah Kemendagri.",
        )
    return code, None


def _read_name(properties: Mapping[str, Any]) -> str | None:
    for key in _NAME_KEYS:
        value = properties.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _read_geometry(raw: object) -> BaseGeometry | _Rejected:
    if not isinstance(raw, dict) or raw.get("type") != "Feature":
        return _Rejected("invalid_geometry", 'bukan objek GeoJSON "Feature".')
    geometry = raw.get("geometry")
    if geometry is None:
        return _Rejected("empty_geometry", "tidak punya geometri.")
    if not isinstance(geometry, dict) or not isinstance(geometry.get("type"), str):
        return _Rejected("invalid_geometry", "geometrinya bukan objek GeoJSON yang sah.")
    if geometry["type"] not in _POLYGONAL:
        return _Rejected(
            "not_polygon",
            f"geometrinya {geometry['type']}, padahal batas wilayah harus Polygon atau MultiPolygon.",
        )
    try:
        parsed = shape(geometry)
    except (ValueError, TypeError, IndexError, AttributeError, ShapelyError):
        return _Rejected(
            "invalid_geometry", "koordinat geometrinya tidak terbaca (susunan atau jumlah titik salah)."
        )
    if parsed.is_empty:
        return _Rejected("empty_geometry", "geometrinya kosong.")
    return parsed


def _check_coordinate_order(present: list[BaseGeometry], source: str) -> None:
    """Reject files written as [lintang, bujur] or in projected metres instead of [bujur, lintang]."""
    if not present:
        return
    coords = shapely.get_coordinates(np.asarray(present, dtype=object))
    if len(coords) == 0:
        return
    xs, ys = coords[:, 0], coords[:, 1]
    as_given = int(np.count_nonzero(_in_range(xs, LON_RANGE) & _in_range(ys, LAT_RANGE)))
    swapped = int(np.count_nonzero(_in_range(ys, LON_RANGE) & _in_range(xs, LAT_RANGE)))
    if swapped > as_given and swapped * 2 >= len(coords):
        raise BoundaryFileError(
            f"Berkas {source}: urutan koordinat tampaknya tertukar: titik-titiknya tertulis sebagai "
            "[lintang, bujur]. GeoJSON memakai urutan [bujur, lintang] (misalnya [117.59, 3.30] untuk "
            "Tarakan). Tukar urutannya lalu impor lagi."
        )
    degrees = int(np.count_nonzero((np.abs(xs) <= 180) & (np.abs(ys) <= 90)))
    if degrees * 2 < len(coords):
        raise BoundaryFileError(
            f"Berkas {source}: koordinatnya tidak dalam derajat bujur/lintang WGS84 (mungkin sistem koordinat "
            "terproyeksi dalam meter). Ubah dulu ke WGS84 (EPSG:4326), urutan [bujur, lintang]."
        )


def _in_range(values: np.ndarray, bounds: tuple[float, float]) -> np.ndarray:
    return (values >= bounds[0]) & (values <= bounds[1])


def _check_geometry(geometry: BaseGeometry) -> tuple[Polygon | MultiPolygon, bool] | _Rejected:
    minx, miny, maxx, maxy = geometry.bounds
    if not (LON_RANGE[0] <= minx and maxx <= LON_RANGE[1] and LAT_RANGE[0] <= miny and maxy <= LAT_RANGE[1]):
        return _Rejected(
            "outside_indonesia",
            f"geometrinya berada di luar wilayah Indonesia (bujur {minx:.3f} s.d. {maxx:.3f}, "
            f"lintang {miny:.3f} s.d. {maxy:.3f}).",
        )
    if geometry.is_valid and isinstance(geometry, Polygon | MultiPolygon):
        return geometry, False
    repaired = _polygonal_part(shapely.make_valid(geometry))
    if repaired is None:
        return _Rejected(
            "invalid_geometry", "geometrinya tidak sah dan tidak bisa diperbaiki (tidak tersisa luasan)."
        )
    return repaired, True


def _polygonal_part(geometry: BaseGeometry) -> Polygon | MultiPolygon | None:
    """Keep only the areas of a geometry (make_valid may add stray lines or points)."""
    parts = [
        part
        for part in shapely.get_parts(geometry)
        if isinstance(part, Polygon | MultiPolygon) and not part.is_empty and part.area > 0
    ]
    if not parts:
        return None
    merged = shapely.union_all(parts) if len(parts) > 1 else parts[0]
    if isinstance(merged, Polygon | MultiPolygon) and merged.is_valid and not merged.is_empty:
        return merged
    return None
