"""Admin pages for alert rules and channels (both also loadable from a TOML file), response actions, and
the worker's job schedule. Changes made here are audited like those made elsewhere."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from waspada.accounts.audit import record
from waspada.alerts.models import AlertRule, Channel, JobSchedule, ResponseAction


class _Audited(admin.ModelAdmin):  # type: ignore[type-arg]
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        changed = list(form.changed_data) if change else []
        label = obj._meta.model_name
        after = {
            f: v if isinstance(v, str | int | float | bool | list | dict) or v is None else str(v)
            for f, v in ((f, getattr(obj, f, None)) for f in changed)
            if f != "config"  # a channel's configuration holds tokens and secrets
        }
        record(
            request.user,
            f"{label}.{'update' if change else 'create'}",
            obj,
            after=after or None,
            note="admin",
        )


@admin.register(AlertRule)
class AlertRuleAdmin(_Audited):
    list_display = [
        "name",
        "kind",
        "scope_code",
        "level",
        "cooldown_minutes",
        "ack_timeout_minutes",
        "recipient_roles",
        "enabled",
    ]
    list_filter = ["kind", "enabled"]
    search_fields = ["name", "scope_code"]


@admin.register(Channel)
class ChannelAdmin(_Audited):
    list_display = ["name", "kind", "scope_code", "roles", "enabled", "disabled_reason"]
    list_filter = ["kind", "enabled"]
    search_fields = ["name", "scope_code"]
    actions = ["enable_again"]

    @admin.action(description=_("Enable again (after the cause was repaired)"))
    def enable_again(self, request: HttpRequest, queryset: QuerySet[Channel]) -> None:
        for channel in queryset.filter(enabled=False):
            before = {"enabled": False, "disabled_reason": channel.disabled_reason}
            Channel.objects.filter(pk=channel.pk).update(enabled=True, disabled_reason="")
            record(
                request.user, "channel.enable", channel, before=before, after={"enabled": True}, note="admin"
            )
        self.message_user(request, _("Channels enabled again."), messages.SUCCESS)


@admin.register(ResponseAction)
class ResponseActionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["__str__", "alert", "incident", "due_date", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["agency", "description", "outcome"]
    raw_id_fields = ["alert", "incident", "created_by"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # changed on the pages and the API, which audit every change


@admin.register(JobSchedule)
class JobScheduleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "name",
        "next_run_at",
        "last_enqueued_at",
        "last_finished_at",
        "last_result",
        "last_error",
    ]
    readonly_fields = list_display

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
