"""Candidate duplicates for reports: fetch nearby reports and incidents the user may see, then score them
with the pure ``waspada.reports.duplicates`` scorer.

Two queries per call whatever the number of reports (the queue asks for a whole page at once): one for
reports, one for incidents, limited to the time window and to the kab/kota of the reports. When true
adjacency replaces the sibling stand-in (``NEIGHBOURS``), ``search_prefixes`` must also return the
kab/kota across the border.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Q

from waspada import taxonomy
from waspada.accounts.access import scope_q_for
from waspada.reports import access
from waspada.reports.duplicates import WINDOW_HOURS, Match, Neighbours, Scorer, SiblingNeighbours, Signal
from waspada.reports.models import Incident, Report, ReportStatus

NEIGHBOURS: Neighbours = SiblingNeighbours()
POOL_LIMIT = 2000  # per query; the newest first
# Slack for imprecise times (TimePrecision: 1 day, 2 week, 3 month): half the span either side.
SLACK_HOURS = {1: 0.0, 2: 84.0, 3: 360.0}


def report_key(pk: int) -> str:
    return f"report:{pk}"


def incident_key(pk: int) -> str:
    return f"incident:{pk}"


def _family(event_type: str) -> str:
    try:
        return taxonomy.get_event_type(event_type).acled_event_type
    except taxonomy.UnknownCode:
        return ""


def report_signal(report: Report) -> Signal:
    return Signal(
        key=report_key(report.pk),
        region_code=str(report.region_id),
        occurred_at=report.occurred_at,
        event_type=report.event_type,
        event_family=_family(report.event_type),
        text=report.description,
        time_slack_hours=SLACK_HOURS.get(report.time_precision, 0.0),
        group=incident_key(report.incident_id) if report.incident_id else "",
    )


def incident_signal(incident: Incident) -> Signal:
    return Signal(
        key=incident_key(incident.pk),
        region_code=str(incident.region_id),
        occurred_at=incident.occurred_at,
        event_type=incident.event_type,
        event_family=_family(incident.event_type),
        text=f"{incident.title}\n{incident.description}",
        time_slack_hours=SLACK_HOURS.get(incident.time_precision, 0.0),
    )


def search_prefixes(region_code: str) -> set[str]:
    """Region codes whose units may hold duplicates of an event in ``region_code``: its kab/kota (or the
    province for a report coded only to the province)."""
    parts = region_code.split(".")
    return {".".join(parts[:2]) if len(parts) >= 2 else parts[0]}


def _region_q(prefixes: Iterable[str]) -> Q:
    q = Q(pk__in=[])
    for prefix in sorted(prefixes):
        q |= scope_q_for(prefix, "region")
    return q


_REPORT_FIELDS = (
    "id",
    "region_id",
    "occurred_at",
    "event_type",
    "description",
    "time_precision",
    "incident_id",
    "status",
)
_INCIDENT_FIELDS = ("id", "region_id", "occurred_at", "event_type", "title", "description", "time_precision")


def _pool(reports: Sequence[Report], user: Any) -> tuple[list[Signal], dict[str, Report | Incident]]:
    if not reports:
        return [], {}
    reach = timedelta(hours=WINDOW_HOURS + max(SLACK_HOURS.values()))
    start = min(r.occurred_at for r in reports) - reach
    end = max(r.occurred_at for r in reports) + reach
    prefixes: set[str] = set()
    for report in reports:
        prefixes |= search_prefixes(str(report.region_id))
    where = _region_q(prefixes) & Q(occurred_at__gte=start, occurred_at__lte=end)
    found_reports = (
        access.visible_reports(user)
        .filter(where)
        .exclude(status=ReportStatus.DITOLAK)
        .only(*_REPORT_FIELDS)
        .order_by("-occurred_at")[:POOL_LIMIT]
    )
    found_incidents = (
        access.visible_incidents(user)
        .filter(where)
        .only(*_INCIDENT_FIELDS)
        .order_by("-occurred_at")[:POOL_LIMIT]
    )
    signals: list[Signal] = []
    objects: dict[str, Report | Incident] = {}
    for r in found_reports:
        signals.append(report_signal(r))
        objects[signals[-1].key] = r
    for i in found_incidents:
        signals.append(incident_signal(i))
        objects[signals[-1].key] = i
    return signals, objects


@dataclass(frozen=True)
class Candidate:
    """A scored candidate, with the object it stands for and the incident a merge would join (None: a
    merge creates a new incident from both reports)."""

    match: Match
    obj: Report | Incident
    incident_id: int | None

    @property
    def is_incident(self) -> bool:
        return isinstance(self.obj, Incident)


def _candidate(match: Match, objects: dict[str, Report | Incident]) -> Candidate:
    obj = objects[match.key]
    if isinstance(obj, Incident):
        return Candidate(match, obj, obj.pk)
    return Candidate(match, obj, obj.incident_id)


def duplicates_for(report: Report, user: Any, *, limit: int = 8) -> list[Candidate]:
    """Candidate duplicates of one report among what ``user`` may see, best first."""
    signals, objects = _pool([report], user)
    matches = Scorer(NEIGHBOURS).find(report_signal(report), signals, limit=limit)
    return [_candidate(m, objects) for m in matches]


def duplicates_for_many(
    reports: Sequence[Report], user: Any, *, limit: int = 8
) -> dict[int, list[Candidate]]:
    """Candidates for each report of a page, from one shared pool."""
    signals, objects = _pool(reports, user)
    found = Scorer(NEIGHBOURS).find_many([report_signal(r) for r in reports], signals, limit=limit)
    return {r.pk: [_candidate(m, objects) for m in found[report_key(r.pk)]] for r in reports}
