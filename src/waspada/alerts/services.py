"""Alert lifecycle against the database: raising and growing alerts, routing them to channels and people,
escalation, and the status steps terbuka → diterima → ditangani → selesai. Every state change writes an
audit row in the same transaction."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from waspada.accounts.audit import record
from waspada.accounts.models import Profile, Role
from waspada.alerts import routing
from waspada.alerts.delivery import schedule
from waspada.alerts.facts import Situation
from waspada.alerts.models import (
    ALERT_TRANSITIONS,
    Alert,
    AlertRule,
    AlertStatus,
    Channel,
    Delivery,
    DeliveryStatus,
)
from waspada.regions.models import Region

# Who a channel that reaches people by role emails when neither the channel nor the rule names roles.
DEFAULT_ROLES = (Role.KOORDINATOR, Role.ANALIS)


class AlertError(Exception):
    """A refused lifecycle step; the message is for the user (Bahasa Indonesia)."""


def _evidence(situation: Situation, ids: list[int] | None = None) -> dict[str, Any]:
    evidence: dict[str, Any] = {}
    chosen = ids if ids is not None else list(situation.evidence)
    if chosen:
        evidence[situation.evidence_kind] = chosen
    if situation.detail:
        evidence["detail"] = dict(situation.detail)
    return evidence


def raise_alert(rule: AlertRule, situation: Situation, now: datetime | None = None) -> Alert | None:
    """Create the alert and its first deliveries, unless an open alert holds the same key or one was raised
    within the cooldown (checked again under a lock on the rule, so two workers cannot both raise it)."""
    now = now or timezone.now()
    region = Region.objects.filter(pk=situation.region_code).only("code", "name", "level").first()
    if region is None:
        return None
    with transaction.atomic():
        AlertRule.objects.select_for_update().filter(pk=rule.pk).first()
        same = Alert.objects.filter(rule=rule, group_key=situation.group_key)
        cooldown_start = now - timedelta(minutes=rule.cooldown_minutes)
        if (
            same.filter(created_at__gte=cooldown_start).exists()
            or same.exclude(status=AlertStatus.SELESAI).exists()
        ):
            return None
        alert = Alert.objects.create(
            rule=rule,
            region=region,
            summary=situation.summary[:300],
            created_at=now,
            group_key=situation.group_key,
            evidence=_evidence(situation),
        )
        record(
            None,
            "alert.raise",
            alert,
            after={"rule": rule.name, "group_key": situation.group_key, "summary": alert.summary},
        )
        queue_deliveries(alert, now)
    return alert


def grow_alert(rule: AlertRule, situation: Situation, now: datetime | None = None) -> Alert | None:
    """An open alert of the same situation takes in the new evidence (no second alert, no new message)."""
    with transaction.atomic():
        alert = (
            Alert.objects.select_for_update()
            .filter(rule=rule, group_key=situation.group_key)
            .exclude(status=AlertStatus.SELESAI)
            .order_by("-created_at")
            .first()
        )
        if alert is None:
            return None
        evidence = alert.evidence if isinstance(alert.evidence, dict) else {}
        had = [i for i in evidence.get(situation.evidence_kind, []) if isinstance(i, int)]
        added = sorted(set(situation.evidence) - set(had))
        if not added:
            return None
        alert.evidence = {**evidence, **_evidence(situation, sorted({*had, *added}))}
        alert.summary = situation.summary[:300]
        alert.save(update_fields=["evidence", "summary"])
        record(None, "alert.group", alert, after={situation.evidence_kind: added, "summary": alert.summary})
    return alert


def people_with_roles(roles: frozenset[str]) -> list[tuple[routing.Person, Any]]:
    """Active users with an email address whose profile has one of ``roles``, as routing persons."""
    profiles = (
        Profile.objects.filter(role__in=roles, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
    )
    return [(routing.Person(p.user_id, p.role, p.scope_id, p.user.email), p.user) for p in profiles]


def profile_roles(channel: Channel, rule_roles: frozenset[str]) -> frozenset[str]:
    """The roles a channel reaches: its own and the rule's in common, else either, else the defaults."""
    mine = frozenset(channel.roles or ())
    if mine and rule_roles:
        return mine & rule_roles
    return mine or rule_roles or frozenset(DEFAULT_ROLES)


