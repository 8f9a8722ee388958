"""Dashboard pages. Views stay thin: permissions come from ``waspada.accounts.access``, the map workspace
from ``waspada.dashboard.workspace`` (its JSON endpoints are in ``views_map``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from waspada.accounts.access import Action, actor_for, get_region_for, may
from waspada.dashboard import workspace
from waspada.regions.models import Region
from waspada.risk.region import region_risk


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The map workspace of the user's region (``?wilayah=CODE`` opens another region, ``nasional`` the
    whole country; ``?tingkat=N`` draws the units of level N inside it)."""
    actor = actor_for(request.user)
    if actor is None:
        return render(request, "dashboard/no_profile.html", status=403)
    if not actor.can(Action.VIEW_MAP) and actor.can(Action.SUBMIT_REPORT):
        return redirect("lapor:form")  # field reporters start on the report form
    return render(request, "dashboard/home.html", workspace.context(request))


@login_required
@require_GET
def region_page(request: HttpRequest, code: str) -> HttpResponse:
    region = get_region_for(request.user, code)
    children = list(
        Region.objects.filter(parent=region).only("code", "name", "level", "kind").order_by("code")
    )
    return render(
        request,
        "dashboard/region.html",
        {
            "region": region,
            "parents": [(p, may(request.user, Action.VIEW_REGION, p.code)) for p in region.ancestors()],
            "children": children,
            "can_map": may(request.user, Action.VIEW_MAP, region.code),
            "contests": region.contests.select_related("election").prefetch_related("candidates"),
            "can_open_contests": may(request.user, Action.VIEW_AGGREGATES, region.code),
            **region_risk(request.user, region, get_language()),
        },
    )


@require_GET
def health(request: HttpRequest) -> HttpResponse:
    """Liveness and database check for load balancers and the demo's start-up wait."""
    try:
        Region.objects.exists()
    except Exception:  # noqa: BLE001 - report, do not crash
        return JsonResponse({"status": "error", "database": False}, status=503)
    return JsonResponse({"status": "ok", "database": True})


def root_redirect(request: HttpRequest) -> HttpResponse:
    return redirect("dashboard:home")
