"""Gazetteer load time, point-lookup rate and name-lookup rate, with the point lookup's ratio to a naive
loop over every polygon measured in the same run.

    .venv/bin/python benchmarks/bench_regions.py [--points 100000] [--naive-points 2000]

Targets (issue 2): national load < 15 s on SQLite; point lookup ≥ 50,000 points/s.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

SHARED = Path(os.environ.get("WASPADA_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))


def bench_load() -> tuple[float, float, int]:
    """Load the national gazetteer into a fresh SQLite database, then again (idempotent)."""
    os.environ["WASPADA_DATA_DIR"] = tempfile.mkdtemp(prefix="waspada-bench-")
    os.environ["DATABASE_URL"] = ""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waspada.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    from waspada.regions.loader import load_gazetteer

    t0 = time.perf_counter()
    first = load_gazetteer()
    t1 = time.perf_counter()
    load_gazetteer()
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, first.total


def bench_points(n_points: int, n_naive: int) -> None:
    import shapely

    from waspada.regions.boundaries import parse_boundaries
    from waspada.regions.spatial import PointIndex, naive_lookup_many

    path = SHARED / "kaltara" / "desa.geojson"
    if not path.exists():
        print(f"point lookup: skipped, {path} not found")
        return
    parsed = parse_boundaries(path.read_bytes(), source=str(path))
    codes = [f.code for f in parsed.features]
    geoms = [f.geometry for f in parsed.features]
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    rng = random.Random(7)
    lons = [rng.uniform(minx, maxx) for _ in range(n_points)]
    lats = [rng.uniform(miny, maxy) for _ in range(n_points)]

    t0 = time.perf_counter()
    index = PointIndex(codes, geoms)
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    hits = index.lookup_many(lons, lats)
    fast = time.perf_counter() - t0
    t0 = time.perf_counter()
    naive = naive_lookup_many(codes, geoms, lons[:n_naive], lats[:n_naive])
    slow = time.perf_counter() - t0
    agree = sum(1 for a, b in zip(hits[:n_naive], naive, strict=True) if a == b)
    fast_rate = n_points / fast
    naive_rate = n_naive / slow
    inside = sum(1 for h in hits if h is not None)
    print(f"point lookup: {len(codes)} desa polygons, index built in {build * 1000:.0f} ms")
    print(
        f"  vectorised STRtree : {fast_rate:>12,.0f} points/s  ({n_points:,} points, {inside:,} inside a desa)"
    )
    print(f"  naive polygon loop : {naive_rate:>12,.0f} points/s  ({n_naive:,} points)")
    print(
        f"  ratio (index / naive): {fast_rate / naive_rate:,.0f}x   agreement on shared points: {agree}/{n_naive}"
    )
    print(f"  target >= 50,000 points/s: {'MET' if fast_rate >= 50_000 else 'NOT MET'}")


def bench_names() -> None:
    from waspada.regions.gazetteer import iter_units
    from waspada.regions.names import NameIndex

    units = [(u.code, u.name, u.level, u.kind) for u in iter_units()]
    t0 = time.perf_counter()
    index = NameIndex.build(units)
    build = time.perf_counter() - t0
    rng = random.Random(11)
    sample = rng.sample(units, 2000)
    variants = []
    for code, name, level, kind in sample:
        prefix = {
            "kabupaten": "Kab. ",
            "kota": "",
            "kecamatan": "Kec. ",
            "desa": "Desa ",
            "kelurahan": "Kel. ",
        }.get(kind, "")
        bare = name.removeprefix("Kabupaten ").removeprefix("Kota ")
        variants.append((code, (prefix + bare).upper() if level % 2 else prefix + bare.lower(), level))
    t0 = time.perf_counter()
    found = 0
    for code, query, level in variants:
        results = index.search(query, level=level, limit=10)
        found += any(r.code == code for r in results)
    elapsed = time.perf_counter() - t0
    print(f"name lookup: {len(index):,} names indexed in {build:.2f} s")
    print(
        f"  {len(variants) / elapsed:>10,.0f} queries/s; the right unit among the results for {found}/{len(variants)}"
        " (prefixed, case-changed names; many desa share a name)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--naive-points", type=int, default=2_000)
    parser.add_argument("--skip-load", action="store_true")
    args = parser.parse_args()
    if not args.skip_load:
        first, second, total = bench_load()
        print(
            f"gazetteer load (SQLite): {total:,} units in {first:.2f} s; idempotent re-run {second:.2f} s "
            f"(target < 15 s: {'MET' if first < 15 else 'NOT MET'})"
        )
    bench_points(args.points, args.naive_points)
    bench_names()
    return 0


if __name__ == "__main__":
    sys.exit(main())
