from __future__ import annotations

import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from waspada.accounts.access import Action, actor_for, get_region_for, home_region_code, may
from waspada.dashboard.mapdata import children_layer
from waspada.regions.lookup import geometry_version
from waspada.regions.models import Region


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The map of the user's region, drilling down to desa."""
    actor = actor_for(request.user)
    if actor is None:
        return render(request, "dashboard/no_profile.html", status=403)
    code = home_region_code(request.user, settings.DEFAULT_REGION)
    start = request.GET.get("wilayah", "") or code
    region = Region.objects.filter(code=start).only("code", "name", "level", "kind").first()
    if region is None or not may(request.user, Action.VIEW_MAP, region.code):
        region = Region.objects.filter(code=code).only("code", "name", "level", "kind").first()
    boundaries = Region.objects.filter(geometry__isnull=False).exists()
    return render(
        request,
        "dashboard/home.html",
        {
            "region": region,
            "home_code": code,
            "has_any_boundaries": boundaries,
            "map_config": json.dumps(
                {
                    "start": region.code if region else None,
                    "home": code,
                    "dataUrl": "/peta/data/",
                    "regionUrl": "/wilayah/",
                }
            ),
        },
    )


@login_required
@require_GET
def map_data(request: HttpRequest, code: str) -> HttpResponse:
    """A region's children for the map, cached by the browser until boundaries change."""
    if not may(request.user, Action.VIEW_MAP, code):
        raise Http404("region not found")
    region = get_region_for(request.user, code)
    etag = f'"{geometry_version()}-{region.code}-{get_language()}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = JsonResponse(children_layer(region), json_dumps_params={"separators": (",", ":")})
    response["ETag"] = etag
    response["Cache-Control"] = "private, max-age=0, must-revalidate"
    return response


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
            "contests": region.contests.select_related("election").prefetch_related("candidates"),
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
