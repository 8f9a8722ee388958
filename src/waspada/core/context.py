from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from waspada.accounts.access import Action, actor_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the navigation bar needs: the acting role and what it may open."""
    actor = actor_for(getattr(request, "user", None))

    def can(action: Action) -> bool:
        return bool(actor and actor.can(action))

    return {
        "actor": actor,
        "nav_can_map": can(Action.VIEW_MAP),
        "nav_can_overview": can(Action.VIEW_MAP) or can(Action.VIEW_INCIDENTS),
        "nav_can_report": can(Action.SUBMIT_REPORT),
        "nav_can_review": can(Action.REVIEW_REPORTS),
        "nav_own_reports": can(Action.VIEW_OWN_REPORTS) and not can(Action.REVIEW_REPORTS),
        "nav_can_incidents": can(Action.VIEW_INCIDENTS),
        "nav_can_alerts": can(Action.VIEW_INCIDENTS),
        "nav_can_admin": can(Action.MANAGE_SETTINGS),
        "nav_can_sitrep": can(Action.EXPORT_DATA)
        or (can(Action.VIEW_INCIDENTS) and can(Action.VIEW_AGGREGATES)),
    }
