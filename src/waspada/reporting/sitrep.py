"""The situation report (Laporan Situasi) as plain data — pure, no Django.

:func:`build` takes what the database holds about one region and one period (:class:`SitrepInput`, gathered
by ``waspada.reporting.gather``) and returns a :class:`Sitrep`: the summary figures, the units to colour on
the map, the regions at highest risk with what drives them, the incidents, alerts and response actions,
the recapitulation findings, and recommendations derived plainly from those facts. Nothing here is text
for people: the renderers (HTML template, PDF) turn codes into words in the reader's language.

Reporter identity never enters: the inputs carry incidents, alerts and actions, not reports' senders.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from waspada.reporting.period import Period

OPEN_ACTION_STATUSES = frozenset({"direncanakan", "berjalan"})
UNACKNOWLEDGED_ALERT_STATUSES = frozenset({"terbuka"})
TOP_REGIONS = 10
MAX_PER_KIND = 5  # recommendations of one kind listed one by one; the rest are counted
GROUP_OVER = 3  # more alerts (or overdue actions) than this make one recommendation, not one each
MAX_DRIVERS = 3


# --- inputs --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RegionRef:
    code: str
    name: str
    level: int
    kind: str = ""


@dataclass(frozen=True, slots=True)
class IndexPoint:
    """One index snapshot of one region."""

    date: dt.date
    score: float | None
    category: str
    contributions: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Unit:
    """A region on the map or in the risk ranking, with its latest snapshot in the period and the one
    before the period (either may be missing)."""

    region: RegionRef
    current: IndexPoint | None = None
    previous: IndexPoint | None = None
    geometry: Mapping[str, Any] | None = None  # GeoJSON geometry (simplified for display), None = no boundary


@dataclass(frozen=True, slots=True)
class IncidentItem:
    id: int
    title: str
    region: RegionRef
    event_type: str
    event_label: str
    status: str
    urgency: str
    occurred_at: dt.datetime
    created_at: dt.datetime
    killed: int = 0
    injured: int = 0
    buildings_damaged: int = 0
    displaced: int = 0
    is_simulated: bool = False
    point: tuple[float, float] | None = None  # (lon, lat): the incident's own, else its region's centre
    has_actions: bool = False

    @property
    def casualties(self) -> int:
        return self.killed + self.injured


@dataclass(frozen=True, slots=True)
class AlertItem:
    id: int
    rule_name: str
    rule_kind: str
    region: RegionRef
    status: str
    created_at: dt.datetime
    acknowledged_at: dt.datetime | None
    escalation_level: int
    summary: str = ""

    @property
    def unacknowledged(self) -> bool:
        return self.status in UNACKNOWLEDGED_ALERT_STATUSES


@dataclass(frozen=True, slots=True)
class ActionItem:
    id: int
    kind: str
    agency: str
    status: str
    subject: str  # "P-12" (an alert) or "K-7" (an incident)
    region: RegionRef
    due_date: dt.date | None
    outcome: str = ""
    overdue: bool = False


@dataclass(frozen=True, slots=True)
class ReportCounts:
    """Field reports received in the period, by status code."""

    by_status: Mapping[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


@dataclass(frozen=True, slots=True)
class FindingStats:
    """Recapitulation findings in the region: open ones by severity, by rule, and by area."""

    open_by_severity: Mapping[str, int] = field(default_factory=dict)
    new_in_period: int = 0
    by_rule: Sequence[tuple[str, str, int]] = ()  # (rule, title, open count), most first
    top_areas: Sequence[tuple[RegionRef, int]] = ()  # areas with the most open errors

    @property
    def open_total(self) -> int:
        return sum(self.open_by_severity.values())

    @property
    def open_errors(self) -> int:
        return int(self.open_by_severity.get("error", 0))


@dataclass(frozen=True, slots=True)
class SitrepInput:
    region: RegionRef
    period: Period
    generated_at: dt.datetime  # aware
    categories: Sequence[tuple[str, str]]  # (code, label), lowest risk first
    indicator_labels: Mapping[str, str]
    units: Sequence[Unit]  # ranked by risk and coloured on the map
    outlines: Sequence[Mapping[str, Any]] = ()  # boundaries of the level between, drawn over the map
    incidents: Sequence[IncidentItem] = ()
    alerts: Sequence[AlertItem] = ()
    actions: Sequence[ActionItem] = ()
    reports: ReportCounts = ReportCounts()
    findings: FindingStats = FindingStats()


# --- output --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Driver:
    indicator: str
    label: str
    points: float


@dataclass(frozen=True, slots=True)
class RiskRow:
    region: RegionRef
    score: float | None
    category: str
    previous_category: str
    delta: float | None
    change: int  # +1 rose a category, -1 fell, 0 same or not comparable
    drivers: tuple[Driver, ...]


@dataclass(frozen=True, slots=True)
class MapUnit:
    region: RegionRef
    category: str  # "" = no index
    score: float | None
    geometry: Mapping[str, Any] | None


@dataclass(frozen=True, slots=True)
class MapData:
    units: tuple[MapUnit, ...]
    points: tuple[tuple[float, float], ...]
    outlines: tuple[Mapping[str, Any], ...] = ()

    @property
    def drawn(self) -> int:
        return sum(1 for u in self.units if u.geometry is not None)

    @property
    def missing(self) -> tuple[RegionRef, ...]:
        """Units without a boundary: listed under the map instead of drawn."""
        return tuple(u.region for u in self.units if u.geometry is None)


@dataclass(frozen=True, slots=True)
class Summary:
    incidents: int
    killed: int
    injured: int
    buildings_damaged: int
    displaced: int
    reports_received: int
    reports_verified: int
    alerts_in_period: int
    alerts_open: int
    alerts_unacknowledged: int
    actions_open: int
    actions_overdue: int
    regions_high: int
    regions_rising: int
    findings_open: int
    findings_new: int


@dataclass(frozen=True, slots=True)
class Recommendation:
    """One plain recommendation: ``kind`` says which rule produced it, ``facts`` carry what the text needs."""

    kind: str
    priority: int  # 1 = first
    region: RegionRef | None
    facts: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Sitrep:
    region: RegionRef
    period: Period
    generated_at: dt.datetime
    categories: tuple[tuple[str, str], ...]
    summary: Summary
    map: MapData
    top_regions: tuple[RiskRow, ...]
    incidents: tuple[IncidentItem, ...]
    alerts: tuple[AlertItem, ...]
    actions: tuple[ActionItem, ...]
    reports: ReportCounts
    findings: FindingStats
    recommendations: tuple[Recommendation, ...]
    has_simulated: bool
    has_index: bool

    @property
    def high_category(self) -> str:
        return self.categories[-1][0] if self.categories else ""

    def category_label(self, code: str) -> str:
        return dict(self.categories).get(code, code)


# --- building ------------------------------------------------------------------------------------------


def _rank(categories: Sequence[tuple[str, str]]) -> dict[str, int]:
    return {code: i for i, (code, _label) in enumerate(categories)}


def risk_row(unit: Unit, categories: Sequence[tuple[str, str]], labels: Mapping[str, str]) -> RiskRow:
    cur, prev = unit.current, unit.previous
    rank = _rank(categories)
    category = cur.category if cur else ""
    before = prev.category if prev else ""
    change = 0
    if category in rank and before in rank:
        change = (rank[category] > rank[before]) - (rank[category] < rank[before])
    delta = None
    if cur is not None and prev is not None and cur.score is not None and prev.score is not None:
        delta = cur.score - prev.score
    drivers: tuple[Driver, ...] = ()
    if cur is not None:
        top = sorted(
            ((k, float(v)) for k, v in cur.contributions.items() if float(v) > 0),
            key=lambda kv: (-kv[1], kv[0]),
        )
        drivers = tuple(Driver(k, labels.get(k, k), v) for k, v in top[:MAX_DRIVERS])
    return RiskRow(unit.region, cur.score if cur else None, category, before, delta, change, drivers)


def overdue(action: ActionItem, reference: dt.date) -> bool:
    """Still open and its due date passed before ``reference`` (the day after the period, or today)."""
    return (
        action.status in OPEN_ACTION_STATUSES and action.due_date is not None and action.due_date < reference
    )


def _summary(
    inp: SitrepInput,
    rows: Sequence[RiskRow],
    incidents: Sequence[IncidentItem],
    actions: Sequence[ActionItem],
) -> Summary:
    high = inp.categories[-1][0] if inp.categories else ""
    in_period = [a for a in inp.alerts if inp.period.contains(a.created_at)]
    open_alerts = [a for a in inp.alerts if a.status != "selesai"]
    return Summary(
        incidents=len(incidents),
        killed=sum(i.killed for i in incidents),
        injured=sum(i.injured for i in incidents),
        buildings_damaged=sum(i.buildings_damaged for i in incidents),
        displaced=sum(i.displaced for i in incidents),
        reports_received=inp.reports.total,
        reports_verified=int(inp.reports.by_status.get("terverifikasi", 0)),
        alerts_in_period=len(in_period),
        alerts_open=len(open_alerts),
        alerts_unacknowledged=sum(1 for a in inp.alerts if a.unacknowledged),
        actions_open=sum(1 for a in actions if a.status in OPEN_ACTION_STATUSES),
        actions_overdue=sum(1 for a in actions if a.overdue),
        regions_high=sum(1 for r in rows if high and r.category == high),
        regions_rising=sum(1 for r in rows if r.change > 0),
        findings_open=inp.findings.open_total,
        findings_new=inp.findings.new_in_period,
    )


def recommendations(
    inp: SitrepInput,
    rows: Sequence[RiskRow],
    incidents: Sequence[IncidentItem],
    actions: Sequence[ActionItem],
) -> list[Recommendation]:
    """Plain rules over the facts, most urgent first:

    1. a region that rose to the highest category → raise vigilance there (with its drivers);
    2. an incident with deaths or injuries and no response action yet → plan one;
    3. an alert nobody has acknowledged → make sure it is received;
    4. a response action past its due date → ask for progress (more than :data:`GROUP_OVER` alerts or
       actions are grouped into one recommendation);
    5. a highest-category region with new incidents → coordinate with the security forces;
    6. open recapitulation errors → clarify them with the KPU;
    7. a region that rose to a middle category → monitor it;
    otherwise routine monitoring.
    """
    high = inp.categories[-1][0] if inp.categories else ""
    rows = sorted(rows, key=lambda r: (-(r.score or 0.0), r.region.code))  # the riskiest first
    out: list[Recommendation] = []
    for row in rows:
        if row.change > 0 and row.category == high:
            out.append(
                Recommendation(
                    "rose_to_high",
                    1,
                    row.region,
                    {
                        "score": row.score,
                        "previous_category": row.previous_category,
                        "category": row.category,
                        "drivers": [d.label for d in row.drivers],
                    },
                )
            )
    for inc in incidents:
        if inc.casualties > 0 and not inc.has_actions:
            out.append(
                Recommendation(
                    "casualties_without_action",
                    2,
                    inc.region,
                    {"incident": inc.id, "title": inc.title, "killed": inc.killed, "injured": inc.injured},
                )
            )
    unacknowledged = sorted((a for a in inp.alerts if a.unacknowledged), key=lambda a: (a.created_at, a.id))
    if len(unacknowledged) > GROUP_OVER:
        out.append(
            Recommendation(
                "unacknowledged_alerts",
                3,
                inp.region,
                {"alerts": [a.id for a in unacknowledged], "since": unacknowledged[0].created_at},
            )
        )
    for alert in unacknowledged if len(unacknowledged) <= GROUP_OVER else ():
        out.append(
            Recommendation(
                "unacknowledged_alert",
                3,
                alert.region,
                {"alert": alert.id, "rule": alert.rule_name, "since": alert.created_at},
            )
        )
    late = [a for a in actions if a.overdue]
    if len(late) > GROUP_OVER:
        out.append(
            Recommendation(
                "overdue_actions",
                4,
                inp.region,
                {"subjects": [a.subject for a in late], "agencies": sorted({a.agency for a in late})},
            )
        )
    for action in late if len(late) <= GROUP_OVER else ():
        out.append(
            Recommendation(
                "overdue_action",
                4,
                action.region,
                {
                    "action": action.id,
                    "kind": action.kind,
                    "agency": action.agency,
                    "subject": action.subject,
                    "due_date": action.due_date,
                },
            )
        )
    per_region = _incidents_under(rows, incidents)
    for row in rows:
        n = per_region.get(row.region.code, 0)
        if row.category == high and high and n and row.change <= 0:
            out.append(
                Recommendation("high_with_incidents", 5, row.region, {"incidents": n, "score": row.score})
            )
    if inp.findings.open_errors:
        out.append(
            Recommendation(
                "recap_errors",
                6,
                inp.region,
                {
                    "errors": inp.findings.open_errors,
                    "areas": [area.name for area, _n in inp.findings.top_areas[:3]],
                },
            )
        )
    for row in rows:
        if row.change > 0 and row.category != high:
            out.append(
                Recommendation(
                    "rose",
                    7,
                    row.region,
                    {"category": row.category, "previous_category": row.previous_category},
                )
            )
    if not out:
        out.append(Recommendation("routine", 9, inp.region, {}))
    return _capped(sorted(out, key=lambda r: r.priority))


def _capped(recs: Sequence[Recommendation]) -> list[Recommendation]:
    """At most :data:`MAX_PER_KIND` recommendations of one kind (the first ones: highest score, oldest); the
    rest are counted in one "more" recommendation after them, so a national report stays readable."""
    out: list[Recommendation] = []
    seen: dict[str, int] = {}
    for rec in recs:
        seen[rec.kind] = seen.get(rec.kind, 0) + 1
        if seen[rec.kind] <= MAX_PER_KIND:
            out.append(rec)
        elif seen[rec.kind] == MAX_PER_KIND + 1:
            extra = sum(1 for r in recs if r.kind == rec.kind) - MAX_PER_KIND
            out.append(Recommendation("more", rec.priority, None, {"of": rec.kind, "n": extra}))
    return out


def _incidents_under(rows: Sequence[RiskRow], incidents: Sequence[IncidentItem]) -> dict[str, int]:
    """Incidents in each ranked region or under it (each incident counted at its region and its ancestors)."""
    counts: dict[str, int] = {}
    for inc in incidents:
        parts = inc.region.code.split(".")
        for n in range(1, len(parts) + 1):
            code = ".".join(parts[:n])
            counts[code] = counts.get(code, 0) + 1
    return {row.region.code: counts.get(row.region.code, 0) for row in rows}


def build(inp: SitrepInput) -> Sitrep:
    today = inp.generated_at.astimezone(inp.period.start.tzinfo).date()
    reference = min(inp.period.last_day + dt.timedelta(days=1), today)
    actions = tuple(
        replace(a, overdue=overdue(a, reference))
        for a in sorted(inp.actions, key=lambda a: (a.due_date or dt.date.max, a.id))
    )
    incidents = tuple(sorted(inp.incidents, key=lambda i: (i.occurred_at, i.id)))
    all_rows = [risk_row(u, inp.categories, inp.indicator_labels) for u in inp.units]
    scored = sorted(
        (r for r in all_rows if r.score is not None), key=lambda r: (-(r.score or 0.0), r.region.code)
    )
    top = tuple(scored[:TOP_REGIONS])
    units = tuple(
        MapUnit(
            u.region,
            u.current.category if u.current else "",
            u.current.score if u.current else None,
            u.geometry,
        )
        for u in inp.units
    )
    points = tuple(i.point for i in incidents if i.point is not None)
    alerts = tuple(sorted(inp.alerts, key=lambda a: (not a.unacknowledged, -a.created_at.timestamp(), a.id)))
    return Sitrep(
        region=inp.region,
        period=inp.period,
        generated_at=inp.generated_at,
        categories=tuple(inp.categories),
        summary=_summary(inp, all_rows, incidents, actions),
        map=MapData(units, points, tuple(inp.outlines)),
        top_regions=top,
        incidents=incidents,
        alerts=alerts,
        actions=actions,
        reports=inp.reports,
        findings=inp.findings,
        recommendations=tuple(recommendations(inp, all_rows, incidents, actions)),
        has_simulated=any(i.is_simulated for i in incidents),
        has_index=any(r.score is not None for r in all_rows),
    )
