"""The web report form: ``/lapor/``, its service worker and the offline desa list."""

from __future__ import annotations

from django.urls import URLPattern, path

from waspada.reports import form_views

app_name = "lapor"

urlpatterns: list[URLPattern] = [
    path("lapor/", form_views.form_page, name="form"),
    path("lapor/sw.js", form_views.service_worker, name="sw"),
    path("lapor/wilayah.json", form_views.scope_units, name="units"),
]
