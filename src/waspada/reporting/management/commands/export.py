"""``waspada export incidents|reports``: open-data files (CSV, XLSX, GeoJSON, ACLED, HXL)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from waspada.reporting import exports
from waspada.reporting.cli_support import (
    USAGE_ERROR,
    date_option,
    output_option,
    region_option,
    user_option,
    write_atomically,
)
from waspada.reporting.export_data import DATASETS, ExportError, export


class Command(BaseCommand):
    help = (
        "Export incidents or verified reports: `waspada export incidents --format csv|xlsx|geojson|acled|hxl "
        "[--region CODE] [--since D] --output FILE`. No reporter identity; coordinates rounded."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dataset", choices=DATASETS)
        parser.add_argument("--format", required=True, choices=list(exports.FORMATS))
        parser.add_argument("--region", help="only this region and the units under it")
        parser.add_argument("--since", help="only events that occurred on or after this day (YYYY-MM-DD)")
        parser.add_argument("--exclude-simulated", action="store_true", help="leave out demo/training data")
        parser.add_argument("--as", dest="as_user", help="export as this user (their role and scope apply)")
        parser.add_argument("--output", required=True, help="the file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        output = output_option(options["output"])
        region = region_option(options["region"]) if options["region"] else None
        since = date_option(options["since"], "--since") if options["since"] else None
        user = user_option(options["as_user"])
        try:
            result = export(
                user,
                options["dataset"],
                options["format"],
                region=region,
                since=since,
                exclude_simulated=options["exclude_simulated"],
                via="cli",
            )
        except ExportError as exc:
            raise CommandError(f"{exc.message}", returncode=USAGE_ERROR) from None
        write_atomically(output, result.content)
        self.stdout.write(f"{output}: {result.count} baris ({options['format']})")
