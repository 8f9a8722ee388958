"""Show times in the zone of the user's region (WIB, WITA or WIT); storage stays in UTC."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from waspada.accounts.access import actor_for
from waspada.regions.timezones import zone_for


class RegionTimezoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        actor = actor_for(getattr(request, "user", None))
        code = (actor.scope if actor else None) or settings.DEFAULT_REGION
        timezone.activate(ZoneInfo(zone_for(code)))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
