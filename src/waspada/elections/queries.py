"""Who may read which election results (one place for pages and API), the summaries they show, and the
system queries the risk index and the alerts call.

Reading results and findings needs ``Action.VIEW_AGGREGATES``; a role without it gets 403 (the caller
raises it), an object outside the user's region scope does not exist for them (404).

**For the risk index and the alerts** (no user, no scope; plain dataclasses out — see the section
"System queries" at the end): :func:`close_contests`, :func:`mk_filings`, :func:`high_severity_findings`
and :func:`recap_finding_shares`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from waspada.accounts.access import Action, may, scope_q
from waspada.elections import calendar
from waspada.elections.models import Contest, ElectionStage
from waspada.elections.pasal158 import ContestMargins, Entrant, IncompleteContest, level_for_office, margins
from waspada.elections.results import (
    FindingKind,
    FindingStatus,
    RecapFinding,
    ResultRecord,
    ResultSource,
    Tier,
)

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
    user: Any,
    *,
    rule: str | None = None,
    severity: str | None = None,
    region: str | None = None,
    status: str | None = None,
    kind: str | None = None,
    source: str | None = None,
    election: str | None = None,
    contest: int | None = None,
) -> QuerySet[RecapFinding]:
    """Findings in the user's scope, filtered (each filter optional; ``source`` matches either side of a
    source comparison)."""
    require_reader(user)
    rows = RecapFinding.objects.filter(scope_q(user, "region_code")).select_related(
        "election", "contest", "contest__region", "reviewed_by"
    )
    rows = rows.defer("contest__region__geometry", "contest__region__display_geometry")
    if rule:
        rows = rows.filter(rule=rule)
    if severity:
        rows = rows.filter(severity=severity)
    if region:
        rows = rows.filter(Q(region_code=region) | Q(region_code__startswith=region + "."))
    if status:
        rows = rows.filter(status=status)
    if kind:
        rows = rows.filter(kind=kind)
    if source:
        rows = rows.filter(Q(source=source) | Q(other_source=source))
    if election:
        rows = rows.filter(election__code=election)
    if contest:
        rows = rows.filter(contest_id=contest)
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
    findings: int = 0  # tier-sum findings (R9) at this tier and source

    @property
    def tier_label(self) -> str:
        return str(Tier(self.tier).label) if self.tier in Tier.values else self.tier

    @property
    def source_label(self) -> str:
        return str(ResultSource(self.source).label) if self.source in ResultSource.values else self.source


@dataclass(frozen=True, slots=True)
class ProvisionalTally:
    """Votes per ballot number from the current records, before (or without) the final tally."""

    source: str
    tier: str
    areas: int
    votes: dict[str, int]
    timestamp: str

    @property
    def label(self) -> str:
        source = ResultSource(self.source).label if self.source in ResultSource.values else self.source
        tier = Tier(self.tier).label if self.tier in Tier.values else self.tier
        return f"{source}, {tier}"


@dataclass(slots=True)
class ContestSummary:
    contest: Contest
    candidates: list[Any]
    margins: ContestMargins | None
    margins_error: str | None
    stage: ElectionStage | None
    stage_is_current: bool
    tiers: list[TierTotals]
    margins_basis: str = "final"  # "final" (the KPU's determination) or "provisional" (records)
    provisional: ProvisionalTally | None = None
    findings: int = 0
    open_findings: int = 0


#: The tier a contest's own total sits at, and the sources in the order their totals are trusted.
CONTEST_TIER = {"gubernur": Tier.PROVINSI, "bupati": Tier.KABKOTA, "walikota": Tier.KABKOTA}
SOURCE_PREFERENCE = (
    ResultSource.REKAPITULASI,
    ResultSource.SIREKAP,
    ResultSource.BAWASLU,
    ResultSource.SAKSI,
    ResultSource.KAWALPEMILU,
)
TIER_ORDER = {t: i for i, t in enumerate(Tier.values)}


def provisional_tally(contest: Contest) -> ProvisionalTally | None:
    """The contest's total from its current records: the record at the contest's own tier (kab/kota for a
    regent, provinsi for a governor) of the most trusted source; else the sum of the highest tier present."""
    rows = list(
        ResultRecord.objects.filter(contest=contest, is_current=True).values_list(
            "tier", "source", "votes", "source_timestamp"
        )
    )
    if not rows:
        return None
    rank = {s: i for i, s in enumerate(SOURCE_PREFERENCE)}
    own = CONTEST_TIER.get(contest.office)
    at_own = [r for r in rows if r[0] == own and r[2]]
    if at_own:
        tier, source, votes, ts = min(at_own, key=lambda r: rank.get(r[1], 99))
        return ProvisionalTally(source, tier, 1, {k: v or 0 for k, v in votes.items()}, ts)
    top = min(TIER_ORDER.get(r[0], 99) for r in rows)
    tier = Tier.values[top] if top < len(Tier.values) else rows[0][0]
    best = min((r[1] for r in rows if r[0] == tier), key=lambda s: rank.get(s, 99))
    chosen = [r for r in rows if r[0] == tier and r[1] == best]
    sums: dict[str, int] = defaultdict(int)
    for _, _, votes, _ in chosen:
        for number, value in votes.items():
            sums[number] += value or 0
    latest = max((r[3] for r in chosen), default="")
    return ProvisionalTally(best, tier, len(chosen), dict(sums), latest)


def _margins_of(contest: Contest, entrants: list[Entrant], valid: int | None) -> ContestMargins:
    if contest.region.population is None:
        raise IncompleteContest("jumlah penduduk wilayah tidak diketahui")
    return margins(level_for_office(contest.office), contest.region.population, entrants, valid)


def contest_margins(contest: Contest) -> tuple[ContestMargins | None, str | None]:
    """Pasal 158 margins from the final tally, or the reason they cannot be computed."""
    candidates = list(contest.candidates.all())
    entrants = [Entrant(c.names, c.votes, c.is_empty_box) for c in candidates if c.votes is not None]
    try:
        if contest.region.population is None:
            raise IncompleteContest("jumlah penduduk wilayah tidak diketahui")
        if len(entrants) < 2 or len(entrants) < len(candidates):
            raise IncompleteContest("perolehan suara calon tidak lengkap")
        return _margins_of(contest, entrants, contest.valid_votes), None
    except (IncompleteContest, ValueError) as exc:
        return None, str(exc)


def provisional_margins(contest: Contest, tally: ProvisionalTally | None) -> ContestMargins | None:
    """Margins from a provisional tally (valid votes = the candidates' sum), named by the contest's
    candidates where their ballot numbers are known; None when they cannot be computed."""
    if tally is None or len(tally.votes) < 2:
        return None
    by_number = {str(c.ballot_no): c for c in contest.candidates.all() if c.ballot_no}
    entrants = []
    for number, votes in sorted(tally.votes.items(), key=lambda kv: int(kv[0])):
        c = by_number.get(number)
        entrants.append(Entrant(c.names if c else f"Paslon {number}", votes, bool(c and c.is_empty_box)))
    try:
        return _margins_of(contest, entrants, None)
    except (IncompleteContest, ValueError):
        return None


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
    """Per tier and source: number of areas, the sum of the current records' votes, and R9 findings."""
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
    r9 = RecapFinding.objects.filter(contest=contest, kind=FindingKind.TIERS, rule="R9")
    for source, values in r9.values_list("source", "values").iterator(2000):
        level = (values or {}).get("level")
        tier = {"tps": Tier.TPS, "desa": Tier.DESA, "kec": Tier.KECAMATAN, "kab": Tier.KABKOTA}.get(
            level, Tier.PROVINSI
        )
        if (tier, source) in totals:
            totals[(tier, source)].findings += 1
    out = []
    for key in sorted(totals, key=lambda k: (TIER_ORDER.get(k[0], 99), k[1])):
        item = totals[key]
        item.votes = dict(sorted(sums[key].items(), key=lambda kv: int(kv[0])))
        out.append(item)
    return out


def contest_summary(contest: Contest, today: date | None = None) -> ContestSummary:
    found, error = contest_margins(contest)
    stage, current = election_stage(contest, today)
    tally = provisional_tally(contest)
    basis = "final"
    if found is None:
        provisional = provisional_margins(contest, tally)
        if provisional is not None:
            found, basis = provisional, "provisional"
    findings = RecapFinding.objects.filter(contest=contest)
    return ContestSummary(
        contest=contest,
        candidates=contest.ranked_candidates(),
        margins=found,
        margins_error=error,
        stage=stage,
        stage_is_current=current,
        tiers=tier_totals(contest),
        margins_basis=basis,
        provisional=tally,
        findings=findings.count(),
        open_findings=findings.filter(status=FindingStatus.OPEN).count(),
    )


# --- System queries: for the risk index and the alerts (no user, no scope) ------------------------------
#
# The caller decides who sees what it raises from these facts. Each function reads the database once or
# a few times and returns plain frozen dataclasses, ordered so repeated calls compare equal.


@dataclass(frozen=True, slots=True)
class CloseContest:
    """A contest whose margin lies within the UU 10/2016 Pasal 158 threshold (a loser may file at the MK).

    ``basis`` is ``"final"`` when the margin comes from the KPU's determined tally (the candidates'
    votes) and ``"provisional"`` when it comes from the current result records (e.g. Sirekap counts
    before the determination). ``ratio`` = margin / threshold: ≤ 1 eligible, just above 1 still
    contentious."""

    contest_id: int
    election: str
    region_code: str
    region_name: str
    office: str
    winner: str
    runner_up: str
    margin_votes: int
    margin_percent: float
    threshold_percent: float
    threshold_votes: float
    ratio: float
    eligible: bool
    basis: str
    mk_case: str


@dataclass(frozen=True, slots=True)
class MkFiling:
    """A result dispute filed at the Mahkamah Konstitusi about a contest (``Contest.mk_case``)."""

    contest_id: int
    election: str
    region_code: str
    region_name: str
    office: str
    case: str
    outcome: str


@dataclass(frozen=True, slots=True)
class FindingFact:
    """One stored recapitulation finding, as the alerts need it."""

    id: int
    election_id: int
    election: str
    contest_id: int | None
    region_code: str
    area_code: str
    rule: str
    severity: str
    kind: str
    message: str
    status: str
    found_at: datetime


def close_contests(
    *, election: str | None = None, eligible_only: bool = True, max_ratio: float = 1.0
) -> list[CloseContest]:
    """Contests whose closest loser is within ``max_ratio`` × the Pasal 158 threshold (1.0 = may file at
    the MK; e.g. 1.5 also returns contests just above it). With ``eligible_only=False`` every contest whose
    margins can be computed is returned. Final margins are used when the tally is complete, else the
    provisional margins of the current records; contests whose region has no population are left out.
    Ordered by election and region code."""
    contests = Contest.objects.select_related("election", "region").prefetch_related("candidates")
    contests = contests.defer("region__geometry", "region__display_geometry")
    if election:
        contests = contests.filter(election__code=election)
    out = []
    for contest in contests.order_by("election__code", "region__code", "office"):
        found, _ = contest_margins(contest)
        basis = "final"
        if found is None:
            found, basis = provisional_margins(contest, provisional_tally(contest)), "provisional"
        closest = found.runner_up if found is not None else None
        if found is None or closest is None:
            continue
        if eligible_only and closest.ratio > max_ratio:
            continue
        out.append(
            CloseContest(
                contest_id=contest.pk,
                election=contest.election.code,
                region_code=contest.region.code,
                region_name=contest.region.name,
                office=contest.office,
                winner=found.winner,
                runner_up=closest.name,
                margin_votes=closest.margin_votes,
                margin_percent=closest.margin_percent,
                threshold_percent=float(found.threshold.percent),
                threshold_votes=found.threshold_votes,
                ratio=closest.ratio,
                eligible=closest.eligible,
                basis=basis,
                mk_case=contest.mk_case,
            )
        )
    return out


def mk_filings(*, election: str | None = None) -> list[MkFiling]:
    """Contests with a result dispute filed at the MK (non-empty ``mk_case``), with its outcome if known.
    Ordered by election and region code."""
    rows = (
        Contest.objects.exclude(mk_case="")
        .select_related("election", "region")
        .defer("region__geometry", "region__display_geometry")
    )
    if election:
        rows = rows.filter(election__code=election)
    return [
        MkFiling(c.pk, c.election.code, c.region.code, c.region.name, c.office, c.mk_case, c.mk_outcome)
        for c in rows.order_by("election__code", "region__code", "office")
    ]


def high_severity_findings(
    since: datetime,
    *,
    until: datetime | None = None,
    severities: tuple[str, ...] = ("error",),
    statuses: tuple[str, ...] = (FindingStatus.OPEN,),
    include_import_errors: bool = False,
) -> list[FindingFact]:
    """Findings first found in ``(since, until]`` whose severity is in ``severities`` — "error", the
    highest of the catalogue, is what an alert's "tinggi" means — and whose status is in ``statuses``
    (open by default: an analyst's acknowledgement or dismissal silences them). Unreadable cells of
    imported files (rule R10, kind "import") are data-entry problems, not anomalies, and are left out
    unless ``include_import_errors``. A finding keeps its ``found_at`` across re-imports as long as it is
    found again, so each anomaly is reported once. Ordered by ``found_at`` then id."""
    rows = RecapFinding.objects.filter(found_at__gt=since, severity__in=severities, status__in=statuses)
    if until is not None:
        rows = rows.filter(found_at__lte=until)
    if not include_import_errors:
        rows = rows.exclude(kind=FindingKind.IMPORT)
    values = rows.order_by("found_at", "pk").values_list(
        "pk",
        "election_id",
        "election__code",
        "contest_id",
        "region_code",
        "area_code",
        "rule",
        "severity",
        "kind",
        "message",
        "status",
        "found_at",
    )
    return [FindingFact(*row) for row in values.iterator(5000)]


def recap_finding_shares(at: date, level: int) -> dict[str, float]:
    """Per region of ``level`` (1 provinsi … 4 desa): the percentage (0–100) of its TPS with at least one
    stored finding that is not dismissed, in the latest election (voting day on or before ``at``) with TPS
    results in each desa. TPS-level findings only (a 13-digit area code), any rule and kind; regions without
    TPS results are absent, so the index treats the indicator as missing there. Feeds the risk indicator
    ``temuan_rekap`` (``risk.sources``).

    Counted in the database (distinct TPS per election and desa), then summed from desa up to ``level``."""
    tps = (
        ResultRecord.objects.filter(tier=Tier.TPS, is_current=True, election__voting_date__lte=at)
        .values("election_id", "election__voting_date", "region_code")
        .annotate(n=Count("area_code", distinct=True))
    )
    latest: dict[str, tuple[date, int, int]] = {}  # desa → (voting day, election, TPS)
    for row in tps:
        desa, day = row["region_code"], row["election__voting_date"]
        if desa not in latest or day > latest[desa][0]:
            latest[desa] = (day, row["election_id"], row["n"])
    if not latest:
        return {}
    flagged = {
        (row["election_id"], row["region_code"]): row["n"]
        for row in RecapFinding.objects.filter(election__voting_date__lte=at, area_code__regex=r"^[0-9]{13}$")
        .exclude(status=FindingStatus.DISMISSED)
        .values("election_id", "region_code")
        .annotate(n=Count("area_code", distinct=True))
    }
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for desa, (_day, election, n) in latest.items():
        code = ".".join(desa.split(".")[:level])
        totals[code][0] += min(flagged.get((election, desa), 0), n)
        totals[code][1] += n
    return {code: 100.0 * bad / n for code, (bad, n) in totals.items() if n}
