from __future__ import annotations

from django.contrib import admin

from waspada.elections.models import Candidate, Contest, Election


class CandidateInline(admin.TabularInline):
    model = Candidate
    extra = 0


@admin.register(Election)
class ElectionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "voting_date")


@admin.register(Contest)
class ContestAdmin(admin.ModelAdmin):
    list_display = ("election", "office", "region", "valid_votes", "mk_case")
    list_filter = ("election", "office")
    raw_id_fields = ("region",)
    inlines = [CandidateInline]
