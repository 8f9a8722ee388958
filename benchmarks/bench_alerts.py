"""Every alert rule kind over 100,000 incidents in 83,762 desa-level regions (target < 5 s), with 100,000
reports (half of them news), the index categories of every region, 20,000 recap findings, 545 contests and
5,000 response actions; against a naive loop that scans every fact for every region and rule (measured on
a sample of regions in the same run, extrapolated).

    .venv/bin/python benchmarks/bench_alerts.py
"""

from __future__ import annotations

import random
import time
from datetime import UTC, date, datetime, timedelta

from waspada.alerts import rules
from waspada.alerts.facts import (
    ActionFact,
    ContestFact,
    Facts,
    FindingFact,
    IncidentFact,
    Recent,
    ReportFact,
    RuleSpec,
    ancestor,
    covers,
)

REGIONS = 83_762
INCIDENTS = 100_000
REPORTS = 100_000
FINDINGS = 20_000
CONTESTS = 545
ACTIONS = 5_000
SAMPLE = 100

RULES = [
    RuleSpec(
        1, "incident_count", {"count": 2, "hours": 24, "event_types": ["supporter_clash", "riot"]}, "", 3
    ),
    RuleSpec(2, "incident_count", {"count": 3, "hours": 48}, "", 2),
    RuleSpec(3, "casualties", {"hours": 72}, ""),
    RuleSpec(4, "urgent_report", {"urgencies": ["tinggi", "darurat"], "hours": 24}, "", 3),
    RuleSpec(5, "category_rise", {"to": "tinggi"}, ""),
    RuleSpec(6, "close_contest", {"include_mk_filings": True}, ""),
    RuleSpec(7, "recap_finding", {"min_severity": "error", "min_count": 3, "hours": 72}, "", 3),
    RuleSpec(8, "news_spike", {"hours": 24, "baseline_days": 28, "factor": 3, "min_count": 5}, "", 2),
    RuleSpec(9, "overdue_action", {"grace_days": 0}, "", 2),
    RuleSpec(10, "casualties", {"hours": 24, "min_casualties": 3}, "65"),
]


def facts(rng: random.Random, now: datetime) -> tuple[list[str], Facts]:
    codes = [
        f"{11 + i % 27}.{i % 50 + 1:02d}.{i % 30 + 1:02d}.{2001 + i // 1500:04d}" for i in range(REGIONS)
    ]
    types = ["supporter_clash", "riot", "intimidation", "peaceful_protest", "money_politics"]
    incidents = [
        IncidentFact(
            i,
            rng.choice(codes),
            rng.choice(types),
            now - timedelta(hours=rng.uniform(0, 96)),
            int(rng.random() < 0.01),
            int(rng.random() < 0.03),
        )
        for i in range(INCIDENTS)
    ]
    reports = [
        ReportFact(
            i,
            rng.choice(codes),
            "media" if i % 2 else "sms",
            rng.choice(["rendah", "sedang", "tinggi", "darurat"]),
            now - timedelta(hours=rng.uniform(0, 24 * 30)),
            rng.random() < 0.5,
        )
        for i in range(REPORTS)
    ]
    cats = ["rendah", "sedang", "tinggi"]
    previous = {c: rng.choice(cats) for c in codes}
    current = {c: rng.choice(cats) if rng.random() < 0.1 else previous[c] for c in codes}
    findings = [
        FindingFact(
            i,
            1,
            rng.choice(codes),
            "R1",
            rng.choice(["error", "warning", "info"]),
            now - timedelta(hours=rng.uniform(0, 96)),
        )
        for i in range(FINDINGS)
    ]
    contests = [
        ContestFact(
            i,
            ".".join(rng.choice(codes).split(".")[:2]),
            f"kontestasi {i}",
            rng.uniform(0.1, 20),
            "MK" if i % 20 == 0 else "",
        )
        for i in range(CONTESTS)
    ]
    today = now.date()
    actions = [
        ActionFact(i, rng.choice(codes), "mediasi", today - timedelta(days=rng.randint(-10, 10)))
        for i in range(ACTIONS)
    ]
    return codes, Facts(
        incidents, reports, previous, current, today.isoformat(), contests, findings, actions, today
    )


def naive(rule: RuleSpec, code: str, f: Facts, now: datetime) -> int:
    """What a loop per region does: scan every fact of the rule's kind and keep those of the region."""
    level = rule.level or rules.DEFAULT_LEVEL.get(rule.kind) or 4
    group = ancestor(code, level)
    hours = int(str(rule.params.get("hours", 24)))
    since = now - timedelta(hours=hours)
    if rule.kind in ("incident_count", "casualties"):
        return sum(
            1 for i in f.incidents if ancestor(i.region_code, level) == group and i.verified_at >= since
        )
    if rule.kind in ("urgent_report", "news_spike"):
        return sum(1 for r in f.reports if ancestor(r.region_code, level) == group and r.created_at >= since)
    if rule.kind == "recap_finding":
        return sum(1 for x in f.findings if ancestor(x.region_code, level) == group and x.found_at >= since)
    if rule.kind == "overdue_action":
        return sum(
            1 for a in f.actions if ancestor(a.region_code, level) == group and a.due_date < date.today()
        )
    if rule.kind == "close_contest":
        return sum(1 for c in f.contests if covers(c.region_code, code))
    return int(f.category_current.get(code) != f.category_previous.get(code))


def main() -> None:
    rng = random.Random(7)
    now = datetime(2024, 11, 28, 12, tzinfo=UTC)
    codes, f = facts(rng, now)
    recent = {
        1: [
            Recent(f"r1:count:{ancestor(c, 3)}", now - timedelta(hours=1), True, frozenset())
            for c in codes[:1000]
        ]
    }

    t0 = time.perf_counter()
    outcome = rules.evaluate(RULES, f, recent, now)
    fast = time.perf_counter() - t0

    per_kind: dict[str, int] = {}
    for s in outcome.new:
        kind = next(r.kind for r in RULES if r.id == s.rule_id)
        per_kind[kind] = per_kind.get(kind, 0) + 1

    sample = rng.sample(codes, SAMPLE)
    t0 = time.perf_counter()
    for rule in RULES:
        for code in sample:
            naive(rule, code, f, now)
    slow = (time.perf_counter() - t0) * REGIONS / SAMPLE

    print(
        f"regions: {REGIONS:,}  incidents: {INCIDENTS:,}  reports: {REPORTS:,}  findings: {FINDINGS:,}  "
        f"contests: {CONTESTS}  actions: {ACTIONS:,}  rules: {len(RULES)} ({len({r.kind for r in RULES})} kinds)"
    )
    print(
        f"situations: {len(outcome.new):,} new, {len(outcome.grown):,} joining open alerts; by kind {per_kind}"
    )
    print(f"evaluate every rule: {fast:.2f} s (target < 5 s)")
    print(f"naive loop per region (extrapolated from {SAMPLE} regions): {slow:,.0f} s")
    print(f"ratio naive / evaluate: {slow / fast:,.0f}x")


if __name__ == "__main__":
    main()
