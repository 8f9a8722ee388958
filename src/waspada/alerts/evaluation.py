"""One evaluation round against the database: read what the enabled rules need, run the pure rules, raise
one alert per new situation and let open alerts take in new evidence."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone

from waspada.alerts import rules, sources
from waspada.alerts.facts import Facts, Recent, RuleSpec
from waspada.alerts.models import Alert, AlertRule, AlertStatus, RuleKind
from waspada.alerts.services import grow_alert, raise_alert

# Alerts older than this no longer stop a situation from being raised again, except for contests (a
# contest's Pasal 158 standing or MK case is raised once, ever).
LOOKBACK = timedelta(days=400)
FOREVER_KINDS = frozenset({RuleKind.CLOSE_CONTEST})


def rule_spec(rule: AlertRule) -> RuleSpec:
    return RuleSpec(
        id=rule.pk,
        kind=rule.kind,
        params=rule.params or {},
        scope_code=rule.scope_code,
        level=rule.level,
        cooldown_minutes=rule.cooldown_minutes,
    )


def _param(rule: AlertRule, name: str, default: Any) -> Any:
    params = rule.params or {}
    return params.get(name, default)


def _hours(active: list[AlertRule], kind: str, default: int) -> int | None:
    wanted = [int(_param(r, "hours", default)) for r in active if r.kind == kind]
    return max(wanted) if wanted else None


def gather(active: list[AlertRule], now: datetime) -> Facts:
    """The facts the active rules read, each kind's data fetched once for the widest window asked."""
    kinds = {r.kind for r in active}
    today = timezone.localdate(now)
    data: dict[str, Any] = {"today": today}
    windows = [h for k, d in (("incident_count", 24), ("casualties", 72)) if (h := _hours(active, k, d))]
    if windows:
        data["incidents"] = sources.incidents(now - timedelta(hours=max(windows)))
    reports = []
    if (hours := _hours(active, RuleKind.URGENT_REPORT, 24)) is not None:
        reports += sources.reports(now - timedelta(hours=hours), not_media=True)
    spikes = [r for r in active if r.kind == RuleKind.NEWS_SPIKE]
    if spikes:
        span = max(
            timedelta(hours=int(_param(r, "hours", 24)), days=int(_param(r, "baseline_days", 28)))
            for r in spikes
        )
        reports += sources.reports(now - span, media_only=True)
    data["reports"] = reports
    if RuleKind.CATEGORY_RISE in kinds:
        age = max(int(_param(r, "max_age_days", 7)) for r in active if r.kind == RuleKind.CATEGORY_RISE)
        previous, current, label = sources.categories(today, age)
        data.update(category_previous=previous, category_current=current, category_date=label)
    if RuleKind.CLOSE_CONTEST in kinds:
        data["contests"] = sources.contests()
    finding_rules = [r for r in active if r.kind == RuleKind.RECAP_FINDING]
    if finding_rules:
        hours = max(int(_param(r, "hours", 72)) for r in finding_rules)
        severities = (
            ["error", "warning"]
            if any(_param(r, "min_severity", "error") == "warning" for r in finding_rules)
            else ["error"]
        )
        data["findings"] = sources.findings(now - timedelta(hours=hours), severities)
    if RuleKind.OVERDUE_ACTION in kinds:
        data["actions"] = sources.overdue_actions(today)
    return Facts(**data)


def _evidence_ids(evidence: Any) -> frozenset[int]:
    if not isinstance(evidence, dict):
        return frozenset()
    ids: set[int] = set()
    for kind in ("incidents", "reports", "contests", "findings", "actions"):
        values = evidence.get(kind)
        if isinstance(values, list):
            ids.update(v for v in values if isinstance(v, int))
    return frozenset(ids)


def recent_alerts(active: list[AlertRule], now: datetime) -> dict[int, list[Recent]]:
    """For each rule, the alerts that can still stand for one of its situations."""
    forever = [r.pk for r in active if r.kind in FOREVER_KINDS]
    rows = Alert.objects.filter(rule_id__in=[r.pk for r in active]).filter(
        Q(created_at__gte=now - LOOKBACK) | ~Q(status=AlertStatus.SELESAI) | Q(rule_id__in=forever)
    )
    out: dict[int, list[Recent]] = defaultdict(list)
    for rule_id, key, created, status, evidence in rows.values_list(
        "rule_id", "group_key", "created_at", "status", "evidence"
    ).iterator(5000):
        out[rule_id].append(Recent(key, created, status != AlertStatus.SELESAI, _evidence_ids(evidence)))
    return out


def evaluate_rules(now: datetime | None = None) -> tuple[list[Alert], list[Alert]]:
    """Run every enabled rule; returns the alerts raised and the open alerts that took in new evidence."""
    now = now or timezone.now()
    active = list(AlertRule.objects.filter(enabled=True))
    if not active:
        return [], []
    facts = gather(active, now)
    outcome = rules.evaluate([rule_spec(r) for r in active], facts, recent_alerts(active, now), now)
    by_id = {r.pk: r for r in active}
    raised = [a for s in outcome.new if (a := raise_alert(by_id[s.rule_id], s, now)) is not None]
    grown = [a for s in outcome.grown if (a := grow_alert(by_id[s.rule_id], s, now)) is not None]
    return raised, grown
