"""Gather the forecast panel of every kecamatan from the database (the shell around :mod:`forecast`).

Periods are :data:`~waspada.risk.forecast.PERIOD_DAYS` days long and the last one ends on ``at``
(inclusive). Counts are verified incidents (``Incident`` rows; demo/training ones only when asked) coded
to the kecamatan or one of its desa; incidents coded above a kecamatan are not counted. Index components
are the index's dimension scores of the kecamatan at the end of each period (read from that day's stored
snapshot when it covers every kecamatan, else computed); the news signal is zero until
the news pipeline stores findings; the stage risk of a period is the highest ``stage_risk`` of its days
over every election's stages. Neighbours come from the stored boundaries.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.utils import timezone

from waspada.elections import calendar
from waspada.elections.models import ElectionStage
from waspada.regions.lookup import geometry_version
from waspada.regions.models import Region
from waspada.reports.models import Incident
from waspada.risk import adjacency
from waspada.risk.compute import compute
from waspada.risk.config import IndexConfig
from waspada.risk.forecast import HORIZON_DAYS, PERIOD_DAYS, Panel
from waspada.risk.models import IndexSnapshot
from waspada.risk.sources import gather

KECAMATAN = 3


def _stage_risk(stages: list[ElectionStage], first: dt.date, days: int) -> float:
    return max(calendar.stage_risk(stages, first + dt.timedelta(days=d)) for d in range(days))


def _dimension_of(config: IndexConfig) -> dict[str, int]:
    return {
        ind.id: d
        for d, dim in enumerate(config.dimensions)
        for sub in dim.subdimensions
        for ind in sub.indicators
    }


def _stored_components(config: IndexConfig, at: dt.date, codes: list[str]) -> np.ndarray | None:
    """Dimension scores of each kecamatan from the snapshot stored for ``at`` under this configuration —
    the index as it was known that day — or None when that snapshot does not cover every kecamatan."""
    rows = IndexSnapshot.objects.filter(date=at, config_version=config.version, region__level=KECAMATAN)
    found = dict(rows.values_list("region_id", "contributions"))
    if not codes or any(code not in found for code in codes):
        return None
    dimension = _dimension_of(config)
    out = np.zeros((len(codes), len(config.dimensions)))
    for k, code in enumerate(codes):
        for ident, points in (found[code] or {}).items():
            d = dimension.get(ident)
            if d is not None:
                out[k, d] += float(points)
    return out


def _components(config: IndexConfig, at: dt.date, codes: list[str], include_simulated: bool) -> np.ndarray:
    """Dimension scores (points of the 0–100 score) of each kecamatan on ``at``: from the stored snapshot of
    that day when there is one (demo/training incidents are never in stored snapshots), else computed."""
    if not include_simulated:
        stored = _stored_components(config, at, codes)
        if stored is not None:
            return stored
    table, _names = gather(config, at, include_simulated=include_simulated)
    result = compute(table, config)
    row = {c: i for i, c in enumerate(result.codes)}
    sizes = [sum(len(s.indicators) for s in d.subdimensions) for d in config.dimensions]
    bounds = np.cumsum([0, *sizes])
    out = np.zeros((len(codes), len(sizes)))
    for k, code in enumerate(codes):
        i = row.get(code)
        if i is not None:
            c = result.contributions[i]
            out[k] = [c[bounds[d] : bounds[d + 1]].sum() for d in range(len(sizes))]
    return out


_adjacency_cache: dict[tuple[int, int], tuple[list[str], np.ndarray]] = {}


def kecamatan_neighbours(codes: list[str]) -> np.ndarray:
    """Neighbour pairs of the kecamatan (rows of ``codes``) from their stored boundaries; kept in memory
    until the boundaries change (``geometry_version``)."""
    key = (geometry_version(), len(codes))
    cached = _adjacency_cache.get(key)
    if cached is not None and cached[0] == codes:
        return cached[1]
    texts = dict(Region.objects.filter(level=KECAMATAN).values_list("code", "geometry"))
    pairs = adjacency.from_geojson_texts([texts.get(c) for c in codes])
    _adjacency_cache.clear()
    _adjacency_cache[key] = (list(codes), pairs)
    return pairs


def kecamatan_panel(
    config: IndexConfig, at: dt.date, periods: int, *, include_simulated: bool = False
) -> tuple[Panel, list[str], list[str]]:
    """The panel of every kecamatan for ``periods`` periods ending on ``at``, their codes and names."""
    rows = list(Region.objects.filter(level=KECAMATAN).order_by("code").values_list("code", "name"))
    codes = [r[0] for r in rows]
    position = {c: i for i, c in enumerate(codes)}
    pairs = kecamatan_neighbours(codes)
    first_day = at - dt.timedelta(days=periods * PERIOD_DAYS - 1)
    start = timezone.make_aware(dt.datetime.combine(first_day, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(at, dt.time.max))
    counts = np.zeros((len(codes), periods))
    incidents = Incident.objects.filter(occurred_at__gte=start, occurred_at__lte=end)
    if not include_simulated:
        incidents = incidents.filter(is_simulated=False)
    for region, occurred in incidents.values_list("region_id", "occurred_at"):
        kec = ".".join(region.split(".")[:KECAMATAN])
        if kec in position:
            day = timezone.localtime(occurred).date()
            counts[position[kec], min((day - first_day).days // PERIOD_DAYS, periods - 1)] += 1
    stages = list(ElectionStage.objects.all())
    period_starts = [first_day + dt.timedelta(days=t * PERIOD_DAYS) for t in range(periods)]
    stage = np.array([_stage_risk(stages, d, PERIOD_DAYS) for d in period_starts])
    future = _stage_risk(stages, at + dt.timedelta(days=1), HORIZON_DAYS)
    components = np.stack(
        [
            _components(config, d + dt.timedelta(days=PERIOD_DAYS - 1), codes, include_simulated)
            for d in period_starts
        ]
    )
    panel = Panel(
        counts=counts,
        pairs=pairs,
        components=components,
        news=None,
        stage=stage,
        component_names=tuple(d.id for d in config.dimensions),
        future_stage=future,
    )
    return panel, codes, [r[1] for r in rows]
