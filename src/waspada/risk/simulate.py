"""A simulated incident history with a known generating process, for tests and the demo — pure.

Regions sit on a ``rows × cols`` grid (neighbours share a side). Each region has a latent vulnerability
``v`` (standard normal); the index components the model sees are ``v`` plus noise. The calendar runs in
cycles: a quiet stretch, then a few high-risk periods (voting, recapitulation, disputes). In each period
a region has at least one verified incident with probability

    sigmoid(intercept + a·v + b·(incidents in its neighbours last period) + c·(own incident last
    period) + d·stage risk)

and the count is 1 + Poisson(0.5) when it has one. ``signal=False`` draws every region and period with
the same probability and components unrelated to it: pure noise, where no model can beat chance.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from waspada.risk.forecast import Panel, neighbour_sum


@dataclass(frozen=True)
class Process:
    intercept: float = -3.0
    latent: float = 1.2
    contagion: float = 0.6
    persistence: float = 0.8
    stage: float = 2.5
    noise_rate: float = 0.12


def grid_pairs(rows: int, cols: int) -> np.ndarray:
    idx = np.arange(rows * cols).reshape(rows, cols)
    right = np.column_stack([idx[:, :-1].ravel(), idx[:, 1:].ravel()])
    down = np.column_stack([idx[:-1, :].ravel(), idx[1:, :].ravel()])
    return np.vstack([right, down]).astype(np.int64)


def stage_cycle(periods: int, *, cycle: int = 12, peak: tuple[float, ...] = (0.9, 0.8, 0.6)) -> np.ndarray:
    """Stage risk per period: 0.1 on quiet periods, then ``peak`` at the end of each ``cycle``."""
    stage = np.full(periods, 0.1)
    for start in range(cycle - len(peak), periods, cycle):
        span = stage[start : start + len(peak)]
        span[:] = peak[: len(span)]
    return stage


def simulate(
    *,
    rows: int = 12,
    cols: int = 12,
    periods: int = 48,
    seed: int = 0,
    signal: bool = True,
    process: Process = Process(),  # noqa: B008 - frozen
) -> Panel:
    rng = np.random.default_rng(seed)
    n = rows * cols
    pairs = grid_pairs(rows, cols)
    stage = stage_cycle(periods)
    latent = rng.standard_normal(n)
    components = (latent[None, :, None] + 0.5 * rng.standard_normal((periods, n, 2))).astype(np.float64)
    counts = np.zeros((n, periods))
    occurred = np.zeros(n)
    for t in range(periods):
        if signal:
            z = (
                process.intercept
                + process.latent * latent
                + process.contagion * neighbour_sum(occurred, pairs)
                + process.persistence * occurred
                + process.stage * stage[t]
            )
            p = 1.0 / (1.0 + np.exp(-z))
        else:
            p = np.full(n, process.noise_rate)
        occurred = (rng.random(n) < p).astype(np.float64)
        counts[:, t] = occurred * (1 + rng.poisson(0.5, n))
    if not signal:
        components = rng.standard_normal((periods, n, 2))
    return Panel(
        counts=counts,
        pairs=pairs,
        components=components,
        stage=stage,
        component_names=("latent_a", "latent_b"),
    )
