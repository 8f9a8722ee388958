"""Pure rule evaluation, escalation timing and routing (no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from waspada.alerts import routing, rules
from waspada.alerts.facts import (
    ActionFact,
    ContestFact,
    Facts,
    FindingFact,
    IncidentFact,
    Recent,
    ReportFact,
    RuleSpec,
)
from waspada.alerts.routing import ChannelSpec, EscalationState, Person

NOW = datetime(2024, 11, 28, 12, 0, tzinfo=UTC)


def inc(
    i: int, code: str, hours_ago: float, kind: str = "supporter_clash", killed: int = 0, injured: int = 0
) -> IncidentFact:
    return IncidentFact(i, code, kind, NOW - timedelta(hours=hours_ago), killed, injured)


def rep(
    i: int, code: str, hours_ago: float, channel: str = "sms", urgency: str = "darurat", trusted: bool = True
) -> ReportFact:
    return ReportFact(i, code, channel, urgency, NOW - timedelta(hours=hours_ago), trusted)


def new(
    rule: RuleSpec, facts: Facts, recent: dict[int, list[Recent]] | None = None, now: datetime = NOW
) -> list[rules.Situation]:
    return rules.evaluate([rule], facts, recent or {}, now).new


COUNT = RuleSpec(
    1, "incident_count", {"count": 3, "hours": 24, "event_types": ["supporter_clash", "riot"]}, "65", 3, 360
)


def test_it_raises_one_situation_when_enough_incidents_meet_in_a_kecamatan() -> None:
    incidents = [inc(1, "65.03.01.2001", 1), inc(2, "65.03.01.2002", 2), inc(3, "65.03.01", 5, "riot")]
    found = new(COUNT, Facts(incidents=incidents))
    assert [(s.region_code, s.evidence) for s in found] == [("65.03.01", (1, 2, 3))]


def test_it_ignores_old_other_type_and_out_of_scope_incidents() -> None:
    incidents = [
        inc(1, "65.03.01.2001", 1),
        inc(2, "65.03.01.2002", 30),  # outside the window
        inc(3, "65.03.01", 5, "peaceful_protest"),  # another type
        inc(4, "64.01.01", 1),  # outside the rule's scope
        inc(5, "65.03.02", 1),  # another kecamatan
    ]
    assert new(COUNT, Facts(incidents=incidents)) == []


def test_it_fires_exactly_once_per_situation_while_the_alert_is_open_or_cooling_down() -> None:
    incidents = [inc(i, "65.03.01", i) for i in range(1, 5)]
    first = new(COUNT, Facts(incidents=incidents))
    assert len(first) == 1
    key, seen = first[0].group_key, frozenset(first[0].evidence)
    later = NOW + timedelta(hours=1)
    more = [*incidents, inc(9, "65.03.01", 0)]
    opened = rules.evaluate([COUNT], Facts(incidents=more), {1: [Recent(key, NOW, True, seen)]}, later)
    assert opened.new == [] and [s.evidence for s in opened.grown] == [
        (1, 2, 3, 4, 9)
    ]  # joins the open alert
    closed = {1: [Recent(key, NOW, False, seen)]}
    assert new(COUNT, Facts(incidents=more), closed, later) == []  # cooldown
    after_cooldown = NOW + timedelta(hours=7)
    assert new(COUNT, Facts(incidents=incidents), closed, after_cooldown) == []  # the same incidents again
    again = [inc(20 + i, "65.03.01", -6.5 - i * 0.1) for i in range(3)]
    assert len(new(COUNT, Facts(incidents=again), closed, after_cooldown)) == 1


def test_it_raises_one_situation_per_incident_with_casualties() -> None:
    rule = RuleSpec(2, "casualties", {}, "", None, 60)
    incidents = [inc(1, "65.03.01", 1, killed=1), inc(2, "65.03.01", 1), inc(3, "65.04.01", 2, injured=4)]
    found = new(rule, Facts(incidents=incidents))
    assert [s.evidence for s in found] == [(1,), (3,)]
    assert "1 meninggal" in found[0].summary
    recent = {2: [Recent(found[0].group_key, NOW, True, frozenset({1}))]}
    assert [s.evidence for s in new(rule, Facts(incidents=incidents), recent)] == [(3,)]
    closed_long_ago = {2: [Recent(found[0].group_key, NOW - timedelta(days=2), False, frozenset({1}))]}
    assert [s.evidence for s in new(rule, Facts(incidents=incidents), closed_long_ago)] == [(3,)]


def test_it_groups_urgent_reports_of_trusted_reporters_per_kecamatan() -> None:
    rule = RuleSpec(3, "urgent_report", {"urgencies": ["darurat"], "hours": 24}, "65")
    reports = [
        rep(1, "65.03.01.2001", 1),
        rep(2, "65.03.01.2002", 2),
        rep(3, "65.03.02", 1, trusted=False),  # not trusted
        rep(4, "65.03.02", 1, urgency="tinggi"),  # not urgent enough
        rep(5, "65.04.01", 30),  # too old
    ]
    found = new(rule, Facts(reports=reports))
    assert [(s.region_code, s.evidence, s.evidence_kind) for s in found] == [("65.03.01", (1, 2), "reports")]


def test_it_flags_a_region_whose_category_rises_to_tinggi_once() -> None:
    rule = RuleSpec(4, "category_rise", {"to": "tinggi"}, "65", 2)
    before = {"65.01": "sedang", "65.02": "tinggi", "65.03": "rendah", "65.04": "sedang"}
    after = {"65.01": "tinggi", "65.02": "tinggi", "65.03": "sedang", "65.04": "tinggi", "65.05": "tinggi"}
    facts = Facts(category_previous=before, category_current=after, category_date="2024-11-28")
    found = new(rule, facts)
    assert [s.region_code for s in found] == ["65.01", "65.04"]
    closed = {4: [Recent(s.group_key, NOW - timedelta(days=3), False) for s in found]}
    assert new(rule, facts, closed) == []  # the same two snapshots: the same rise


def test_it_raises_close_contests_and_mk_filings_once_each() -> None:
    rule = RuleSpec(5, "close_contest", {"include_mk_filings": True, "max_ratio": 1.0}, "65")
    contests = [
        ContestFact(1, "65.03", "Bupati Nunukan", 0.8, "", "selisih 0,8 ambang"),
        ContestFact(2, "65.71", "Wali Kota Tarakan", 3.0, "PHP-KADA 12/2025"),
        ContestFact(3, "65.02", "Bupati Malinau", 2.0, ""),
        ContestFact(4, "64.01", "Bupati Paser", 0.1, ""),  # out of scope
        ContestFact(5, "65.04", "Bupati Tana Tidung", None, ""),  # margins unknown
    ]
    found = new(rule, Facts(contests=contests))
    assert [(s.region_code, s.group_key) for s in found] == [("65.03", "r5:pasal158:1"), ("65.71", "r5:mk:2")]
    assert "MK" in found[1].summary
    old = {5: [Recent(s.group_key, NOW - timedelta(days=500), False, frozenset(s.evidence)) for s in found]}
    assert new(rule, Facts(contests=contests), old) == []


def test_it_groups_high_severity_recap_findings_per_kecamatan_and_election() -> None:
    rule = RuleSpec(6, "recap_finding", {"min_severity": "error", "min_count": 2, "hours": 72}, "65")
    at = NOW - timedelta(hours=1)
    findings = [
        FindingFact(1, 9, "65.03.01.2001", "R1", "error", at),
        FindingFact(2, 9, "65.03.01.2002", "R2", "error", at),
        FindingFact(3, 9, "65.03.02.2001", "R1", "error", at),  # alone in its kecamatan
        FindingFact(4, 9, "65.03.01.2003", "DUP", "warning", at),  # not severe enough
        FindingFact(5, 8, "65.03.01.2001", "R1", "error", NOW - timedelta(days=10)),  # too old
    ]
    found = new(rule, Facts(findings=findings))
    assert [(s.region_code, s.evidence) for s in found] == [("65.03.01", (1, 2))]


def test_it_flags_news_far_above_the_regions_own_baseline() -> None:
    rule = RuleSpec(7, "news_spike", {"hours": 24, "baseline_days": 28, "factor": 3, "min_count": 4}, "65", 2)
    reports = [rep(i, "65.03.01", 2, "media") for i in range(1, 6)]  # 5 today in Nunukan
    reports += [rep(100 + d, "65.03.05", 24 * (d + 2), "media") for d in range(28)]  # 1 a day, usual
    reports += [rep(200 + i, "65.71.01", 3, "media") for i in range(4)]  # 4 today in Tarakan …
    reports += [
        rep(300 + i, "65.71.02", 24 * (2 + i // 3), "media") for i in range(84)
    ]  # … where 3 a day is usual
    reports += [rep(400 + i, "65.02.01", 1, "sms") for i in range(10)]  # field reports are not news
    found = new(rule, Facts(reports=reports))
    assert [(s.region_code, len(s.evidence)) for s in found] == [("65.03", 5)]
    assert found[0].detail["expected"] == 1.0


def test_it_raises_overdue_actions_per_kabupaten() -> None:
    rule = RuleSpec(8, "overdue_action", {"grace_days": 1}, "65")
    today = date(2024, 11, 28)
    actions = [
        ActionFact(1, "65.03.01", "mediasi", date(2024, 11, 20)),
        ActionFact(2, "65.03.04", "patroli", date(2024, 11, 26)),
        ActionFact(3, "65.03.04", "patroli", date(2024, 11, 27)),  # within the grace day
        ActionFact(4, "65.71", "dialog_tokoh", date(2024, 11, 28)),  # due today
    ]
    found = new(rule, Facts(actions=actions, today=today))
    assert [(s.region_code, s.evidence, s.evidence_kind) for s in found] == [("65.03", (1, 2), "actions")]


def test_an_unknown_kind_sees_nothing() -> None:
    assert new(RuleSpec(9, "tidak_ada", {}), Facts(incidents=[inc(1, "65", 1)])) == []


def test_it_escalates_one_level_per_timeout_without_acknowledgement() -> None:
    state = EscalationState(NOW, 0, False)
    timeout = timedelta(minutes=30)
    assert routing.escalation_due(state, timeout, NOW + timedelta(minutes=29)) == 0
    assert routing.escalation_due(state, timeout, NOW + timedelta(minutes=30)) == 1
    assert routing.escalation_due(state, timeout, NOW + timedelta(minutes=61)) == 2
    assert routing.escalation_due(state, timeout, NOW + timedelta(days=3)) == 2
    assert routing.escalation_due(EscalationState(NOW, 0, True), timeout, NOW + timedelta(days=1)) == 0
    assert [routing.max_escalation(c) for c in ("65.03.01.2001", "65.03.01", "65.03", "65")] == [2, 2, 1, 0]


def test_it_routes_an_alert_up_the_hierarchy_as_it_escalates() -> None:
    channels = [
        ChannelSpec(1, "65.03.01"),
        ChannelSpec(2, "65.03"),
        ChannelSpec(3, "65"),
        ChannelSpec(4, "65.04"),
    ]
    code = "65.03.01.2001"
    assert routing.channels_for(code, 0, channels) == [1]
    assert routing.channels_for(code, 1, channels) == [1, 2]
    assert routing.channels_for(code, 2, channels) == [1, 2, 3]
    assert routing.channels_for(code, 2, [ChannelSpec(5, "65", enabled=False)]) == []
    assert routing.channels_for(code, 0, [ChannelSpec(6, "")]) == [6]


def test_it_routes_by_role() -> None:
    channels = [
        ChannelSpec(1, "65.03", roles=frozenset({"koordinator"})),
        ChannelSpec(2, "65.03", roles=frozenset({"analis"})),
        ChannelSpec(3, "65.03"),
    ]
    assert routing.channels_for("65.03", 0, channels, {"koordinator", "pimpinan"}) == [1, 3]
    assert routing.channels_for("65.03", 0, channels) == [1, 2, 3]
    people = [
        Person(1, "analis", "65.03.01", "a@x.id"),
        Person(2, "koordinator", "65.03", "k@x.id"),
        Person(3, "koordinator", "65", "p@x.id"),
        Person(4, "koordinator", None, "n@x.id"),
        Person(5, "koordinator", "65.04", "o@x.id"),
        Person(6, "pimpinan", "65.03.01", "l@x.id"),
        Person(7, "analis", "65.03.01", ""),
    ]
    roles = {"analis", "koordinator"}
    assert routing.people_for("65.03.01.2001", 0, people, roles) == [1]
    assert routing.people_for("65.03.01.2001", 1, people, roles) == [1, 2]
    assert routing.people_for("65.03.01.2001", 2, people, roles) == [1, 2, 3, 4]
