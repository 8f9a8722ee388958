"""Result records of every tier and source, with their versions, and the integrity findings about them.

A :class:`ResultRecord` is what one source (Sirekap, the manual recapitulation, a witness copy, Bawaslu,
KawalPemilu) says about one area (a TPS or a region) of one election — or of one contest of it. Records are
never overwritten: a re-import with other numbers adds version n+1 and marks version n as not current;
a re-import with the same numbers changes nothing. :class:`RecapFinding` holds what the checks of
``waspada.elections.integrity`` found in the current records.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Tier(models.TextChoices):
    TPS = "tps", _("Polling station (TPS)")
    DESA = "desa", _("Village (desa/kelurahan)")
    KECAMATAN = "kecamatan", _("District (kecamatan)")
    KABKOTA = "kabkota", _("Regency/city (kabupaten/kota)")
    PROVINSI = "provinsi", _("Province")


class ResultSource(models.TextChoices):
    SIREKAP = "sirekap", _("Sirekap (KPU)")
    REKAPITULASI = "rekapitulasi", _("Manual recapitulation")
    SAKSI = "saksi", _("Witness copy")
    BAWASLU = "bawaslu", _("Bawaslu")
    KAWALPEMILU = "kawalpemilu", _("KawalPemilu")


#: The C.Hasil / D.Hasil counts of a record, in display order.
COUNT_FIELDS: tuple[str, ...] = (
    "dpt",
    "dpt_male",
    "dpt_female",
    "voters_dpt",
    "voters_dptb",
    "voters_dpk",
    "voters_total",
    "voters_male",
    "voters_female",
    "valid_votes",
    "invalid_votes",
    "total_votes",
    "ballots_received",
    "ballots_used",
    "ballots_unused",
    "ballots_spoiled",
)


def numbers_of(values: dict[str, Any]) -> tuple[object, ...]:
    """:meth:`ResultRecord.numbers` of a record given as a dict of its fields (no model instance needed)."""
    return (
        *(values.get(f) for f in COUNT_FIELDS),
        tuple(sorted((values.get("votes") or {}).items())),
        tuple(sorted((values.get("extra") or {}).items())),
    )


def _count(label: Any) -> Any:
    return models.PositiveIntegerField(label, null=True, blank=True)


class ResultRecord(models.Model):
    election = models.ForeignKey(
        "elections.Election", on_delete=models.CASCADE, related_name="result_records"
    )
    contest = models.ForeignKey(
        "elections.Contest",
        on_delete=models.CASCADE,
        related_name="result_records",
        null=True,
        blank=True,
        help_text=_("empty for an election with one national race (Pilpres)"),
    )
    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices)
    area_code = models.CharField(
        _("area code"), max_length=20, help_text=_("13-digit TPS code, or a dotted region code")
    )
    region_code = models.CharField(
        _("region code"), max_length=13, db_index=True, help_text=_("the region (for a TPS: its desa)")
    )
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=15, choices=ResultSource.choices)

    dpt = _count(_("final voter list (DPT)"))
    dpt_male = _count(_("DPT male"))
    dpt_female = _count(_("DPT female"))
    voters_dpt = _count(_("voters from the DPT"))
    voters_dptb = _count(_("voters from the DPTb"))
    voters_dpk = _count(_("voters from the DPK"))
    voters_total = _count(_("voters"))
    voters_male = _count(_("voters male"))
    voters_female = _count(_("voters female"))
    valid_votes = _count(_("valid votes"))
    invalid_votes = _count(_("invalid votes"))
    total_votes = _count(_("total votes"))
    ballots_received = _count(_("ballots received"))
    ballots_used = _count(_("ballots used"))
    ballots_unused = _count(_("ballots unused"))
    ballots_spoiled = _count(_("ballots spoiled"))
    votes = models.JSONField(_("votes per ballot number"), default=dict, blank=True)
    extra = models.JSONField(_("other counts"), default=dict, blank=True)
    source_timestamp = models.CharField(_("time at the source"), max_length=40, blank=True, default="")

    file_name = models.CharField(_("file"), max_length=255, blank=True, default="")
    row_number = models.PositiveIntegerField(_("row"), null=True, blank=True)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current"), default=True)

    class Meta:
        ordering = ["election", "tier", "area_code", "source", "-version"]
        indexes = [
            models.Index(
                fields=["election", "source", "tier", "area_code", "is_current"], name="result_lookup"
            )
        ]
        verbose_name = _("result record")
        verbose_name_plural = _("result records")

    def __str__(self) -> str:
        return f"{self.area_code} {self.source} v{self.version}"

    def numbers(self) -> tuple[object, ...]:
        """What makes two versions different (not the provenance, not the source's timestamp)."""
        return numbers_of({f: getattr(self, f) for f in (*COUNT_FIELDS, "votes", "extra")})

    def ranked_votes(self) -> list[tuple[str, int | None]]:
        return sorted(self.votes.items(), key=lambda kv: int(kv[0]))


class FindingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    DISMISSED = "dismissed", _("Dismissed")


class FindingKind(models.TextChoices):
    """Which check produced a finding; each kind is recomputed on its own."""

    IMPORT = "import", _("Unreadable cell or row of an imported file")
    TPS = "tps", _("Rules of one result form")
    TIERS = "tiers", _("Tier sums")
    SOURCES = "sources", _("Disagreement between sources")


class RecapFinding(models.Model):
    """One broken rule at one TPS or area, found in the current records of one election and source.

    Findings are recomputed after every import (and by ``waspada elections check-stored``); a finding found
    again keeps its row, its status and the analyst's note; one no longer found is removed. A source
    comparison names both sources (``source`` and ``other_source``)."""

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="findings")
    contest = models.ForeignKey(
        "elections.Contest", on_delete=models.CASCADE, related_name="findings", null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=15, choices=ResultSource.choices)
    other_source = models.CharField(
        _("compared with source"), max_length=15, choices=ResultSource.choices, blank=True, default=""
    )
    kind = models.CharField(_("check"), max_length=10, choices=FindingKind.choices, default=FindingKind.TPS)
    rule = models.CharField(_("rule"), max_length=20, db_index=True)
    severity = models.CharField(_("severity"), max_length=10, db_index=True)
    area_code = models.CharField(_("TPS or area code"), max_length=20, db_index=True)
    region_code = models.CharField(_("region code"), max_length=13, db_index=True, blank=True, default="")
    values = models.JSONField(_("values"), default=dict, blank=True)
    message = models.TextField(_("message"))
    suggested = models.JSONField(_("suggested correction"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=15, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    status_note = models.TextField(_("analyst's note"), blank=True, default="")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    found_at = models.DateTimeField(_("found at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["election", "rule", "area_code"]
        indexes = [
            models.Index(fields=["election", "contest", "source", "kind"], name="finding_scope"),
        ]
        verbose_name = _("recapitulation finding")
        verbose_name_plural = _("recapitulation findings")

    def __str__(self) -> str:
        return f"{self.rule} {self.area_code}"