def queue_deliveries(alert: Alert, now: datetime | None = None) -> list[Delivery]:
    """A delivery for each channel, and each person reached through a channel by role, that should hear
    about the alert at its escalation level and has not yet; each gets its sending task."""
    now = now or timezone.now()
    rule_roles = frozenset(alert.rule.recipient_roles or ())
    # A channel disabled after a permanent failure still gets its deliveries, which fail at once and show
    # on the alert: a broken channel is never silent. One an administrator switched off (no reason) does not.
    channels = list(Channel.objects.filter(Q(enabled=True) | ~Q(disabled_reason="")))
    specs = [routing.ChannelSpec(c.pk, c.scope_code, True, frozenset(c.roles or ())) for c in channels]
    wanted = set(routing.channels_for(alert.region_id, alert.escalation_level, specs, rule_roles))
    done = set(Delivery.objects.filter(alert=alert).values_list("channel_id", "address"))
    created: list[Delivery] = []
    reached: list[str] = []

    def add(channel: Channel, address: str = "", user: Any = None) -> None:
        if (channel.pk, address) in done:
            return
        done.add((channel.pk, address))
        created.append(
            Delivery.objects.create(
                alert=alert,
                channel=channel,
                recipient=user,
                address=address,
                escalation_level=alert.escalation_level,
                next_attempt_at=now,
            )
        )
        reached.append(f"{channel.name} → {user.get_username()}" if user is not None else channel.name)

    for channel in channels:
        if channel.pk not in wanted:
            continue
        config = channel.config if isinstance(channel.config, dict) else {}
        if channel.kind == "email" and config.get("profiles"):
            people = people_with_roles(profile_roles(channel, rule_roles))
            chosen = set(
                routing.people_for(
                    alert.region_id,
                    alert.escalation_level,
                    [p for p, _ in people],
                    profile_roles(channel, rule_roles),
                )
            )
            for person, user in people:
                if person.user_id in chosen:
                    add(channel, person.address, user)
            if config.get("to"):
                add(channel)
        else:
            add(channel)
    for delivery in created:
        schedule(delivery)
    if created:
        record(
            None,
            "alert.notify",
            alert,
            after={"escalation_level": alert.escalation_level, "to": reached},
        )
    return created


def escalate_due(now: datetime | None = None) -> list[Alert]:
    """Raise the escalation level of alerts nobody acknowledged in time, and notify the next level up."""
    now = now or timezone.now()
    changed = []
    for alert in Alert.objects.filter(
        status=AlertStatus.TERBUKA, escalation_level__lt=routing.MAX_ESCALATION
    ).select_related("rule"):
        state = routing.EscalationState(alert.created_at, alert.escalation_level, False, alert.escalated_at)
        ceiling = routing.max_escalation(alert.region_id)
        due = routing.escalation_due(state, timedelta(minutes=alert.rule.ack_timeout_minutes), now, ceiling)
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
                after={
                    "escalation_level": due,
                    "addressed_to_level": routing.target_level(alert.region_id, due),
                },
            )
            alert.escalation_level, alert.escalated_at = due, now
            queue_deliveries(alert, now)
        changed.append(alert)
    return changed


def set_status(alert: Alert, status: str, user: Any, now: datetime | None = None, note: str = "") -> Alert:
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
        if status == AlertStatus.DITERIMA or (
            status != AlertStatus.TERBUKA and current.acknowledged_at is None
        ):
            current.acknowledged_at, current.acknowledged_by = now, user
            fields += ["acknowledged_at", "acknowledged_by"]
        current.save(update_fields=fields)
        record(user, f"alert.{status}", current, before=before, after={"status": status}, note=note[:2000])
    return current


def acknowledge(alert: Alert, user: Any, now: datetime | None = None) -> Alert:
    return set_status(alert, AlertStatus.DITERIMA, user, now)


def delivery_summary(alert: Alert) -> list[dict[str, Any]]:
    return [
        {"channel": d.channel.name, "status": d.status, "attempts": d.attempts, "last_error": d.last_error}
        for d in alert.deliveries.all()
    ]


__all__ = [
    "AlertError",
    "DeliveryStatus",
    "acknowledge",
    "escalate_due",
    "grow_alert",
    "queue_deliveries",
    "raise_alert",
    "set_status",
]
