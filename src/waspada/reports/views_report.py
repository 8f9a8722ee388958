"""One report's page (``/laporan/<id>/``) and its actions: status, assignment, edit lock, coding edits,
incident creation and merging duplicates. Every change goes through ``waspada.reports.services``."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from waspada.accounts.access import Action, actor_for
from waspada.accounts.models import AuditLog
from waspada.reports import access, candidates, services
from waspada.reports.forms_review import (
    AssignForm,
    CodingForm,
    IncidentFromReportForm,
    MergeForm,
    StatusForm,
)
from waspada.reports.models import Incident, Report, ReportStatus
from waspada.reports.services import ActionRefused
from waspada.reports.views_queue import media_sources, require_reviewer

REPORT_TYPE = "reports.report"
INCIDENT_TYPE = "reports.incident"
CODING_FIELDS = [
    "event_type",
    "threat_domain",
    "region_id",
    "occurred_at",
    "time_precision",
    "geo_precision",
    "urgency",
    "killed",
    "injured",
    "buildings_damaged",
    "displaced",
    "incident_id",
    "assigned_to_id",
]


STATUS_CHOICE_ORDER = (
    ReportStatus.TERVERIFIKASI,
    ReportStatus.PERLU_KLARIFIKASI,
    ReportStatus.DITOLAK,
    ReportStatus.BARU,
)


def history(object_type: str, object_id: Any, extra: Q | None = None) -> list[dict[str, Any]]:
    """Audit rows of one object, oldest first, with what changed (status from → to, other fields)."""
    q = Q(object_type=object_type, object_id=str(object_id))
    if extra is not None:
        q |= extra
    rows: list[dict[str, Any]] = []
    user_ids: set[int] = set()
    for entry in AuditLog.objects.filter(q).order_by("at", "id"):
        before, after = entry.before or {}, entry.after or {}
        changes = [
            {"field": name, "before": before.get(name), "after": after.get(name)}
            for name in CODING_FIELDS + ["title"]
            if name in after and before and before.get(name) != after.get(name)
        ]
        for change in changes:
            if change["field"] == "assigned_to_id":
                user_ids.update(v for v in (change["before"], change["after"]) if v)
        rows.append(
            {
                "entry": entry,
                "status_before": before.get("status"),
                "status_after": after.get("status"),
                "changes": changes,
            }
        )
    if user_ids:  # show who a report was assigned to by name, not by number
        names = dict(get_user_model().objects.filter(pk__in=user_ids).values_list("pk", "username"))
        for row in rows:
            for change in row["changes"]:
                if change["field"] == "assigned_to_id":
                    change["before"] = names.get(change["before"], change["before"])
                    change["after"] = names.get(change["after"], change["after"])
    return rows


def _attachment_url(report_id: int, attachment_id: int) -> str | None:
    try:
        return reverse("api:attachment_file", kwargs={"report_id": report_id, "attachment_id": attachment_id})
    except NoReverseMatch:
        return None


@login_required
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request.user)
    if actor is None or not (actor.can(Action.VIEW_REPORTS) or actor.can(Action.VIEW_OWN_REPORTS)):
        raise PermissionDenied
    report = access.get_report_for(request.user, pk)
    reviewer = access.can_review(request.user, report)
    if not reviewer:
        return render(request, "reports/report_own.html", {"report": report})
    holds_lock = services.acquire_lock(report, request.user)
    if not holds_lock:
        report.refresh_from_db(fields=["locked_by", "locked_until"])
    context: dict[str, Any] = {
        "report": report,
        "holds_lock": holds_lock,
        "lock_holder": None if holds_lock else report.locked_by,
        "identity": report.reporter
        if report.reporter and access.can_see_identity(request.user, report.region_id)
        else None,
        "show_sender": access.can_see_identity(request.user, report.region_id),
        "media_source": media_sources([report]).get(report.pk, ""),
        "inbound": report.inbound_message,
        "attachments": [(a, _attachment_url(report.pk, a.pk)) for a in report.attachments.all()],
        "history": history(REPORT_TYPE, report.pk),
        "candidates": candidates.duplicates_for(report, request.user),
        "status_form": StatusForm(initial={"status": report.status}),
        "assign_form": AssignForm(user=request.user, initial={"assignee": report.assigned_to_id}),
        "coding_form": CodingForm(user=request.user, initial=CodingForm.initial_for(report)),
        "incident_form": IncidentFromReportForm(),
        # A fixed order, the usual decision first (the allowed set itself has no order).
        "allowed_statuses": [
            (s.value, s.label)
            for s in STATUS_CHOICE_ORDER
            if s in services.ALLOWED[ReportStatus(report.status)]
        ],
        "ancestors": report.region.ancestors(),
    }
    return render(request, "reports/report_detail.html", context)


ReportAction = Callable[[HttpRequest, Report], HttpResponse]


def report_action(view: ReportAction) -> Callable[[HttpRequest, int], HttpResponse]:
    """A POST on one report: reviewers only (others 403), reports out of scope 404; a refused action comes
    back to the report page with its message."""

    @login_required
    @require_POST
    @wraps(view)
    def wrapped(request: HttpRequest, pk: int) -> HttpResponse:
        require_reviewer(request)
        report = access.get_report_for(request.user, pk)
        if not access.can_review(request.user, report):
            raise PermissionDenied
        try:
            return view(request, report)
        except ActionRefused as exc:
            if exc.status == 403:
                raise PermissionDenied(exc.message) from None
            messages.error(request, exc.message)
            return redirect("review:report", pk=report.pk)

    return wrapped


def _form_errors(request: HttpRequest, form: Any) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else None
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


@report_action
def change_status(request: HttpRequest, report: Report) -> HttpResponse:
    form = StatusForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("review:report", pk=report.pk)
    before = report.status
    services.change_status(report, form.cleaned_data["status"], form.cleaned_data["reason"], request.user)
    if report.status != before:
        messages.success(request, _("%(number)s: status changed.") % {"number": report.number})
    # The decision is made: free the report for others and go on with the queue.
    services.release_lock(report, request.user)
    return redirect("review:queue")


@report_action
def assign(request: HttpRequest, report: Report) -> HttpResponse:
    if request.POST.get("me"):
        services.assign(report, request.user, request.user)
    else:
        form = AssignForm(request.POST, user=request.user)
        if not form.is_valid():
            _form_errors(request, form)
            return redirect("review:report", pk=report.pk)
        services.assign(report, form.cleaned_data["assignee"], request.user)
    messages.success(request, _("%(number)s: assignment saved.") % {"number": report.number})
    return redirect("review:report", pk=report.pk)


@report_action
def edit_coding(request: HttpRequest, report: Report) -> HttpResponse:
    form = CodingForm(request.POST, user=request.user)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("review:report", pk=report.pk)
    services.update_report(report, dict(form.cleaned_data), request.user)
    messages.success(request, _("%(number)s: coding saved.") % {"number": report.number})
    return redirect("review:report", pk=report.pk)


@report_action
def create_incident(request: HttpRequest, report: Report) -> HttpResponse:
    form = IncidentFromReportForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("review:report", pk=report.pk)
    incident = services.create_incident([report], request.user, title=form.cleaned_data["title"])
    services.release_lock(report, request.user)
    messages.success(request, _("%(number)s created.") % {"number": incident.number})
    return redirect("review:incident", pk=incident.pk)


@report_action
def merge(request: HttpRequest, report: Report) -> HttpResponse:
    """Merge the report with a candidate: into the candidate's incident, into the report's own incident, or
    into a new incident from both (the earlier-received report, or the verified one, leads it)."""
    form = MergeForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("review:report", pk=report.pk)
    kind, target_pk = form.target_parts()
    if kind == "incident":
        incident = access.get_incident_for(request.user, target_pk)
        services.merge_into_incident(report, incident, request.user)
    else:
        other = access.get_report_for(request.user, target_pk)
        if other.pk == report.pk:
            raise ActionRefused(_("A report cannot be merged with itself."), status=422)
        incident = _merge_reports(report, other, request.user)
    services.release_lock(report, request.user)
    messages.success(
        request,
        _("%(report)s merged into %(incident)s.") % {"report": report.number, "incident": incident.number},
    )
    return redirect("review:incident", pk=incident.pk)


def _merge_reports(report: Report, other: Report, user: Any) -> Incident:
    if report.incident_id and other.incident_id and report.incident_id != other.incident_id:
        raise ActionRefused(
            _("%(a)s and %(b)s already belong to different incidents.")
            % {"a": report.number, "b": other.number}
        )
    if other.incident_id:
        incident = access.get_incident_for(user, other.incident_id)
        services.merge_into_incident(report, incident, user)
        return incident
    if report.incident_id:
        incident = access.get_incident_for(user, report.incident_id)
        services.merge_into_incident(other, incident, user)
        return incident
    pair = sorted(
        [report, other],
        key=lambda r: (r.status != ReportStatus.TERVERIFIKASI, r.created_at, r.pk),
    )
    return services.create_incident(pair, user)


@login_required
@require_POST
def renew_lock(request: HttpRequest, pk: int) -> HttpResponse:
    """Take or renew the edit lock (the report page calls this while it stays open). JSON answer."""
    require_reviewer(request)
    report = access.get_report_for(request.user, pk)
    held = access.can_review(request.user, report) and services.acquire_lock(report, request.user)
    until = timezone.localtime(report.locked_until).isoformat() if held and report.locked_until else None
    return JsonResponse({"held": held, "until": until}, status=200 if held else 409)


@report_action
def release_lock(request: HttpRequest, report: Report) -> HttpResponse:
    services.release_lock(report, request.user)
    messages.success(request, _("%(number)s released for other analysts.") % {"number": report.number})
    return redirect("review:queue")
