from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from waspada.regions.boundaries import BoundaryFeature, BoundaryFileError, BoundaryParse, parse_boundaries
from waspada.regions.gazetteer import Unit

TARAKAN_SQUARE = [[[117.55, 3.28], [117.62, 3.28], [117.62, 3.34], [117.55, 3.34], [117.55, 3.28]]]


def feature(properties: dict[str, Any], coordinates: Any = None, kind: str = "Polygon") -> dict[str, Any]:
    geometry = {"type": kind, "coordinates": TARAKAN_SQUARE if coordinates is None else coordinates}
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def collection(*features: dict[str, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


def parse_file(
    tmp_path: Path, content: bytes | str | dict[str, Any], name: str = "batas.geojson"
) -> BoundaryParse:
    """Write the content to a file in tmp_path and parse it back, as an import would."""
    path = tmp_path / name
    if isinstance(content, dict):
        content = json.dumps(content)
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return parse_boundaries(path.read_bytes(), source=path.name)


# --- the real Kaltara files -------------------------------------------------------------------------------


@pytest.mark.parametrize(("level", "count"), [("kabkota", 5), ("kecamatan", 55), ("desa", 482)])
def test_the_real_kaltara_files_parse_without_problems(kaltara_dir: Path, level: str, count: int) -> None:
    path = kaltara_dir / f"{level}.geojson"
    parsed = parse_boundaries(path.read_bytes(), source=path.name)
    assert parsed.problems == []
    assert len(parsed.features) == count
    assert len({f.code for f in parsed.features}) == count
    assert all(f.name and f.geometry.is_valid and not f.repaired for f in parsed.features)
    assert [f.index for f in parsed.features] == list(range(count))
    assert all(f.code.startswith("65.") for f in parsed.features)


@pytest.mark.slow
def test_every_real_kaltara_code_is_in_the_gazetteer(
    kaltara_boundaries: dict[str, list[BoundaryFeature]], units: list[Unit]
) -> None:
    names = {unit.code: unit.name for unit in units}
    for features in kaltara_boundaries.values():
        for f in features:
            assert names.get(f.code) == f.name, f.code


def test_it_names_tarakan_in_the_kabkota_file(kaltara_boundaries: dict[str, list[BoundaryFeature]]) -> None:
    tarakan = [f for f in kaltara_boundaries["kabkota"] if f.code == "65.71"]
    assert [(f.name, f.geometry.geom_type) for f in tarakan] == [("Kota Tarakan", "MultiPolygon")]


# --- files that cannot be used at all ---------------------------------------------------------------------


def test_it_rejects_broken_json_naming_the_file_line_and_column(tmp_path: Path) -> None:
    with pytest.raises(BoundaryFileError) as caught:
        parse_file(tmp_path, '{"type": "FeatureCollection",\n  "features": [,]}', name="rusak.geojson")
    message = str(caught.value)
    assert "rusak.geojson" in message and "bukan JSON" in message
    assert "baris 2" in message and "kolom 16" in message


@pytest.mark.parametrize("content", [b"", b"  \n\t"])
def test_it_rejects_an_empty_file(tmp_path: Path, content: bytes) -> None:
    with pytest.raises(BoundaryFileError, match=r"kosong\.$") as caught:
        parse_file(tmp_path, content, name="kosong.geojson")
    assert "kosong.geojson" in str(caught.value)


@pytest.mark.parametrize(
    "content",
    ["{}", "[]", '"teks"', '{"type": "Polygon", "coordinates": []}', '{"type": "FeatureCollection"}'],
)
def test_it_rejects_json_that_is_not_a_feature_collection(tmp_path: Path, content: str) -> None:
    with pytest.raises(BoundaryFileError, match="bukan GeoJSON batas wilayah"):
        parse_file(tmp_path, content)


def test_it_rejects_a_collection_without_features(tmp_path: Path) -> None:
    with pytest.raises(BoundaryFileError, match="tidak berisi satu fitur pun") as caught:
        parse_file(tmp_path, collection(), name="nol.geojson")
    assert "nol.geojson" in str(caught.value)


def test_it_rejects_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    with pytest.raises(BoundaryFileError, match="UTF-8"):
        parse_file(tmp_path, b'{"type": "FeatureCollection", "features": [], "x": "\xff"}')


def test_it_rejects_swapped_coordinates_explaining_the_right_order(kaltara_dir: Path, tmp_path: Path) -> None:
    document = json.loads((kaltara_dir / "kecamatan.geojson").read_bytes())

    def swap(value: Any) -> Any:
        if isinstance(value[0], float | int):
            return [value[1], value[0]]
        return [swap(item) for item in value]

    for f in document["features"]:
        f["geometry"]["coordinates"] = swap(f["geometry"]["coordinates"])
    with pytest.raises(BoundaryFileError) as caught:
        parse_file(tmp_path, document, name="tertukar.geojson")
    message = str(caught.value)
    assert "tertukar.geojson" in message
    assert "tertukar" in message and "[bujur, lintang]" in message


def test_it_rejects_projected_coordinates(tmp_path: Path) -> None:
    metres = [[[500000, 360000], [510000, 360000], [510000, 370000], [500000, 360000]]]
    with pytest.raises(BoundaryFileError, match="WGS84"):
        parse_file(tmp_path, collection(feature({"kode": "65.71"}, metres)))


# --- single features that are left out or repaired ----------------------------------------------------------


def test_it_accepts_the_code_and_name_property_variants(tmp_path: Path) -> None:
    parsed = parse_file(
        tmp_path,
        collection(
            feature({"kode": "65.71", "nama": "Kota Tarakan"}),
            feature({"code": "6571010001", "name": "Satu"}),
            feature({"KODE": " 6571 02 ".replace(" 02", "02")}),
            feature({"kode_wilayah": 6503}),
        ),
    )
    assert parsed.problems == []
    assert [(f.code, f.name) for f in parsed.features] == [
        ("65.71", "Kota Tarakan"),
        ("65.71.01.0001", "Satu"),
        ("65.71.02", None),
        ("65.03", None),
    ]


def test_it_accepts_a_single_feature_and_a_byte_order_mark(tmp_path: Path) -> None:
    content = b"\xef\xbb\xbf" + json.dumps(feature({"kode": "65.71"})).encode()
    parsed = parse_file(tmp_path, content)
    assert [f.code for f in parsed.features] == ["65.71"]


def test_it_reports_missing_invalid_unknown_and_duplicate_codes(tmp_path: Path) -> None:
    path = tmp_path / "kode.geojson"
    path.write_text(
        json.dumps(
            collection(
                feature({"kode": "65.71"}),
                feature({"nama": "Tanpa Kode"}),
                feature({"kode": "65.x1"}),
                feature({"kode": "99.01"}),
                feature({"kode": "6571"}),
                feature({"kode": True}),
            )
        )
    )
    parsed = parse_boundaries(path.read_bytes(), source=path.name, known_codes={"65", "65.71"})
    assert [f.code for f in parsed.features] == ["65.71"]
    assert [(p.index, p.code, p.kind) for p in parsed.problems] == [
        (1, None, "missing_code"),
        (2, None, "invalid_code"),
        (3, "99.01", "unknown_code"),
        (4, "65.71", "invalid_code"),
        (5, None, "invalid_code"),
    ]
    messages = [p.message for p in parsed.problems]
    assert messages[0].startswith("Fitur ke-2:") and "kode wilayah" in messages[0]
    assert "'65.x1'" in messages[1]
    assert messages[2].startswith("Fitur ke-4 (kode 99.01):") and "tidak ada" in messages[2]
    assert "fitur ke-1" in messages[3]


def test_it_repairs_a_bowtie_polygon_keeping_its_area(tmp_path: Path) -> None:
    bowtie = [[[117.0, 3.0], [117.1, 3.1], [117.1, 3.0], [117.0, 3.1], [117.0, 3.0]]]
    parsed = parse_file(tmp_path, collection(feature({"kode": "65.71"}, bowtie)))
    assert parsed.problems == []
    [repaired] = parsed.features
    assert repaired.repaired is True
    assert repaired.geometry.is_valid
    assert repaired.geometry.geom_type == "MultiPolygon"
    assert repaired.geometry.area == pytest.approx(0.005)


def test_it_reports_geometries_it_cannot_use(tmp_path: Path) -> None:
    flat = [[[117.0, 3.0], [117.5, 3.0], [118.0, 3.0], [117.0, 3.0]]]
    paris = [[[2.3, 48.8], [2.4, 48.8], [2.4, 48.9], [2.3, 48.8]]]
    document = collection(
        feature({"kode": "65.01"}, flat),
        feature({"kode": "65.02"}, [117.5, 3.3], kind="Point"),
        {"type": "Feature", "properties": {"kode": "65.03"}, "geometry": None},
        feature({"kode": "65.04"}, []),
        feature({"kode": "65.05"}, [[[117.0, 3.0], [117.1, 3.1]]]),
        feature({"kode": "65.06"}, paris),
        {"type": "Feature", "properties": {"kode": "65.07"}, "geometry": "POLYGON"},
        feature({"kode": "65.71"}),
    )
    parsed = parse_file(tmp_path, document)
    assert [f.code for f in parsed.features] == ["65.71"]
    assert [(p.code, p.kind) for p in parsed.problems] == [
        ("65.01", "invalid_geometry"),
        ("65.02", "not_polygon"),
        ("65.03", "empty_geometry"),
        ("65.04", "empty_geometry"),
        ("65.05", "invalid_geometry"),
        ("65.06", "outside_indonesia"),
        ("65.07", "invalid_geometry"),
    ]
    for problem in parsed.problems:
        assert problem.message.startswith(f"Fitur ke-{problem.index + 1} (kode {problem.code}):")
