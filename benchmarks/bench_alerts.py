"""Alert rules over 100,000 incidents in 83,762 desa-level regions (target < 5 s), against a naive loop
that scans every incident for every region (measured on a sample of regions in the same run, extrapolated).

    .venv/bin/python benchmarks/bench_alerts.py
"""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta

from waspada.alerts import rules
from waspada.alerts.rules import IncidentFact, RuleSpec

REGIONS = 83_762
INCIDENTS = 100_000
SAMPLE = 200


def main() -> None:
    rng = random.Random(7)
    now = datetime(2024, 11, 28, 12, tzinfo=UTC)
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
    rule_set = [
        RuleSpec(
            1, "incident_count", {"count": 2, "hours": 24, "event_types": ["supporter_clash", "riot"]}, "", 3
        ),
        RuleSpec(2, "incident_count", {"count": 3, "hours": 48}, "", 2),
        RuleSpec(3, "casualties", {"hours": 72}, ""),
    ]

    t0 = time.perf_counter()
    found = rules.evaluate(rule_set, incidents, {}, now)
    fast = time.perf_counter() - t0

    # Naive baseline: for each rule and each region, scan every incident.
    sample = codes[:SAMPLE]
    t0 = time.perf_counter()
    for rule in rule_set:
        hours = int(rule.params.get("hours", 24))
        for code in sample:
            group = rules.ancestor(code, rule.level) if rule.level else code
            _ = sum(
                1
                for inc in incidents
                if (rules.ancestor(inc.region_code, rule.level) if rule.level else inc.region_code) == group
                and inc.verified_at >= now - timedelta(hours=hours)
            )
    naive = (time.perf_counter() - t0) * REGIONS / SAMPLE

    print(
        f"incidents: {INCIDENTS:,}  regions: {REGIONS:,}  rules: {len(rule_set)}  situations: {len(found):,}"
    )
    print(f"evaluate: {fast:.2f} s (target < 5 s)")
    print(f"naive loop (extrapolated from {SAMPLE} regions): {naive:,.0f} s")
    print(f"ratio naive / evaluate: {naive / fast:,.0f}x")


if __name__ == "__main__":
    main()
