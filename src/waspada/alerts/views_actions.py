"""Response tracking pages: every action in scope (``/tindak-lanjut/``, overdue ones first), one incident's
actions with a form to add one, and the printable laporan informasi dan rekomendasi to the kepala daerah."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from waspada.accounts.access import scope_q_for
from waspada.alerts import access, letter, responses
from waspada.alerts.forms import ActionFilterForm, ActionForm
from waspada.alerts.models import OPEN_ACTION_STATUSES, Alert
from waspada.alerts.views import _next_action_statuses
from waspada.reports import access as report_access
from waspada.reports.models import Incident

PAGE_SIZE = 50


@login_required
@require_GET
def action_list(request: HttpRequest) -> HttpResponse:
    if not access.can_read(request.user):
        raise PermissionDenied
    form = ActionFilterForm(request.GET or None, user=request.user)
    today = timezone.localdate()
    actions = access.visible_actions(request.user)
    if request.GET and not form.is_valid():
        actions = actions.none()
    else:
        data = form.cleaned_data if request.GET else {}
        state = data.get("state", "")
        if state == "overdue":
            actions = responses.overdue(actions, today)
        elif state != "all":
            actions = actions.filter(status__in=OPEN_ACTION_STATUSES)
        if data.get("kind"):
            actions = actions.filter(kind=data["kind"])
        if data.get("region") is not None:
            code = data["region"].code
            actions = actions.filter(
                scope_q_for(code, "incident__region")
                | (Q(incident__isnull=True) & scope_q_for(code, "alert__region"))
            )
    late = Q(status__in=OPEN_ACTION_STATUSES, due_date__lt=today)
    actions = (
        actions.select_related("incident", "incident__region", "alert", "alert__region")
        .annotate(late=Case(When(late, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by("late", "due_date", "id")
    )
    page = Paginator(actions, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "alerts/action_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "rows": [
                (
                    a,
                    a.is_overdue(today),
                    _next_action_statuses(a),
                    access.can_act(request.user, a.region_code),
                )
                for a in page
            ],
        },
    )


def _related_alerts(request: HttpRequest, incident: Incident) -> list[Alert]:
    """Alerts in the incident's kabupaten/kota whose evidence names the incident."""
    kab = ".".join(incident.region_id.split(".")[:2])
    candidates = (
        access.visible_alerts(request.user)
        .filter(scope_q_for(kab, "region"))
        .select_related("rule", "region")
    )
    return [
        a
        for a in candidates.order_by("created_at")
        if isinstance(a.evidence, dict) and incident.pk in (a.evidence.get("incidents") or [])
    ]


@login_required
@require_http_methods(["GET", "POST"])
def incident_actions(request: HttpRequest, pk: int) -> HttpResponse:
    if not access.can_read(request.user):
        raise PermissionDenied
    incident = report_access.get_incident_for(request.user, pk)
    can_act = access.can_act(request.user, incident.region_id)
    form = ActionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_act:
            raise PermissionDenied
        if form.is_valid():
            try:
                responses.create_action(request.user, incident=incident, **form.cleaned_data)
            except responses.ActionError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Response action recorded."))
                return redirect("alerts:incident-actions", pk=incident.pk)
    today = timezone.localdate()
    actions = list(incident.response_actions.select_related("created_by"))
    return render(
        request,
        "alerts/incident_actions.html",
        {
            "incident": incident,
            "actions": [(a, a.is_overdue(today), _next_action_statuses(a)) for a in actions],
            "alerts": _related_alerts(request, incident),
            "form": form,
            "can_act": can_act,
        },
    )


@login_required
@require_GET
def recommendation_letter(request: HttpRequest, pk: int) -> HttpResponse:
    if not access.can_read(request.user):
        raise PermissionDenied
    incident = report_access.get_incident_for(request.user, pk)
    actions = list(incident.response_actions.order_by("created_at", "id"))
    to_province = request.GET.get("kepada") == "provinsi"
    with translation.override("id"):  # the letter is an Indonesian official document
        built = letter.build(
            incident,
            actions,
            _related_alerts(request, incident),
            to_province=to_province,
            today=timezone.localdate(),
        )
    return render(
        request, "alerts/letter.html", {"incident": incident, "letter": built, "to_province": to_province}
    )
