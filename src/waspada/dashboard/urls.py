from __future__ import annotations

from django.urls import path, re_path

from waspada.dashboard import views, views_map, views_overview

app_name = "dashboard"

CODE = r"(?P<code>\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?)"
MAP_CODE = r"(?P<code>nasional|\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?)"  # "nasional": the whole country

urlpatterns = [
    path("", views.home, name="home"),
    path("ringkasan/", views_overview.overview, name="overview"),
    re_path(rf"^peta/data/{MAP_CODE}\.json$", views_map.map_data, name="map-data"),
    re_path(rf"^peta/titik/{MAP_CODE}\.json$", views_map.map_markers, name="map-markers"),
    re_path(rf"^peta/panel/{MAP_CODE}\.json$", views_map.region_panel_data, name="map-panel"),
    re_path(rf"^wilayah/{CODE}/$", views.region_page, name="region"),
    path("kesehatan", views.health, name="health"),
]
