"""What the database holds about one region and one period, as the plain input of the sitrep builder.

Scope: everything gathered lies in the report's region (the region itself and the units under it); the
caller decides whether the user may see that region (``waspada.accounts.access``). Reporter identity is
never read here: incidents, alerts, actions and counts of reports only.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Count, Max, Q
from django.db.models.functions import Substr

from waspada import taxonomy
from waspada.accounts.access import scope_q_for
from waspada.alerts.models import Alert, AlertStatus, ResponseAction
from waspada.elections.integrity.findings import RULES
from waspada.elections.results import FindingStatus, RecapFinding
from waspada.regions.models import Region
from waspada.reporting.exports import redact
from waspada.reporting.period import Period
from waspada.reporting.sitrep import (
    OPEN_ACTION_STATUSES,
    ActionItem,
    AlertItem,
    FindingStats,
    IncidentItem,
    IndexPoint,
    RegionRef,
    ReportCounts,
    SitrepInput,
    Unit,
)
from waspada.reports.models import Incident, Report
from waspada.risk.config import IndexConfig, load_config
from waspada.risk.models import IndexSnapshot

OPEN_ALERTS = (AlertStatus.TERBUKA, AlertStatus.DITERIMA, AlertStatus.DITANGANI)
MAX_FINDING_AREAS = 5
MAX_FINDING_RULES = 8
#: Length of a dotted code at each level, for grouping findings by kecamatan or desa.
CODE_LENGTH = {1: 2, 2: 5, 3: 8, 4: 13}


def ref(region: Region) -> RegionRef:
    return RegionRef(region.code, region.name, region.level, region.kind)


def ranked_level(level: int) -> int:
    """The level the risk ranking lists: kecamatan under a province or kabupaten/kota, desa under a
    kecamatan, the desa itself for a desa."""
    return 3 if level < 3 else 4


def _lang_label(labels: Any, lang: str) -> str:
    return str(labels.en if lang == "en" else labels.id)


def index_labels(config: IndexConfig, lang: str) -> tuple[list[tuple[str, str]], dict[str, str]]:
    categories = [(c.code, _lang_label(c.labels, lang)) for c in config.categories]
    indicators = {i.id: _lang_label(i.labels, lang) for i in config.indicators}
    return categories, indicators


def _snapshots_on(codes: Sequence[str], newest: dict[str, dt.date]) -> dict[str, IndexPoint]:
    if not newest:
        return {}
    rows = (
        IndexSnapshot.objects.filter(region_id__in=list(newest), date__in=set(newest.values()))
        .order_by("region_id", "-created_at")
        .values_list("region_id", "date", "score", "category", "contributions")
    )
    found: dict[str, IndexPoint] = {}
    for code, date, score, category, contributions in rows:
        if newest.get(code) == date and code not in found:
            found[code] = IndexPoint(date, score, category or "", dict(contributions or {}))
    return found


def index_points(codes: Sequence[str], period: Period) -> tuple[dict[str, IndexPoint], dict[str, IndexPoint]]:
    """Per region: its latest snapshot up to the period's last day, and its latest before the period."""
    base = IndexSnapshot.objects.filter(region_id__in=list(codes))

    def latest(qs: Any) -> dict[str, dt.date]:
        return {row["region_id"]: row["d"] for row in qs.values("region_id").annotate(d=Max("date"))}

    current = _snapshots_on(codes, latest(base.filter(date__lte=period.last_day)))
    previous = _snapshots_on(codes, latest(base.filter(date__lt=period.first_day)))
    return current, previous


def _units(regions: Iterable[Region], period: Period) -> list[Unit]:
    regions = list(regions)
    current, previous = index_points([r.code for r in regions], period)
    return [
        Unit(
            ref(r),
            current.get(r.code),
            previous.get(r.code),
            json.loads(r.display_geometry) if r.display_geometry else None,
        )
        for r in regions
    ]


def report_units(region: Region) -> list[Region]:
    """The units the report ranks and colours: kecamatan under a province or kabupaten/kota, desa under a
    kecamatan, the desa itself for a desa."""
    if region.level >= 4:
        return [region]
    return list(
        Region.objects.filter(level=ranked_level(region.level), code__startswith=region.code + ".")
        .only("code", "name", "level", "kind", "display_geometry")
        .order_by("code")
    )


def outlines(region: Region) -> list[dict[str, Any]]:
    """Under a province, the kabupaten/kota boundaries drawn over the kecamatan."""
    if region.level != 1:
        return []
    rows = Region.objects.filter(parent=region, display_geometry__isnull=False).values_list(
        "display_geometry", flat=True
    )
    return [json.loads(g) for g in rows]


def _centre(region: Region) -> tuple[float, float] | None:
    if region.centroid_lon is None or region.centroid_lat is None:
        return None
    return (region.centroid_lon, region.centroid_lat)


