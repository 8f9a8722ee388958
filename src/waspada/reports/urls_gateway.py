"""Webhooks of the message gateway (see ``docs/message-format.md``)."""

from __future__ import annotations

from django.urls import URLPattern, path, re_path

from waspada.reports import gateway_views

app_name = "gateway"

_WEBHOOKS = {"sms": gateway_views.sms, "whatsapp": gateway_views.whatsapp, "telegram": gateway_views.telegram}

urlpatterns: list[URLPattern] = [
    *(path(f"gateway/{name}/", view, name=name) for name, view in _WEBHOOKS.items()),
    # Also without the trailing slash: a redirect would drop the gateway's POST body.
    *(path(f"gateway/{name}", view) for name, view in _WEBHOOKS.items()),
    re_path(r"^gateway(?:/.*)?$", gateway_views.not_found),
]
