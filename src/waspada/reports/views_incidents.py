"""Incidents (kejadian): the list (``/kejadian/``) and one incident's page with its source reports, status
changes and audit history. Pimpinan may read both; changes need the right to edit incidents."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from waspada.accounts.access import Action, actor_for, scope_q_for
from waspada.reports import access, services
from waspada.reports.forms_review import IncidentFilterForm, IncidentStatusForm
from waspada.reports.models import IncidentStatus
from waspada.reports.views_report import INCIDENT_TYPE, REPORT_TYPE, history

PAGE_SIZE = 50


def _require(request: HttpRequest, action: Action) -> None:
    actor = actor_for(request.user)
    if actor is None or not actor.can(action):
        raise PermissionDenied


@login_required
@require_GET
def incident_list(request: HttpRequest) -> HttpResponse:
    _require(request, Action.VIEW_INCIDENTS)
    form = IncidentFilterForm(request.GET or None, user=request.user)
    incidents = access.visible_incidents(request.user)
    if request.GET and not form.is_valid():
        incidents = incidents.none()
    elif request.GET:
        data: dict[str, Any] = form.cleaned_data
        region = data.get("region")
        if region is not None:
            incidents = incidents.filter(scope_q_for(region.code, "region"))
        for name in ("status", "event_type"):
            if data.get(name):
                incidents = incidents.filter(**{name: data[name]})
    incidents = (
        incidents.select_related("region", "region__parent")
        .annotate(report_count=Count("reports"))
        .order_by("-occurred_at", "-id")
    )
    page = Paginator(incidents, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/incident_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@login_required
@require_GET
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, Action.VIEW_INCIDENTS)
    incident = access.get_incident_for(request.user, pk)
    actor = actor_for(request.user)
    can_view_reports = bool(actor and actor.can(Action.VIEW_REPORTS))
    sources = list(incident.reports.select_related("region").order_by("created_at", "id"))
    visible = set(access.visible_reports(request.user).filter(incident=incident).values_list("pk", flat=True))
    merges = Q(object_type=REPORT_TYPE, object_id__in=[str(r.pk) for r in sources], note=incident.number)
    can_edit = access.can_edit_incident(request.user, incident)
    return render(
        request,
        "reports/incident_detail.html",
        {
            "incident": incident,
            "sources": [(r, can_view_reports and r.pk in visible) for r in sources],
            "history": history(INCIDENT_TYPE, incident.pk, merges),
            "can_edit": can_edit,
            "status_form": IncidentStatusForm(),
            "next_statuses": [
                (s.value, s.label)
                for s in IncidentStatus
                if s in services.INCIDENT_FLOW[IncidentStatus(incident.status)]
            ],
            "ancestors": incident.region.ancestors(),
        },
    )


@login_required
@require_POST
def incident_status(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, Action.EDIT_INCIDENTS)
    incident = access.get_incident_for(request.user, pk)
    if not access.can_edit_incident(request.user, incident):
        raise PermissionDenied
    form = IncidentStatusForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return redirect("review:incident", pk=incident.pk)
    try:
        services.change_incident_status(
            incident, form.cleaned_data["status"], form.cleaned_data["reason"], request.user
        )
    except services.ActionRefused as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.message) from None
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(number)s: status changed.") % {"number": incident.number})
    return redirect("review:incident", pk=incident.pk)
