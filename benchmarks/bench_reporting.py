"""Situation reports and exports at national scale, without a database (the pure core and the renderers).

- Exports: 100,000 incidents to CSV, ACLED CSV, HXL CSV and GeoJSON (20,000 to XLSX), against the floor of
  writing the same number of cells with ``csv.writer`` and no mapping (measured in the same run).
- Sitrep: the builder over the 7,285 kecamatan of Indonesia with 5,000 incidents, 500 alerts and 500
  actions, then the HTML and the PDF, against the same report with no incidents, alerts or actions (the
  fixed cost of the toolchain, same run).

    .venv/bin/python benchmarks/bench_reporting.py
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import random
import tempfile
import time
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waspada.settings")
os.environ.setdefault("WASPADA_DATA_DIR", tempfile.mkdtemp(prefix="bench-reporting-"))

import django  # noqa: E402

django.setup()

from waspada.reporting import exports, mapimage  # noqa: E402
from waspada.reporting.exports import AdminUnit, ExportRecord  # noqa: E402
from waspada.reporting.period import period_for  # noqa: E402
from waspada.reporting.sitrep import (  # noqa: E402
    ActionItem,
    AlertItem,
    IncidentItem,
    IndexPoint,
    RegionRef,
    SitrepInput,
    Unit,
    build,
)

WITA = ZoneInfo("Asia/Makassar")
DAY = dt.date(2026, 11, 20)
NOW = dt.datetime(2026, 11, 21, 8, tzinfo=WITA)
EXPORT_ROWS = 100_000
XLSX_ROWS = 20_000
KECAMATAN = 7_285
INCIDENTS = 5_000
TYPES = [
    "supporter_clash",
    "riot",
    "intimidation",
    "peaceful_protest",
    "money_politics",
    "violence_civilians",
]
CATS = [("rendah", "Rendah"), ("sedang", "Sedang"), ("tinggi", "Tinggi")]


def timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def records(n: int, rng: random.Random) -> list[ExportRecord]:
    admin = [
        AdminUnit("65", "Kalimantan Utara"),
        AdminUnit("65.03", "Kabupaten Nunukan"),
        AdminUnit("65.03.01", "Sebatik"),
        AdminUnit("65.03.01.2001", "Tanjungkarang"),
    ]
    start = dt.datetime(2024, 1, 1, tzinfo=WITA)
    return [
        ExportRecord(
            number=f"K-{i}",
            id=i,
            title=f"Kejadian {i}",
            event_type=rng.choice(TYPES),
            threat_domain="politik",
            status="aktif",
            occurred_at=start + dt.timedelta(minutes=7 * i),
            zone="Asia/Makassar",
            time_precision=1,
            geo_precision=1,
            region_code="65.03.01.2001",
            admin=admin,
            lon=117.0 + rng.random(),
            lat=4.0 + rng.random(),
            point_source="reported",
            actors=[{"type": "paslon_supporters", "paslon": 1}, {"type": "police"}],
            killed=rng.randint(0, 1),
            injured=rng.randint(0, 3),
            buildings_damaged=0,
            displaced=0,
            urgency="sedang",
            description="Dua kelompok pendukung saling dorong di depan kantor kecamatan; aparat memisahkan massa.",
            channels=["sms", "web"],
            report_count=2,
            created_at=start,
            updated_at=start,
        )
        for i in range(n)
    ]


def floor(recs: list[ExportRecord], columns: int) -> bytes:
    """The same number of cells written with no mapping at all: the least a CSV export can cost."""
    out = io.StringIO()
    writer = csv.writer(out)
    for r in recs:
        writer.writerow([r.number, r.title, r.event_type, r.description, r.lon, r.lat] * (columns // 6 + 1))
    return out.getvalue().encode()


def sitrep_input(rng: random.Random, *, busy: bool) -> SitrepInput:
    units = []
    for i in range(KECAMATAN):
        region = RegionRef(f"{11 + i % 27}.{i % 50 + 1:02d}.{i % 30 + 1:02d}", f"Kecamatan {i}", 3)
        score = rng.random() * 80
        cat = "tinggi" if score >= 49.33 else "sedang" if score >= 13.47 else "rendah"
        contributions = {
            "riwayat_konflik": score * 0.5,
            "ikp_bawaslu": score * 0.3,
            "temuan_rekap": score * 0.2,
        }
        units.append(
            Unit(region, IndexPoint(DAY, score, cat, contributions), IndexPoint(DAY, score - 5, "sedang"))
        )
    incidents = [
        IncidentItem(
            i,
            f"Kejadian {i}",
            units[i % KECAMATAN].region,
            rng.choice(TYPES),
            "Bentrok",
            "aktif",
            "sedang",
            NOW - dt.timedelta(hours=rng.random() * 20),
            NOW - dt.timedelta(hours=1),
            injured=rng.randint(0, 2),
            point=(110 + rng.random() * 20, -5 + rng.random() * 10),
        )
        for i in range(INCIDENTS if busy else 0)
    ]
    alerts = [
        AlertItem(
            i,
            "Bentrok berulang",
            "incident_count",
            units[i].region,
            rng.choice(["terbuka", "diterima"]),
            NOW - dt.timedelta(hours=i % 24),
            None,
            0,
        )
        for i in range(500 if busy else 0)
    ]
    actions = [
        ActionItem(
            i, "patroli", "Polres", "berjalan", f"K-{i}", units[i].region, DAY - dt.timedelta(days=i % 5)
        )
        for i in range(500 if busy else 0)
    ]
    return SitrepInput(
        region=RegionRef("65", "Indonesia (uji)", 1),
        period=period_for("daily", DAY, "Asia/Makassar"),
        generated_at=NOW,
        categories=CATS,
        indicator_labels={"riwayat_konflik": "Riwayat konflik"},
        units=units,
        incidents=incidents,
        alerts=alerts,
        actions=actions,
    )


def main() -> None:
    rng = random.Random(20261120)
    recs = records(EXPORT_ROWS, rng)
    base, _ = timed(lambda: floor(recs, len(exports.COLUMNS)), repeat=2)
    print(
        f"exports of {EXPORT_ROWS:,} incidents; baseline (csv.writer, same cells, no mapping): {base:.2f} s"
    )
    for fmt in ("csv", "acled", "hxl", "geojson"):
        seconds, content = timed(lambda fmt=fmt: exports.write(fmt, recs))
        print(
            f"  {fmt:<8} {seconds:6.2f} s  {len(content) / 1e6:6.1f} MB  {EXPORT_ROWS / seconds:9,.0f} rows/s  "
            f"ratio {seconds / base:5.1f}× baseline"
        )
    few = recs[:XLSX_ROWS]
    base_few, _ = timed(lambda: floor(few, len(exports.COLUMNS)), repeat=2)
    seconds, content = timed(lambda: exports.write("xlsx", few))
    print(
        f"  xlsx     {seconds:6.2f} s  {len(content) / 1e6:6.1f} MB  {XLSX_ROWS / seconds:9,.0f} rows/s  "
        f"ratio {seconds / base_few:5.1f}× baseline ({XLSX_ROWS:,} rows)"
    )

    from waspada.reporting import services

    print(
        f"sitrep over {KECAMATAN:,} kecamatan, {INCIDENTS:,} incidents, 500 alerts, 500 actions "
        "(baseline: the same report with no incidents, alerts or actions)"
    )
    quiet_in, busy_in = sitrep_input(rng, busy=False), sitrep_input(rng, busy=True)
    quiet_build, quiet = timed(lambda: build(quiet_in), repeat=2)
    busy_build, busy = timed(lambda: build(busy_in), repeat=2)
    print(
        f"  build    {busy_build:6.3f} s  (baseline {quiet_build:.3f} s, ratio {busy_build / quiet_build:4.1f}×)"
    )
    assert mapimage.project(busy.map.units, busy.map.points, CATS).empty  # no boundaries in this benchmark
    for fmt in ("html", "pdf"):
        quiet_s, _ = timed(lambda fmt=fmt: services.render(quiet, fmt), repeat=2)
        busy_s, rendered = timed(lambda fmt=fmt: services.render(busy, fmt), repeat=2)
        pages = f", {rendered.pages} pages" if rendered.pages else ""
        print(
            f"  {fmt:<8} {busy_s:6.3f} s  {len(rendered.content) / 1e3:7.0f} kB{pages}  "
            f"(baseline {quiet_s:.3f} s, ratio {busy_s / quiet_s:4.1f}×)"
        )


if __name__ == "__main__":
    main()
