from __future__ import annotations

from django.urls import path, re_path

from waspada.elections import views

app_name = "elections"

urlpatterns = [
    path("pemilihan/kontestasi/<int:pk>/", views.contest_page, name="contest"),
    path("pemilihan/temuan/", views.findings_page, name="findings"),
    re_path(r"^pemilihan/tps/(?P<code>\d{13})/$", views.tps_page, name="tps"),
]