def incidents_in(region: Region, period: Period, lang: str) -> list[IncidentItem]:
    """Incidents in the region that occurred in the period or were recorded in it."""
    qs = (
        Incident.objects.filter(scope_q_for(region.code, "region"))
        .filter(
            Q(occurred_at__gte=period.start, occurred_at__lt=period.end)
            | Q(created_at__gte=period.start, created_at__lt=period.end)
        )
        .select_related("region")
        .defer("region__geometry", "region__display_geometry")
    )
    rows = list(qs)
    with_actions = set(
        ResponseAction.objects.filter(incident_id__in=[i.pk for i in rows]).values_list(
            "incident_id", flat=True
        )
    )
    items = []
    for i in rows:
        point = (i.lon, i.lat) if i.lon is not None and i.lat is not None else _centre(i.region)
        items.append(
            IncidentItem(
                id=i.pk,
                title=redact(i.title),  # analysts write titles; a phone number typed into one stays out
                region=ref(i.region),
                event_type=i.event_type,
                event_label=_event_label(i.event_type, lang),
                status=i.status,
                urgency=i.urgency,
                occurred_at=i.occurred_at,
                created_at=i.created_at,
                killed=i.killed,
                injured=i.injured,
                buildings_damaged=i.buildings_damaged,
                displaced=i.displaced,
                is_simulated=i.is_simulated,
                point=point,
                has_actions=i.pk in with_actions,
            )
        )
    return items


def _event_label(code: str, lang: str) -> str:
    try:
        return taxonomy.get_event_type(code).label(lang)
    except KeyError:
        return code


def alerts_in(region: Region, period: Period) -> list[AlertItem]:
    """Alerts raised in the period, and alerts still open at its end."""
    qs = (
        Alert.objects.filter(scope_q_for(region.code, "region"), created_at__lt=period.end)
        .filter(Q(created_at__gte=period.start) | Q(status__in=OPEN_ALERTS))
        .select_related("rule", "region")
        .defer("region__geometry", "region__display_geometry")
    )
    return [
        AlertItem(
            id=a.pk,
            rule_name=a.rule.name,
            rule_kind=a.rule.kind,
            region=ref(a.region),
            status=a.status,
            created_at=a.created_at,
            acknowledged_at=a.acknowledged_at,
            escalation_level=a.escalation_level,
            summary=a.summary,
        )
        for a in qs
    ]


def actions_in(region: Region, period: Period) -> list[ActionItem]:
    """Response actions about alerts or incidents in the region: open ones, and those changed in the period."""
    in_scope = scope_q_for(region.code, "alert__region") | scope_q_for(region.code, "incident__region")
    qs = (
        ResponseAction.objects.filter(in_scope, created_at__lt=period.end)
        .filter(
            Q(status__in=OPEN_ACTION_STATUSES) | Q(updated_at__gte=period.start, updated_at__lt=period.end)
        )
        .select_related("alert__region", "incident__region")
        .defer(
            "alert__region__geometry",
            "alert__region__display_geometry",
            "incident__region__geometry",
            "incident__region__display_geometry",
        )
    )
    items = []
    for a in qs:
        owner = a.alert if a.alert_id else a.incident
        if owner is None:
            continue
        subject = f"P-{a.alert_id}" if a.alert_id else f"K-{a.incident_id}"
        items.append(
            ActionItem(
                id=a.pk,
                kind=a.kind,
                agency=a.agency,
                status=a.status,
                subject=subject,
                region=ref(owner.region),
                due_date=a.due_date,
                outcome=a.outcome,
            )
        )
    return items


def report_counts(region: Region, period: Period) -> ReportCounts:
    rows = (
        Report.objects.filter(
            scope_q_for(region.code, "region"), created_at__gte=period.start, created_at__lt=period.end
        )
        .values("status")
        .annotate(n=Count("id"))
    )
    return ReportCounts({row["status"]: row["n"] for row in rows})


def finding_stats(region: Region, period: Period) -> FindingStats:
    base = RecapFinding.objects.filter(scope_q_for(region.code, "region_code"))
    open_rows = base.filter(status=FindingStatus.OPEN)
    by_severity = {r["severity"]: r["n"] for r in open_rows.values("severity").annotate(n=Count("id"))}
    new = base.filter(found_at__gte=period.start, found_at__lt=period.end).count()
    by_rule = [
        (r["rule"], RULES[r["rule"]].title if r["rule"] in RULES else "", r["n"])
        for r in open_rows.values("rule").annotate(n=Count("id")).order_by("-n", "rule")[:MAX_FINDING_RULES]
    ]
    group_length = CODE_LENGTH[ranked_level(region.level)]
    grouped = (
        open_rows.filter(severity="error")
        .annotate(area=Substr("region_code", 1, group_length))
        .values("area")
        .annotate(n=Count("id"))
        .order_by("-n", "area")[:MAX_FINDING_AREAS]
    )
    counts = [(row["area"], row["n"]) for row in grouped]
    names = {
        r.code: r
        for r in Region.objects.filter(code__in=[c for c, _n in counts]).only("code", "name", "level", "kind")
    }
    top = [(ref(names[c]), n) for c, n in counts if c in names]
    return FindingStats(by_severity, new, by_rule, top)


def index_config() -> IndexConfig:
    """The index configuration in force (``waspada.risk.active`` where it exists, else the shipped default)."""
    try:
        from waspada.risk.active import active_config
    except ImportError:  # pragma: no cover - older risk app
        return load_config()
    return active_config()


def gather(
    region: Region, period: Period, *, now: dt.datetime, lang: str = "id", config: IndexConfig | None = None
) -> SitrepInput:
    config = config or index_config()
    categories, indicators = index_labels(config, lang)
    return SitrepInput(
        region=ref(region),
        period=period,
        generated_at=now,
        categories=categories,
        indicator_labels=indicators,
        units=_units(report_units(region), period),
        outlines=outlines(region),
        incidents=incidents_in(region, period, lang),
        alerts=alerts_in(region, period),
        actions=actions_in(region, period),
        reports=report_counts(region, period),
        findings=finding_stats(region, period),
    )
