"""The overview page (``/ringkasan/``); the data comes from :mod:`waspada.dashboard.overview`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from waspada.accounts.access import Action, actor_for
from waspada.dashboard import overview as data
from waspada.dashboard.views_map import lang


def may_see_overview(user: object) -> bool:
    """Roles that read the map or incidents (not field reporters, who start on the report form)."""
    actor = actor_for(user)
    return bool(actor and (actor.can(Action.VIEW_MAP) or actor.can(Action.VIEW_INCIDENTS)))


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    if not may_see_overview(request.user):
        raise PermissionDenied
    return render(request, "dashboard/overview.html", data.overview(request.user, lang()))
