"""Forms of the review pages: queue filters, bulk actions, status, assignment, merge and coding edits.

Forms only read and check input; every change goes through ``waspada.reports.services``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from waspada import taxonomy
from waspada.accounts.access import Action, actor_for, may
from waspada.accounts.models import Role
from waspada.regions.codes import InvalidCode, normalize_code
from waspada.regions.models import Region
from waspada.reports.models import IncidentStatus, ReportStatus

MAX_REASON = 2000
MAX_BULK = 500
OPEN_STATUSES = [ReportStatus.BARU.value, ReportStatus.PERLU_KLARIFIKASI.value]


def _lang() -> str:
    try:
        return "en" if (get_language() or "id").startswith("en") else "id"
    except ValueError:
        return "id"


def _blank(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


def clean_region_code(raw: str, user: Any, action: Action) -> Region:
    """A Kemendagri code (dotted or not) that exists and lies in the user's scope, or a form error."""
    try:
        code = normalize_code(raw.strip())
    except InvalidCode:
        raise forms.ValidationError(
            _("Not a Kemendagri region code: %(code)s"), params={"code": raw}
        ) from None
    region = Region.objects.filter(code=code).only("code", "name", "level").first()
    if region is None:
        raise forms.ValidationError(_("No region has the code %(code)s."), params={"code": code})
    if not may(user, action, code):
        raise forms.ValidationError(_("Region %(code)s is outside your scope."), params={"code": code})
    return region


AGES = {
    "1h": timedelta(hours=1),
    "24h": timedelta(hours=24),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
}
SORTS = {
    "urgency": _("Urgency, then oldest"),
    "oldest": _("Oldest first"),
    "newest": _("Newest first"),
    "occurred": _("Time of the event (latest first)"),
    "region": _("Region"),
}


