"""Alert rule evaluation and escalation timing. Pure: plain data in, plain data out; no Django.

A *situation* is what one alert stands for. Each situation has a ``group_key``; an alert already open (or
raised within the rule's cooldown) for the same key suppresses a new one, so one situation raises one alert.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

CATEGORY_ORDER: dict[str, int] = {"rendah": 0, "sedang": 1, "tinggi": 2}


@dataclass(frozen=True, slots=True)
class IncidentFact:
    id: int
    region_code: str
    event_type: str
    verified_at: datetime
    killed: int = 0
    injured: int = 0


@dataclass(frozen=True, slots=True)
class RuleSpec:
    id: int
    kind: str
    params: Mapping[str, object]
    scope_code: str = ""  # empty = the whole country
    level: int | None = None  # region level the rule groups at (1..4); None = the incident's own region
    cooldown_minutes: int = 60


@dataclass(frozen=True, slots=True)
class Situation:
    rule_id: int
    region_code: str
    group_key: str
    evidence: tuple[int, ...]
    summary: str = ""


@dataclass(frozen=True, slots=True)
class Recent:
    """An alert already raised: its key and when it was raised; ``open`` while not finished."""

    group_key: str
    created_at: datetime
    open: bool = True


def covers(scope: str, code: str) -> bool:
    return not scope or code == scope or code.startswith(scope + ".")


def ancestor(code: str, level: int) -> str:
    """The code of ``code``'s region at ``level`` (1 provinsi … 4 desa); the code itself when it is higher."""
    parts = code.split(".")
    return ".".join(parts[: max(1, min(level, len(parts)))])


def level_of(code: str) -> int:
    return len(code.split(".")) if code else 0


def _group_region(rule: RuleSpec, code: str) -> str:
    return ancestor(code, rule.level) if rule.level else code


def _int_param(params: Mapping[str, object], name: str, default: int) -> int:
    value = params.get(name, default)
    return int(value) if isinstance(value, int | float | str) else default


def _types_param(params: Mapping[str, object]) -> frozenset[str]:
    value = params.get("event_types", ())
    if isinstance(value, list | tuple | set | frozenset):
        return frozenset(str(v) for v in value)
    return frozenset()


def incident_count(rule: RuleSpec, incidents: Sequence[IncidentFact], now: datetime) -> list[Situation]:
    """N verified incidents of the given types within T hours in one region (grouped at ``rule.level``).
    The key holds the window's bucket so a lasting situation stays one alert while the cooldown holds."""
    threshold = _int_param(rule.params, "count", 3)
    hours = _int_param(rule.params, "hours", 24)
    types = _types_param(rule.params)
    since = now - timedelta(hours=hours)
    by_region: dict[str, list[int]] = defaultdict(list)
    for inc in incidents:
        if inc.verified_at < since or inc.verified_at > now:
            continue
        if types and inc.event_type not in types:
            continue
        if not covers(rule.scope_code, inc.region_code):
            continue
        by_region[_group_region(rule, inc.region_code)].append(inc.id)
    out = []
    for region, ids in sorted(by_region.items()):
        if len(ids) >= threshold:
            out.append(
                Situation(
                    rule.id,
                    region,
                    f"r{rule.id}:count:{region}",
                    tuple(sorted(ids)),
                    f"{len(ids)} kejadian dalam {hours} jam terakhir",
                )
            )
    return out


def casualties(rule: RuleSpec, incidents: Sequence[IncidentFact], now: datetime) -> list[Situation]:
    """Any incident with deaths or injuries: one situation per incident."""
    minimum = max(1, _int_param(rule.params, "min_casualties", 1))
    hours = _int_param(rule.params, "hours", 72)
    since = now - timedelta(hours=hours)
    out = []
    for inc in incidents:
        if inc.verified_at < since or inc.verified_at > now or not covers(rule.scope_code, inc.region_code):
            continue
        if inc.killed + inc.injured >= minimum:
            out.append(
                Situation(
                    rule.id,
                    inc.region_code,
                    f"r{rule.id}:casualties:{inc.id}",
                    (inc.id,),
                    f"{inc.killed} meninggal, {inc.injured} luka-luka",
                )
            )
    return out


