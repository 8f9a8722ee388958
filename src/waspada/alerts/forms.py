"""Forms of the alert and response-action pages (labels in English msgids, shown in Bahasa Indonesia)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waspada.accounts.access import Action
from waspada.alerts.models import ActionKind, ActionStatus, AlertRule, AlertStatus, RuleKind
from waspada.regions.models import Region
from waspada.reports.forms_review import clean_region_code

LEVELS = [
    ("", _("any stage")),
    ("0", _("not escalated")),
    ("1", _("escalated to kabupaten/kota")),
    ("2", _("escalated to province")),
]


class AlertFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    kind = forms.ChoiceField(label=_("Rule kind"), required=False)
    rule = forms.ModelChoiceField(label=_("Rule"), required=False, queryset=AlertRule.objects.none())
    region = forms.CharField(label=_("Region code"), required=False, max_length=20)
    level = forms.ChoiceField(label=_("Escalation"), required=False, choices=LEVELS)
    failed = forms.BooleanField(label=_("only with failed deliveries"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["status"].choices = [
            ("", _("any status")),
            ("aktif", _("not closed")),
            *AlertStatus.choices,
        ]
        self.fields["kind"].choices = [("", _("all kinds")), *RuleKind.choices]
        self.fields["rule"].queryset = AlertRule.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["rule"].empty_label = _("all rules")  # type: ignore[attr-defined]

    def clean_region(self) -> Region | None:
        raw = self.cleaned_data.get("region", "")
        return clean_region_code(raw, self.user, Action.VIEW_INCIDENTS) if raw.strip() else None


class AlertStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[(s, label) for s, label in AlertStatus.choices if s != AlertStatus.TERBUKA],
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Action"), choices=ActionKind.choices)
    agency = forms.CharField(label=_("Responsible agency"), max_length=200)
    due_date = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    description = forms.CharField(
        label=_("What is to be done"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    outcome = forms.CharField(
        label=_("Outcome"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    due_date = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ActionFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("", _("unfinished")), ("overdue", _("overdue")), ("all", _("all"))],
    )
    kind = forms.ChoiceField(label=_("Action"), required=False)
    region = forms.CharField(label=_("Region code"), required=False, max_length=20)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["kind"].choices = [("", _("all actions")), *ActionKind.choices]

    def clean_region(self) -> Region | None:
        raw = self.cleaned_data.get("region", "")
        return clean_region_code(raw, self.user, Action.VIEW_INCIDENTS) if raw.strip() else None
