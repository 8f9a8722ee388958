"""Stored snapshots for page, API and export tests, without running the computation."""

from __future__ import annotations

import datetime as dt

from waspada.risk.active import active_config
from waspada.risk.models import IndexSnapshot

LATEST = dt.date(2024, 12, 12)
EARLIER = dt.date(2024, 12, 5)


def snap(
    code: str,
    score: float | None,
    category: str,
    date: dt.date = LATEST,
    version: str | None = None,
    **points: float,
) -> IndexSnapshot:
    return IndexSnapshot.objects.create(
        date=date,
        config_version=version or active_config().version,
        region_id=code,
        score=score,
        category=category,
        contributions=points,
    )


def kabupaten_snapshots() -> None:
    """Kaltara's five kab/kota on two dates: Nunukan rises into 'tinggi', Tarakan falls."""
    snap("65.01", 20.0, "sedang", EARLIER, selisih_suara=20.0)
    snap("65.03", 40.0, "sedang", EARLIER, kekerasan_terkini=25.0, selisih_suara=15.0)
    snap("65.71", 30.0, "sedang", EARLIER, unjuk_rasa_terkini=30.0)
    snap("65.01", 22.5, "sedang", selisih_suara=20.0, ikp_bawaslu=2.5)
    snap("65.02", 12.0, "rendah", perkara_mk=12.0)
    snap("65.03", 61.25, "tinggi", kekerasan_terkini=30.0, korban_terkini=16.25, selisih_suara=15.0)
    snap("65.04", None, "")
    snap("65.71", 10.0, "rendah", unjuk_rasa_terkini=10.0)
