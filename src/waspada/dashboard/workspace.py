"""What the map workspace page (``/``) needs besides its data endpoints: the view it opens on, the
breadcrumb, the filter choices with their current values, the time slider's range, the legend's
categories and the configuration of the map scripts.

Query parameters the page cannot use are ignored here (the page opens on its defaults); the data endpoints
answer them with 400.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Min
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from waspada import taxonomy
from waspada.accounts.access import Action, home_region_code, may
from waspada.dashboard import mapdata, markers, params
from waspada.dashboard.overview import latest_sitrep
from waspada.dashboard.params import NATIONAL, BadParam
from waspada.dashboard.views_map import NotFound, lang, marker_query, may_open_national, place_for
from waspada.regions.models import Level
from waspada.reports.access import visible_incidents
from waspada.reports.models import IncidentStatus
from waspada.risk.active import active_config
from waspada.risk.config import ConfigError
from waspada.risk.models import IndexSnapshot
from waspada.risk.region import category_labels

SAMPLE_CODE = "99"
SLIDER_YEARS = 3
SCORE_CLASSES = (0, 20, 40, 60, 80)
LAYER_LABELS = {
    "kejadian": "Incidents",
    "berita": "News findings",
    "temuan": "Recapitulation findings",
    "peringatan": "Alerts",
}


def url_template(name: str) -> str:
    """A URL of this dashboard with ``{code}`` where the region code goes, for the map script."""
    url = reverse(name, kwargs={"code": SAMPLE_CODE})
    head, _sep, tail = url.rpartition(SAMPLE_CODE)
    return head + "{code}" + tail


def opening_place(request: HttpRequest, home_code: str | None) -> mapdata.Place | None:
    """``?wilayah=`` when the user may open it, else their home region."""
    for code in (request.GET.get("wilayah", "").strip(), home_code):
        if not code:
            continue
        try:
            return place_for(request.user, code)
        except NotFound:
            continue
    return None


def _slider_start(user: Any, today: dt.date) -> dt.date:
    """The earliest day worth showing: the first incident or snapshot, at most a few years back."""
    first_incident = visible_incidents(user).aggregate(m=Min("occurred_at"))["m"]
    first_snapshot = IndexSnapshot.objects.aggregate(m=Min("date"))["m"]
    candidates = [
        d for d in (first_snapshot, first_incident and timezone.localtime(first_incident).date()) if d
    ]
    floor = today - dt.timedelta(days=365 * SLIDER_YEARS)
    start = min(candidates) if candidates else today - dt.timedelta(days=365)
    return max(min(start, today - dt.timedelta(days=30)), floor)


def _categories(language: str) -> list[dict[str, Any]]:
    try:
        config = active_config()
    except ConfigError:
        return []
    labels = category_labels(config, language)
    return [{"code": c.code, "label": labels[c.code], "min": c.min} for c in config.categories]


def _filters(request: HttpRequest, language: str) -> dict[str, Any]:
    """The incident filters as the form shows them; values the endpoints would refuse are dropped."""
    try:
        query = marker_query(request)
    except BadParam:
        query = params.MarkerQuery(day=timezone.localdate(), window_days=params.DEFAULT_WINDOW)
    return {
        "event_types": taxonomy.event_type_choices(language),
        "statuses": IncidentStatus.choices,
        "channels": taxonomy.channel_choices(language),
        "windows": [(w, w) for w in params.WINDOWS],
        "query": query,
    }


def context(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    home_code = home_region_code(user, settings.DEFAULT_REGION)
    can_map = may(user, Action.VIEW_MAP, home_code)
    place = opening_place(request, home_code) if can_map else None
    language = lang()
    today = timezone.localdate()
    ctx: dict[str, Any] = {
        "place": place,
        "region": place.region if place else None,
        "home_code": home_code,
        "can_map": can_map,
        "can_open_home": may(user, Action.VIEW_REGION, home_code),
    }
    if place is None:
        return ctx
    try:
        level = params.parse_level(request.GET.getlist, place.level)
        mapdata.check_size(place, level)
    except BadParam:
        level = min(place.level + 1, 4)
    try:
        day = params.parse_day(request.GET.getlist, today)
    except BadParam:
        day = today
    national = may_open_national(user)
    parents: list[tuple[Any, bool]] = [(p, may(user, Action.VIEW_MAP, p.code)) for p in place.ancestors()]
    if national and place.region is not None:
        parents.insert(0, (mapdata.place_for(None), True))
    allowed = markers.allowed_layers(user)
    filters = _filters(request, language)
    layers_on = filters["query"].layers
    if "lapisan" in request.GET and not any(v.strip() for v in request.GET.getlist("lapisan")):
        layers_on = ()  # every layer switched off
    start = _slider_start(user, today)
    page_url = url_template("dashboard:region")
    ctx.update(
        level=level,
        levels=Level.choices,
        units=[
            {**u, "page_url": page_url.replace("{code}", u["code"])} for u in mapdata.unit_list(place, level)
        ],
        parents=parents,
        day=day,
        today=today,
        slider={"start": start, "days": (today - start).days, "value": max(0, (day - start).days)},
        filters=filters,
        layers=[(name, _(LAYER_LABELS[name]), name in layers_on) for name in allowed],
        categories=_categories(language),
        sitrep=latest_sitrep(user),
        score_classes=[(low, low + 20) for low in SCORE_CLASSES],
        map_config={
            "start": place.code,
            "level": level,
            "defaultLevel": min(place.level + 1, 4),
            "home": home_code,
            "national": NATIONAL if national else None,
            "today": today.isoformat(),
            "dataUrl": url_template("dashboard:map-data"),
            "markersUrl": url_template("dashboard:map-markers"),
            "panelUrl": url_template("dashboard:map-panel"),
            "regionUrl": url_template("dashboard:region"),
            "mapUrl": reverse("dashboard:home"),
            "layers": allowed,
        },
    )
    return ctx
