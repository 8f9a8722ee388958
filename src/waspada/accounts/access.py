"""Every access decision in Waspada goes through this module.

A user acts with one role inside one region scope. ``may(user, action, region_code)`` answers whether the
role allows the action and the scope covers the region; ``scope_q`` turns the scope into a query filter on
any field holding a region code. Object types add their own helper on top (``get_region_for`` here;
reports, incidents and alerts in their apps) so region scope is decided in exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet
from django.http import Http404

from waspada.accounts.models import Role
from waspada.regions.models import Region


class Action(StrEnum):
    VIEW_MAP = "view_map"
    VIEW_REGION = "view_region"
    SUBMIT_REPORT = "submit_report"
    VIEW_OWN_REPORTS = "view_own_reports"
    VIEW_REPORTS = "view_reports"
    REVIEW_REPORTS = "review_reports"
    VIEW_REPORTER_IDENTITY = "view_reporter_identity"
    VIEW_INCIDENTS = "view_incidents"
    EDIT_INCIDENTS = "edit_incidents"
    VIEW_AGGREGATES = "view_aggregates"
    ACKNOWLEDGE_ALERTS = "acknowledge_alerts"
    EXPORT_DATA = "export_data"
    MANAGE_USERS = "manage_users"
    MANAGE_SETTINGS = "manage_settings"
    VIEW_AUDIT = "view_audit"


_READ = {Action.VIEW_MAP, Action.VIEW_REGION, Action.VIEW_INCIDENTS, Action.VIEW_AGGREGATES}
_ANALYST = _READ | {
    Action.SUBMIT_REPORT,
    Action.VIEW_OWN_REPORTS,
    Action.VIEW_REPORTS,
    Action.REVIEW_REPORTS,
    Action.EDIT_INCIDENTS,
    Action.ACKNOWLEDGE_ALERTS,
    Action.EXPORT_DATA,
}

ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.PELAPOR: frozenset({Action.SUBMIT_REPORT, Action.VIEW_OWN_REPORTS, Action.VIEW_REGION}),
    Role.ANALIS: frozenset(_ANALYST),
    Role.KOORDINATOR: frozenset(_ANALYST | {Action.VIEW_REPORTER_IDENTITY, Action.VIEW_AUDIT}),
    Role.PIMPINAN: frozenset(_READ | {Action.EXPORT_DATA}),
    Role.ADMIN: frozenset(Action),
}


@dataclass(frozen=True, slots=True)
class Actor:
    user_id: int
    role: str
    scope: str | None  # None = the whole country

    def covers(self, region_code: str | None) -> bool:
        return covers(self.scope, region_code)

    def can(self, action: Action) -> bool:
        return action in ROLE_ACTIONS.get(self.role, frozenset())


def covers(scope: str | None, region_code: str | None) -> bool:
    """True when ``region_code`` is the scope region or lies under it."""
    if scope is None:
        return True
    if not region_code:
        return False
    return region_code == scope or region_code.startswith(scope + ".")


def actor_for(user: Any) -> Actor | None:
    """The acting role and scope of a user, or None for anonymous or inactive users and users with no profile
    (a superuser without a profile acts as a national administrator)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    cached = getattr(user, "_waspada_actor", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    try:
        profile = user.profile
    except ObjectDoesNotExist:
        profile = None
    if profile is not None:
        actor = Actor(user.pk, profile.role, profile.scope_id)
    elif user.is_superuser:
        actor = Actor(user.pk, Role.ADMIN, None)
    else:
        return None
    user._waspada_actor = actor
    return actor


def may(user: Any, action: Action, region_code: str | None = None) -> bool:
    """Whether ``user`` may do ``action`` (on something in ``region_code``, when given)."""
    actor = actor_for(user)
    if actor is None or not actor.can(action):
        return False
    return region_code is None or actor.covers(region_code)


def scope_q(user: Any, field: str = "region") -> Q:
    """A filter keeping rows whose ``field`` lies in the user's scope: a foreign key to Region (``region``,
    ``incident__region``) or a text field holding a dotted code (``code``, ``region_code``).
    Users without access get a filter that matches nothing."""
    actor = actor_for(user)
    if actor is None:
        return Q(pk__in=[])
    return scope_q_for(actor.scope, field)


def scope_q_for(scope: str | None, field: str = "region") -> Q:
    if scope is None:
        return Q()
    path = _code_path(field)
    return Q(**{path: scope}) | Q(**{f"{path}__startswith": scope + "."})


def _code_path(field: str) -> str:
    """The lookup path of the region code behind ``field``: a text field named ``code`` or ``…_code`` is
    compared as it is; any other name is taken as a foreign key to Region and compared through its code
    (Django reads ``<fk>_id`` without a join, since the code is Region's primary key)."""
    if field == "code" or field.endswith(("_code", "__code")):
        return field
    return f"{field}__code"


def home_region_code(user: Any, default: str) -> str | None:
    """The region a user's map opens on: their scope, else the deployment's default region."""
    actor = actor_for(user)
    if actor is None:
        return None
    return actor.scope or default


# --- Regions -------------------------------------------------------------------------------------------


def visible_regions(user: Any) -> QuerySet[Region]:
    if not may(user, Action.VIEW_REGION):
        return Region.objects.none()
    return Region.objects.filter(scope_q(user, "code"))


def get_region_for(user: Any, code: str) -> Region:
    """The region, when the user may see it; otherwise 404 (out-of-scope objects do not exist for them)."""
    if not may(user, Action.VIEW_REGION, code):
        raise Http404("region not found")
    try:
        return Region.objects.get(code=code)
    except Region.DoesNotExist:
        raise Http404("region not found") from None
