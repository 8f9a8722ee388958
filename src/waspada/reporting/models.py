"""Stored situation reports (the scheduled ones, the demo's, and those saved from the page) and their
distribution to the alert channels, one row per channel with every attempt counted."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Period(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class Sitrep(models.Model):
    """A PDF situation report kept in the data directory. Readable by anyone whose scope covers its region."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("period"), max_length=10, choices=Period.choices)
    date = models.DateField(_("last day covered"))
    scheduled = models.BooleanField(_("made on schedule"), default=False)
    file = models.FileField(upload_to="laporan-situasi/%Y/%m/")
    size = models.PositiveIntegerField(default=0)
    pages = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("situation report")
        verbose_name_plural = _("situation reports")
        constraints = [
            # The worker makes the scheduled report of a day once, however many workers run.
            models.UniqueConstraint(
                fields=["region", "period", "date"],
                condition=models.Q(scheduled=True),
                name="one_scheduled_sitrep_per_region_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.region_id} {self.date}"


class SitrepDeliveryStatus(models.TextChoices):
    RETRYING = "retrying", _("Retrying")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class SitrepDelivery(models.Model):
    """One stored report to one alert channel (email with the PDF attached)."""

    sitrep = models.ForeignKey(Sitrep, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.ForeignKey("alerts.Channel", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        max_length=10,
        choices=SitrepDeliveryStatus.choices,
        default=SitrepDeliveryStatus.RETRYING,
        db_index=True,
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["sitrep", "channel"], name="one_delivery_per_sitrep_channel")
        ]
        verbose_name = _("situation report delivery")
        verbose_name_plural = _("situation report deliveries")

    def __str__(self) -> str:
        return f"{self.sitrep_id} → {self.channel_id}: {self.status}"
