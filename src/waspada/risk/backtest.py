"""Rolling-origin backtest of the forecast against two honest baselines — pure.

At every origin ``t`` from ``first`` to the panel's last period, the model is trained on the origins
before ``t`` only and forecasts period ``t``; the baselines are **no change** (the last period repeats:
probability 1 where it had an incident, else 0) and **historical rate** (the share of the region's past
periods with an incident). All forecasts are pooled and scored with the Brier score (lower is better),
the AUC-PR as average precision (higher is better) and a calibration table by deciles of the predicted
probability.

The model *beats* a baseline only when it is better on both scores and both differences hold in a
Poisson bootstrap over regions (at least 95 % of the resamples), so noise is not read as skill.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from waspada.risk.forecast import FloatArray, IntArray, Panel, features, fit_until

MODEL = "model"
NO_CHANGE = "no_change"
HISTORICAL = "historical_rate"
LABELS = {
    MODEL: "model (regresi logistik / logistic regression)",
    NO_CHANGE: "tanpa perubahan / no change",
    HISTORICAL: "laju historis / historical rate",
}
BOOTSTRAP = 200
CONFIDENCE = 0.95


def brier(p: npt.ArrayLike, y: npt.ArrayLike, w: npt.ArrayLike | None = None) -> float:
    p, y = np.asarray(p, np.float64), np.asarray(y, np.float64)
    return float(np.average((p - y) ** 2, weights=w)) if len(p) else float("nan")


def average_precision(p: npt.ArrayLike, y: npt.ArrayLike, w: npt.ArrayLike | None = None) -> float:
    """Area under the precision–recall curve as Σ (Rₙ − Rₙ₋₁)·Pₙ over the distinct thresholds (ties
    count together, as scikit-learn's ``average_precision_score``); NaN without positives."""
    p, y = np.asarray(p, np.float64), np.asarray(y, np.float64)
    weights = np.ones(len(p)) if w is None else np.asarray(w, np.float64)
    order = np.argsort(-p, kind="stable")
    p, y, weights = p[order], y[order], weights[order]
    tp = np.cumsum(y * weights)
    fp = np.cumsum((1 - y) * weights)
    if not len(p) or tp[-1] <= 0:
        return float("nan")
    last = np.r_[np.flatnonzero(p[1:] != p[:-1]), len(p) - 1]
    tp, fp = tp[last], fp[last]
    precision = tp / np.maximum(tp + fp, 1e-300)
    recall = tp / tp[-1]
    return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))


@dataclass
class CalibrationRow:
    decile: int
    count: int
    mean_predicted: float
    observed: float


def calibration_table(p: npt.ArrayLike, y: npt.ArrayLike, bins: int = 10) -> list[CalibrationRow]:
    """Forecasts sorted by probability and cut into ``bins`` groups of (nearly) equal size; ties may
    straddle a cut. Each row: count, mean predicted probability, observed share of incidents."""
    p, y = np.asarray(p, np.float64), np.asarray(y, np.float64)
    order = np.argsort(p, kind="stable")
    rows = []
    for d, idx in enumerate(np.array_split(order, bins), start=1):
        if len(idx):
            rows.append(CalibrationRow(d, len(idx), float(p[idx].mean()), float(y[idx].mean())))
    return rows


@dataclass
class MethodScore:
    brier: float
    auc_pr: float
    calibration: list[CalibrationRow]


@dataclass
class BacktestResult:
    origins: list[int]
    forecasts: int
    base_rate: float
    scores: dict[str, MethodScore]
    beats: dict[str, bool] = field(default_factory=dict)  # baseline → the model beats it

    @property
    def beats_no_change(self) -> bool:
        return self.beats.get(NO_CHANGE, False)


def _historical(panel: Panel, t: int) -> FloatArray:
    return np.asarray((np.asarray(panel.counts)[:, :t] > 0).mean(axis=1), dtype=np.float64)


