"""Making a situation report: gather → build (pure) → words → HTML or PDF; storing it; auditing it.

Every way in (the CLI, the page, the scheduled job, the demo) goes through :func:`generate`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone, translation

from waspada.accounts import audit
from waspada.regions.models import Region
from waspada.regions.timezones import zone_for
from waspada.reporting import mapimage
from waspada.reporting.document import build_document
from waspada.reporting.gather import gather
from waspada.reporting.models import Sitrep as StoredSitrep
from waspada.reporting.period import Period, period_for
from waspada.reporting.sitrep import Sitrep, build

FORMATS = {"pdf": "application/pdf", "html": "text/html; charset=utf-8"}
KIND_SLUG = {"daily": "harian", "weekly": "mingguan"}


@dataclass(frozen=True)
class Rendered:
    content: bytes
    content_type: str
    filename: str
    pages: int | None  # PDF only


def period_of(region: Region, kind: str, day: dt.date) -> Period:
    return period_for(kind, day, zone_for(region.code))


def build_sitrep(
    region: Region, kind: str, day: dt.date, *, now: dt.datetime | None = None, lang: str = "id"
) -> Sitrep:
    return build(gather(region, period_of(region, kind, day), now=now or timezone.now(), lang=lang))


def filename(sitrep: Sitrep, fmt: str) -> str:
    return f"laporan-situasi-{KIND_SLUG[sitrep.period.kind]}-{sitrep.region.code}-{sitrep.period.last_day:%Y-%m-%d}.{fmt}"


def _projected(sitrep: Sitrep, *, max_width: float, max_height: float) -> mapimage.Projected:
    return mapimage.project(
        sitrep.map.units,
        sitrep.map.points,
        sitrep.categories,
        outlines=sitrep.map.outlines,
        max_width=max_width,
        max_height=max_height,
    )


def render(sitrep: Sitrep, fmt: str, *, lang: str = "id") -> Rendered:
    """The report as ``pdf`` or ``html`` (a self-contained page: styles and the map inline)."""
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r} tidak dikenal: pdf atau html")
    with translation.override(lang):
        doc = build_document(sitrep)
        if fmt == "pdf":
            from waspada.reporting.render_pdf import FRAME_WIDTH, render_pdf  # reportlab, only when needed

            content, pages = render_pdf(doc, _projected(sitrep, max_width=FRAME_WIDTH, max_height=330))
            return Rendered(content, FORMATS[fmt], filename(sitrep, fmt), pages)
        projected = _projected(sitrep, max_width=900, max_height=640)
        svg = "" if projected.empty else mapimage.to_svg(projected, doc.map_title)
        html = render_to_string("reporting/sitrep_document.html", {"doc": doc, "map_svg": svg})
        return Rendered(html.encode("utf-8"), FORMATS[fmt], filename(sitrep, fmt), None)


def generate(
    region: Region,
    kind: str,
    day: dt.date,
    fmt: str,
    *,
    user: Any = None,
    now: dt.datetime | None = None,
    lang: str = "id",
    via: str = "",
) -> Rendered:
    """Build and render one report; the audit log records who made which report (not its content)."""
    sitrep = build_sitrep(region, kind, day, now=now, lang=lang)
    rendered = render(sitrep, fmt, lang=lang)
    audit.record(
        user,
        "sitrep.generate",
        object_type="reporting.sitrep",
        region_code=region.code,
        after={"period": kind, "date": day.isoformat(), "format": fmt, "via": via},
    )
    return rendered


def store(
    region: Region, kind: str, day: dt.date, rendered: Rendered, *, user: Any = None, scheduled: bool = False
) -> StoredSitrep:
    """Keep a rendered PDF in the data directory, listed on the sitrep page for download."""
    stored = StoredSitrep(
        region=region,
        period=kind,
        date=day,
        scheduled=scheduled,
        size=len(rendered.content),
        pages=rendered.pages or 0,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    stored.file.save(rendered.filename, ContentFile(rendered.content), save=False)
    stored.save()
    return stored
