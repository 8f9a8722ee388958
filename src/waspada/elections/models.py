"""Elections, contests and candidates, with the officially determined totals per contest.

Result records per tier and source (TPS → provinsi, Sirekap / recapitulation / witness copies) build on
these models.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class ElectionKind(models.TextChoices):
    PILKADA = "pilkada", _("Regional election (Pilkada)")
    PEMILU = "pemilu", _("General election (Pemilu)")


class Office(models.TextChoices):
    GUBERNUR = "gubernur", _("Governor")
    BUPATI = "bupati", _("Regent (bupati)")
    WALIKOTA = "walikota", _("Mayor (wali kota)")
    PRESIDEN = "presiden", _("President")


class Election(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=ElectionKind.choices)
    voting_date = models.DateField(_("voting day"))

    class Meta:
        ordering = ["-voting_date", "code"]
        verbose_name = _("election")
        verbose_name_plural = _("elections")

    def __str__(self) -> str:
        return self.name


class Contest(models.Model):
    """One race: an office in a region, e.g. the Bupati of Nunukan in Pilkada 2024."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="contests")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="contests")
    office = models.CharField(_("office"), max_length=10, choices=Office.choices)
    single_candidate = models.BooleanField(_("single candidate (against the empty box)"), default=False)
    dpt = models.PositiveIntegerField(_("final voter list (DPT)"), null=True, blank=True)
    tps_count = models.PositiveIntegerField(_("polling stations (TPS)"), null=True, blank=True)
    valid_votes = models.PositiveIntegerField(_("valid votes"), null=True, blank=True)
    invalid_votes = models.PositiveIntegerField(_("invalid votes"), null=True, blank=True)
    determined_on = models.DateField(_("result determined on"), null=True, blank=True)
    determination = models.CharField(_("determination decree"), max_length=300, blank=True, default="")
    mk_case = models.CharField(_("Constitutional Court case"), max_length=300, blank=True, default="")
    mk_outcome = models.CharField(_("Constitutional Court outcome"), max_length=300, blank=True, default="")
    notes = models.TextField(_("notes and sources"), blank=True, default="")

    class Meta:
        ordering = ["election", "region"]
        constraints = [
            models.UniqueConstraint(fields=["election", "region", "office"], name="one_contest_per_office")
        ]
        verbose_name = _("contest")
        verbose_name_plural = _("contests")

    def __str__(self) -> str:
        return f"{self.get_office_display()} {self.region.name} ({self.election.code})"

    def ranked_candidates(self) -> list[Candidate]:
        return sorted(self.candidates.all(), key=lambda c: (-(c.votes or 0), c.ballot_no or 99))

    @property
    def margin(self) -> int | None:
        """Votes between the first and the second candidate, when both totals are known."""
        ranked = [c.votes for c in self.ranked_candidates()]
        if len(ranked) < 2 or ranked[0] is None or ranked[1] is None:
            return None
        return ranked[0] - ranked[1]


class Candidate(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="candidates")
    ballot_no = models.PositiveSmallIntegerField(_("ballot number"), null=True, blank=True)
    names = models.CharField(_("candidate pair"), max_length=200)
    acronym = models.CharField(_("short name"), max_length=40, blank=True, default="")
    parties = models.CharField(_("supporting parties"), max_length=200, blank=True, default="")
    is_empty_box = models.BooleanField(_("empty box (kotak kosong)"), default=False)
    is_winner = models.BooleanField(_("winner"), default=False)
    votes = models.PositiveIntegerField(_("votes"), null=True, blank=True)

    class Meta:
        ordering = ["contest", "ballot_no", "names"]
        verbose_name = _("candidate pair")
        verbose_name_plural = _("candidate pairs")

    def __str__(self) -> str:
        return f"{self.ballot_no or '-'} {self.names}"


class ElectionStage(models.Model):
    """One stage (tahapan) of an election's calendar, with the weight the risk index gives it.

    Stages overlap (the recaps of three tiers run at once); :mod:`waspada.elections.calendar` picks the
    riskiest stage covering a date. ``ends_on`` empty = the end is not fixed yet (e.g. re-votes)."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="stages")
    code = models.SlugField(_("code"), max_length=40)
    name_id = models.CharField(_("name (Indonesian)"), max_length=160)
    name_en = models.CharField(_("name (English)"), max_length=160, blank=True, default="")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(
        _("ends on"), null=True, blank=True, help_text=_("inclusive; empty if not fixed")
    )
    risk_weight = models.FloatField(
        _("risk weight"),
        default=0.5,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=_("0 (no added risk) to 1 (highest); used by the vulnerability index"),
    )
    notes = models.TextField(_("notes and sources"), blank=True, default="")

    class Meta:
        ordering = ["election", "starts_on", "code"]
        constraints = [
            models.UniqueConstraint(fields=["election", "code"], name="one_stage_code_per_election"),
            models.CheckConstraint(
                condition=models.Q(risk_weight__gte=0.0) & models.Q(risk_weight__lte=1.0),
                name="stage_risk_weight_0_1",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="stage_ends_after_start",
            ),
        ]
        verbose_name = _("election stage")
        verbose_name_plural = _("election stages")

    def __str__(self) -> str:
        return f"{self.name_id} ({self.election.code})"


from waspada.elections.results import FindingStatus, RecapFinding, ResultRecord, ResultSource, Tier  # noqa: E402, F401, I001
