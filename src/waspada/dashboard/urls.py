from __future__ import annotations

from django.urls import path, re_path

from waspada.dashboard import views

app_name = "dashboard"

CODE = r"(?P<code>\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?)"

urlpatterns = [
    path("", views.home, name="home"),
    re_path(rf"^peta/data/{CODE}\.json$", views.map_data, name="map-data"),
    re_path(rf"^wilayah/{CODE}/$", views.region_page, name="region"),
    path("kesehatan", views.health, name="health"),
]
