"""Gather the raw indicator values for a date from the database into a :class:`RegionTable`.

Values are gathered at the configuration's input level (desa by default). A value known at a higher
level — a static table per kabupaten, a contest of a kabupaten, an incident coded to a kecamatan — is
given to every region of the input level below it; incidents coded to a desa count only there.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from django.utils import timezone

from waspada import taxonomy
from waspada.elections import pasal158
from waspada.elections.models import Contest
from waspada.regions.models import Region
from waspada.reports.models import Incident, Report, ReportStatus
from waspada.risk.compute import RegionTable
from waspada.risk.config import (
    CalendarSource,
    ElectionSource,
    IncidentSource,
    IndexConfig,
    NewsSource,
    ReportSource,
    StaticSource,
)
from waspada.risk.models import StaticIndicatorValue

PRESENCE_THRESHOLD = 0.25
KILLED_FACTOR = 3.0


def pasal158_threshold_pct(level: int, population: float | None) -> float | None:
    """The largest margin (percent of valid votes) that may be disputed at the MK (Pasal 158 UU 10/2016)."""
    if population is None or population <= 0:
        return None
    return float(pasal158.threshold("provinsi" if level == 1 else "kabkota", int(population)).percent)


def _prefixes(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


@dataclass
class _Contest:
    region: str
    voting_date: dt.date
    values: dict[str, float]


def _contest_facts(contest: Contest, population: float | None, level: int) -> dict[str, float]:
    nan = math.nan
    votes = sorted((c.votes or 0 for c in contest.candidates.all()), reverse=True)
    valid = contest.valid_votes or sum(votes)
    margin = 100.0 * (votes[0] - votes[1]) / valid if len(votes) >= 2 and valid else nan
    threshold = pasal158_threshold_pct(level, population)
    cast = (contest.valid_votes or 0) + (contest.invalid_votes or 0)
    return {
        "margin_pct": margin,
        "mk_eligible": nan if math.isnan(margin) or threshold is None else float(margin <= threshold),
        "single_candidate": float(contest.single_candidate),
        "mk_case": float(bool(contest.mk_case.strip())),
        "turnout_pct": 100.0 * cast / contest.dpt if contest.dpt and cast else nan,
        "invalid_pct": 100.0 * (contest.invalid_votes or 0) / cast
        if cast and contest.invalid_votes is not None
        else nan,
        "recap_findings": nan,  # findings are not stored in the database yet
    }


_COMBINE = {
    "margin_pct": min,
    "turnout_pct": min,
    "invalid_pct": max,
    "mk_eligible": max,
    "single_candidate": max,
    "mk_case": max,
    "recap_findings": max,
}


def _decay(age_days: float, half_life: float) -> float:
    return float(0.5 ** (max(age_days, 0.0) / half_life))


def _end_of_day(at: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(at, dt.time.max))


def gather(
    config: IndexConfig, at: dt.date, *, include_simulated: bool = False
) -> tuple[RegionTable, list[str]]:
    """The table of every region in the database (with raw values at the input level) and their names."""
    rows = list(
        Region.objects.order_by("code").values_list("code", "parent_id", "level", "population", "name")
    )
    codes = [r[0] for r in rows]
    level_of = {r[0]: r[2] for r in rows}
    population_of = {r[0]: (float(r[3]) if r[3] is not None else None) for r in rows}
    input_level = config.index.input_level
    rows = [r for r in rows if r[2] <= input_level]
    codes = [r[0] for r in rows]
    inputs = [i for i, r in enumerate(rows) if r[2] == input_level]
    prefixes = {i: _prefixes(codes[i]) for i in inputs}
    indicators = config.indicators
    values = np.full((len(rows), len(indicators)), np.nan)
    end = _end_of_day(at)
    start = end - dt.timedelta(days=config.index.window_days)
    half_life = config.index.half_life_days

    static = defaultdict(dict)
    static_ids = [ind.id for ind in indicators if isinstance(ind.source, StaticSource)]
    for ident, region, value in StaticIndicatorValue.objects.filter(indicator__in=static_ids).values_list(
        "indicator", "region_id", "value"
    ):
        static[ident][region] = value

    incidents = list(
        Incident.objects.filter(occurred_at__gt=start, occurred_at__lte=end)
        .filter(**({} if include_simulated else {"is_simulated": False}))
        .values_list("region_id", "event_type", "occurred_at", "killed", "injured")
    )
    reports = list(
        Report.objects.filter(
            occurred_at__gt=start,
            occurred_at__lte=end,
            status__in=[ReportStatus.BARU, ReportStatus.PERLU_KLARIFIKASI],
        ).values_list("region_id", "event_type", "occurred_at")
    )

    contests: list[_Contest] = []
    for contest in (
        Contest.objects.filter(election__voting_date__lte=at)
        .select_related("election")
        .prefetch_related("candidates")
    ):
        region = contest.region_id
        contests.append(
            _Contest(
                region,
                contest.election.voting_date,
                _contest_facts(contest, population_of.get(region), level_of.get(region, 2)),
            )
        )
    contests_by_region: dict[str, list[_Contest]] = defaultdict(list)
    for c in contests:
        contests_by_region[c.region].append(c)

    def covering(i: int) -> list[_Contest]:
        found = [c for p in prefixes[i] for c in contests_by_region.get(p, [])]
        if not found:
            return []
        latest = max(c.voting_date for c in found)
        return [c for c in found if c.voting_date == latest]

    for j, ind in enumerate(indicators):
        src = ind.source
        if isinstance(src, StaticSource):
            table = static[ind.id]
            for i in inputs:
                code = prefixes[i][src.level - 1] if len(prefixes[i]) >= src.level else None
                if code in table:
                    values[i, j] = table[code]
        elif isinstance(src, IncidentSource):
            by_region = _incident_weights(src, incidents, end, half_life)
            for i in inputs:
                total = sum(by_region.get(p, 0.0) for p in prefixes[i])
                values[i, j] = float(total >= PRESENCE_THRESHOLD) if src.measure == "presence" else total
        elif isinstance(src, ReportSource):
            wanted = set(src.event_types)
            by_region = defaultdict(float)
            for region, event_type, occurred in reports:
                if not wanted or event_type in wanted:
                    by_region[region] += _decay((end - occurred).total_seconds() / 86400, half_life)
            for i in inputs:
                values[i, j] = sum(by_region.get(p, 0.0) for p in prefixes[i])
        elif isinstance(src, NewsSource):
            continue  # missing until the news pipeline stores findings
        elif isinstance(src, ElectionSource):
            combine = _COMBINE[src.measure]
            for i in inputs:
                facts = [c.values[src.measure] for c in covering(i)]
                facts = [f for f in facts if not math.isnan(f)]
                if facts:
                    values[i, j] = combine(facts)
        elif isinstance(src, CalendarSource):
            for i in inputs:
                days = [(at - c.voting_date).days for c in covering(i)]
                values[i, j] = float(any(0 <= d <= src.window_days for d in days))
    table = RegionTable(
        codes=codes,
        parent_codes=[r[1] for r in rows],
        levels=[r[2] for r in rows],
        population=[np.nan if r[3] is None else float(r[3]) for r in rows],
        indicator_ids=config.indicator_ids,
        values=values,
        names=[r[4] for r in rows],
    )
    return table, [r[4] for r in rows]


def _incident_weights(
    src: IncidentSource,
    incidents: Iterable[tuple[str, str, dt.datetime, int, int]],
    end: dt.datetime,
    half_life: float,
) -> dict[str, float]:
    wanted = set(src.event_types)
    out: dict[str, float] = defaultdict(float)
    for region, event_type, occurred, killed, injured in incidents:
        if wanted and event_type not in wanted:
            continue
        if not taxonomy.is_event_type(event_type):
            continue
        kind = taxonomy.get_event_type(event_type)
        if src.violent_only and not kind.is_violent:
            continue
        decay = _decay((end - occurred).total_seconds() / 86400, half_life)
        if src.measure == "severity":
            amount = float(kind.severity)
        elif src.measure == "casualties":
            amount = KILLED_FACTOR * killed + injured
        else:
            amount = 1.0
        out[region] += decay * amount
    return out
