"""Persistence of the index: imported static indicator tables and daily snapshots."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StaticIndicatorValue(models.Model):
    """One value of a ``static`` indicator for one region, from ``waspada risk import-static``."""

    indicator = models.CharField(_("indicator"), max_length=48)
    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    value = models.FloatField(_("value"))
    source_note = models.CharField(_("source"), max_length=300, blank=True, default="")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["indicator", "region"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "region"], name="one_static_value_per_region")
        ]
        verbose_name = _("static indicator value")
        verbose_name_plural = _("static indicator values")

    def __str__(self) -> str:
        return f"{self.indicator} {self.region_id} = {self.value}"


class IndexSnapshot(models.Model):
    """The index of one region on one date under one configuration version."""

    date = models.DateField(_("date"), db_index=True)
    config_version = models.CharField(_("configuration version"), max_length=32)
    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("score"), null=True, blank=True)
    category = models.CharField(_("category"), max_length=48, blank=True, default="")
    contributions = models.JSONField(_("contributions"), default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "region"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "region", "config_version"], name="one_snapshot_per_date_region_config"
            )
        ]
        indexes = [models.Index(fields=["region", "date"])]
        verbose_name = _("index snapshot")
        verbose_name_plural = _("index snapshots")

    def __str__(self) -> str:
        return f"{self.date} {self.region_id} {self.score}"
