"""Escalation timing and recipient routing. Pure: plain data in, plain data out; no Django.

An alert is first addressed to its own level, at most kecamatan; each acknowledgement timeout that passes
without an acknowledgement moves it one level up the hierarchy (kecamatan → kabupaten/kota → provinsi).
A channel or a person hears an alert when their region scope covers the alert's region and lies at or
below the level the alert is addressed to, and when their roles match the rule's recipient roles.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from waspada.alerts.facts import covers, level_of

MAX_ESCALATION = 2
NATIONAL_LEVEL = 1  # a person without a scope hears an alert once it is addressed to a province


@dataclass(frozen=True, slots=True)
class EscalationState:
    created_at: datetime
    escalation_level: int
    acknowledged: bool
    last_escalated_at: datetime | None = None


def max_escalation(region_code: str) -> int:
    """How many steps an alert in ``region_code`` can climb: two from a kecamatan or desa, one from a
    kabupaten/kota, none from a province."""
    return max(0, min(MAX_ESCALATION, min(level_of(region_code), 3) - 1))


def escalation_due(
    state: EscalationState, ack_timeout: timedelta, now: datetime, ceiling: int = MAX_ESCALATION
) -> int:
    """The escalation level the alert should have at ``now``: one step up per ``ack_timeout`` without an
    acknowledgement, at most ``ceiling``. Never goes down."""
    if state.acknowledged or ack_timeout <= timedelta(0):
        return state.escalation_level
    steps = int((now - state.created_at) / ack_timeout)
    return max(state.escalation_level, min(ceiling, steps))


def target_level(region_code: str, escalation_level: int) -> int:
    """The administrative level an alert is addressed to: its own level (capped at kecamatan) at level 0,
    then one level up per escalation step, never above provinsi."""
    start = min(level_of(region_code), 3)
    return max(1, start - escalation_level)


def roles_match(channel_roles: Iterable[str], rule_roles: Iterable[str]) -> bool:
    """A channel without roles serves every rule; a rule without roles reaches every channel; otherwise
    they must share a role."""
    mine, wanted = set(channel_roles), set(rule_roles)
    return not mine or not wanted or bool(mine & wanted)


@dataclass(frozen=True, slots=True)
class ChannelSpec:
    id: int
    scope_code: str = ""  # empty = national
    enabled: bool = True
    roles: frozenset[str] = frozenset()


def channels_for(
    region_code: str,
    escalation_level: int,
    channels: Iterable[ChannelSpec],
    rule_roles: Iterable[str] = (),
) -> list[int]:
    """Channels that should hear about an alert in ``region_code`` at ``escalation_level``: enabled, their
    scope covers the region, their scope is at or below the level the alert is addressed to (a kecamatan
    channel hears at once, a provincial one only once the alert has escalated to the province), and their
    roles match. A channel without a scope (a national hub or an integration) hears every alert at once."""
    wanted = target_level(region_code, escalation_level)
    rule_roles = frozenset(rule_roles)
    return [
        c.id
        for c in channels
        if c.enabled
        and covers(c.scope_code, region_code)
        and (not c.scope_code or level_of(c.scope_code) >= wanted)
        and roles_match(c.roles, rule_roles)
    ]


@dataclass(frozen=True, slots=True)
class Person:
    """A user who may receive alerts: role, region scope (None = national) and address (e.g. email)."""

    user_id: int
    role: str
    scope_code: str | None
    address: str


def people_for(
    region_code: str, escalation_level: int, people: Iterable[Person], roles: Iterable[str]
) -> list[int]:
    """People with one of ``roles`` whose scope covers the alert's region at the level it is addressed to
    (a kecamatan officer at once, a kabupaten one after the first escalation, a provincial one after the
    second). People without a scope count as provincial."""
    wanted = target_level(region_code, escalation_level)
    roles = frozenset(roles)
    out = []
    for p in people:
        if not p.address or p.role not in roles:
            continue
        scope = p.scope_code or ""
        if not covers(scope, region_code):
            continue
        if (level_of(scope) if scope else NATIONAL_LEVEL) >= wanted:
            out.append(p.user_id)
    return out
