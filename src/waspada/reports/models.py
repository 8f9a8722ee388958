"""Field reports (laporan) and the incidents (kejadian) analysts confirm from them.

The reporter's identity lives in ``Reporter``, apart from the report; everywhere but the coordinator's
and administrator's views a report shows only the reporter's pseudonym.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waspada import taxonomy


def _pseudonym() -> str:
    return "P-" + secrets.token_hex(4).upper()


class Reporter(models.Model):
    """Who sent reports. Sensitive (UU 27/2022): only Koordinator and Admin may see name and contacts."""

    pseudonym = models.CharField(max_length=12, unique=True, default=_pseudonym)
    name = models.CharField(_("name"), max_length=120, blank=True, default="")
    phone = models.CharField(_("phone"), max_length=32, blank=True, default="", db_index=True)
    chat_id = models.CharField(_("chat id"), max_length=64, blank=True, default="", db_index=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="reporter"
    )
    trusted = models.BooleanField(_("registered and trusted"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reporter")
        verbose_name_plural = _("reporters")

    def __str__(self) -> str:
        return self.pseudonym


class ReportStatus(models.TextChoices):
    BARU = "baru", _("New")
    PERLU_KLARIFIKASI = "perlu_klarifikasi", _("Needs clarification")
    TERVERIFIKASI = "terverifikasi", _("Verified")
    DITOLAK = "ditolak", _("Rejected")
    DIGABUNG = "digabung", _("Merged")


class IncidentStatus(models.TextChoices):
    AKTIF = "aktif", _("Active")
    DITANGANI = "ditangani", _("Being handled")
    SELESAI = "selesai", _("Closed")


class CodedEvent(models.Model):
    """Fields shared by a report and an incident: the ACLED-style coding of one event."""

    event_type = models.CharField(_("event type"), max_length=40, choices=taxonomy.event_type_choices)
    threat_domain = models.CharField(
        _("threat domain"), max_length=12, choices=taxonomy.threat_domain_choices, blank=True, default=""
    )
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    geo_precision = models.PositiveSmallIntegerField(
        _("location precision"), choices=taxonomy.geo_precision_choices, default=1
    )
    lon = models.FloatField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    occurred_at = models.DateTimeField(_("occurred at"), db_index=True)
    time_precision = models.PositiveSmallIntegerField(
        _("time precision"), choices=taxonomy.time_precision_choices, default=1
    )
    description = models.TextField(_("description"))
    actors = models.JSONField(_("actors"), default=list, blank=True)
    killed = models.PositiveIntegerField(_("killed"), default=0)
    injured = models.PositiveIntegerField(_("injured"), default=0)
    buildings_damaged = models.PositiveIntegerField(_("buildings damaged"), default=0)
    displaced = models.PositiveIntegerField(_("displaced"), default=0)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=taxonomy.urgency_choices, default="sedang"
    )
    is_simulated = models.BooleanField(
        _("simulation"), default=False, help_text=_("Written for the demo or training; not a real event.")
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Incident(CodedEvent):
    title = models.CharField(_("title"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=IncidentStatus.choices,
        default=IncidentStatus.AKTIF,
        db_index=True,
    )
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="incidents")

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def number(self) -> str:
        return f"K-{self.pk}"


class Report(CodedEvent):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client_id = models.CharField(max_length=64, blank=True, default="", db_index=True)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="reports")
    reporter = models.ForeignKey(
        Reporter, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=taxonomy.channel_choices, default="web")
    source_reliability = models.CharField(
        _("source reliability"),
        max_length=20,
        choices=taxonomy.source_reliability_choices,
        default=taxonomy.DEFAULT_SOURCE_RELIABILITY,
    )
    language = models.CharField(_("language"), max_length=8, default="id")
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.BARU, db_index=True
    )
    status_reason = models.TextField(_("reason for the status"), blank=True, default="")
    incident = models.ForeignKey(
        Incident, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    # Review workflow: who is assigned, and a short edit lock so two analysts never work on one report.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    locked_until = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Where it came from: the raw inbound message, or an article address for media findings.
    inbound_message = models.ForeignKey(
        "InboundMessage", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    source_url = models.URLField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["region", "occurred_at"]),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        """The report number shown to people and sent in replies."""
        return f"L-{self.pk}"


class Attachment(models.Model):
    """A photo or document attached to a report. Images are re-encoded without metadata (no GPS/EXIF)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="lampiran/%Y/%m/")
    kind = models.CharField(max_length=10, choices=[("photo", _("photo")), ("document", _("document"))])
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    original_name = models.CharField(max_length=200, blank=True, default="")
    client_id = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "client_id"],
                condition=~models.Q(client_id=""),
                name="one_attachment_per_client_id",
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_id}/{self.original_name or self.pk}"


class InboundStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Report created")
    FOLLOW_UP = "follow_up", _("Waiting for the sender's answer")
    REJECTED = "rejected", _("Could not be read")
    IGNORED = "ignored", _("Ignored")


class InboundMessage(models.Model):
    """A raw message from a gateway, stored before anything else is done with it.

    ``sender`` is identity data (a phone number or chat id): only Koordinator and Admin may see it."""

    channel = models.CharField(max_length=10, choices=taxonomy.channel_choices)
    external_id = models.CharField(max_length=100)
    sender = models.CharField(max_length=64, db_index=True)
    text = models.TextField(blank=True, default="")
    payload = models.JSONField(default=dict, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    status = models.CharField(max_length=10, choices=InboundStatus.choices, default=InboundStatus.RECEIVED)
    problem = models.TextField(blank=True, default="")
    reply = models.TextField(blank=True, default="")
    reporter = models.ForeignKey(Reporter, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("inbound message")
        verbose_name_plural = _("inbound messages")
        constraints = [
            models.UniqueConstraint(fields=["channel", "external_id"], name="one_inbound_per_external_id")
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.external_id}"


class Conversation(models.Model):
    """A report waiting for one missing field from a message sender (a follow-up question was sent)."""

    channel = models.CharField(max_length=10, choices=taxonomy.channel_choices)
    sender = models.CharField(max_length=64)
    draft = models.JSONField(default=dict)
    missing = models.CharField(max_length=20)
    first_message = models.ForeignKey(InboundMessage, on_delete=models.CASCADE, related_name="+")
    expires_at = models.DateTimeField()
    closed = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["channel", "sender", "closed"])]

    def __str__(self) -> str:
        return f"{self.channel}:{self.missing}"


class IdempotencyRecord(models.Model):
    """The first answer to an ``Idempotency-Key``: the same key and body get the same report back."""

    scope = models.CharField(max_length=80)  # who sent it: "user:<id>" or "client:<id>"
    key = models.CharField(max_length=200)
    body_sha256 = models.CharField(max_length=64)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="one_record_per_idempotency_key")
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"
