from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from waspada.elections.models import Candidate, Contest, Election, ElectionStage, RecapFinding, ResultRecord


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


@admin.register(ResultRecord)
class ResultRecordAdmin(admin.ModelAdmin):
    """Read-only: versions are never edited; a correction is a new import (a new version)."""

    list_display = ("area_code", "tier", "source", "election", "version", "is_current", "imported_at")
    list_filter = ("election", "tier", "source", "is_current")
    search_fields = ("area_code", "region_code")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(RecapFinding)
class RecapFindingAdmin(admin.ModelAdmin):
    """Read-only: findings come from the checks, and their review goes through the audited finding page
    (/pemilihan/temuan/<id>/) or the API."""

    list_display = ("rule", "severity", "area_code", "election", "source", "kind", "status")
    list_filter = ("election", "kind", "rule", "severity", "status")
    search_fields = ("area_code", "message")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
