"""Alert pages: the list (``/peringatan/``) with filters, one alert with its evidence, deliveries (status,
attempts, last error), status buttons, response actions and history, and the notification channels.

Reading needs the right to see incidents (Pimpinan reads); acknowledging, handling, closing, retrying a
delivery and recording actions need the right to acknowledge alerts. Out-of-scope alerts answer 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from waspada.accounts.access import scope_q_for
from waspada.accounts.models import AuditLog
from waspada.alerts import access, delivery, responses, services
from waspada.alerts.forms import ActionForm, ActionUpdateForm, AlertFilterForm, AlertStatusForm
from waspada.alerts.models import (
    ACTION_TRANSITIONS,
    ALERT_TRANSITIONS,
    Alert,
    AlertStatus,
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    ResponseAction,
)
from waspada.alerts.routing import target_level
from waspada.reports import access as report_access

PAGE_SIZE = 50
LEVEL_NAMES = {1: gettext_lazy("province"), 2: gettext_lazy("kabupaten/kota"), 3: gettext_lazy("kecamatan")}
HISTORY_LABELS = {
    "alert.raise": gettext_lazy("alert raised"),
    "alert.notify": gettext_lazy("notifications queued"),
    "alert.group": gettext_lazy("new evidence joined the alert"),
    "alert.escalate": gettext_lazy("escalated"),
    "alert.diterima": gettext_lazy("acknowledged"),
    "alert.ditangani": gettext_lazy("being handled"),
    "alert.selesai": gettext_lazy("closed"),
    "delivery.delivered": gettext_lazy("delivered"),
    "delivery.failed": gettext_lazy("delivery failed"),
    "delivery.retry": gettext_lazy("delivery retried"),
    "action.create": gettext_lazy("response action recorded"),
    "action.update": gettext_lazy("response action updated"),
}


def _require_reader(request: HttpRequest) -> None:
    if not access.can_read(request.user):
        raise PermissionDenied


def _filtered(request: HttpRequest, form: AlertFilterForm) -> Any:
    alerts = access.visible_alerts(request.user)
    if request.GET and not form.is_valid():
        return alerts.none()
    if not request.GET:
        return alerts
    data = form.cleaned_data
    status = data.get("status")
    if status == "aktif":
        alerts = alerts.exclude(status=AlertStatus.SELESAI)
    elif status:
        alerts = alerts.filter(status=status)
    if data.get("kind"):
        alerts = alerts.filter(rule__kind=data["kind"])
    if data.get("rule") is not None:
        alerts = alerts.filter(rule=data["rule"])
    if data.get("region") is not None:
        alerts = alerts.filter(scope_q_for(data["region"].code, "region"))
    if data.get("level") not in (None, ""):
        alerts = alerts.filter(escalation_level=int(data["level"]))
    if data.get("failed"):
        alerts = alerts.filter(deliveries__status=DeliveryStatus.FAILED).distinct()
    return alerts


@login_required
@require_GET
def alert_list(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    form = AlertFilterForm(request.GET or None, user=request.user)
    alerts = (
        _filtered(request, form)
        .select_related("rule", "region", "region__parent")
        .defer(
            "region__geometry",
            "region__display_geometry",
            "region__parent__geometry",
            "region__parent__display_geometry",
        )
        .annotate(
            sent=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.DELIVERED), distinct=True),
            failed=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED), distinct=True),
            waiting=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.RETRYING), distinct=True),
        )
        .order_by("-created_at", "-id")
    )
    page = Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    visible = access.visible_alerts(request.user)
    counts = dict(visible.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    overdue = responses.overdue(access.visible_actions(request.user)).count()
    broken = access.visible_channels(request.user).filter(enabled=False)
    return render(
        request,
        "alerts/alert_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "status_counts": [(code, label, counts.get(code, 0)) for code, label in AlertStatus.choices],
            "overdue": overdue,
            "broken_channels": list(broken),
        },
    )


def _evidence(request: HttpRequest, alert: Alert) -> dict[str, Any]:
    """The alert's evidence as objects the user may open (others shown as numbers only)."""
    evidence = alert.evidence if isinstance(alert.evidence, dict) else {}
    out: dict[str, Any] = {"detail": evidence.get("detail") or {}}
    ids = [i for i in evidence.get("incidents", []) if isinstance(i, int)]
    if ids:
        out["incidents"] = list(
            report_access.visible_incidents(request.user)
            .filter(pk__in=ids)
            .select_related("region")
            .order_by("-occurred_at")
        )
    ids = [i for i in evidence.get("reports", []) if isinstance(i, int)]
    if ids:
        shown = set(
            report_access.visible_reports(request.user).filter(pk__in=ids).values_list("pk", flat=True)
        )
        out["reports"] = [(i, i in shown) for i in ids]
    ids = [i for i in evidence.get("contests", []) if isinstance(i, int)]
    if ids:
        from waspada.elections.models import Contest

        out["contests"] = list(Contest.objects.filter(pk__in=ids).select_related("region", "election"))
    ids = [i for i in evidence.get("findings", []) if isinstance(i, int)]
    if ids:
        out["findings"] = len(ids)
    ids = [i for i in evidence.get("actions", []) if isinstance(i, int)]
    if ids:
        out["actions"] = list(
            access.visible_actions(request.user).filter(pk__in=ids).select_related("incident", "alert")
        )
    return out


