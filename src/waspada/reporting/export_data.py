"""Incidents and verified reports as export records, for a user's scope (or everything, from the CLI).

Every way out (the page, the API, ``waspada export``) goes through :func:`export`: it checks the role and
the scope, reads the rows, redacts every identity it knows of (reporter names, phone numbers, chat ids,
the accounts that submitted) from free text, and writes the file through the pure
:mod:`waspada.reporting.exports`. The audit log records who exported what (never the content).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from waspada.accounts import audit
from waspada.accounts.access import Action, may, scope_q_for
from waspada.regions.models import Region
from waspada.regions.timezones import zone_for
from waspada.reporting import exports
from waspada.reporting.exports import AdminUnit, ExportRecord
from waspada.reports import access
from waspada.reports.models import Incident, Report, ReportStatus

DATASETS = ("incidents", "reports")
_GEOMETRY = ("region__geometry", "region__display_geometry")


class ExportError(Exception):
    """A refused export: ``status`` is the HTTP status the API answers with; the message is for people."""

    def __init__(self, status: int, message: str, field: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    content_type: str
    filename: str
    count: int


def _zone(code: str | None) -> str:
    try:
        return zone_for(code) if code else str(settings.TIME_ZONE)
    except ValueError:
        return str(settings.TIME_ZONE)


def check(user: Any, dataset: str, region: Region | None) -> None:
    """Role and scope; ``user`` None is the command line acting for the whole installation."""
    if dataset not in DATASETS:
        raise ExportError(400, f"data {dataset!r} tidak dikenal: incidents atau reports", "dataset")
    if user is None:
        return
    if not may(user, Action.EXPORT_DATA):
        raise ExportError(403, "Peran Anda tidak dapat mengekspor data.")
    if dataset == "reports" and not may(user, Action.VIEW_REPORTS):
        raise ExportError(403, "Peran Anda tidak dapat mengekspor laporan; ekspor kejadian tersedia.")
    if region is not None and not may(user, Action.EXPORT_DATA, region.code):
        raise ExportError(404, f"Wilayah {region.code} tidak ditemukan.", "region")


def _rows(user: Any, dataset: str) -> QuerySet[Any]:
    if dataset == "incidents":
        return access.visible_incidents(user) if user is not None else Incident.objects.all()
    reports = access.visible_reports(user) if user is not None else Report.objects.all()
    return reports.filter(status=ReportStatus.TERVERIFIKASI)


def _admin_chains(codes: set[str]) -> dict[str, list[AdminUnit]]:
    wanted = {".".join(c.split(".")[:n]) for c in codes for n in range(1, len(c.split(".")) + 1)}
    names = dict(Region.objects.filter(code__in=wanted).values_list("code", "name"))
    chains = {}
    for code in codes:
        parts = code.split(".")
        chain = [".".join(parts[:n]) for n in range(1, len(parts) + 1)]
        chains[code] = [AdminUnit(c, names.get(c, "")) for c in chain]
    return chains


def _identities(reports: QuerySet[Report], key: str) -> dict[int, set[str]]:
    """Everything that identifies the senders of the given reports, grouped by ``key`` (report or incident)."""
    found: dict[int, set[str]] = defaultdict(set)
    rows = reports.values_list(
        key,
        "reporter__name",
        "reporter__phone",
        "reporter__chat_id",
        "inbound_message__sender",
        "submitted_by__username",
        "submitted_by__first_name",
        "submitted_by__last_name",
        "submitted_by__email",
    )
    for group, *values in rows:
        found[group].update(v for v in values if v)
        first, last = values[5], values[6]
        if first and last:
            found[group].add(f"{first} {last}")
    return found


def records(
    user: Any,
    dataset: str,
    *,
    region: Region | None = None,
    since: dt.date | None = None,
    exclude_simulated: bool = False,
) -> list[ExportRecord]:
    check(user, dataset, region)
    qs = _rows(user, dataset)
    if region is not None:
        qs = qs.filter(scope_q_for(region.code, "region"))
    if since is not None:
        start = dt.datetime.combine(
            since, dt.time.min, tzinfo=ZoneInfo(_zone(region.code if region else None))
        )
        qs = qs.filter(occurred_at__gte=start)
    if exclude_simulated:
        qs = qs.filter(is_simulated=False)
    rows = list(qs.select_related("region").defer(*_GEOMETRY).order_by("occurred_at", "id"))
    ids = [r.pk for r in rows]
    chains = _admin_chains({r.region_id for r in rows})
    if dataset == "incidents":
        sources = Report.objects.filter(incident_id__in=ids)
        identities = _identities(sources, "incident_id")
        channels: dict[int, set[str]] = defaultdict(set)
        counts: dict[int, int] = defaultdict(int)
        for incident_id, channel in sources.values_list("incident_id", "channel"):
            channels[incident_id].add(channel)
            counts[incident_id] += 1
    else:
        identities = _identities(Report.objects.filter(pk__in=ids), "id")
        channels = {r.pk: {r.channel} for r in rows}
        counts = {r.pk: 1 for r in rows}
    return [
        _record(
            r,
            chains[r.region_id],
            identities.get(r.pk, set()),
            channels.get(r.pk, set()),
            counts.get(r.pk, 0),
        )
        for r in rows
    ]


def _record(
    event: Any, chain: list[AdminUnit], identities: set[str], channels: set[str], count: int
) -> ExportRecord:
    if event.lon is not None and event.lat is not None:
        lon, lat, source = event.lon, event.lat, "reported"
    elif event.region.centroid_lon is not None:
        lon, lat, source = event.region.centroid_lon, event.region.centroid_lat, "region_centre"
    else:
        lon = lat = None
        source = ""
    actors = [
        {**a, "text": exports.redact(str(a.get("text", "")), identities)} if isinstance(a, dict) else {}
        for a in (event.actors or [])
    ]
    return ExportRecord(
        number=event.number,
        id=event.pk,
        title=exports.redact(getattr(event, "title", ""), identities),
        event_type=event.event_type,
        threat_domain=event.threat_domain,
        status=event.status,
        occurred_at=event.occurred_at,
        zone=_zone(event.region_id),
        time_precision=event.time_precision,
        geo_precision=event.geo_precision,
        region_code=event.region_id,
        admin=chain,
        lon=lon,
        lat=lat,
        point_source=source,
        actors=[a for a in actors if a],
        killed=event.killed,
        injured=event.injured,
        buildings_damaged=event.buildings_damaged,
        displaced=event.displaced,
        urgency=event.urgency,
        description=exports.redact(event.description, identities),
        channels=sorted(channels),
        report_count=count,
        is_simulated=event.is_simulated,
        created_at=event.created_at,
        updated_at=event.updated_at,
    )


def filename(dataset: str, fmt: str, region: Region | None, today: dt.date) -> str:
    name = {"incidents": "kejadian", "reports": "laporan-terverifikasi"}[dataset]
    where = f"-{region.code}" if region else ""
    return f"waspada-{name}{where}-{today:%Y-%m-%d}{exports.FORMATS[fmt][1]}"


def export(
    user: Any,
    dataset: str,
    fmt: str,
    *,
    region: Region | None = None,
    since: dt.date | None = None,
    exclude_simulated: bool = False,
    via: str = "",
    actor: Any = None,
) -> ExportFile:
    """The file for ``user`` (None = the whole installation, for the CLI without ``--as``); ``actor`` is
    who the audit log names (defaults to ``user``)."""
    if fmt not in exports.FORMATS:
        raise ExportError(400, f"format {fmt!r} tidak dikenal: {', '.join(exports.FORMATS)}", "format")
    recs = records(user, dataset, region=region, since=since, exclude_simulated=exclude_simulated)
    now = timezone.now()
    about = [
        ("Dibuat / generated", now.isoformat(timespec="seconds")),
        ("Data", dataset),
        ("Wilayah / region", region.code if region else "seluruh cakupan / whole scope"),
        ("Sejak / since", since.isoformat() if since else "-"),
        ("Baris / rows", str(len(recs))),
        (
            "Privasi / privacy",
            f"tanpa identitas pelapor; koordinat dibulatkan {exports.COORD_DECIMALS} desimal / no reporter "
            f"identity; coordinates rounded to {exports.COORD_DECIMALS} decimals",
        ),
    ]
    content = exports.write(fmt, recs, about)
    audit.record(
        actor if actor is not None else user,
        "export.download",
        object_type=f"reporting.{dataset}",
        region_code=region.code if region else "",
        after={
            "format": fmt,
            "rows": len(recs),
            "since": since.isoformat() if since else None,
            "exclude_simulated": exclude_simulated,
            "via": via,
        },
    )
    return ExportFile(
        content, exports.FORMATS[fmt][0], filename(dataset, fmt, region, timezone.localdate()), len(recs)
    )
