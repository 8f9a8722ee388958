"""Alert rules, alerts, notification channels, delivery attempts and response actions (tindak lanjut)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pydantic import ValidationError as PydanticError

from waspada.alerts.schemas import validate_config, validate_params, validation_message


class RuleKind(models.TextChoices):
    INCIDENT_COUNT = "incident_count", _("N verified incidents within T hours")
    CASUALTIES = "casualties", _("Incident with deaths or injuries")
    URGENT_REPORT = "urgent_report", _("Urgent report from a trusted reporter")
    CATEGORY_RISE = "category_rise", _("Index category rises")
    CLOSE_CONTEST = "close_contest", _("Contest within Pasal 158 or MK filing")
    RECAP_FINDING = "recap_finding", _("High-severity recapitulation finding")
    NEWS_SPIKE = "news_spike", _("News volume far above the region's baseline")
    OVERDUE_ACTION = "overdue_action", _("Response action past its due date")


class AlertRule(models.Model):
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=RuleKind.choices)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    scope_code = models.CharField(_("region scope"), max_length=13, blank=True, default="")
    level = models.PositiveSmallIntegerField(
        _("grouping level"), null=True, blank=True, help_text=_("1 province … 4 village; empty = own region")
    )
    cooldown_minutes = models.PositiveIntegerField(_("cooldown (minutes)"), default=360)
    ack_timeout_minutes = models.PositiveIntegerField(_("acknowledgement timeout (minutes)"), default=30)
    recipient_roles = models.JSONField(
        _("recipient roles"),
        default=list,
        blank=True,
        help_text=_("Roles that must hear about this rule's alerts; empty = every channel in scope."),
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name"], name="one_alert_rule_per_name")]
        verbose_name = _("alert rule")
        verbose_name_plural = _("alert rules")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        try:
            validate_params(self.kind, self.params or {})
        except (PydanticError, ValueError) as exc:
            raise ValidationError({"params": validation_message(exc)}) from None
        except KeyError:
            raise ValidationError({"kind": _("Unknown rule kind.")}) from None
        if self.level is not None and not 1 <= self.level <= 4:
            raise ValidationError({"level": _("Level must be between 1 and 4.")})
        _check_roles(self.recipient_roles, "recipient_roles")


def _check_roles(value: object, field: str) -> None:
    from waspada.accounts.models import Role

    if not isinstance(value, list) or any(r not in Role.values for r in value):
        raise ValidationError({field: _("A list of roles: %(roles)s.") % {"roles": ", ".join(Role.values)}})


class AlertStatus(models.TextChoices):
    TERBUKA = "terbuka", _("Open")
    DITERIMA = "diterima", _("Acknowledged")
    DITANGANI = "ditangani", _("Being handled")
    SELESAI = "selesai", _("Closed")


ALERT_TRANSITIONS: dict[str, set[str]] = {
    AlertStatus.TERBUKA: {AlertStatus.DITERIMA, AlertStatus.SELESAI},
    AlertStatus.DITERIMA: {AlertStatus.DITANGANI, AlertStatus.SELESAI},
    AlertStatus.DITANGANI: {AlertStatus.SELESAI},
    AlertStatus.SELESAI: set(),
}


class Alert(models.Model):
    rule = models.ForeignKey(AlertRule, on_delete=models.PROTECT, related_name="alerts")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=AlertStatus.choices, default=AlertStatus.TERBUKA, db_index=True
    )
    summary = models.CharField(_("summary"), max_length=300, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    escalated_at = models.DateTimeField(null=True, blank=True)
    group_key = models.CharField(max_length=200, db_index=True)
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")

    def __str__(self) -> str:
        return f"P-{self.pk} {self.rule} {self.region_id}"


class ChannelKind(models.TextChoices):
    EMAIL = "email", _("Email")
    WEBHOOK = "webhook", _("Webhook")
    TELEGRAM = "telegram", _("Telegram")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SMS = "sms", _("SMS")


class Channel(models.Model):
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=ChannelKind.choices)
    config = models.JSONField(_("configuration"), default=dict)
    roles = models.JSONField(_("recipient roles"), default=list, blank=True)
    scope_code = models.CharField(
        _("region scope"),
        max_length=13,
        blank=True,
        default="",
        help_text=_(
            "Hears alerts in this region once they are addressed to its level; empty = every alert at once."
        ),
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    disabled_reason = models.TextField(_("why it was disabled"), blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("notification channel")
        verbose_name_plural = _("notification channels")

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"

    def clean(self) -> None:
        try:
            validate_config(self.kind, self.config or {})
        except (PydanticError, ValueError) as exc:
            raise ValidationError({"config": validation_message(exc)}) from None
        except KeyError:
            raise ValidationError({"kind": _("Unknown channel kind.")}) from None
        _check_roles(self.roles, "roles")


class DeliveryStatus(models.TextChoices):
    RETRYING = "retrying", _("Retrying")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    """One alert to one channel. ``retrying`` covers both "not yet sent" and "temporary failure, will retry"."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="deliveries")
    # A channel that reaches people by role sends one delivery per person, to the address they had then.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    address = models.CharField(max_length=254, blank=True, default="")
    # Addresses already sent to (a channel with several numbers): a retry never sends to them again.
    sent_to = models.JSONField(default=list, blank=True)
    escalation_level = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.RETRYING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "channel"],
                condition=models.Q(address=""),
                name="one_delivery_per_alert_channel",
            ),
            models.UniqueConstraint(
                fields=["alert", "channel", "address"],
                condition=~models.Q(address=""),
                name="one_delivery_per_alert_channel_address",
            ),
        ]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.alert_id} → {self.channel_id}: {self.status}"


