"""Who may see and change reports and incidents. Every view, API endpoint and export goes through here.

Pelapor sees only their own reports; Analis and Koordinator every report in their scope; Pimpinan verified
incidents and aggregates in scope; Admin everything in scope. Only Koordinator and Admin see who reported.
Out-of-scope objects answer 404, as if they did not exist.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from waspada.accounts.access import Action, actor_for, may, scope_q
from waspada.reports.models import Incident, Report


def visible_reports(user: Any) -> QuerySet[Report]:
    actor = actor_for(user)
    if actor is None:
        return Report.objects.none()
    if actor.can(Action.VIEW_REPORTS):
        return Report.objects.filter(scope_q(user, "region"))
    if actor.can(Action.VIEW_OWN_REPORTS):
        return Report.objects.filter(Q(submitted_by_id=actor.user_id) | Q(reporter__user_id=actor.user_id))
    return Report.objects.none()


def get_report_for(user: Any, pk: Any) -> Report:
    try:
        return visible_reports(user).select_related("region", "reporter", "incident").get(pk=int(pk))
    except (Report.DoesNotExist, TypeError, ValueError):
        raise Http404("report not found") from None


def can_review(user: Any, report: Report) -> bool:
    return may(user, Action.REVIEW_REPORTS, report.region_id)


def can_see_identity(user: Any, region_code: str | None) -> bool:
    """Reporter name, phone and chat id: Koordinator and Admin, in their scope only."""
    return may(user, Action.VIEW_REPORTER_IDENTITY, region_code)


def can_submit_in(user: Any, region_code: str) -> bool:
    return may(user, Action.SUBMIT_REPORT, region_code)


def visible_incidents(user: Any) -> QuerySet[Incident]:
    if not may(user, Action.VIEW_INCIDENTS):
        return Incident.objects.none()
    return Incident.objects.filter(scope_q(user, "region"))


def get_incident_for(user: Any, pk: Any) -> Incident:
    try:
        return visible_incidents(user).select_related("region").get(pk=int(pk))
    except (Incident.DoesNotExist, TypeError, ValueError):
        raise Http404("incident not found") from None


def can_edit_incident(user: Any, incident: Incident) -> bool:
    return may(user, Action.EDIT_INCIDENTS, incident.region_id)