def _beats(
    model: FloatArray, base: FloatArray, y: IntArray, region: IntArray, n_regions: int, seed: int
) -> bool:
    if not (brier(model, y) < brier(base, y) and average_precision(model, y) > average_precision(base, y)):
        return False
    rng = np.random.default_rng(seed)
    wins = 0
    for _ in range(BOOTSTRAP):
        w = rng.poisson(1.0, n_regions)[region].astype(np.float64)
        if w.sum() == 0:
            continue
        better_brier = brier(model, y, w) < brier(base, y, w)
        better_ap = average_precision(model, y, w) > average_precision(base, y, w)
        wins += int(better_brier and better_ap)
    return wins >= CONFIDENCE * BOOTSTRAP


def backtest(panel: Panel, *, first: int | None = None, seed: int = 0) -> BacktestResult:
    """Forecast every period from ``first`` (default: half the panel, at least 2) to the last."""
    periods = panel.n_periods
    first = max(2, periods // 2) if first is None else first
    if not 2 <= first < periods:
        raise ValueError(f"need at least 2 training periods before the first origin (periods: {periods})")
    origins = list(range(first, periods))
    preds: dict[str, list[FloatArray]] = {MODEL: [], NO_CHANGE: [], HISTORICAL: []}
    outcomes: list[IntArray] = []
    counts = np.asarray(panel.counts)
    for t in origins:
        model = fit_until(panel, t)
        preds[MODEL].append(model.predict(features(panel, t)))
        preds[NO_CHANGE].append((counts[:, t - 1] > 0).astype(np.float64))
        preds[HISTORICAL].append(_historical(panel, t))
        outcomes.append(panel.occurred(t))
    y = np.concatenate(outcomes)
    region = np.tile(np.arange(panel.n_regions), len(origins))
    pooled = {k: np.concatenate(v) for k, v in preds.items()}
    scores = {
        k: MethodScore(brier(p, y), average_precision(p, y), calibration_table(p, y))
        for k, p in pooled.items()
    }
    beats = {
        k: _beats(pooled[MODEL], pooled[k], y, region, panel.n_regions, seed) for k in (NO_CHANGE, HISTORICAL)
    }
    return BacktestResult(origins, len(y), float(y.mean()), scores, beats)


def _num(x: float) -> str:
    return "—" if np.isnan(x) else f"{x:.4f}"


def format_report(result: BacktestResult) -> str:
    """The backtest as text: scores per method, calibration tables, and the verdict in plain words."""
    lines = [
        f"Uji mundur / backtest: {len(result.origins)} titik asal / origins, {result.forecasts} prakiraan / "
        f"forecasts, laju dasar / base rate {result.base_rate:.3f}",
        "",
        f"{'metode / method':<50} {'Brier (↓)':>10} {'AUC-PR (↑)':>11}",
    ]
    for key, score in result.scores.items():
        lines.append(f"{LABELS[key]:<50} {_num(score.brier):>10} {_num(score.auc_pr):>11}")
    for key, score in result.scores.items():
        lines += ["", f"Tabel kalibrasi / calibration table — {LABELS[key]}"]
        lines.append(
            f"{'desil / decile':>14} {'n':>7} {'rata-rata prediksi / mean predicted':>36} "
            f"{'teramati / observed':>20}"
        )
        for row in score.calibration:
            lines.append(f"{row.decile:>14} {row.count:>7} {row.mean_predicted:>36.4f} {row.observed:>20.4f}")
    lines.append("")
    if result.beats_no_change:
        lines.append(
            'Model MENGALAHKAN baseline "tanpa perubahan" (Brier dan AUC-PR). / '
            'The model BEATS the "no change" baseline (Brier and AUC-PR).'
        )
    else:
        lines.append(
            'PERHATIAN: model TIDAK mengalahkan baseline "tanpa perubahan"; jangan andalkan prakiraannya. / '
            'WARNING: the model does NOT beat the "no change" baseline; do not rely on its forecast.'
        )
    if result.beats.get(HISTORICAL):
        lines.append("Model mengalahkan laju historis. / The model beats the historical rate.")
    else:
        lines.append("Model TIDAK mengalahkan laju historis. / The model does NOT beat the historical rate.")
    return "\n".join(lines)
