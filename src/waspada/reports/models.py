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
        return f"K-{self.pk} {self.title}"


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
    incident = models.ForeignKey(
        Incident, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"L-{self.pk}"
