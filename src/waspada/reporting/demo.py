"""The demo's situation report: the weekly report of the demo region ending today, stored in the data
directory so that /laporan-situasi/ has one ready to download (made once a day; a second run changes nothing)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from waspada.regions.models import Region
from waspada.regions.timezones import zone_for
from waspada.reporting import services
from waspada.reporting.models import Sitrep


def ready_sitrep(now: dt.datetime | None = None) -> str:
    now = now or timezone.now()
    region = Region.objects.filter(code=settings.DEFAULT_REGION).first()
    if region is None:
        return f"situation report skipped: region {settings.DEFAULT_REGION} is not in the gazetteer"
    day = now.astimezone(ZoneInfo(zone_for(region.code))).date()
    # Made once a day, as the demo's last step (so it shows everything the demo loaded); a second run of
    # the same day changes nothing. Reports made on the page are downloaded, never stored.
    stored = (
        Sitrep.objects.filter(region=region, period="weekly", date=day, scheduled=False, created_by=None)
        .exclude(file="")
        .first()
    )
    if stored is None:
        rendered = services.generate(region, "weekly", day, "pdf", now=now, via="demo")
        stored = services.store(region, "weekly", day, rendered)
    return (
        f"situation report ready to download on /laporan-situasi/: {stored.file.path} ({stored.pages} pages)"
    )
