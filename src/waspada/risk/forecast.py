"""The short-horizon forecast: P(≥ 1 verified incident in a kecamatan within the next 14 days) — pure.

Time is cut into periods of :data:`PERIOD_DAYS` days. A :class:`Panel` holds, per region and period, the
count of verified incidents, and optionally the index components (e.g. the dimension scores), a news
signal (may be all zero) and the calendar's stage risk for the period (``waspada.elections.calendar.
stage_risk``). The forecast made at origin ``t`` (the start of period ``t``) uses only periods before
``t`` and predicts whether period ``t`` has an incident. Features, all vectorised:

- the index components at the origin (those of period ``t - 1``);
- incidents in the region in the last period, and over the last :data:`LONG_PERIODS` periods;
- incidents in its neighbours (adjacency from the boundaries, :mod:`waspada.risk.adjacency`) in the last
  period, and over the last :data:`LONG_PERIODS` periods;
- the news signal of the last period; the calendar stage risk of the coming period (the calendar is
  known in advance).

The model is a logistic regression (scikit-learn, standardised features, L2): fitted by log-loss, so its
probabilities are calibrated on the data it learns from. :func:`naive_forecast` computes the same
forecast one region at a time in plain Python: the benchmark's baseline.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

PERIOD_DAYS = 14
HORIZON_DAYS = 14
LONG_PERIODS = 4
BASE_FEATURES = (
    "own_last",
    "own_recent",
    "neighbours_last",
    "neighbours_recent",
    "news_last",
    "stage_risk",
)


@dataclass
class Panel:
    """Regions × periods. ``counts`` (n, T) verified incidents; ``components`` (T, n, k) or None;
    ``news`` (n, T) or None (= zero); ``stage`` (T,) stage risk of each period or None (= zero);
    ``pairs`` (m, 2) neighbouring regions (row numbers)."""

    counts: npt.ArrayLike
    pairs: npt.ArrayLike
    components: npt.ArrayLike | None = None
    news: npt.ArrayLike | None = None
    stage: npt.ArrayLike | None = None
    component_names: tuple[str, ...] = ()
    future_stage: float | None = None  # stage risk of the period after the last (default: the last's)

    def __post_init__(self) -> None:
        self.counts = np.asarray(self.counts, dtype=np.float64)
        if self.counts.ndim != 2:
            raise ValueError("counts must be regions × periods")
        n, t = self.counts.shape
        self.pairs = np.asarray(self.pairs, dtype=np.int64).reshape(-1, 2)
        if len(self.pairs) and (self.pairs.min() < 0 or self.pairs.max() >= n):
            raise ValueError("neighbour pairs refer to rows outside the panel")
        comp = np.zeros((t, n, 0)) if self.components is None else np.asarray(self.components, np.float64)
        if comp.shape[:2] != (t, n):
            raise ValueError(f"components must be periods × regions × k, got {comp.shape}")
        self.components = comp
        self.news = np.zeros((n, t)) if self.news is None else np.asarray(self.news, dtype=np.float64)
        self.stage = np.zeros(t) if self.stage is None else np.asarray(self.stage, dtype=np.float64)
        if self.news.shape != (n, t) or self.stage.shape != (t,):
            raise ValueError("news must be regions × periods and stage one value per period")

    @property
    def n_regions(self) -> int:
        return int(np.shape(self.counts)[0])

    @property
    def n_periods(self) -> int:
        return int(np.shape(self.counts)[1])

    @property
    def feature_names(self) -> tuple[str, ...]:
        return tuple(f"index_{c}" for c in self.component_names) + BASE_FEATURES

    def occurred(self, t: int) -> IntArray:
        """1 where period ``t`` had at least one incident."""
        return (np.asarray(self.counts)[:, t] > 0).astype(np.int64)


def neighbour_sum(values: FloatArray, pairs: IntArray) -> FloatArray:
    """For each region, the sum of ``values`` over its neighbours (``values`` may be (n,) or (n, k))."""
    out = np.zeros_like(values, dtype=np.float64)
    if len(pairs):
        np.add.at(out, pairs[:, 0], values[pairs[:, 1]])
        np.add.at(out, pairs[:, 1], values[pairs[:, 0]])
    return out


def _stage_next(panel: Panel, t: int) -> float:
    stage = np.asarray(panel.stage)
    if t < panel.n_periods:
        return float(stage[t])
    return float(stage[t - 1] if panel.future_stage is None else panel.future_stage)


def features(panel: Panel, t: int) -> FloatArray:
    """The (n, f) feature matrix of the forecast made at origin ``t`` (1 ≤ t ≤ T; t = T forecasts the
    period after the last one, whose stage risk is ``future_stage``, else that of period T - 1)."""
    if not 1 <= t <= panel.n_periods:
        raise ValueError(f"origin {t} outside 1..{panel.n_periods}")
    counts = np.asarray(panel.counts)
    pairs = np.asarray(panel.pairs)
    last = counts[:, t - 1]
    recent = counts[:, max(0, t - LONG_PERIODS) : t].sum(axis=1)
    both = neighbour_sum(np.column_stack([last, recent]), pairs)
    stage_next = _stage_next(panel, t)
    comp = np.asarray(panel.components)[t - 1]
    news = np.asarray(panel.news)[:, t - 1]
    return np.column_stack(
        [comp, last, recent, both[:, 0], both[:, 1], news, np.full(panel.n_regions, stage_next)]
    )


def training_set(panel: Panel, origins: range) -> tuple[FloatArray, IntArray]:
    """Stacked features and outcomes of the forecasts at every origin in ``origins`` (each < T)."""
    xs = [features(panel, t) for t in origins]
    ys = [panel.occurred(t) for t in origins]
    return np.vstack(xs), np.concatenate(ys)


@dataclass
class ForecastModel:
    """A standardised logistic regression; degenerate training data (one class) gives its rate."""

    mean: FloatArray
    scale: FloatArray
    coef: FloatArray
    intercept: float

    @classmethod
    def fit(cls, x: FloatArray, y: IntArray, *, c: float = 1.0) -> ForecastModel:
        scaler = StandardScaler().fit(x)
        mean = np.asarray(scaler.mean_, dtype=np.float64)
        scale = np.asarray(scaler.scale_, dtype=np.float64)
        if len(np.unique(y)) < 2:
            rate = float(np.clip(np.mean(y) if len(y) else 0.0, 1e-4, 1 - 1e-4))
            return cls(mean, scale, np.zeros(x.shape[1]), math.log(rate / (1 - rate)))
        reg = LogisticRegression(C=c, max_iter=1000).fit(scaler.transform(x), y)
        return cls(mean, scale, np.asarray(reg.coef_[0], dtype=np.float64), float(reg.intercept_[0]))

    def predict(self, x: FloatArray) -> FloatArray:
        z = ((x - self.mean) / self.scale) @ self.coef + self.intercept
        return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)


def fit_until(panel: Panel, t: int, *, min_origin: int = 1) -> ForecastModel:
    """The model trained on every origin before ``t`` (outcomes known by then)."""
    x, y = training_set(panel, range(min_origin, t))
    return ForecastModel.fit(x, y)


def forecast(panel: Panel, *, min_origin: int = 1) -> FloatArray:
    """P(≥ 1 incident in the period after the panel's last one), per region: trained on all of it."""
    model = fit_until(panel, panel.n_periods, min_origin=min_origin)
    return model.predict(features(panel, panel.n_periods))


# --- The baseline: one region at a time ---------------------------------------------------------------


def naive_forecast(panel: Panel, model: ForecastModel, t: int) -> list[float]:
    """The same probabilities as ``model.predict(features(panel, t))``, one region at a time."""
    counts = np.asarray(panel.counts).tolist()
    neighbours: dict[int, list[int]] = {}
    for a, b in np.asarray(panel.pairs).tolist():
        neighbours.setdefault(a, []).append(b)
        neighbours.setdefault(b, []).append(a)
    comp = np.asarray(panel.components)[t - 1].tolist()
    news = np.asarray(panel.news)[:, t - 1].tolist()
    stage_next = _stage_next(panel, t)
    start = max(0, t - LONG_PERIODS)
    mean, scale, coef = model.mean.tolist(), model.scale.tolist(), model.coef.tolist()
    out = []
    for i in range(panel.n_regions):
        row = counts[i]
        nb = neighbours.get(i, [])
        x = [
            *comp[i],
            row[t - 1],
            sum(row[start:t]),
            sum(counts[j][t - 1] for j in nb),
            sum(sum(counts[j][start:t]) for j in nb),
            news[i],
            stage_next,
        ]
        z = model.intercept + sum((v - m) / s * w for v, m, s, w in zip(x, mean, scale, coef, strict=True))
        out.append(1.0 / (1.0 + math.exp(-z)))
    return out
