"""The plain data alert rules read and write. Pure: no Django, no database.

The Django shell (:mod:`waspada.alerts.sources`) turns incidents, reports, index snapshots, contests,
recap findings and response actions into these records; :mod:`waspada.alerts.rules` turns them into
*situations*, each of which should raise exactly one alert.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class IncidentFact:
    id: int
    region_code: str
    event_type: str
    verified_at: datetime
    killed: int = 0
    injured: int = 0


@dataclass(frozen=True, slots=True)
class ReportFact:
    """A report: ``trusted`` when its reporter is registered and trusted (or it came from a staff account)."""

    id: int
    region_code: str
    channel: str
    urgency: str
    created_at: datetime
    trusted: bool = False


@dataclass(frozen=True, slots=True)
class ContestFact:
    """A contest with its Pasal 158 standing: ``ratio`` is the closest loser's margin over the threshold
    (≤ 1: the loser may file at the MK); None when the margins cannot be computed."""

    id: int
    region_code: str
    label: str
    ratio: float | None = None
    mk_case: str = ""
    summary: str = ""


@dataclass(frozen=True, slots=True)
class FindingFact:
    """One recapitulation finding (severity ``error`` / ``warning`` / ``info``)."""

    id: int
    election_id: int
    region_code: str
    rule: str
    severity: str
    found_at: datetime


@dataclass(frozen=True, slots=True)
class ActionFact:
    """A response action that is not finished (planned or in progress), with its due date."""

    id: int
    region_code: str
    kind: str
    due_date: date


@dataclass(frozen=True, slots=True)
class Facts:
    """Everything one evaluation round reads; each rule kind takes the part it needs."""

    incidents: Sequence[IncidentFact] = ()
    reports: Sequence[ReportFact] = ()
    category_previous: Mapping[str, str] = field(default_factory=dict)
    category_current: Mapping[str, str] = field(default_factory=dict)
    category_date: str = ""
    contests: Sequence[ContestFact] = ()
    findings: Sequence[FindingFact] = ()
    actions: Sequence[ActionFact] = ()
    today: date | None = None


@dataclass(frozen=True, slots=True)
class RuleSpec:
    id: int
    kind: str
    params: Mapping[str, object]
    scope_code: str = ""  # empty = the whole country
    level: int | None = None  # region level the rule groups at (1..4); None = the kind's default
    cooldown_minutes: int = 60


@dataclass(frozen=True, slots=True)
class Situation:
    """What one alert stands for. ``group_key`` names the situation; ``evidence`` holds the ids (of
    ``evidence_kind``: incidents, reports, contests, findings, actions) that make it up."""

    rule_id: int
    region_code: str
    group_key: str
    evidence: tuple[int, ...]
    summary: str = ""
    evidence_kind: str = "incidents"
    detail: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Recent:
    """An alert already raised for a rule: its key, when, whether it is still open, and its evidence ids."""

    group_key: str
    created_at: datetime
    open: bool = True
    evidence: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class Outcome:
    """``new``: situations that raise an alert. ``grown``: situations whose alert is still open and that
    gained evidence (the open alert takes it in instead of a second alert being raised)."""

    new: list[Situation]
    grown: list[Situation]


def covers(scope: str, code: str) -> bool:
    return not scope or code == scope or code.startswith(scope + ".")


def ancestor(code: str, level: int) -> str:
    """The code of ``code``'s region at ``level`` (1 provinsi … 4 desa); the code itself when it is higher."""
    parts = code.split(".")
    return ".".join(parts[: max(1, min(level, len(parts)))])


def level_of(code: str) -> int:
    return len(code.split(".")) if code else 0
