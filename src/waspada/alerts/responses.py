"""Response tracking (tindak lanjut): actions on incidents and alerts — what is to be done, by which agency,
by when, its status and outcome. Every change is audited; an action past its due date while still planned
or in progress is overdue (shown on the pages, and an ``overdue_action`` rule raises an alert)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from waspada.accounts.audit import record
from waspada.alerts.models import (
    ACTION_TRANSITIONS,
    OPEN_ACTION_STATUSES,
    ActionKind,
    ActionStatus,
    Alert,
    ResponseAction,
)
from waspada.reports.models import Incident

UNSET: Any = object()


class ActionError(Exception):
    """A refused change; the message is for the user (Bahasa Indonesia)."""


def _fields(action: ResponseAction) -> dict[str, Any]:
    return {
        "kind": action.kind,
        "description": action.description,
        "agency": action.agency,
        "due_date": action.due_date.isoformat() if action.due_date else None,
        "status": action.status,
        "outcome": action.outcome,
    }


def create_action(
    user: Any,
    *,
    kind: str,
    agency: str,
    alert: Alert | None = None,
    incident: Incident | None = None,
    due_date: date | None = None,
    description: str = "",
    now: datetime | None = None,
) -> ResponseAction:
    if alert is None and incident is None:
        raise ActionError("tindak lanjut harus untuk sebuah kejadian atau peringatan")
    if kind not in ActionKind.values:
        raise ActionError(f"jenis tindak lanjut tidak dikenal: {kind}")
    agency = agency.strip()
    if not agency:
        raise ActionError("instansi penanggung jawab wajib diisi")
    now = now or timezone.now()
    with transaction.atomic():
        action = ResponseAction.objects.create(
            alert=alert,
            incident=incident,
            kind=kind,
            agency=agency[:200],
            due_date=due_date,
            description=description.strip(),
            created_by=user if getattr(user, "is_authenticated", False) else None,
            created_at=now,
        )
        record(
            user,
            "action.create",
            action,
            region_code=action.region_code,
            after={**_fields(action), "alert": action.alert_id, "incident": action.incident_id},
        )
    return action


def update_action(
    action: ResponseAction,
    user: Any,
    *,
    status: str | None = None,
    outcome: str | None = None,
    agency: str | None = None,
    due_date: Any = UNSET,
    description: str | None = None,
    now: datetime | None = None,
) -> ResponseAction:
    """Change what was given; a finished or cancelled action keeps its status, and a done one needs its
    outcome written down."""
    now = now or timezone.now()
    with transaction.atomic():
        current = ResponseAction.objects.select_for_update().get(pk=action.pk)
        before = _fields(current)
        if status is not None and status != current.status:
            if status not in ACTION_TRANSITIONS.get(current.status, set()):
                raise ActionError(
                    f"tindak lanjut T-{current.pk} berstatus {current.status}; tidak bisa menjadi {status}"
                )
            current.status = status
            if status == ActionStatus.SELESAI:
                current.completed_at = now
        if outcome is not None:
            current.outcome = outcome.strip()
        if agency is not None:
            if not agency.strip():
                raise ActionError("instansi penanggung jawab wajib diisi")
            current.agency = agency.strip()[:200]
        if due_date is not UNSET:
            current.due_date = due_date
        if description is not None:
            current.description = description.strip()
        if current.status == ActionStatus.SELESAI and not current.outcome:
            raise ActionError("tuliskan hasil tindak lanjut sebelum menandainya selesai")
        after = _fields(current)
        changed = {k: v for k, v in after.items() if before[k] != v}
        if changed:
            current.save()
            record(
                user,
                "action.update",
                current,
                region_code=current.region_code,
                before={k: before[k] for k in changed},
                after=changed,
            )
    return current


def overdue(actions: QuerySet[ResponseAction], today: date | None = None) -> QuerySet[ResponseAction]:
    today = today or timezone.localdate()
    return actions.filter(status__in=OPEN_ACTION_STATUSES, due_date__lt=today)
