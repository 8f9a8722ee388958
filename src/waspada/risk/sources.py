"""Gather the raw indicator values for a date from the database into a :class:`RegionTable`.

Values are gathered at the configuration's input level (desa by default). A value known at a higher
level — a static table per kabupaten, a contest of a kabupaten, an incident coded to a kecamatan — is
given to every region of the input level below it; incidents coded to a desa count only there.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from django.utils import timezone

from waspada import taxonomy
from waspada.elections import pasal158
from waspada.elections.models import Contest
from waspada.elections.queries import recap_finding_shares  # the elections app's query for the index
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
        "recap_findings": nan,  # per desa from stored findings: recap_finding_shares
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


class _Tree:
    """The rows of the table and, for every row at the input level, the row of its ancestor at each level
    (``anc[:, l - 1]`` for level ``l``; -1 where missing), so a value known at any level is handed down to
    the input level with one vectorised lookup."""

    def __init__(self, codes: list[str], parents: list[str | None], levels: np.ndarray, input_level: int):
        self.position = {code: i for i, code in enumerate(codes)}
        self.n = len(codes)
        self.input_level = input_level
        parent_row = np.fromiter(
            (self.position.get(p, -1) if p else -1 for p in parents), dtype=np.int64, count=self.n
        )
        self.inputs = np.flatnonzero(levels == input_level)
        self.anc = np.full((len(self.inputs), input_level), -1, dtype=np.int64)
        current = self.inputs.copy()
        for level in range(input_level, 0, -1):
            at_level = (current >= 0) & (levels[np.maximum(current, 0)] == level)
            self.anc[:, level - 1] = np.where(at_level, current, -1)
            current = np.where(at_level, parent_row[np.maximum(current, 0)], current)

    def row_of(self, code: str) -> int:
        """The row of ``code``, or of its ancestor at the input level when it is deeper; -1 if unknown."""
        parts = code.split(".")
        if len(parts) > self.input_level:
            code = ".".join(parts[: self.input_level])
        return self.position.get(code, -1)

    def summed(self, by_code: Mapping[str, float]) -> np.ndarray:
        """Per row, the sum of the values of its code (and of codes below the input level under it)."""
        out = np.zeros(self.n)
        for code, value in by_code.items():
            row = self.row_of(code)
            if row >= 0:
                out[row] += value
        return out

    def placed(self, by_code: Mapping[str, float]) -> np.ndarray:
        """Per row, the value of its own code (NaN without one)."""
        out = np.full(self.n, np.nan)
        for code, value in by_code.items():
            row = self.position.get(code, -1)
            if row >= 0:
                out[row] = value
        return out

    def take(self, per_row: np.ndarray, level: int, fill: float = np.nan) -> np.ndarray:
        """For each input row, the value of its ancestor at ``level`` (``fill`` where it has none)."""
        rows = self.anc[:, level - 1]
        return np.where(rows >= 0, per_row[np.maximum(rows, 0)], fill)

    def down_sum(self, per_row: np.ndarray) -> np.ndarray:
        """For each input row, the sum of ``per_row`` over itself and its ancestors."""
        total = np.zeros(len(self.inputs))
        for level in range(1, self.input_level + 1):
            total += self.take(per_row, level, 0.0)
        return total


def _latest_contests(contests: list[_Contest], tree: _Tree) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Per row: the ordinal of its latest voting day (-1 without a contest) and, per measure, the facts of
    its contests on that day combined (NaN when none is known)."""
    date_row = np.full(tree.n, -1, dtype=np.int64)
    by_row: dict[int, list[_Contest]] = defaultdict(list)
    for c in contests:
        row = tree.position.get(c.region, -1)
        if row >= 0:
            by_row[row].append(c)
    facts = {measure: np.full(tree.n, np.nan) for measure in _COMBINE}
    for row, found in by_row.items():
        latest = max(c.voting_date for c in found)
        date_row[row] = latest.toordinal()
        for measure, combine in _COMBINE.items():
            known = [c.values[measure] for c in found if c.voting_date == latest]
            known = [f for f in known if not math.isnan(f)]
            if known:
                facts[measure][row] = combine(known)
    return date_row, facts


