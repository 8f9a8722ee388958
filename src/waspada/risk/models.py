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
        indexes = [
            models.Index(fields=["region", "date"]),
            # latest.snapshot_stamp(): the newest created_at, on every map data request
            models.Index(fields=["created_at"], name="risk_snapshot_created_idx"),
        ]
        verbose_name = _("index snapshot")
        verbose_name_plural = _("index snapshots")

    def __str__(self) -> str:
        return f"{self.date} {self.region_id} {self.score}"


class BacktestRun(models.Model):
    """The summary of one rolling-origin backtest of the 14-day forecast: the model's Brier score and
    AUC-PR against the two baselines, and whether it beats them (``waspada risk backtest`` and the worker)."""

    class Source(models.TextChoices):
        CLI = "cli", _("command line")
        WORKER = "worker", _("worker")

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.CLI)
    simulated = models.BooleanField(_("simulated history"), default=False)
    as_of = models.DateField(_("end of the history"), null=True, blank=True)
    config_version = models.CharField(_("configuration version"), max_length=32, blank=True, default="")
    regions = models.PositiveIntegerField(_("regions"))
    periods = models.PositiveIntegerField(_("periods"))
    origins = models.PositiveIntegerField(_("origins"))
    forecasts = models.PositiveIntegerField(_("forecasts"))
    base_rate = models.FloatField(_("base rate"))
    model_brier = models.FloatField(null=True, blank=True)
    model_auc_pr = models.FloatField(null=True, blank=True)
    no_change_brier = models.FloatField(null=True, blank=True)
    no_change_auc_pr = models.FloatField(null=True, blank=True)
    historical_brier = models.FloatField(null=True, blank=True)
    historical_auc_pr = models.FloatField(null=True, blank=True)
    beats_no_change = models.BooleanField(_("beats 'no change'"))
    beats_historical = models.BooleanField(_("beats the historical rate"))
    calibration = models.JSONField(_("calibration tables"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("forecast backtest")
        verbose_name_plural = _("forecast backtests")

    def __str__(self) -> str:
        verdict = "beats" if self.beats_no_change else "does not beat"
        return f"backtest {self.created_at:%Y-%m-%d}: model {verdict} no change"


class ForecastValue(models.Model):
    """P(≥ 1 verified incident within the 14 days after ``date``) for one kecamatan."""

    date = models.DateField(_("date"), db_index=True)
    config_version = models.CharField(_("configuration version"), max_length=32)
    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField(_("probability"))
    incidents_last_period = models.PositiveIntegerField(default=0)
    neighbour_incidents_last_period = models.PositiveIntegerField(default=0)
    backtest = models.ForeignKey(
        BacktestRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="forecasts_made"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "region"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "region", "config_version"], name="one_forecast_per_date_region_config"
            )
        ]
        indexes = [models.Index(fields=["region", "date"])]
        verbose_name = _("forecast")
        verbose_name_plural = _("forecasts")

    def __str__(self) -> str:
        return f"{self.date} {self.region_id} p={self.probability:.3f}"

    @property
    def percent(self) -> float:
        return 100.0 * self.probability


class RecomputeState(models.Model):
    """One row (id 1): whether the index must be recomputed, and which worker is computing it now.

    ``dirty_at`` is set when a verified incident or a stored finding changes; a worker claims the run with
    a conditional UPDATE of ``running_since`` (so two workers never compute at once) and clears
    ``dirty_at`` only when nothing marked it after the run started."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    dirty_at = models.DateTimeField(null=True, blank=True)
    dirty_reason = models.CharField(max_length=200, blank=True, default="")
    running_since = models.DateTimeField(null=True, blank=True)
    running_token = models.CharField(max_length=64, blank=True, default="")
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_date = models.DateField(null=True, blank=True)
    last_config_version = models.CharField(max_length=32, blank=True, default="")
    last_error = models.TextField(blank=True, default="")

    class Meta:
        verbose_name = _("index recomputation state")
        verbose_name_plural = _("index recomputation state")

    def __str__(self) -> str:
        return f"recompute: dirty since {self.dirty_at}, last run {self.last_finished_at}"
