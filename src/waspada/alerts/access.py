"""Who may see and act on alerts and response actions. Every view, API endpoint and command goes through here.

Alerts and actions are read by the roles that read incidents (Analis, Koordinator, Pimpinan, Admin), in
their region scope; acknowledging, handling and closing alerts and recording response actions need the
right to acknowledge alerts (Analis, Koordinator, Admin). Objects outside the scope answer 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from waspada.accounts.access import Action, actor_for, may, scope_q_for
from waspada.alerts.models import Alert, Channel, ResponseAction


def can_read(user: Any) -> bool:
    return may(user, Action.VIEW_INCIDENTS)


def can_act(user: Any, region_code: str | None = None) -> bool:
    return may(user, Action.ACKNOWLEDGE_ALERTS, region_code)


def visible_alerts(user: Any) -> QuerySet[Alert]:
    actor = actor_for(user)
    if actor is None or not actor.can(Action.VIEW_INCIDENTS):
        return Alert.objects.none()
    return Alert.objects.filter(scope_q_for(actor.scope, "region"))


def get_alert_for(user: Any, pk: Any) -> Alert:
    try:
        return visible_alerts(user).select_related("rule", "region", "acknowledged_by").get(pk=int(pk))
    except (Alert.DoesNotExist, TypeError, ValueError, OverflowError):
        raise Http404("alert not found") from None


def visible_actions(user: Any) -> QuerySet[ResponseAction]:
    """Actions whose region (the incident's, else the alert's) lies in the user's scope."""
    actor = actor_for(user)
    if actor is None or not actor.can(Action.VIEW_INCIDENTS):
        return ResponseAction.objects.none()
    if actor.scope is None:
        return ResponseAction.objects.all()
    by_incident = scope_q_for(actor.scope, "incident__region")
    by_alert = Q(incident__isnull=True) & scope_q_for(actor.scope, "alert__region")
    return ResponseAction.objects.filter(by_incident | by_alert)


def get_action_for(user: Any, pk: Any) -> ResponseAction:
    try:
        return visible_actions(user).select_related("alert", "incident", "created_by").get(pk=int(pk))
    except (ResponseAction.DoesNotExist, TypeError, ValueError, OverflowError):
        raise Http404("action not found") from None


def can_manage_channels(user: Any) -> bool:
    return may(user, Action.MANAGE_SETTINGS)


def visible_channels(user: Any) -> QuerySet[Channel]:
    """Channels are deployment settings: administrators see all; others see those of their scope."""
    actor = actor_for(user)
    if actor is None or not actor.can(Action.VIEW_INCIDENTS):
        return Channel.objects.none()
    if actor.scope is None:
        return Channel.objects.all()
    return Channel.objects.filter(Q(scope_code="") | scope_q_for(actor.scope, "scope_code"))