def gather(
    config: IndexConfig, at: dt.date, *, include_simulated: bool = False
) -> tuple[RegionTable, list[str]]:
    """The table of every region in the database (with raw values at the input level) and their names.

    Vectorised: each source is first summed or placed per region row, then handed down to the input level
    through the ancestor matrix of :class:`_Tree`."""
    rows = list(
        Region.objects.order_by("code").values_list("code", "parent_id", "level", "population", "name")
    )
    level_of = {r[0]: r[2] for r in rows}
    population_of = {r[0]: (float(r[3]) if r[3] is not None else None) for r in rows}
    input_level = config.index.input_level
    rows = [r for r in rows if r[2] <= input_level]
    codes = [r[0] for r in rows]
    levels = np.fromiter((r[2] for r in rows), dtype=np.int64, count=len(rows))
    tree = _Tree(codes, [r[1] for r in rows], levels, input_level)
    inputs = tree.inputs
    indicators = config.indicators
    values = np.full((len(rows), len(indicators)), np.nan)
    end = _end_of_day(at)
    start = end - dt.timedelta(days=config.index.window_days)
    half_life = config.index.half_life_days

    static: dict[str, dict[str, float]] = defaultdict(dict)
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

    contests = [
        _Contest(
            contest.region_id,
            contest.election.voting_date,
            _contest_facts(contest, population_of.get(contest.region_id), level_of.get(contest.region_id, 2)),
        )
        for contest in Contest.objects.filter(election__voting_date__lte=at)
        .select_related("election")
        .prefetch_related("candidates")
    ]
    date_row, fact_rows = _latest_contests(contests, tree)
    # The contests covering an input row: those of the latest voting day among it and its ancestors.
    dates = np.column_stack([tree.take(date_row, lv, -1) for lv in range(1, input_level + 1)])
    latest = dates.max(axis=1) if len(inputs) else np.zeros(0, dtype=np.int64)
    covered = (dates == latest[:, None]) & (latest[:, None] >= 0)

    for j, ind in enumerate(indicators):
        src = ind.source
        if isinstance(src, StaticSource):
            values[inputs, j] = tree.take(tree.placed(static[ind.id]), src.level)
        elif isinstance(src, IncidentSource):
            total = tree.down_sum(tree.summed(_incident_weights(src, incidents, end, half_life)))
            values[inputs, j] = (
                (total >= PRESENCE_THRESHOLD).astype(float) if src.measure == "presence" else total
            )
        elif isinstance(src, ReportSource):
            wanted = set(src.event_types)
            by_region: dict[str, float] = defaultdict(float)
            for region, event_type, occurred in reports:
                if not wanted or event_type in wanted:
                    by_region[region] += _decay((end - occurred).total_seconds() / 86400, half_life)
            values[inputs, j] = tree.down_sum(tree.summed(by_region))
        elif isinstance(src, NewsSource):
            continue  # missing until the news pipeline stores findings
        elif isinstance(src, ElectionSource) and src.measure == "recap_findings":
            values[inputs, j] = tree.take(tree.placed(recap_finding_shares(at, input_level)), input_level)
        elif isinstance(src, ElectionSource):
            per_level = np.column_stack(
                [tree.take(fact_rows[src.measure], lv) for lv in range(1, input_level + 1)]
            )
            reduce = np.fmin if _COMBINE[src.measure] is min else np.fmax
            values[inputs, j] = reduce.reduce(np.where(covered, per_level, np.nan), axis=1)
        elif isinstance(src, CalendarSource):
            age = at.toordinal() - latest
            values[inputs, j] = ((latest >= 0) & (age >= 0) & (age <= src.window_days)).astype(float)
    table = RegionTable(
        codes=codes,
        parent_codes=[r[1] for r in rows],
        levels=levels,
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
