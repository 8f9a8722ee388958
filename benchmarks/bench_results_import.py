"""Importing the real Kaltara Pilpres 2024 TPS file (2,295 TPS) into result records with its findings
(target: a few seconds), against the pure read + checks of the same file (``waspada elections check``)
measured in the same run; also the re-import of the unchanged file (nothing written).

Then the national Pilkada 2024 area file (43,620 rows, 534 races, 14,493 areas at provinsi, kab/kota and
kecamatan) with its candidates file: the first import (contests and candidates created, records, tier
sums), the re-import of the unchanged file, against the pure read + tier check of the same file
(``waspada elections tiers --long``). Needs the national gazetteer, loaded first (not timed).

    .venv/bin/python benchmarks/bench_results_import.py [FILE] [AREA_FILE]

Runs on a fresh SQLite database in a temporary data folder (``DATABASE_URL`` switches to PostgreSQL).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ELECTIONS = Path(__file__).resolve().parents[2] / "shared" / "data" / "elections"
DEFAULT = ELECTIONS / "kaltara_pilpres2024_tps_sirekap.csv"
AREAS = ELECTIONS / "pilkada2024_kecamatan_sirekap.csv.gz"
CANDIDATES = ELECTIONS / "pilkada2024_candidates.csv"


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    if not path.is_file():
        sys.exit(f"{path}: file not found")
    os.environ.setdefault("WASPADA_DATA_DIR", tempfile.mkdtemp(prefix="waspada-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waspada.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from waspada.elections.importing import import_tps_csv
    from waspada.elections.integrity import CheckConfig, check_tps, read_tps_csv
    from waspada.elections.models import Election, RecapFinding, ResultRecord

    call_command("migrate", interactive=False, verbosity=0)
    ResultRecord.objects.all().delete()
    RecapFinding.objects.all().delete()
    election, _ = Election.objects.get_or_create(
        code="bench-pilpres-2024",
        defaults={"name": "Pilpres 2024 (bench)", "kind": "pemilu", "voting_date": date(2024, 2, 14)},
    )

    started = time.perf_counter()
    report = check_tps(read_tps_csv(path), CheckConfig.for_election("pemilu"))
    baseline = time.perf_counter() - started

    started = time.perf_counter()
    first = import_tps_csv(path, election)
    import_s = time.perf_counter() - started

    started = time.perf_counter()
    again = import_tps_csv(path, election)
    reimport_s = time.perf_counter() - started

    print(f"file                      {path.name}")
    print(f"tps                       {first.rows}")
    print(f"baseline read+check       {baseline:8.3f} s  ({len(report.findings)} findings)")
    print(
        f"import (new records)      {import_s:8.3f} s  ({first.created} records, {first.findings} findings)"
    )
    print(
        f"re-import (unchanged)     {reimport_s:8.3f} s  ({again.unchanged} unchanged, {again.created} new)"
    )
    print(f"ratio import / baseline   {import_s / baseline:8.1f}x")
    print(f"ratio re-import / baseline{reimport_s / baseline:8.1f}x")
    print(f"findings match the check  {first.counts == report.counts}")
    areas = Path(sys.argv[2]) if len(sys.argv) > 2 else AREAS
    if areas.is_file() and CANDIDATES.is_file():
        bench_areas(areas)


def bench_areas(path: Path) -> None:
    import resource

    from waspada.elections.import_areas import import_area_table
    from waspada.elections.integrity.candidates import read_candidates_csv
    from waspada.elections.integrity.tiers import read_area_long_csv, tier_findings
    from waspada.elections.models import Contest, Election
    from waspada.regions.loader import load_gazetteer
    from waspada.regions.models import Region

    if Region.objects.count() < 90_000:
        load_gazetteer()
    election, _ = Election.objects.get_or_create(
        code="bench-pilkada-2024",
        defaults={"name": "Pilkada 2024 (bench)", "kind": "pilkada", "voting_date": date(2024, 11, 27)},
    )
    Contest.objects.filter(election=election).delete()

    started = time.perf_counter()
    table = read_area_long_csv(path)
    found = tier_findings(table.frame)
    baseline = time.perf_counter() - started

    names = read_candidates_csv(CANDIDATES)
    started = time.perf_counter()
    first = import_area_table(read_area_long_csv(path), election, candidates=names)
    import_s = time.perf_counter() - started
    started = time.perf_counter()
    again = import_area_table(read_area_long_csv(path), election, candidates=names)
    reimport_s = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print()
    print(f"file                      {path.name}")
    print(f"rows / races / areas      {first.rows} / {first.races} / {first.areas}")
    print(f"baseline read+tiers       {baseline:8.3f} s  ({len(found)} findings)")
    print(
        f"import (new records)      {import_s:8.3f} s  ({first.created} records, {first.contests_created} "
        f"contests, {first.candidates_created} candidates, {first.findings} findings, {len(first.errors)} errors)"
    )
    print(
        f"re-import (unchanged)     {reimport_s:8.3f} s  ({again.unchanged} unchanged, {again.created} new)"
    )
    print(f"ratio import / baseline   {import_s / baseline:8.1f}x")
    print(f"ratio re-import / baseline{reimport_s / baseline:8.1f}x")
    print(f"peak RSS                  {rss:8.0f} MB")


if __name__ == "__main__":
    main()