def _detail(row: AuditLog) -> str:
    after = row.after if isinstance(row.after, dict) else {}
    if row.action == "alert.notify":
        return ", ".join(str(x) for x in after.get("to", []))
    if row.action.startswith("delivery."):
        error = after.get("last_error") or ""
        return f"{after.get('channel', '')}{': ' + str(error)[:200] if error else ''}"
    if row.action == "alert.escalate":
        return str(LEVEL_NAMES.get(after.get("addressed_to_level"), ""))
    if row.action.startswith("action."):
        return ", ".join(f"{k}: {v}" for k, v in after.items() if k in ("kind", "status", "agency"))
    return row.note


def history(alert: Alert, deliveries: list[Delivery], actions: list[ResponseAction]) -> list[dict[str, Any]]:
    rows = AuditLog.objects.filter(
        Q(object_type="alerts.alert", object_id=str(alert.pk))
        | Q(object_type="alerts.delivery", object_id__in=[str(d.pk) for d in deliveries])
        | Q(object_type="alerts.responseaction", object_id__in=[str(a.pk) for a in actions])
    ).order_by("at", "id")
    return [
        {
            "at": r.at,
            "who": r.actor_label,
            "what": HISTORY_LABELS.get(r.action, r.action),
            "detail": _detail(r),
        }
        for r in rows
    ]


@login_required
@require_GET
def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reader(request)
    alert = access.get_alert_for(request.user, pk)
    deliveries = list(
        alert.deliveries.select_related("channel", "recipient").prefetch_related(
            Prefetch("attempt_log", queryset=DeliveryAttempt.objects.order_by("-id"))
        )
    )
    actions = list(alert.actions.select_related("incident", "created_by"))
    can_act = access.can_act(request.user, alert.region_id)
    today = timezone.localdate()
    return render(
        request,
        "alerts/alert_detail.html",
        {
            "alert": alert,
            "addressed_to": LEVEL_NAMES.get(target_level(alert.region_id, alert.escalation_level), ""),
            "evidence": _evidence(request, alert),
            "deliveries": deliveries,
            "actions": [(a, a.is_overdue(today), _next_action_statuses(a)) for a in actions],
            "history": history(alert, deliveries, actions),
            "can_act": can_act,
            "next_statuses": [
                (s, label)
                for s, label in AlertStatus.choices
                if s in ALERT_TRANSITIONS.get(alert.status, set())
            ],
            "status_form": AlertStatusForm(),
            "action_form": ActionForm(),
        },
    )


def _next_action_statuses(action: ResponseAction) -> list[tuple[str, str]]:
    from waspada.alerts.models import ActionStatus

    allowed = {action.status} | ACTION_TRANSITIONS.get(action.status, set())
    return [(s, str(label)) for s, label in ActionStatus.choices if s in allowed]


def _require_actor(request: HttpRequest, region_code: str) -> None:
    if not access.can_act(request.user, region_code):
        raise PermissionDenied


@login_required
@require_POST
def alert_status(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reader(request)
    alert = access.get_alert_for(request.user, pk)
    _require_actor(request, alert.region_id)
    form = AlertStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid status."))
        return redirect("alerts:detail", pk=alert.pk)
    try:
        services.set_status(alert, form.cleaned_data["status"], request.user, note=form.cleaned_data["note"])
    except services.AlertError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Alert %(number)s updated.") % {"number": f"P-{alert.pk}"})
    return redirect("alerts:detail", pk=alert.pk)


@login_required
@require_POST
def alert_action(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reader(request)
    alert = access.get_alert_for(request.user, pk)
    _require_actor(request, alert.region_id)
    form = ActionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return redirect("alerts:detail", pk=alert.pk)
    try:
        responses.create_action(request.user, alert=alert, **form.cleaned_data)
    except responses.ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Response action recorded."))
    return redirect("alerts:detail", pk=alert.pk)


@login_required
@require_POST
def delivery_retry(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reader(request)
    try:
        found = Delivery.objects.select_related("alert", "channel").get(pk=int(pk))
    except (Delivery.DoesNotExist, ValueError, OverflowError):
        raise Http404("delivery not found") from None
    alert = access.get_alert_for(request.user, found.alert_id)
    _require_actor(request, alert.region_id)
    if not found.channel.enabled:
        messages.error(request, _("The channel is disabled; repair and enable it first (administration)."))
    elif found.status != DeliveryStatus.FAILED:
        messages.error(request, _("Only a failed delivery can be retried."))
    else:
        delivery.retry(found, request.user)
        messages.success(request, _("The delivery will be tried again by the worker."))
    return redirect("alerts:detail", pk=alert.pk)


@login_required
@require_GET
def channels(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    rows = access.visible_channels(request.user).annotate(
        failed=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
        sent=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.DELIVERED)),
    )
    return render(
        request,
        "alerts/channels.html",
        {
            "channels": rows.order_by("enabled", "name"),
            "can_manage": access.can_manage_channels(request.user),
        },
    )


@login_required
@require_POST
def action_update(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reader(request)
    action = access.get_action_for(request.user, pk)
    _require_actor(request, action.region_code)
    form = ActionUpdateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the status and the due date."))
    else:
        try:
            responses.update_action(action, request.user, **form.cleaned_data)
        except responses.ActionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Response action updated."))
    if action.alert_id and request.POST.get("back") == "alert":
        return redirect("alerts:detail", pk=action.alert_id)
    if action.incident_id and request.POST.get("back") == "incident":
        return redirect("alerts:incident-actions", pk=action.incident_id)
    return redirect("alerts:actions")
