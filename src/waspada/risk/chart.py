"""The geometry of a region's score-history chart, drawn by the region page as inline SVG — pure.

No JavaScript and no chart library: this module turns the snapshots into coordinates (a line path broken
where a score is missing, one mark per snapshot, axis ticks, the category bands behind the line, and a
dashed rule where the configuration version changes); the template writes the ``<svg>`` with a
``<title>``/``<desc>`` and a data table as its accessible fallback.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

MARGIN_LEFT = 34.0
MARGIN_RIGHT = 12.0
MARGIN_TOP = 8.0
MARGIN_BOTTOM = 24.0
Y_TICKS = (0, 25, 50, 75, 100)
MAX_X_TICKS = 5


@dataclass(frozen=True, slots=True)
class HistoryPoint:
    date: dt.date
    score: float | None
    category: str
    config_version: str


@dataclass(frozen=True, slots=True)
class Mark:
    x: float
    y: float
    point: HistoryPoint


@dataclass(frozen=True, slots=True)
class Tick:
    pos: float
    label: str


@dataclass(frozen=True, slots=True)
class Band:
    category: str
    y: float
    height: float


@dataclass(frozen=True, slots=True)
class HistoryChart:
    width: float
    height: float
    left: float
    top: float
    right: float
    bottom: float
    path: str
    marks: tuple[Mark, ...]
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]
    bands: tuple[Band, ...]
    version_changes: tuple[float, ...]
    first: dt.date
    last: dt.date

    @property
    def plot_width(self) -> float:
        return _r(self.right - self.left)

    @property
    def plot_height(self) -> float:
        return _r(self.bottom - self.top)


def _r(value: float) -> float:
    return round(value, 1)


def history_chart(
    points: Sequence[HistoryPoint],
    thresholds: Sequence[tuple[str, float]],
    *,
    width: float = 640.0,
    height: float = 200.0,
) -> HistoryChart | None:
    """The chart of ``points`` (any order; one per date), or None without any point.

    ``thresholds`` are the categories as ``(code, minimum score)``, lowest first."""
    pts = sorted(points, key=lambda p: p.date)
    if not pts:
        return None
    left, top = MARGIN_LEFT, MARGIN_TOP
    right, bottom = width - MARGIN_RIGHT, height - MARGIN_BOTTOM
    first, last = pts[0].date, pts[-1].date
    span = (last - first).days

    def x_of(day: dt.date) -> float:
        if span == 0:
            return _r((left + right) / 2)
        return _r(left + (day - first).days / span * (right - left))

    def y_of(score: float) -> float:
        clipped = min(max(score, 0.0), 100.0)
        return _r(top + (1 - clipped / 100.0) * (bottom - top))

    marks = tuple(Mark(x_of(p.date), y_of(p.score), p) for p in pts if p.score is not None)
    segments: list[str] = []
    pen_down = False
    for p in pts:
        if p.score is None:
            pen_down = False
            continue
        segments.append(f"{'L' if pen_down else 'M'}{x_of(p.date)} {y_of(p.score)}")
        pen_down = True
    x_ticks: tuple[Tick, ...]
    if span == 0:
        x_ticks = (Tick(x_of(first), first.isoformat()),)
    else:
        count = min(MAX_X_TICKS, len(pts))
        days = sorted({first + dt.timedelta(days=round(span * i / max(count - 1, 1))) for i in range(count)})
        x_ticks = tuple(Tick(x_of(d), d.isoformat()) for d in days)
    ordered = sorted(thresholds, key=lambda t: t[1])
    bands = []
    for i, (code, low) in enumerate(ordered):
        high = ordered[i + 1][1] if i + 1 < len(ordered) else 100.0
        if high <= low:
            continue
        bands.append(Band(code, y_of(high), _r(y_of(low) - y_of(high))))
    changes = tuple(
        _r((x_of(a.date) + x_of(b.date)) / 2)
        for a, b in zip(pts, pts[1:], strict=False)
        if a.config_version != b.config_version
    )
    return HistoryChart(
        width=width,
        height=height,
        left=left,
        top=top,
        right=right,
        bottom=bottom,
        path=" ".join(segments),
        marks=marks,
        y_ticks=tuple(Tick(y_of(v), str(v)) for v in Y_TICKS),
        x_ticks=x_ticks,
        bands=tuple(bands),
        version_changes=changes,
        first=first,
        last=last,
    )
