"""The background jobs the worker runs, each with how often it is due.

One registry so that each part (alerts, news polling, the index, situation reports) adds its job here
and the worker (``waspada worker``) runs them all. Each job is a dotted path to a function that takes
no arguments (or only keywords with defaults) and returns a small dict of counts for the worker's log.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any, Final


@dataclass(frozen=True, slots=True)
class Job:
    name: str
    target: str  # "package.module:function"
    every_seconds: float

    def load(self) -> Callable[..., Any]:
        module, _, attr = self.target.partition(":")
        return getattr(import_module(module), attr)  # type: ignore[no-any-return]


JOBS: Final[tuple[Job, ...]] = (
    Job("alerts.evaluate", "waspada.alerts.jobs:evaluate", 10),
    Job("alerts.escalate", "waspada.alerts.jobs:escalate", 10),
    Job("alerts.deliver", "waspada.alerts.jobs:deliver", 10),
    Job("alerts.prune", "waspada.alerts.worker:prune_tasks", 3600),
    Job("media.poll", "waspada.media.polling:poll_due_sources", 60),
    Job("risk.recompute", "waspada.risk.jobs:recompute_if_due", 300),
    Job("reporting.sitrep", "waspada.reporting.jobs:send_scheduled_sitreps", 300),
    Job("dashboard.warm-map", "waspada.dashboard.shapes:warm_default", 600),
)