class DeliveryAttempt(models.Model):
    """Every attempt is a row: when, the result, the error text."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField(default=timezone.now)
    ok = models.BooleanField()
    permanent = models.BooleanField(default=False)
    error = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.at:%Y-%m-%d %H:%M} {'ok' if self.ok else self.error[:40]}"


class ActionKind(models.TextChoices):
    MEDIASI = "mediasi", _("Mediation")
    PATROLI = "patroli", _("Patrol")
    DIALOG_TOKOH = "dialog_tokoh", _("Dialogue with religious/customary leaders")
    KLARIFIKASI_HOAKS = "klarifikasi_hoaks", _("Hoax clarification")
    RAPAT_KOORDINASI = "rapat_koordinasi", _("Coordination meeting")
    REKOMENDASI = "rekomendasi", _("Recommendation to the head of region")


class ActionStatus(models.TextChoices):
    DIRENCANAKAN = "direncanakan", _("Planned")
    BERJALAN = "berjalan", _("In progress")
    SELESAI = "selesai", _("Done")
    BATAL = "batal", _("Cancelled")


OPEN_ACTION_STATUSES = (ActionStatus.DIRENCANAKAN, ActionStatus.BERJALAN)
ACTION_TRANSITIONS: dict[str, set[str]] = {
    ActionStatus.DIRENCANAKAN: {ActionStatus.BERJALAN, ActionStatus.SELESAI, ActionStatus.BATAL},
    ActionStatus.BERJALAN: {ActionStatus.SELESAI, ActionStatus.BATAL},
    ActionStatus.SELESAI: set(),
    ActionStatus.BATAL: set(),
}


class ResponseAction(models.Model):
    """Tindak lanjut: what was done about an alert or an incident, by whom, by when, with what outcome."""

    alert = models.ForeignKey(Alert, null=True, blank=True, on_delete=models.CASCADE, related_name="actions")
    incident = models.ForeignKey(
        "reports.Incident", null=True, blank=True, on_delete=models.CASCADE, related_name="response_actions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ActionKind.choices)
    description = models.TextField(_("what is to be done"), blank=True, default="")
    agency = models.CharField(_("responsible agency"), max_length=200)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.DIRENCANAKAN
    )
    outcome = models.TextField(_("outcome"), blank=True, default="")
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(alert__isnull=False) | models.Q(incident__isnull=False),
                name="response_action_has_subject",
            )
        ]
        verbose_name = _("response action")
        verbose_name_plural = _("response actions")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.agency}"

    @property
    def region_code(self) -> str:
        """The region the action is about: its incident's, else its alert's."""
        subject = self.incident if self.incident_id else self.alert
        return str(subject.region_id) if subject is not None else ""

    def is_overdue(self, today: date) -> bool:
        return self.due_date is not None and self.due_date < today and self.status in OPEN_ACTION_STATUSES


class JobSchedule(models.Model):
    """When each job of ``waspada.core.jobs.JOBS`` is next due. A worker enqueues a job only after moving
    ``next_run_at`` on with a conditional update, so several workers never enqueue one run twice."""

    name = models.CharField(max_length=80, unique=True)
    next_run_at = models.DateTimeField(default=timezone.now)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_result = models.JSONField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["name"]
        verbose_name = _("worker job")
        verbose_name_plural = _("worker jobs")

    def __str__(self) -> str:
        return self.name
