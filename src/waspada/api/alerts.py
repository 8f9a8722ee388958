"""/api/alerts and /api/actions: alerts with their deliveries, their status steps, and response actions.

Decisions on who sees what go through ``waspada.alerts.access``; every change goes through
``waspada.alerts.services`` / ``waspada.alerts.responses`` (audited). A role that may not do an action at all
gets 403; an alert or action outside the caller's scope gets 404, as if it did not exist. A status step the
alert's current status does not allow gets 409.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Router, Schema, Status
from pydantic import Field

from waspada.accounts.access import scope_q_for
from waspada.alerts import access, responses, services
from waspada.alerts.models import (
    OPEN_ACTION_STATUSES,
    ActionKind,
    ActionStatus,
    Alert,
    AlertStatus,
    ResponseAction,
    RuleKind,
)
from waspada.api.auth import AUTH
from waspada.api.errors import ApiError
from waspada.api.filters import Limit, Offset, RegionFilter, known_region
from waspada.api.report_schemas import ErrorOut
from waspada.reports import access as report_access

router = Router(tags=["alerts"])

MAX_ID = 2**63 - 1
READ_ERRORS = frozenset({400, 401, 403, 404, 422})
WRITE_ERRORS = frozenset({400, 401, 403, 404, 409, 422})
DENIED_READ = "Peran Anda tidak dapat melihat peringatan."
DENIED_ACT = "Peran Anda tidak dapat menindaklanjuti peringatan di wilayah ini."

AlertStatusCode = StrEnum("AlertStatusCode", [(s, s) for s in AlertStatus.values])  # type: ignore[misc]
RuleKindCode = StrEnum("RuleKindCode", [(s, s) for s in RuleKind.values])  # type: ignore[misc]
ActionKindCode = StrEnum("ActionKindCode", [(s, s) for s in ActionKind.values])  # type: ignore[misc]
ActionStatusCode = StrEnum("ActionStatusCode", [(s, s) for s in ActionStatus.values])  # type: ignore[misc]


class DeliveryOut(Schema):
    channel: str
    channel_kind: str
    recipient: str | None
    status: str
    attempts: int
    last_error: str
    escalation_level: int
    next_attempt_at: datetime | None
    delivered_at: datetime | None


class AlertOut(Schema):
    id: int
    rule: str
    rule_id: int
    kind: str
    region: str
    region_name: str
    status: str
    summary: str
    created_at: datetime
    acknowledged_at: datetime | None
    escalation_level: int
    escalated_at: datetime | None
    evidence: dict[str, Any]
    deliveries: list[DeliveryOut]


class AlertList(Schema):
    count: int
    results: list[AlertOut]


class StatusIn(Schema):
    status: Literal["diterima", "ditangani", "selesai"]
    note: str = Field("", max_length=2000)


class ActionOut(Schema):
    id: int
    alert: int | None
    incident: int | None
    region: str
    kind: str
    description: str
    agency: str
    due_date: date | None
    status: str
    outcome: str
    overdue: bool
    created_at: datetime
    completed_at: datetime | None


class ActionList(Schema):
    count: int
    results: list[ActionOut]


class ActionIn(Schema):
    alert: int | None = Field(None, ge=1, le=MAX_ID)
    incident: int | None = Field(None, ge=1, le=MAX_ID)
    kind: ActionKindCode
    agency: str = Field(min_length=1, max_length=200)
    due_date: date | None = None
    description: str = Field("", max_length=4000)


class ActionUpdateIn(Schema):
    status: ActionStatusCode | None = None
    outcome: str | None = Field(None, max_length=4000)
    agency: str | None = Field(None, min_length=1, max_length=200)
    due_date: date | None = None
    description: str | None = Field(None, max_length=4000)


def _reader(request: HttpRequest) -> Any:
    if not access.can_read(request.user):
        raise ApiError(403, DENIED_READ)
    return request.user


def alert_out(alert: Alert) -> AlertOut:
    return AlertOut(
        id=alert.pk,
        rule=alert.rule.name,
        rule_id=alert.rule_id,
        kind=alert.rule.kind,
        region=alert.region_id,
        region_name=alert.region.name,
        status=alert.status,
        summary=alert.summary,
        created_at=alert.created_at,
        acknowledged_at=alert.acknowledged_at,
        escalation_level=alert.escalation_level,
        escalated_at=alert.escalated_at,
        evidence=alert.evidence if isinstance(alert.evidence, dict) else {},
        deliveries=[
            DeliveryOut(
                channel=d.channel.name,
                channel_kind=d.channel.kind,
                recipient=d.recipient.get_username() if d.recipient is not None else None,
                status=d.status,
                attempts=d.attempts,
                last_error=d.last_error,
                escalation_level=d.escalation_level,
                next_attempt_at=d.next_attempt_at,
                delivered_at=d.delivered_at,
            )
            for d in alert.deliveries.all()
        ],
    )


def _alerts(user: Any) -> QuerySet[Alert]:
    return (
        access.visible_alerts(user)
        .select_related("rule", "region")
        .defer("region__geometry", "region__display_geometry")
        .prefetch_related("deliveries__channel", "deliveries__recipient")
    )


def _alert_for(user: Any, alert_id: int) -> Alert:
    alert = _alerts(user).filter(pk=alert_id).first()
    if alert is None:
        raise ApiError(404, f"Peringatan P-{alert_id} tidak ditemukan.")
    return alert


@router.get(
    "/alerts",
    response={200: AlertList, READ_ERRORS: ErrorOut},
    auth=AUTH,
    summary="Alerts in the caller's scope, newest first, with their deliveries",
)
def list_alerts(
    request: HttpRequest,
    status: AlertStatusCode | None = None,
    kind: RuleKindCode | None = None,
    region: str | None = RegionFilter,
    limit: int = Limit,
    offset: int = Offset,
) -> AlertList:
    user = _reader(request)
    rows = _alerts(user)
    if status:
        rows = rows.filter(status=status.value)
    if kind:
        rows = rows.filter(rule__kind=kind.value)
    if region:
        rows = rows.filter(scope_q_for(known_region(region).code, "region"))
    rows = rows.order_by("-created_at", "-id")
    return AlertList(count=rows.count(), results=[alert_out(a) for a in rows[offset : offset + limit]])


@router.get(
    "/alerts/{alert_id}",
    response={200: AlertOut, READ_ERRORS: ErrorOut},
    auth=AUTH,
    summary="One alert with its deliveries",
)
def get_alert(request: HttpRequest, alert_id: int = Path(..., ge=1, le=MAX_ID)) -> AlertOut:
    return alert_out(_alert_for(_reader(request), alert_id))


@router.post(
    "/alerts/{alert_id}/status",
    response={200: AlertOut, WRITE_ERRORS: ErrorOut},
    auth=AUTH,
    summary="Acknowledge (diterima), mark as being handled (ditangani) or close (selesai) an alert",
)
def set_alert_status(
    request: HttpRequest, payload: StatusIn, alert_id: int = Path(..., ge=1, le=MAX_ID)
) -> AlertOut:
    user = _reader(request)
    if not access.can_act(user):
        raise ApiError(403, DENIED_ACT)
    alert = _alert_for(user, alert_id)
    if not access.can_act(user, alert.region_id):
        raise ApiError(403, DENIED_ACT)
    try:
        services.set_status(alert, payload.status, user, note=payload.note)
    except services.AlertError as exc:
        raise ApiError(409, str(exc)) from None
    return alert_out(_alert_for(user, alert_id))


# --- response actions ------------------------------------------------------------------------------------


def action_out(action: ResponseAction, today: date) -> ActionOut:
    return ActionOut(
        id=action.pk,
        alert=action.alert_id,
        incident=action.incident_id,
        region=action.region_code,
        kind=action.kind,
        description=action.description,
        agency=action.agency,
        due_date=action.due_date,
        status=action.status,
        outcome=action.outcome,
        overdue=action.is_overdue(today),
        created_at=action.created_at,
        completed_at=action.completed_at,
    )


def _actions(user: Any) -> QuerySet[ResponseAction]:
    return access.visible_actions(user).select_related("alert", "incident")


def _action_for(user: Any, action_id: int) -> ResponseAction:
    action = _actions(user).filter(pk=action_id).first()
    if action is None:
        raise ApiError(404, f"Tindak lanjut T-{action_id} tidak ditemukan.")
    return action


@router.get(
    "/actions",
    response={200: ActionList, READ_ERRORS: ErrorOut},
    auth=AUTH,
    summary="Response actions in the caller's scope (unfinished by default; overdue first)",
)
def list_actions(
    request: HttpRequest,
    state: Literal["open", "overdue", "all"] = "open",
    kind: ActionKindCode | None = None,
    region: str | None = RegionFilter,
    limit: int = Limit,
    offset: int = Offset,
) -> ActionList:
    user = _reader(request)
    today = timezone.localdate()
    rows = _actions(user)
    if state == "overdue":
        rows = responses.overdue(rows, today)
    elif state == "open":
        rows = rows.filter(status__in=OPEN_ACTION_STATUSES)
    if kind:
        rows = rows.filter(kind=kind.value)
    if region:
        code = known_region(region).code
        rows = rows.filter(
            scope_q_for(code, "incident__region")
            | (Q(incident__isnull=True) & scope_q_for(code, "alert__region"))
        )
    rows = rows.order_by("due_date", "id")
    return ActionList(
        count=rows.count(), results=[action_out(a, today) for a in rows[offset : offset + limit]]
    )


@router.get(
    "/actions/{action_id}",
    response={200: ActionOut, READ_ERRORS: ErrorOut},
    auth=AUTH,
    summary="One response action",
)
def get_action(request: HttpRequest, action_id: int = Path(..., ge=1, le=MAX_ID)) -> ActionOut:
    return action_out(_action_for(_reader(request), action_id), timezone.localdate())


@router.post(
    "/actions",
    response={201: ActionOut, WRITE_ERRORS: ErrorOut},
    auth=AUTH,
    summary="Record a response action on an alert or an incident",
)
def new_action(request: HttpRequest, payload: ActionIn) -> Status[ActionOut]:
    user = _reader(request)
    if not access.can_act(user):
        raise ApiError(403, DENIED_ACT)
    if (payload.alert is None) == (payload.incident is None):
        message = "Sebutkan tepat satu: alert atau incident."
        raise ApiError(422, message, details=[{"field": "alert", "message": message}])
    alert = incident = None
    if payload.alert is not None:
        alert = _alert_for(user, payload.alert)
        region = alert.region_id
    else:
        incident = report_access.visible_incidents(user).filter(pk=payload.incident).first()
        if incident is None:
            raise ApiError(404, f"Kejadian K-{payload.incident} tidak ditemukan.")
        region = incident.region_id
    if not access.can_act(user, region):
        raise ApiError(403, DENIED_ACT)
    try:
        action = responses.create_action(
            user,
            alert=alert,
            incident=incident,
            kind=payload.kind.value,
            agency=payload.agency,
            due_date=payload.due_date,
            description=payload.description,
        )
    except responses.ActionError as exc:
        raise ApiError(422, str(exc)) from None
    return Status(201, action_out(_action_for(user, action.pk), timezone.localdate()))


@router.post(
    "/actions/{action_id}",
    response={200: ActionOut, WRITE_ERRORS: ErrorOut},
    auth=AUTH,
    summary="Update a response action: status, outcome, agency, due date, description",
)
def update_action(
    request: HttpRequest, payload: ActionUpdateIn, action_id: int = Path(..., ge=1, le=MAX_ID)
) -> ActionOut:
    user = _reader(request)
    if not access.can_act(user):
        raise ApiError(403, DENIED_ACT)
    action = _action_for(user, action_id)
    if not access.can_act(user, action.region_code):
        raise ApiError(403, DENIED_ACT)
    changes: dict[str, Any] = payload.model_dump(exclude_unset=True)
    if "status" in changes and changes["status"] is not None:
        changes["status"] = str(
            changes["status"].value if hasattr(changes["status"], "value") else changes["status"]
        )
    for key in ("status", "outcome", "agency", "description"):
        if key in changes and changes[key] is None:
            del changes[key]
    try:
        responses.update_action(action, user, **changes)
    except responses.ActionError as exc:
        raise ApiError(409, str(exc)) from None
    return action_out(_action_for(user, action_id), timezone.localdate())
