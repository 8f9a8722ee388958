from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from waspada.accounts.access import Action, actor_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the navigation bar needs: the acting role and what it may open."""
    actor = actor_for(getattr(request, "user", None))
    return {
        "actor": actor,
        "nav_can_admin": bool(actor and actor.can(Action.MANAGE_SETTINGS)),
    }
