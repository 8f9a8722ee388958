from __future__ import annotations

from django.urls import path, re_path

from waspada.risk import views

app_name = "risk"

urlpatterns = [
    path("peta-rawan/", views.ranking_page, name="ranking"),
    re_path(r"^peta-rawan/ekspor\.(?P<fmt>csv|xlsx|geojson)$", views.export_view, name="export"),
]
