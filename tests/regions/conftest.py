"""Fixtures shared by the region tests: the real data in ../shared/data and the national gazetteer."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from waspada.regions.boundaries import BoundaryFeature, parse_boundaries
from waspada.regions.gazetteer import Unit, iter_units
from waspada.regions.names import NameIndex

_DEFAULT_SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"


@pytest.fixture(autouse=True)
def _locmem_cache() -> Iterator[None]:
    """Overrides the Django cache reset of tests/conftest.py: region tests are pure and need no settings."""
    yield


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared real-data folder; WASPADA_SHARED_DATA may point elsewhere."""
    path = Path(os.environ.get("WASPADA_SHARED_DATA") or _DEFAULT_SHARED_DATA)
    if not path.is_dir():
        pytest.skip(f"shared data folder {path} is missing (set WASPADA_SHARED_DATA to its location)")
    return path


@pytest.fixture(scope="session")
def kaltara_dir(shared_data: Path) -> Path:
    return shared_data / "kaltara"


@pytest.fixture(scope="session")
def units() -> list[Unit]:
    return list(iter_units())


@pytest.fixture(scope="session")
def name_index(units: list[Unit]) -> NameIndex:
    return NameIndex.build((unit.code, unit.name, unit.level, unit.kind) for unit in units)


@pytest.fixture(scope="session")
def kaltara_boundaries(kaltara_dir: Path) -> dict[str, list[BoundaryFeature]]:
    """The three real Kaltara boundary files, parsed: {"kabkota": [...], "kecamatan": [...], "desa": [...]}."""
    parsed = {}
    for level in ("kabkota", "kecamatan", "desa"):
        path = kaltara_dir / f"{level}.geojson"
        parsed[level] = parse_boundaries(path.read_bytes(), source=path.name).features
    return parsed
