from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.utils.translation import ngettext

from waspada.accounts import ratelimit


def client_address(request: HttpRequest) -> str:
    """The client's address for login throttling. Behind a trusted proxy (WASPADA_FORWARDED_ALLOW_IPS) every
    request comes from the proxy, so the last X-Forwarded-For entry (the one the proxy added) is used;
    otherwise one client could lock every user out."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    trusted = settings.FORWARDED_ALLOW_IPS
    if remote in trusted or "*" in trusted:
        hops = [h.strip() for h in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if h.strip()]
        if hops:
            return hops[-1]
    return remote


class LoginView(auth_views.LoginView):
    """Django's login with throttling of repeated failures (HTTP 429 while locked)."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = request.POST.get("username", "")
        if ratelimit.is_locked(username, client_address(request)):
            form = self.get_form()
            form.errors.clear()
            minutes = max(1, math.ceil(settings.LOGIN_LOCKOUT_SECONDS / 60))
            message = ngettext(
                "Too many failed login attempts. Please wait %(minutes)d minute and try again.",
                "Too many failed login attempts. Please wait %(minutes)d minutes and try again.",
                minutes,
            ) % {"minutes": minutes}
            form.add_error(None, message)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        ratelimit.note_failure(self.request.POST.get("username", ""), client_address(self.request))
        return super().form_invalid(form)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        ratelimit.clear(form.get_user().get_username())
        return super().form_valid(form)
