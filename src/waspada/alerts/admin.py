from __future__ import annotations

from django.contrib import admin

from waspada.alerts.models import AlertRule, Channel


@admin.register(AlertRule)
class AlertRuleAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "scope_code",
        "level",
        "cooldown_minutes",
        "ack_timeout_minutes",
        "enabled",
    ]
    list_filter = ["kind", "enabled"]
    search_fields = ["name", "scope_code"]


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "scope_code", "enabled", "disabled_reason"]
    list_filter = ["kind", "enabled"]
    search_fields = ["name", "scope_code"]
