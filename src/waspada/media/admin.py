"""Admin for news monitoring: sources with their health, polls, articles (with duplicates) and findings."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waspada.media import sources
from waspada.media.models import Analysis, Article, ArticleStatus, Poll, Source


class PollInline(admin.TabularInline):
    model = Poll
    extra = 0
    max_num = 0
    can_delete = False
    fields = [
        "started_at",
        "outcome",
        "reason",
        "items_seen",
        "items_new",
        "items_duplicate",
        "items_skipped",
    ]
    readonly_fields = fields
    ordering = ["-started_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Poll]:
        return super().get_queryset(request).order_by("-started_at")


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "enabled",
        "poll_minutes",
        "province_focus",
        "last_success_at",
        "consecutive_failures",
        "last_error_short",
        "items_per_day",
    ]
    list_filter = ["kind", "enabled", "is_simulated"]
    search_fields = ["name", "url"]
    readonly_fields = [
        "next_poll_at",
        "last_polled_at",
        "last_success_at",
        "last_error_at",
        "last_error",
        "consecutive_failures",
        "etag",
        "last_modified",
        "created_at",
    ]
    fieldsets = [
        (
            None,
            {"fields": ["name", "kind", "url", "enabled", "poll_minutes", "province_focus", "reliability"]},
        ),
        (_("Health"), {"fields": readonly_fields}),
        (_("Simulation"), {"fields": ["is_simulated"], "classes": ["collapse"]}),
    ]
    autocomplete_fields: list[str] = []
    raw_id_fields = ["province_focus"]
    inlines = [PollInline]
    actions = ["enable", "disable", "poll_now"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Source]:
        since = timezone.now() - timedelta(days=sources.ITEMS_PER_DAY_WINDOW)
        return (
            super()
            .get_queryset(request)
            .select_related("province_focus")
            .annotate(
                recent=Count(
                    "articles",
                    filter=Q(articles__created_at__gte=since) & ~Q(articles__status=ArticleStatus.SKIPPED),
                )
            )
        )

    @admin.display(description=_("items per day (7 days)"))
    def items_per_day(self, obj: Any) -> float:
        return round(getattr(obj, "recent", 0) / sources.ITEMS_PER_DAY_WINDOW, 1)

    @admin.display(description=_("last error"))
    def last_error_short(self, obj: Source) -> str:
        return obj.last_error[:80] if obj.consecutive_failures else ""

    @admin.action(description=_("Enable the selected sources"))
    def enable(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        for source in queryset:
            sources.set_enabled(source, True, actor=request.user)

    @admin.action(description=_("Disable the selected sources"))
    def disable(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        for source in queryset:
            sources.set_enabled(source, False, actor=request.user)

    @admin.action(description=_("Poll the selected sources at the next worker run"))
    def poll_now(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        queryset.filter(enabled=True).update(next_poll_at=timezone.now())


class DuplicateInline(admin.TabularInline):
    model = Article
    fk_name = "duplicate_of"
    extra = 0
    max_num = 0
    can_delete = False
    fields = ["source_name", "url", "similarity", "created_at"]
    readonly_fields = fields
    verbose_name = _("copy")
    verbose_name_plural = _("copies of this article")


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title_or_url", "source_name", "status", "published_at", "duplicate_of", "created_at"]
    list_filter = ["status", "is_simulated", "source"]
    search_fields = ["title", "url", "external_id"]
    date_hierarchy = "created_at"
    exclude = ["minhash"]
    readonly_fields = ["duplicate_of", "similarity", "content_hash", "source", "created_at"]
    inlines = [DuplicateInline]

    @admin.display(description=_("article"))
    def title_or_url(self, obj: Article) -> str:
        return (obj.title or obj.url or str(obj.pk))[:100]


@admin.register(Analysis)
class AnalysisAdmin(admin.ModelAdmin):
    list_display = ["article", "relevant", "relevance_score", "event_type", "region", "report", "note"]
    list_filter = ["relevant", "event_type", "model_version"]
    search_fields = ["article__title", "article__url"]
    raw_id_fields = ["article", "region", "report"]
    readonly_fields = ["analysed_at"]


@admin.register(Poll)
class PollAdmin(admin.ModelAdmin):
    list_display = [
        "source",
        "started_at",
        "outcome",
        "reason",
        "items_new",
        "items_duplicate",
        "items_skipped",
    ]
    list_filter = ["outcome", "source"]
    date_hierarchy = "started_at"
    readonly_fields = [f.name for f in Poll._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
