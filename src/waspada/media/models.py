"""News sources, their polls, the articles read from them, and the analysis of each article.

An article that copies another (exactly, or a syndicated near-copy) is kept and linked to the first copy
(``duplicate_of``); only first copies are analysed and can become a candidate report in the review queue.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waspada import taxonomy


class SourceKind(models.TextChoices):
    FEED = "feed", _("RSS/Atom feed")
    PAGE = "page", _("Article page")


class Source(models.Model):
    """A feed or an article page that is polled every ``poll_minutes``, with its health."""

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=8, choices=SourceKind.choices, default=SourceKind.FEED)
    url = models.URLField(_("address"), max_length=1000, unique=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    poll_minutes = models.PositiveIntegerField(_("poll interval (minutes)"), default=30)
    province_focus = models.ForeignKey(
        "regions.Region",
        verbose_name=_("province focus"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"level": 1},
        help_text=_("Ambiguous place names are read as places of this province first."),
    )
    reliability = models.CharField(
        _("source reliability"),
        max_length=20,
        choices=taxonomy.source_reliability_choices,
        default="cukup",
    )
    is_simulated = models.BooleanField(
        _("simulation"), default=False, help_text=_("Demo or training source: its findings are simulated.")
    )
    # Health, written by every poll.
    next_poll_at = models.DateTimeField(_("next poll"), null=True, blank=True, db_index=True)
    last_polled_at = models.DateTimeField(_("last poll"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True, default="")
    consecutive_failures = models.PositiveIntegerField(_("consecutive failures"), default=0)
    # Conditional requests: what the server sent last time.
    etag = models.CharField(max_length=300, blank=True, default="")
    last_modified = models.CharField(max_length=100, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("news source")
        verbose_name_plural = _("news sources")

    def __str__(self) -> str:
        return self.name

    def items_per_day(self, days: int = 7) -> float:
        """New articles per day over the last ``days`` days (first copies and duplicates alike)."""
        since = timezone.now() - timedelta(days=days)
        count = self.articles.filter(created_at__gte=since).exclude(status=ArticleStatus.SKIPPED).count()
        return round(count / days, 1)


class PollOutcome(models.TextChoices):
    OK = "ok", _("Read")
    NOT_MODIFIED = "not_modified", _("Not modified (304)")
    FAILED = "failed", _("Failed")


class Poll(models.Model):
    """One poll of one source: what came of it, and every item that was skipped with its reason."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="polls")
    started_at = models.DateTimeField(default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=14, choices=PollOutcome.choices)
    reason = models.TextField(blank=True, default="")
    items_seen = models.PositiveIntegerField(default=0)
    items_new = models.PositiveIntegerField(default=0)
    items_duplicate = models.PositiveIntegerField(default=0)
    items_skipped = models.PositiveIntegerField(default=0)
    skipped = models.JSONField(default=list, blank=True)  # [{"url": …, "reason": …}], at most 50

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("poll")
        verbose_name_plural = _("polls")

    def __str__(self) -> str:
        return f"{self.source_id} {self.started_at:%Y-%m-%d %H:%M} {self.outcome}"


class ArticleStatus(models.TextChoices):
    ANALYSED = "analysed", _("Analysed")
    DUPLICATE = "duplicate", _("Duplicate")
    SKIPPED = "skipped", _("Skipped")
    FAILED = "failed", _("Analysis failed")


class Article(models.Model):
    """One news article (or an item that was skipped, with the reason, so it is not fetched again)."""

    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    source_name = models.CharField(_("source name"), max_length=120, blank=True, default="")
    url = models.CharField(_("address"), max_length=1000, blank=True, default="")
    external_id = models.CharField(_("import id"), max_length=200, blank=True, default="")
    title = models.CharField(_("title"), max_length=500, blank=True, default="")
    text = models.TextField(_("text"), blank=True, default="")
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True, default="")
    status = models.CharField(_("status"), max_length=10, choices=ArticleStatus.choices, db_index=True)
    skip_reason = models.TextField(_("reason skipped"), blank=True, default="")
    content_hash = models.CharField(max_length=64, blank=True, default="", db_index=True)
    minhash = models.BinaryField(null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("copy of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    similarity = models.FloatField(_("similarity to the first copy"), null=True, blank=True)
    is_simulated = models.BooleanField(_("simulation"), default=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.UniqueConstraint(fields=["url"], condition=~Q(url=""), name="one_article_per_url"),
            models.UniqueConstraint(
                fields=["external_id"], condition=~Q(external_id=""), name="one_article_per_import_id"
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.url or f"artikel {self.pk}"


class ArticleBand(models.Model):
    """One LSH band key of an article's MinHash signature: articles sharing a key are near-copy candidates."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bands")
    key = models.BigIntegerField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "key"], name="one_band_key_per_article")]

    def __str__(self) -> str:
        return f"{self.article_id}:{self.key}"


class Analysis(models.Model):
    """What the analysis pipeline found in one article, and the candidate report it became (if any)."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="analysis")
    model_version = models.CharField(_("model version"), max_length=80, blank=True, default="")
    relevant = models.BooleanField(_("relevant"))
    relevance_score = models.FloatField(_("relevance score"))
    event_type = models.CharField(_("event type"), max_length=40, blank=True, default="")
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    location = models.JSONField(_("primary location"), null=True, blank=True)
    locations = models.JSONField(_("places mentioned"), default=list, blank=True)
    actors = models.JSONField(_("actors"), default=list, blank=True)
    killed = models.PositiveIntegerField(_("killed"), default=0)
    injured = models.PositiveIntegerField(_("injured"), default=0)
    event_date = models.DateField(_("event date"), null=True, blank=True)
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    analysed_at = models.DateTimeField(default=timezone.now)
    report = models.OneToOneField(
        "reports.Report",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="media_finding",
    )
    note = models.TextField(_("note"), blank=True, default="")  # why no report was made

    class Meta:
        verbose_name = _("analysis")
        verbose_name_plural = _("analyses")
        indexes = [models.Index(fields=["relevant", "relevance_score"])]

    def __str__(self) -> str:
        return f"{self.article_id}: {self.event_type or '-'} {self.relevance_score:.2f}"
