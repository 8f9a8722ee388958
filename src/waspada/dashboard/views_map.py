"""The map workspace's JSON endpoints: the units of a view (``/peta/data/``), the marker layers
(``/peta/titik/``) and a region's side panel (``/peta/panel/``).

Thin: access from ``waspada.accounts.access`` (a region outside the user's scope, or the whole country for a
scoped user, answers 404 as if it did not exist), parameters from :mod:`waspada.dashboard.params`, the
work in ``mapdata``, ``markers`` and ``panel``. Errors use the API's one JSON shape.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import condition, require_GET

from waspada import taxonomy
from waspada.accounts.access import Action, actor_for, may
from waspada.api.errors import error_response
from waspada.dashboard import mapdata, markers, params
from waspada.dashboard.panel import region_panel
from waspada.dashboard.params import NATIONAL, BadParam
from waspada.regions.lookup import geometry_version
from waspada.regions.models import Region
from waspada.reports.models import IncidentStatus
from waspada.risk.models import IndexSnapshot


class NotFound(Exception):
    pass


def may_open_national(user: Any) -> bool:
    actor = actor_for(user)
    return bool(actor and actor.scope is None and actor.can(Action.VIEW_MAP))


def place_for(user: Any, code: str) -> mapdata.Place:
    """The place of a map view when the user may open its map; NotFound otherwise."""
    if code == NATIONAL:
        if not may_open_national(user):
            raise NotFound
        return mapdata.place_for(None)
    if not params.is_code(code) or not may(user, Action.VIEW_MAP, code):
        raise NotFound
    region = Region.objects.filter(code=code).only("code", "name", "level", "kind").first()
    if region is None:
        raise NotFound
    return mapdata.place_for(region)


def lang() -> str:
    return "en" if (get_language() or "id").startswith("en") else "id"


def _bad(exc: BadParam) -> JsonResponse:
    return error_response(400, exc.message, details=[{"field": exc.field, "message": exc.message}])


def _not_found() -> JsonResponse:
    return error_response(404, "Wilayah tidak ditemukan atau di luar wilayah kewenangan Anda.")


def _json(text: str) -> HttpResponse:
    return HttpResponse(text, content_type="application/json")


def index_stamp() -> str:
    """Changes whenever snapshots are stored: the snapshot writer deletes and inserts rows, so the highest id
    moves on (read from the primary key's index, unlike a scan for the latest ``created_at``)."""
    return str(IndexSnapshot.objects.aggregate(m=Max("id"))["m"] or 0)


def _map_etag(request: HttpRequest, code: str) -> str | None:
    """Map data changes with the boundaries, the index snapshots, the view (level and day), the language
    (kind labels) and, for the breadcrumb links, the viewer's role and scope."""
    actor = actor_for(request.user)
    if actor is None:
        return None
    try:
        place = place_for(request.user, code)
        level = params.parse_level(request.GET.getlist, place.level)
        day = params.parse_day(request.GET.getlist, timezone.localdate())
    except (NotFound, BadParam):
        return None
    return (
        f"{geometry_version()}-{index_stamp()}-{place.code}-{level}-{day}-{actor.role}-{actor.scope or ''}"
        f"-{get_language()}"
    )


@login_required
@require_GET
@condition(etag_func=_map_etag)
def map_data(request: HttpRequest, code: str) -> HttpResponse:
    """A view's units for the map, revalidated by the browser (ETag) until boundaries or the index change."""
    try:
        place = place_for(request.user, code)
        level = params.parse_level(request.GET.getlist, place.level)
        day = params.parse_day(request.GET.getlist, timezone.localdate())
        mapdata.check_size(place, level)
    except NotFound:
        return _not_found()
    except BadParam as exc:
        return _bad(exc)
    text = mapdata.layer_json(
        place,
        level,
        day,
        may_open=lambda c: may(request.user, Action.VIEW_MAP, c),
        national_link=may_open_national(request.user),
    )
    response = _json(text)
    response["Cache-Control"] = "private, max-age=0, must-revalidate"
    return response


def marker_query(request: HttpRequest) -> params.MarkerQuery:
    return params.parse_markers(
        request.GET.getlist,
        timezone.localdate(),
        event_types=[code for code, _ in taxonomy.event_type_choices()],
        statuses=IncidentStatus.values,
        channels=[code for code, _ in taxonomy.channel_choices()],
    )


@login_required
@require_GET
def map_markers(request: HttpRequest, code: str) -> HttpResponse:
    """The marker layers of a view, filtered and clustered on the server."""
    try:
        place = place_for(request.user, code)
        level = params.parse_level(request.GET.getlist, place.level)
        query = marker_query(request)
        data = markers.marker_layers(request.user, place, level, query, lang())
    except NotFound:
        return _not_found()
    except BadParam as exc:
        return _bad(exc)
    except markers.LayerNotAllowed as exc:
        return error_response(403, f"Peran Anda tidak boleh membuka lapisan '{exc.layer}'.")
    response = JsonResponse(data, json_dumps_params={"separators": (",", ":"), "ensure_ascii": False})
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_GET
def region_panel_data(request: HttpRequest, code: str) -> HttpResponse:
    """The side panel of one region (or the whole country) as of a day."""
    try:
        place = place_for(request.user, code)
        day = params.parse_day(request.GET.getlist, timezone.localdate())
    except NotFound:
        return _not_found()
    except BadParam as exc:
        return _bad(exc)
    data = region_panel(request.user, place, day, lang())
    response = JsonResponse(data, json_dumps_params={"separators": (",", ":"), "ensure_ascii": False})
    response["Cache-Control"] = "private, no-cache"
    return response
