"""``waspada demo``: one command from an empty folder to a running Waspada with the Kaltara scenario."""

from __future__ import annotations

import time
from io import StringIO
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from waspada.core.management.commands.serve import prepare
from waspada.core.server import serve
from waspada.demo import load, news, scenario, sinks
from waspada.regions.boundaries import BoundaryFileError
from waspada.regions.importer import import_boundaries
from waspada.regions.loader import load_gazetteer
from waspada.regions.management.commands.regions import TOTAL_UNITS, boundary_files
from waspada.regions.models import Region


def default_boundaries() -> Path | None:
    """``../shared/data/kaltara`` (beside the checkout) when that folder exists."""
    candidate = Path.cwd() / ".." / "shared" / "data" / "kaltara"
    return candidate.resolve() if candidate.is_dir() else None


def default_tps_results() -> Path | None:
    """``../shared/data/elections/kaltara_pilpres2024_tps_sirekap.csv`` when that file exists."""
    candidate = Path.cwd() / ".." / "shared" / "data" / "elections" / "kaltara_pilpres2024_tps_sirekap.csv"
    return candidate.resolve() if candidate.is_file() else None


class Command(BaseCommand):
    help = "Create the demo (gazetteer, boundaries, Kaltara Pilkada 2024 scenario, one account per role) and serve it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--boundaries",
            type=Path,
            help="folder or file of boundary GeoJSON (default: ../shared/data/kaltara when present)",
        )
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--no-serve", action="store_true", help="stop after loading")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        if options["boundaries"] is not None and not options["boundaries"].exists():
            # Checked before the long steps, so a typo costs nothing.
            raise CommandError(f"--boundaries {options['boundaries']}: folder or file not found")
        self.stdout.write(f"Data directory: {settings.DATA_DIR}")
        call_command("migrate", interactive=False, verbosity=0)
        self._step("database migrated", started)

        if Region.objects.count() != TOTAL_UNITS:
            result = load_gazetteer()
            self._step(f"gazetteer loaded: {result.total} units ({result.created} new)", started)
        else:
            self._step(f"gazetteer present: {TOTAL_UNITS} units", started)

        boundaries = options["boundaries"] or default_boundaries()
        if boundaries is None:
            self.stdout.write(
                "No boundary files found: the map will show a schematic grid. "
                "Import boundaries with `waspada regions import-boundaries PATH`."
            )
        else:
            for path in boundary_files(boundaries):
                try:
                    r = import_boundaries(path)
                except BoundaryFileError as exc:
                    self.stderr.write(str(exc))
                    continue
                self._step(
                    f"boundaries {path.name}: {r.matched} matched, {r.unknown} unknown, {r.changed} changed",
                    started,
                )

        load.load_population()
        n = load.load_contests()
        incidents, reports = load.load_simulation()
        self._step(
            f"scenario: {n} Pilkada 2024 contests; simulated {incidents} new incidents, {reports} new reports",
            started,
        )
        self.stdout.write(f"  {scenario.CHANNELS_NOTE}")
        self._step(news.load_news().summary(), started)  # local news sources on 127.0.0.1, polled once
        tps_file = default_tps_results()
        if tps_file is not None:
            tps, findings = load.load_pilpres_tps(tps_file)
            self._step(f"Pilpres 2024 results: {tps} TPS from {tps_file.name}, {findings} findings", started)
        areas = load.load_pilkada_areas(Path.cwd() / ".." / "shared" / "data" / "elections")
        if areas is not None:
            self._step(areas, started)
        if load.needs_index_snapshot():
            call_command("risk", "snapshot", stdout=StringIO())
            self._step("vulnerability index computed for today (map colours, region pages)", started)
        accounts = load.load_accounts()
        self._step("demo accounts ready", started)
        for line in sinks.stage_alerts(
            options["port"], settings.DATA_DIR
        ):  # alerts, delivered to local sinks
            self._step(line, started)
        self._step(load.load_sitrep(), started)  # last: the report shows what the steps above loaded

        self.stdout.write("\nDemo accounts (for the demo only; change them in any real deployment):")
        for a in accounts:
            self.stdout.write(
                f"  {a.username:<16} {a.password:<26} {a.role:<12} {a.scope or 'nasional':<9} {a.note}"
            )
        if options["no_serve"]:
            return
        prepare(migrate=False)
        self.stdout.write("\n".join(sinks.start_background(options["port"], settings.DATA_DIR)))
        self.stdout.write(f"\nWaspada demo: http://{options['host']}:{options['port']}/  (Ctrl+C to stop)")
        self.stdout.flush()
        serve(options["host"], options["port"])

    def _step(self, text: str, started: float) -> None:
        self.stdout.write(f"[{time.perf_counter() - started:5.1f} s] {text}")
