"""Who may read which election results (one place for pages and API), and the summaries they show.

Reading results and findings needs ``Action.VIEW_AGGREGATES``; a role without it gets 403 (the caller
raises it), an object outside the user's region scope does not exist for them (404).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from waspada.accounts.access import Action, may, scope_q
from waspada.elections import calendar
from waspada.elections.models import Contest, ElectionStage
from waspada.elections.pasal158 import ContestMargins, Entrant, IncompleteContest, level_for_office, margins
from waspada.elections.results import RecapFinding, ResultRecord, Tier

TPS_CODE_LENGTH = 13


class NotAllowed(Exception):
    """The role may not read election results at all (→ 403)."""


def require_reader(user: Any) -> None:
    if not may(user, Action.VIEW_AGGREGATES):
        raise NotAllowed


def visible_contests(user: Any) -> QuerySet[Contest]:
    require_reader(user)
    return (
        Contest.objects.filter(scope_q(user, "region"))
        .select_related("election", "region")
        .defer("region__geometry", "region__display_geometry")
        .prefetch_related("candidates")
        .order_by("election__code", "region__code", "office")
    )


def get_contest_for(user: Any, pk: int) -> Contest:
    contest = visible_contests(user).filter(pk=pk).first()
    if contest is None:
        raise Http404("contest not found")
    return contest


def visible_findings(
    user: Any, *, rule: str | None = None, severity: str | None = None, region: str | None = None
) -> QuerySet[RecapFinding]:
    require_reader(user)
    rows = RecapFinding.objects.filter(scope_q(user, "region_code")).select_related("election")
    if rule:
        rows = rows.filter(rule=rule)
    if severity:
        rows = rows.filter(severity=severity)
    if region:
        rows = rows.filter(Q(region_code=region) | Q(region_code__startswith=region + "."))
    return rows.order_by("election__code", "rule", "area_code", "pk")


def tps_records_for(user: Any, code: str) -> list[ResultRecord]:
    """Every version of every source of one TPS, when the user may see its desa; otherwise 404."""
    require_reader(user)
    if len(code) != TPS_CODE_LENGTH or not code.isdigit():
        raise Http404("TPS not found")
    records = list(
        ResultRecord.objects.filter(tier=Tier.TPS, area_code=code)
        .select_related("election", "contest", "imported_by")
        .order_by("election__code", "contest_id", "source", "-version")
    )
    if not records or not may(user, Action.VIEW_AGGREGATES, records[0].region_code):
        raise Http404("TPS not found")
    return records


@dataclass(slots=True)
class TierTotals:
    tier: str
    source: str
    areas: int
    votes: dict[str, int] = field(default_factory=dict)
    valid_votes: int = 0


@dataclass(slots=True)
class ContestSummary:
    contest: Contest
    candidates: list[Any]
    margins: ContestMargins | None
    margins_error: str | None
    stage: ElectionStage | None
    stage_is_current: bool
    tiers: list[TierTotals]


def contest_margins(contest: Contest) -> tuple[ContestMargins | None, str | None]:
    """Pasal 158 margins from the final tally, or the reason they cannot be computed."""
    candidates = list(contest.candidates.all())
    entrants = [Entrant(c.names, c.votes, c.is_empty_box) for c in candidates if c.votes is not None]
    try:
        if contest.region.population is None:
            raise IncompleteContest("jumlah penduduk wilayah tidak diketahui")
        if len(entrants) < 2 or len(entrants) < len(candidates):
            raise IncompleteContest("perolehan suara calon tidak lengkap")
        level = level_for_office(contest.office)
        return margins(level, contest.region.population, entrants, contest.valid_votes), None
    except (IncompleteContest, ValueError) as exc:
        return None, str(exc)


def election_stage(contest: Contest, today: date | None = None) -> tuple[ElectionStage | None, bool]:
    """The stage covering today, else the last one that has started (False = not current)."""
    today = today or timezone.localdate()
    stages = list(contest.election.stages.all())
    stage = calendar.current_stage(stages, today)
    if stage is not None:
        return stage, True
    started = [s for s in stages if s.starts_on <= today]
    return (max(started, key=lambda s: (s.starts_on, s.code)) if started else None), False


def tier_totals(contest: Contest) -> list[TierTotals]:
    """Per tier and source: number of areas and the sum of the current records' votes."""
    totals: dict[tuple[str, str], TierTotals] = {}
    sums: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = ResultRecord.objects.filter(contest=contest, is_current=True).values_list(
        "tier", "source", "votes", "valid_votes"
    )
    for tier, source, votes, valid in rows.iterator(2000):
        key = (tier, source)
        item = totals.setdefault(key, TierTotals(tier, source, 0))
        item.areas += 1
        item.valid_votes += valid or 0
        for number, value in votes.items():
            sums[key][number] += value or 0
    order = {t: i for i, t in enumerate(Tier.values)}
    out = []
    for key in sorted(totals, key=lambda k: (order.get(k[0], 99), k[1])):
        item = totals[key]
        item.votes = dict(sorted(sums[key].items(), key=lambda kv: int(kv[0])))
        out.append(item)
    return out


def contest_summary(contest: Contest, today: date | None = None) -> ContestSummary:
    found, error = contest_margins(contest)
    stage, current = election_stage(contest, today)
    return ContestSummary(
        contest=contest,
        candidates=contest.ranked_candidates(),
        margins=found,
        margins_error=error,
        stage=stage,
        stage_is_current=current,
        tiers=tier_totals(contest),
    )
