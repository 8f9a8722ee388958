"""``waspada report sitrep``: the situation report (Laporan Situasi) of a region as PDF or HTML."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from waspada.accounts.access import Action, may
from waspada.regions.timezones import zone_for
from waspada.reporting import services
from waspada.reporting.cli_support import (
    USAGE_ERROR,
    date_option,
    output_option,
    region_option,
    user_option,
    write_atomically,
)


class Command(BaseCommand):
    help = "Situation reports: `waspada report sitrep --date D [--period daily|weekly] --region CODE --output FILE.pdf|.html`."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sitrep = sub.add_parser("sitrep", help="write the situation report of a region for a day or a week")
        sitrep.add_argument(
            "--date", help="last day covered, YYYY-MM-DD (default: today in the region's zone)"
        )
        sitrep.add_argument("--period", choices=["daily", "weekly"], default="daily")
        sitrep.add_argument("--region", help=f"region code (default: {settings.DEFAULT_REGION})")
        sitrep.add_argument("--output", required=True, help="FILE.pdf or FILE.html")
        sitrep.add_argument("--as", dest="as_user", help="make it as this user (their region scope applies)")
        sitrep.add_argument("--lang", choices=["id", "en"], default="id", help="language of the report")

    def handle(self, *args: Any, **options: Any) -> None:
        output = output_option(options["output"], (".pdf", ".html"))
        region = region_option(options["region"] or settings.DEFAULT_REGION)
        if options["date"]:
            day = date_option(options["date"], "--date")
        else:
            day = timezone.now().astimezone(ZoneInfo(zone_for(region.code))).date()
        user = user_option(options["as_user"])
        if user is not None and not (
            may(user, Action.VIEW_INCIDENTS, region.code) and may(user, Action.VIEW_AGGREGATES, region.code)
        ):
            raise CommandError(
                f"--as {options['as_user']}: tidak berwenang atas wilayah {region.code}",
                returncode=USAGE_ERROR,
            )
        fmt = output.suffix.lower().lstrip(".")
        rendered = services.generate(
            region, options["period"], day, fmt, user=user, lang=options["lang"], via="cli"
        )
        write_atomically(output, rendered.content)
        pages = f", {rendered.pages} halaman" if rendered.pages else ""
        self.stdout.write(
            f"{output}: laporan situasi {region.code} {day.isoformat()} ({services.KIND_SLUG[options['period']]}{pages})"
        )
