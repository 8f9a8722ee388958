"""The REST API (django-ninja); its schema is at /api/openapi.json and its docs at /api/docs."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import NinjaAPI

from waspada.accounts.access import actor_for
from waspada.api import errors
from waspada.api.alerts import router as alerts_router
from waspada.api.attachments import router as attachments_router
from waspada.api.auth import AUTH
from waspada.api.elections import router as elections_router
from waspada.api.exports import router as exports_router
from waspada.api.regions import router as regions_router
from waspada.api.reports import router as reports_router
from waspada.api.risk import router as risk_router
from waspada.api.schemas import Me

api = NinjaAPI(
    title="Waspada API",
    version="1",
    description="Early warning for election conflict. Errors always have the shape "
    '{"error": {"status", "code", "message", "details"}}.',
    urls_namespace="api",
)
errors.install(api)
api.add_router("/regions", regions_router)
api.add_router("/", reports_router)
api.add_router("/", attachments_router)
api.add_router("/", elections_router)
api.add_router("/", alerts_router)
api.add_router("/", exports_router)
api.add_router("/", risk_router)


@api.get("/me", response=Me, auth=AUTH, tags=["accounts"], summary="Who the token or session belongs to")
def me(request: HttpRequest) -> Me:
    actor = actor_for(request.user)
    assert actor is not None  # guaranteed by AUTH
    return Me(username=request.user.get_username(), role=actor.role, scope=actor.scope)
