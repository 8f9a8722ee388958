from __future__ import annotations

from django.contrib import admin

from waspada.elections.models import Candidate, Contest, Election, ElectionStage


class CandidateInline(admin.TabularInline):
    model = Candidate
    extra = 0


class ElectionStageInline(admin.TabularInline):
    model = ElectionStage
    extra = 0
    fields = ("code", "name_id", "name_en", "starts_on", "ends_on", "risk_weight", "notes")


@admin.register(Election)
class ElectionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "voting_date")
    inlines = [ElectionStageInline]


@admin.register(ElectionStage)
class ElectionStageAdmin(admin.ModelAdmin):
    """The calendar is data: admins edit dates and risk weights here (e.g. a region's re-vote date)."""

    list_display = ("name_id", "election", "code", "starts_on", "ends_on", "risk_weight")
    list_filter = ("election",)
    list_editable = ("starts_on", "ends_on", "risk_weight")
    ordering = ("election", "starts_on", "code")


@admin.register(Contest)
class ContestAdmin(admin.ModelAdmin):
    list_display = ("election", "office", "region", "valid_votes", "mk_case")
    list_filter = ("election", "office")
    raw_id_fields = ("region",)
    inlines = [CandidateInline]
