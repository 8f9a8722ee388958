"""What the rules read, fetched from the other apps through their models and query helpers and turned into
the plain records of :mod:`waspada.alerts.facts`. Only what the active rules need is read."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db.models import Q

from waspada.alerts.facts import ActionFact, ContestFact, FindingFact, IncidentFact, ReportFact
from waspada.alerts.models import OPEN_ACTION_STATUSES, ResponseAction
from waspada.reports.models import Incident, Report, ReportStatus

TRUSTED_RELIABILITY = "terpercaya"
MEDIA_CHANNEL = "media"


def incidents(since: datetime) -> list[IncidentFact]:
    """Incidents confirmed since ``since`` (an incident exists only once an analyst verified its reports;
    its ``created_at`` is when it was confirmed)."""
    rows = Incident.objects.filter(created_at__gte=since).values_list(
        "id", "region_id", "event_type", "created_at", "killed", "injured"
    )
    return [IncidentFact(*row) for row in rows.iterator(5000)]


def reports(since: datetime, *, media_only: bool = False, not_media: bool = False) -> list[ReportFact]:
    """Reports received since ``since``, rejected ones left out. ``trusted``: the reporter is registered and
    trusted, or the source was rated reliable."""
    rows = Report.objects.filter(created_at__gte=since).exclude(status=ReportStatus.DITOLAK)
    if media_only:
        rows = rows.filter(channel=MEDIA_CHANNEL)
    if not_media:
        rows = rows.exclude(channel=MEDIA_CHANNEL)
    values = rows.values_list(
        "id", "region_id", "channel", "urgency", "created_at", "reporter__trusted", "source_reliability"
    )
    return [
        ReportFact(pk, region, channel, urgency, created, bool(trusted) or reliability == TRUSTED_RELIABILITY)
        for pk, region, channel, urgency, created, trusted, reliability in values.iterator(5000)
    ]


def categories(today: date, max_age_days: int) -> tuple[dict[str, str], dict[str, str], str]:
    """The index category of every region in the latest snapshot and in the one before it (same
    configuration version), and the latest date; nothing when the latest snapshot is older than
    ``max_age_days`` (an old rise is not news)."""
    from waspada.risk.models import IndexSnapshot

    latest = IndexSnapshot.objects.order_by("-date", "-created_at").values("date", "config_version").first()
    if latest is None or latest["date"] < today - timedelta(days=max_age_days):
        return {}, {}, ""
    same = IndexSnapshot.objects.filter(config_version=latest["config_version"])
    before = same.filter(date__lt=latest["date"]).order_by("-date").values_list("date", flat=True).first()
    if before is None:
        return {}, {}, ""

    def on(day: date) -> dict[str, str]:
        rows = same.filter(date=day).exclude(category="").values_list("region_id", "category")
        return dict(rows.iterator(10000))

    return on(before), on(latest["date"]), latest["date"].isoformat()


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def contests() -> list[ContestFact]:
    """Every contest whose Pasal 158 margin can be computed (final tally, else provisional counts), with its
    closest loser's margin / threshold ratio, and every contest with a case at the MK — through the
    elections app's system queries."""
    from waspada.elections.models import Office
    from waspada.elections.queries import close_contests, mk_filings

    def label(office: str, region_name: str, election: str) -> str:
        name = Office(office).label if office in Office.values else office
        return f"{name} {region_name} ({election})"

    facts: dict[int, ContestFact] = {}
    for c in close_contests(eligible_only=False):
        basis = "hasil penetapan" if c.basis == "final" else "hitungan sementara"
        verdict = "dapat mengajukan ke MK" if c.eligible else "di atas ambang"
        summary = (
            f"selisih {c.runner_up} dengan {c.winner} {_number(c.margin_votes)} suara "
            f"({c.margin_percent:.2f}%), ambang {c.threshold_percent:g}% = {_number(round(c.threshold_votes))} "
            f"suara ({basis}): {verdict}"
        )
        facts[c.contest_id] = ContestFact(
            c.contest_id,
            c.region_code,
            label(c.office, c.region_name, c.election),
            c.ratio,
            c.mk_case,
            summary,
        )
    for m in mk_filings():
        known = facts.get(m.contest_id)
        if known is None:
            facts[m.contest_id] = ContestFact(
                m.contest_id, m.region_code, label(m.office, m.region_name, m.election), None, m.case
            )
    return [facts[k] for k in sorted(facts)]


def findings(since: datetime, severities: list[str]) -> list[FindingFact]:
    """Open recapitulation findings of the given severities first found since ``since`` (not the
    unreadable-cell errors of an import), through the elections app's system query."""
    from waspada.elections.queries import high_severity_findings

    rows = high_severity_findings(since, severities=tuple(severities))
    return [
        FindingFact(f.id, f.election_id, f.region_code, f.rule, f.severity, f.found_at)
        for f in rows
        if f.region_code
    ]


def overdue_actions(today: date) -> list[ActionFact]:
    """Unfinished response actions whose due date has passed."""
    rows = (
        ResponseAction.objects.filter(status__in=OPEN_ACTION_STATUSES, due_date__lt=today)
        .filter(Q(incident__isnull=False) | Q(alert__isnull=False))
        .values_list("id", "incident__region_id", "alert__region_id", "kind", "due_date")
    )
    return [ActionFact(pk, inc or alert, kind, due) for pk, inc, alert, kind, due in rows]