class QueueFilterForm(forms.Form):
    region = forms.CharField(
        label=_("Region code"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"list": "region-suggestions", "autocomplete": "off"}),
    )
    event_type = forms.ChoiceField(label=_("Event type"), required=False)
    status = forms.MultipleChoiceField(
        label=_("Status"), required=False, choices=ReportStatus.choices, widget=forms.CheckboxSelectMultiple
    )
    urgency = forms.ChoiceField(label=_("Urgency"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    age = forms.ChoiceField(
        label=_("Received"),
        required=False,
        choices=[
            ("", _("any time")),
            ("1h", _("in the last hour")),
            ("24h", _("in the last 24 hours")),
            ("7d", _("in the last 7 days")),
            ("30d", _("in the last 30 days")),
            ("older7d", _("more than 7 days ago")),
        ],
    )
    assigned = forms.ChoiceField(
        label=_("Assigned"),
        required=False,
        choices=[("", _("anyone")), ("me", _("to me")), ("none", _("to nobody"))],
    )
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=list(SORTS.items()))
    # Present once the filter form has been submitted: no ticked status then means every status.
    f = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        lang = _lang()
        self.fields["event_type"].choices = _blank(_("all types")) + taxonomy.event_type_choices(lang)
        self.fields["urgency"].choices = _blank(_("any urgency")) + taxonomy.urgency_choices(lang)
        self.fields["channel"].choices = _blank(_("any channel")) + taxonomy.channel_choices(lang)

    def clean_region(self) -> Region | None:
        raw = self.cleaned_data.get("region", "")
        return clean_region_code(raw, self.user, Action.VIEW_REPORTS) if raw.strip() else None

    def clean_status(self) -> list[str]:
        chosen: list[str] = self.cleaned_data.get("status") or []
        if chosen:
            return chosen
        return [] if self.data.get("f") else list(OPEN_STATUSES)


class BulkActionForm(forms.Form):
    ACTIONS = {
        "verify": _("Verify"),
        "clarify": _("Needs clarification"),
        "reject": _("Reject"),
        "assign_me": _("Assign to me"),
        "assign": _("Assign to"),
    }
    ids = forms.TypedMultipleChoiceField(
        coerce=int, required=True, error_messages={"required": _("Select at least one report.")}
    )
    action = forms.ChoiceField(choices=list(ACTIONS.items()))
    reason = forms.CharField(required=False, max_length=MAX_REASON, widget=forms.Textarea(attrs={"rows": 2}))
    assignee = forms.ModelChoiceField(queryset=get_user_model().objects.none(), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = reviewers_for(user)
        # Any number is accepted here; which ones the user may act on is decided per report by the view.
        self.fields["ids"].choices = [(v, v) for v in self.data.getlist("ids")] if self.data else []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = data.get("action")
        if len(data.get("ids") or []) > MAX_BULK:
            self.add_error("ids", _("Select at most %(n)d reports at a time.") % {"n": MAX_BULK})
        if action in {"clarify", "reject"} and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give a reason for this status."))
        if action == "assign" and data.get("assignee") is None:
            self.add_error("assignee", _("Choose whom to assign the reports to."))
        return data


def reviewers_for(user: Any) -> QuerySet[Any]:
    """Active analysts, coordinators and administrators whose scope overlaps the user's (the service then
    checks each report against the assignee's scope)."""
    actor = actor_for(user)
    User = get_user_model()
    if actor is None:
        return User.objects.none()
    qs = User.objects.filter(
        is_active=True, profile__role__in=[Role.ANALIS, Role.KOORDINATOR, Role.ADMIN]
    ).select_related("profile")
    if actor.scope is None:
        return qs.order_by("username")
    ancestors = [actor.scope.rsplit(".", i)[0] for i in range(actor.scope.count(".") + 1)]
    overlap = (
        Q(profile__scope__isnull=True)
        | Q(profile__scope_id__in=ancestors)
        | Q(profile__scope__code__startswith=actor.scope + ".")
    )
    return qs.filter(overlap).order_by("username")


def reviewer_label(user: Any) -> str:
    profile = getattr(user, "profile", None)
    if profile is None:
        return str(user.get_username())
    return f"{user.get_username()} ({profile.get_role_display()}, {profile.scope_id or '—'})"


class StatusForm(forms.Form):
    # "Merged" is set by merging into an incident, never by hand.
    status = forms.ChoiceField(
        label=_("New status"), choices=[c for c in ReportStatus.choices if c[0] != ReportStatus.DIGABUNG]
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=MAX_REASON, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        needs = {ReportStatus.DITOLAK, ReportStatus.PERLU_KLARIFIKASI}
        if data.get("status") in needs and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give a reason for this status."))
        return data


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Assign to"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("nobody"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        field.queryset = reviewers_for(user)
        field.label_from_instance = reviewer_label  # type: ignore[attr-defined]


class IncidentFromReportForm(forms.Form):
    title = forms.CharField(label=_("Title"), required=False, max_length=200)


class MergeForm(forms.Form):
    """Either a candidate (``incident:3`` or ``report:12``) or an incident number typed in (``K-3``)."""

    target = forms.RegexField(regex=r"^(incident|report):\d{1,12}$", required=False)
    incident_number = forms.RegexField(
        label=_("Incident number"), regex=r"^\s*[Kk]?-?\s*\d{1,12}\s*$", required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("target") and not data.get("incident_number"):
            raise forms.ValidationError(_("Choose a candidate or type an incident number."))
        return data

    def target_parts(self) -> tuple[str, int]:
        if self.cleaned_data.get("target"):
            kind, _sep, pk = self.cleaned_data["target"].partition(":")
            return kind, int(pk)
        digits = "".join(ch for ch in self.cleaned_data["incident_number"] if ch.isdigit())
        return "incident", int(digits)


class CodingForm(forms.Form):
    """The coding an analyst may correct on a report."""

    event_type = forms.ChoiceField(label=_("Event type"))
    threat_domain = forms.ChoiceField(label=_("Threat domain"), required=False)
    region = forms.CharField(label=_("Region code"), max_length=20)
    occurred_at = forms.DateTimeField(
        label=_("Occurred at"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    time_precision = forms.TypedChoiceField(label=_("Time precision"), coerce=int)
    urgency = forms.ChoiceField(label=_("Urgency"))
    killed = forms.IntegerField(label=_("Killed"), min_value=0, max_value=1_000_000)
    injured = forms.IntegerField(label=_("Injured"), min_value=0, max_value=1_000_000)
    buildings_damaged = forms.IntegerField(label=_("Buildings damaged"), min_value=0, max_value=1_000_000)
    displaced = forms.IntegerField(label=_("Displaced"), min_value=0, max_value=1_000_000)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        lang = _lang()
        self.fields["event_type"].choices = taxonomy.event_type_choices(lang)
        self.fields["threat_domain"].choices = _blank("—") + taxonomy.threat_domain_choices(lang)
        self.fields["urgency"].choices = taxonomy.urgency_choices(lang)
        self.fields["time_precision"].choices = taxonomy.time_precision_choices(lang)

    def clean_region(self) -> str:
        return clean_region_code(self.cleaned_data["region"], self.user, Action.REVIEW_REPORTS).code

    def clean_occurred_at(self) -> Any:
        value = self.cleaned_data["occurred_at"]
        if value is not None and value > timezone.now() + timedelta(hours=1):
            raise forms.ValidationError(_("The time of the event is in the future."))
        return value

    @classmethod
    def initial_for(cls, report: Any) -> dict[str, Any]:
        local = timezone.localtime(report.occurred_at)
        return {
            "event_type": report.event_type,
            "threat_domain": report.threat_domain,
            "region": report.region_id,
            "occurred_at": local.strftime("%Y-%m-%dT%H:%M"),
            "time_precision": report.time_precision,
            "urgency": report.urgency,
            "killed": report.killed,
            "injured": report.injured,
            "buildings_damaged": report.buildings_damaged,
            "displaced": report.displaced,
        }


class IncidentStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=IncidentStatus.choices)
    reason = forms.CharField(
        label=_("Reason"), max_length=MAX_REASON, widget=forms.Textarea(attrs={"rows": 2})
    )


class IncidentFilterForm(forms.Form):
    region = forms.CharField(label=_("Region code"), required=False, max_length=20)
    status = forms.ChoiceField(label=_("Status"), required=False)
    event_type = forms.ChoiceField(label=_("Event type"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["status"].choices = _blank(_("any status")) + list(IncidentStatus.choices)
        self.fields["event_type"].choices = _blank(_("all types")) + taxonomy.event_type_choices(_lang())

    def clean_region(self) -> Region | None:
        raw = self.cleaned_data.get("region", "")
        return clean_region_code(raw, self.user, Action.VIEW_INCIDENTS) if raw.strip() else None
