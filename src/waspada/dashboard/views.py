"""Dashboard pages. Views stay thin: permissions come from ``waspada.accounts.access``, map data from
``waspada.dashboard.mapdata``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import condition, require_GET

from waspada.accounts.access import Action, actor_for, get_region_for, home_region_code, may
from waspada.dashboard.mapdata import child_units, children_layer
from waspada.regions.lookup import geometry_version
from waspada.regions.models import Region
from waspada.risk.latest import latest_snapshots, snapshot_stamp, top_contributions

_SAMPLE_CODE = "99"


def _url_template(name: str) -> str:
    """A URL of this dashboard with ``{code}`` where the region code goes, for the map script."""
    url = reverse(name, kwargs={"code": _SAMPLE_CODE})
    head, _, tail = url.rpartition(_SAMPLE_CODE)
    return head + "{code}" + tail


def _map_region(user: Any, code: str | None) -> Region | None:
    if not code or not may(user, Action.VIEW_MAP, code):
        return None
    return Region.objects.filter(code=code).only("code", "name", "level", "kind").first()


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The map of the user's region, drilling down to desa (``?wilayah=CODE`` opens another region)."""
    actor = actor_for(request.user)
    if actor is None:
        return render(request, "dashboard/no_profile.html", status=403)
    if not actor.can(Action.VIEW_MAP) and actor.can(Action.SUBMIT_REPORT):
        return redirect("lapor:form")  # field reporters start on the report form
    home_code = home_region_code(request.user, settings.DEFAULT_REGION)
    can_map = may(request.user, Action.VIEW_MAP, home_code)
    region = _map_region(request.user, request.GET.get("wilayah")) or _map_region(request.user, home_code)
    units = child_units(region) if region else []
    context: dict[str, Any] = {
        "region": region,
        "home_code": home_code,
        "can_map": can_map,
        "can_open_home": may(request.user, Action.VIEW_REGION, home_code),
        "units": units,
        "has_boundaries": any(u["has_shape"] for u in units),
        "parents": (
            [(p, may(request.user, Action.VIEW_MAP, p.code)) for p in region.ancestors()] if region else []
        ),
        "map_config": {
            "start": region.code if region else None,
            "home": home_code,
            "dataUrl": _url_template("dashboard:map-data"),
            "regionUrl": _url_template("dashboard:region"),
            "mapUrl": reverse("dashboard:home"),
        },
    }
    return render(request, "dashboard/home.html", context)


def _map_etag(request: HttpRequest, code: str) -> str | None:
    """Map data changes with the boundaries, the index snapshots, the language (kind labels) and, for the
    breadcrumb links, the viewer's role and scope."""
    actor = actor_for(request.user)
    if actor is None or not may(request.user, Action.VIEW_MAP, code):
        return None
    return f"{geometry_version()}-{snapshot_stamp()}-{code}-{actor.role}-{actor.scope or ''}-{get_language()}"


@login_required
@require_GET
@condition(etag_func=_map_etag)
def map_data(request: HttpRequest, code: str) -> HttpResponse:
    """A region's children for the map, revalidated by the browser (ETag) until boundaries change."""
    if not may(request.user, Action.VIEW_MAP, code):
        raise Http404("region not found")
    region = get_region_for(request.user, code)
    layer = children_layer(region, may_open=lambda c: may(request.user, Action.VIEW_MAP, c))
    response = JsonResponse(layer, json_dumps_params={"separators": (",", ":")})
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
            "can_map": may(request.user, Action.VIEW_MAP, region.code),
            "contests": region.contests.select_related("election").prefetch_related("candidates"),
            "can_open_contests": may(request.user, Action.VIEW_AGGREGATES, region.code),
            "index": _index_summary(region.code),
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


def _index_summary(code: str) -> dict[str, Any] | None:
    """The region's latest index snapshot with its three largest contributions, or None."""
    snap = latest_snapshots([code]).get(code)
    if snap is None:
        return None
    return {"snapshot": snap, "top": top_contributions(snap)}