def category_rise(
    rule: RuleSpec, previous: Mapping[str, str], current: Mapping[str, str], date_label: str
) -> list[Situation]:
    """Regions whose index category rose (to at least ``params['to']``, default tinggi) between two snapshots."""
    floor = CATEGORY_ORDER.get(str(rule.params.get("to", "tinggi")), 2)
    out = []
    for code, cat in sorted(current.items()):
        if not covers(rule.scope_code, code) or (rule.level and level_of(code) != rule.level):
            continue
        now_rank = CATEGORY_ORDER.get(cat, -1)
        before = CATEGORY_ORDER.get(previous.get(code, ""), -1)
        if now_rank > before and now_rank >= floor and code in previous:
            out.append(
                Situation(
                    rule.id,
                    code,
                    f"r{rule.id}:category:{code}:{cat}:{date_label}",
                    (),
                    f"kategori naik dari {previous[code]} ke {cat}",
                )
            )
    return out


def suppress(
    situations: Iterable[Situation], recent: Sequence[Recent], cooldown: timedelta, now: datetime
) -> list[Situation]:
    """Drop situations whose key already has an open alert or one raised within the cooldown; one per key."""
    blocked = {r.group_key for r in recent if r.open or now - r.created_at < cooldown}
    out: list[Situation] = []
    seen: set[str] = set()
    for s in situations:
        if s.group_key in blocked or s.group_key in seen:
            continue
        seen.add(s.group_key)
        out.append(s)
    return out


def evaluate(
    rules: Sequence[RuleSpec],
    incidents: Sequence[IncidentFact],
    recent: Mapping[int, Sequence[Recent]],
    now: datetime,
) -> list[Situation]:
    """Every incident-based rule over the incidents, minus situations already alerted."""
    out: list[Situation] = []
    for rule in rules:
        if rule.kind == "incident_count":
            found = incident_count(rule, incidents, now)
        elif rule.kind == "casualties":
            found = casualties(rule, incidents, now)
        else:
            continue
        out.extend(suppress(found, recent.get(rule.id, ()), timedelta(minutes=rule.cooldown_minutes), now))
    return out


# --- escalation -------------------------------------------------------------------------------------------

MAX_ESCALATION = 2


@dataclass(frozen=True, slots=True)
class EscalationState:
    created_at: datetime
    escalation_level: int
    acknowledged: bool
    last_escalated_at: datetime | None = None


def escalation_due(state: EscalationState, ack_timeout: timedelta, now: datetime) -> int:
    """The escalation level the alert should have at ``now``: one step up per ``ack_timeout`` without an
    acknowledgement, at most 2 (kecamatan → kab/kota → provinsi). Never goes down."""
    if state.acknowledged or ack_timeout <= timedelta(0):
        return state.escalation_level
    steps = int((now - state.created_at) / ack_timeout)
    return max(state.escalation_level, min(MAX_ESCALATION, steps))


def target_level(region_code: str, escalation_level: int) -> int:
    """The administrative level an alert is addressed to: its own level (capped at kecamatan) at level 0,
    then one level up per escalation step, never above provinsi."""
    start = min(level_of(region_code), 3)
    return max(1, start - escalation_level)


@dataclass(frozen=True, slots=True)
class ChannelSpec:
    id: int
    scope_code: str = ""  # empty = national
    enabled: bool = True


def channels_for(region_code: str, escalation_level: int, channels: Iterable[ChannelSpec]) -> list[int]:
    """Channels that should hear about an alert in ``region_code`` at ``escalation_level``: enabled, their
    scope covers the region, and their scope is at or below the level the alert is addressed to (a
    kecamatan channel hears at once, a provincial one only once the alert has escalated to the province).
    A channel without a scope (a national hub or an integration) hears every alert at once."""
    wanted = target_level(region_code, escalation_level)
    return [
        c.id
        for c in channels
        if c.enabled
        and covers(c.scope_code, region_code)
        and (not c.scope_code or level_of(c.scope_code) >= wanted)
    ]
