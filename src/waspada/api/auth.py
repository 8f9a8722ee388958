"""API authentication: ``Authorization: Bearer <token>`` (tokens from ``waspada users token``), or the
browser session for the application's own pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from waspada.accounts.access import actor_for
from waspada.accounts.models import ApiToken, hash_token


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if not token or len(token) > 200:
            return None
        # key_hash is unique: [:1] instead of first() spares an ORDER BY on the hottest query of the API
        rows = ApiToken.objects.select_related("user", "user__profile", "user__reporter").filter(
            key_hash=hash_token(token), revoked_at__isnull=True
        )[:1]
        row = rows[0] if rows else None
        if row is None or actor_for(row.user) is None:
            return None
        now = timezone.now()
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        request.waspada_auth = "token"  # type: ignore[attr-defined]
        return row.user


class ProfileSession(SessionAuth):
    """The logged-in browser session, for users with a role."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is None or actor_for(user) is None:
            return None
        request.waspada_auth = "session"  # type: ignore[attr-defined]
        return user


AUTH = [BearerToken(), ProfileSession()]
