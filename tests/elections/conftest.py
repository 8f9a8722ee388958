"""Helpers for the election-integrity tests: the real files in ``../shared/data/elections`` (never copied
into the project) and small TPS files written from plain rows."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from waspada.elections.integrity.tps_csv import REQUIRED_COLUMNS

SHARED_DATA = Path(
    os.environ.get("WASPADA_SHARED_DATA", Path(__file__).resolve().parents[3] / "shared" / "data")
)
ELECTIONS = SHARED_DATA / "elections"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

#: A consistent TPS (3 paslon): every rule holds for Pilkada and Pemilu.
CLEAN: dict[str, Any] = {
    "tps_code": "6501011001001",
    "prov_code": "65",
    "kab_code": "6501",
    "kec_code": "650101",
    "desa_code": "6501011001",
    "tps_no": 1,
    "prov_name": "KALIMANTAN UTARA",
    "kab_name": "BULUNGAN",
    "kec_name": "TANJUNG PALAS",
    "desa_name": "TANJUNG PALAS HULU",
    "dpt": 250,
    "dpt_l": 126,
    "dpt_p": 124,
    "pengguna_dpt": 200,
    "pengguna_dptb": 3,
    "pengguna_dpk": 2,
    "pengguna_total": 205,
    "paslon1": 63,
    "paslon2": 118,
    "paslon3": 17,
    "suara_sah": 198,
    "suara_tidak_sah": 7,
    "suara_total": 205,
    "sirekap_ts": "2024-02-20 10:00:00",
    "n_c1_photos": 3,
}


def columns_for(n_paslon: int) -> list[str]:
    cols = [c for c in REQUIRED_COLUMNS]
    at = cols.index("suara_sah")
    return cols[:at] + [f"paslon{i}" for i in range(1, n_paslon + 1)] + cols[at:]


def csv_text(rows: list[Mapping[str, Any]], n_paslon: int = 3, columns: list[str] | None = None) -> str:
    cols = columns or columns_for(n_paslon)
    lines = [",".join(cols)]
    for row in rows:
        lines.append(",".join("" if row.get(c) is None else str(row.get(c)) for c in cols))
    return "\n".join(lines) + "\n"


def tps(n: int = 1, **changes: Any) -> dict[str, Any]:
    """A clean TPS numbered ``n`` in the same desa, with ``changes`` applied (None = empty cell)."""
    row = dict(CLEAN)
    row["tps_code"] = f"6501011001{n:03d}"
    row["tps_no"] = n
    row.update(changes)
    return row


def frame_of(rows: list[Mapping[str, Any]], n_paslon: int = 3) -> pl.DataFrame:
    from waspada.elections.integrity import parse_tps_csv

    return parse_tps_csv(csv_text(rows, n_paslon).encode(), source="uji.csv").frame


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    def write(rows: list[Mapping[str, Any]], name: str = "tps.csv", n_paslon: int = 3) -> Path:
        path = tmp_path / name
        path.write_text(csv_text(rows, n_paslon), encoding="utf-8")
        return path

    return write


@pytest.fixture
def elections_dir() -> Path:
    """The real election files; the tests using them skip only when the folder is missing outside CI."""
    if not ELECTIONS.is_dir():
        if IN_CI:
            pytest.fail(f"shared data folder {ELECTIONS} is missing (required under CI)")
        pytest.skip(f"shared data folder {ELECTIONS} is not on this machine")
    return ELECTIONS
