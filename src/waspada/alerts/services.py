"""Alert lifecycle against the database: raising alerts from rules, escalation, acknowledgement. Every
state change writes an audit row in the same transaction."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from waspada.accounts.audit import record
from waspada.alerts import rules
from waspada.alerts.models import (
    ALERT_TRANSITIONS,
    Alert,
    AlertRule,
    AlertStatus,
    Channel,
    Delivery,
    DeliveryStatus,
    RuleKind,
)
from waspada.regions.models import Region
from waspada.reports.models import Incident


class AlertError(Exception):
    """A refused lifecycle step; the message is for the user (Bahasa Indonesia)."""


def rule_spec(rule: AlertRule) -> rules.RuleSpec:
    return rules.RuleSpec(
        id=rule.pk,
        kind=rule.kind,
        params=rule.params or {},
        scope_code=rule.scope_code,
        level=rule.level,
        cooldown_minutes=rule.cooldown_minutes,
    )


def _incident_facts(since: datetime) -> list[rules.IncidentFact]:
    rows = Incident.objects.filter(created_at__gte=since).values_list(
        "id", "region_id", "event_type", "created_at", "killed", "injured"
    )
    return [rules.IncidentFact(*row) for row in rows]


def _recent(rule_ids: list[int], since: datetime) -> dict[int, list[rules.Recent]]:
    out: dict[int, list[rules.Recent]] = defaultdict(list)
    rows = Alert.objects.filter(rule_id__in=rule_ids).filter(created_at__gte=since) | Alert.objects.filter(
        rule_id__in=rule_ids
    ).exclude(status=AlertStatus.SELESAI)
    for rule_id, key, created, status in rows.values_list("rule_id", "group_key", "created_at", "status"):
        out[rule_id].append(rules.Recent(key, created, status != AlertStatus.SELESAI))
    return out


def evaluate_rules(now: datetime | None = None) -> list[Alert]:
    """Run every enabled incident rule and raise one alert per new situation."""
    now = now or timezone.now()
    active = list(
        AlertRule.objects.filter(enabled=True, kind__in=[RuleKind.INCIDENT_COUNT, RuleKind.CASUALTIES])
    )
    if not active:
        return []
    longest = max(int((r.params or {}).get("hours", 72)) for r in active)
    cooldown = max(r.cooldown_minutes for r in active)
    facts = _incident_facts(now - timedelta(hours=longest))
    recent = _recent([r.pk for r in active], now - timedelta(minutes=cooldown))
    situations = rules.evaluate([rule_spec(r) for r in active], facts, recent, now)
    by_id = {r.pk: r for r in active}
    return [a for s in situations if (a := raise_alert(by_id[s.rule_id], s, now)) is not None]


def raise_alert(rule: AlertRule, situation: rules.Situation, now: datetime | None = None) -> Alert | None:
    """Create the alert and its first deliveries, unless an open alert holds the same key (checked again
    under a lock on the rule so two workers cannot both raise it)."""
    now = now or timezone.now()
    region = Region.objects.filter(pk=situation.region_code).first()
    if region is None:
        return None
    with transaction.atomic():
        AlertRule.objects.select_for_update().filter(pk=rule.pk).first()
        cooldown_start = now - timedelta(minutes=rule.cooldown_minutes)
        taken = Alert.objects.filter(rule=rule, group_key=situation.group_key).filter(
            created_at__gte=cooldown_start
        ) | Alert.objects.filter(rule=rule, group_key=situation.group_key).exclude(status=AlertStatus.SELESAI)
        if taken.exists():
            return None
        alert = Alert.objects.create(
            rule=rule,
            region=region,
            summary=situation.summary[:300],
            created_at=now,
            group_key=situation.group_key,
            evidence={"incidents": list(situation.evidence)},
        )
        record(None, "alert.raise", alert, after={"rule": rule.name, "group_key": situation.group_key})
        queue_deliveries(alert, now)
    return alert


def queue_deliveries(alert: Alert, now: datetime | None = None) -> list[Delivery]:
    """A delivery for each channel that should hear about the alert at its escalation level and has not yet."""
    now = now or timezone.now()
    channels = list(Channel.objects.filter(enabled=True))
    specs = [rules.ChannelSpec(c.pk, c.scope_code, c.enabled) for c in channels]
    wanted = set(rules.channels_for(alert.region_id, alert.escalation_level, specs))
    done = set(Delivery.objects.filter(alert=alert).values_list("channel_id", flat=True))
    created = []
    for channel in channels:
        if channel.pk in wanted and channel.pk not in done:
            created.append(
                Delivery.objects.create(
                    alert=alert, channel=channel, escalation_level=alert.escalation_level, next_attempt_at=now
                )
            )
    return created


def escalate_due(now: datetime | None = None) -> list[Alert]:
    """Raise the escalation level of alerts nobody acknowledged in time, and notify the next level up."""
    now = now or timezone.now()
    changed = []
    for alert in Alert.objects.filter(
        status=AlertStatus.TERBUKA, escalation_level__lt=rules.MAX_ESCALATION
    ).select_related("rule"):
        state = rules.EscalationState(alert.created_at, alert.escalation_level, False, alert.escalated_at)
        due = rules.escalation_due(state, timedelta(minutes=alert.rule.ack_timeout_minutes), now)
        if due <= alert.escalation_level:
            continue
        with transaction.atomic():
            n = Alert.objects.filter(
                pk=alert.pk, status=AlertStatus.TERBUKA, escalation_level=alert.escalation_level
            ).update(escalation_level=due, escalated_at=now)
            if not n:
                continue  # another worker escalated or someone acknowledged it meanwhile
            record(
                None,
                "alert.escalate",
                alert,
                before={"escalation_level": alert.escalation_level},
                after={"escalation_level": due},
            )
            alert.escalation_level, alert.escalated_at = due, now
            queue_deliveries(alert, now)
        changed.append(alert)
    return changed


def set_status(alert: Alert, status: str, user: Any, now: datetime | None = None) -> Alert:
    now = now or timezone.now()
    with transaction.atomic():
        current = Alert.objects.select_for_update().get(pk=alert.pk)
        if status not in ALERT_TRANSITIONS.get(current.status, set()):
            raise AlertError(
                f"peringatan P-{current.pk} berstatus {current.status}; tidak bisa menjadi {status}"
            )
        before = {"status": current.status}
        current.status = status
        fields = ["status"]
        if status == AlertStatus.DITERIMA:
            current.acknowledged_at, current.acknowledged_by = now, user
            fields += ["acknowledged_at", "acknowledged_by"]
        current.save(update_fields=fields)
        record(user, f"alert.{status}", current, before=before, after={"status": status})
    return current


def acknowledge(alert: Alert, user: Any, now: datetime | None = None) -> Alert:
    return set_status(alert, AlertStatus.DITERIMA, user, now)


def delivery_summary(alert: Alert) -> list[dict[str, Any]]:
    return [
        {"channel": d.channel.name, "status": d.status, "attempts": d.attempts, "last_error": d.last_error}
        for d in alert.deliveries.all()
    ]


__all__ = ["AlertError", "DeliveryStatus", "acknowledge", "escalate_due", "evaluate_rules", "set_status"]
