"""Pure rule evaluation and escalation timing (no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from waspada.alerts import rules
from waspada.alerts.rules import ChannelSpec, EscalationState, IncidentFact, Recent, RuleSpec

NOW = datetime(2024, 11, 28, 12, 0, tzinfo=UTC)


def inc(
    i: int, code: str, hours_ago: float, kind: str = "supporter_clash", killed: int = 0, injured: int = 0
) -> IncidentFact:
    return IncidentFact(i, code, kind, NOW - timedelta(hours=hours_ago), killed, injured)


COUNT = RuleSpec(
    1, "incident_count", {"count": 3, "hours": 24, "event_types": ["supporter_clash", "riot"]}, "65", 3, 360
)


def test_it_raises_one_situation_when_enough_incidents_meet_in_a_kecamatan() -> None:
    incidents = [inc(1, "65.03.01.2001", 1), inc(2, "65.03.01.2002", 2), inc(3, "65.03.01", 5, "riot")]
    found = rules.evaluate([COUNT], incidents, {}, NOW)
    assert [(s.region_code, s.evidence) for s in found] == [("65.03.01", (1, 2, 3))]


def test_it_ignores_old_other_type_and_out_of_scope_incidents() -> None:
    incidents = [
        inc(1, "65.03.01.2001", 1),
        inc(2, "65.03.01.2002", 30),  # outside the window
        inc(3, "65.03.01", 5, "peaceful_protest"),  # another type
        inc(4, "64.01.01", 1),  # outside the rule's scope
        inc(5, "65.03.02", 1),  # another kecamatan
    ]
    assert rules.evaluate([COUNT], incidents, {}, NOW) == []


def test_it_fires_exactly_once_per_situation_while_the_alert_is_open_or_cooling_down() -> None:
    incidents = [inc(i, "65.03.01", i) for i in range(1, 5)]
    first = rules.evaluate([COUNT], incidents, {}, NOW)
    assert len(first) == 1
    key = first[0].group_key
    later = NOW + timedelta(hours=1)
    more = [*incidents, inc(9, "65.03.01", 0)]
    assert rules.evaluate([COUNT], more, {1: [Recent(key, NOW, open=True)]}, later) == []
    assert rules.evaluate([COUNT], more, {1: [Recent(key, NOW, open=False)]}, later) == []  # cooldown
    after_cooldown = NOW + timedelta(hours=7)
    again = [inc(20 + i, "65.03.01", -6.5 - i * 0.1) for i in range(3)]
    assert len(rules.evaluate([COUNT], again, {1: [Recent(key, NOW, open=False)]}, after_cooldown)) == 1


def test_it_raises_one_situation_per_incident_with_casualties() -> None:
    rule = RuleSpec(2, "casualties", {}, "", None, 60)
    incidents = [inc(1, "65.03.01", 1, killed=1), inc(2, "65.03.01", 1), inc(3, "65.04.01", 2, injured=4)]
    found = rules.evaluate([rule], incidents, {}, NOW)
    assert [s.evidence for s in found] == [(1,), (3,)]
    assert "1 meninggal" in found[0].summary
    recent = {2: [Recent(found[0].group_key, NOW)]}
    assert [s.evidence for s in rules.evaluate([rule], incidents, recent, NOW)] == [(3,)]


def test_it_flags_a_region_whose_category_rises_to_tinggi() -> None:
    rule = RuleSpec(3, "category_rise", {"to": "tinggi"}, "65", 2)
    before = {"65.01": "sedang", "65.02": "tinggi", "65.03": "rendah", "65.04": "sedang"}
    after = {"65.01": "tinggi", "65.02": "tinggi", "65.03": "sedang", "65.04": "tinggi", "65.05": "tinggi"}
    found = rules.category_rise(rule, before, after, "2024-11-28")
    assert [s.region_code for s in found] == ["65.01", "65.04"]


def test_it_escalates_one_level_per_timeout_without_acknowledgement() -> None:
    state = EscalationState(NOW, 0, False)
    timeout = timedelta(minutes=30)
    assert rules.escalation_due(state, timeout, NOW + timedelta(minutes=29)) == 0
    assert rules.escalation_due(state, timeout, NOW + timedelta(minutes=30)) == 1
    assert rules.escalation_due(state, timeout, NOW + timedelta(minutes=61)) == 2
    assert rules.escalation_due(state, timeout, NOW + timedelta(days=3)) == 2
    assert rules.escalation_due(EscalationState(NOW, 0, True), timeout, NOW + timedelta(days=1)) == 0


def test_it_routes_an_alert_up_the_hierarchy_as_it_escalates() -> None:
    channels = [
        ChannelSpec(1, "65.03.01"),
        ChannelSpec(2, "65.03"),
        ChannelSpec(3, "65"),
        ChannelSpec(4, "65.04"),
    ]
    code = "65.03.01.2001"
    assert rules.channels_for(code, 0, channels) == [1]
    assert rules.channels_for(code, 1, channels) == [1, 2]
    assert rules.channels_for(code, 2, channels) == [1, 2, 3]
    assert rules.channels_for(code, 2, [ChannelSpec(5, "65", enabled=False)]) == []
    assert rules.channels_for(code, 0, [ChannelSpec(6, "")]) == [6]
