"""Labels from the one code list (``waspada.taxonomy``) in the page's language, for the review pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from waspada import taxonomy
from waspada.accounts.access import Action, actor_for

register = template.Library()


def _lang() -> str:
    return "en" if (get_language() or "id").startswith("en") else "id"


def _label(lookup: Any, code: Any) -> str:
    try:
        return str(lookup(code).label(_lang()))
    except (KeyError, ValueError):
        return str(code or "")


@register.filter
def event_label(code: str) -> str:
    return _label(taxonomy.get_event_type, code)


@register.filter
def urgency_label(code: str) -> str:
    return _label(taxonomy.get_urgency, code)


@register.filter
def channel_label(code: str) -> str:
    return _label(taxonomy.get_channel, code)


@register.filter
def domain_label(code: str) -> str:
    return _label(taxonomy.get_threat_domain, code) if code else ""


@register.filter
def actor_label(code: str) -> str:
    return _label(taxonomy.get_actor_type, code)


@register.filter
def reliability_label(code: str) -> str:
    return _label(taxonomy.get_source_reliability, code)


@register.filter
def percent(value: float) -> str:
    return f"{round(float(value) * 100)} %"


@register.inclusion_tag("reports/partials/review_nav.html", takes_context=True)
def review_nav(context: template.Context) -> dict[str, Any]:
    """Links between the queue, incidents and the user's own reports, as far as the role allows."""
    request = context.get("request")
    actor = actor_for(getattr(request, "user", None))
    match = getattr(request, "resolver_match", None)

    def can(action: Action) -> bool:
        return bool(actor and actor.can(action))

    return {
        "queue": can(Action.REVIEW_REPORTS),
        "incidents": can(Action.VIEW_INCIDENTS),
        "mine": can(Action.VIEW_OWN_REPORTS),
        "here": getattr(match, "url_name", ""),
    }


@register.simple_tag
def audit_value(field: str, value: Any) -> str:
    """An audited value as people read it: labels for codes, "—" for nothing."""
    if value in (None, "", []):
        return "—"
    if field == "event_type":
        return event_label(value)
    if field == "urgency":
        return urgency_label(value)
    if field == "threat_domain":
        return domain_label(value)
    if field == "incident_id":
        return f"K-{value}"
    return str(value)


@register.filter
def status_label(code: str) -> str:
    """Label of a report or incident status code."""
    from waspada.reports.models import IncidentStatus, ReportStatus

    for choices in (ReportStatus, IncidentStatus):
        try:
            return str(choices(code).label)
        except ValueError:
            continue
    return str(code or "—")


AUDIT_ACTIONS = {
    "report.created": _("received"),
    "report.status": _("status changed"),
    "report.assigned": _("assignment changed"),
    "report.updated": _("coding corrected"),
    "report.merged": _("merged into an incident"),
    "report.verified": _("verified as the incident's first report"),
    "incident.created": _("incident created"),
    "incident.status": _("incident status changed"),
    "incident.updated": _("incident coding corrected"),
}


@register.filter
def audit_action(code: str) -> str:
    return str(AUDIT_ACTIONS.get(code, code))
