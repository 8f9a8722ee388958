from __future__ import annotations

from django.urls import path

from waspada.reporting import views

app_name = "reporting"

urlpatterns = [
    path("laporan-situasi/", views.page, name="page"),
    path("laporan-situasi/buat/", views.make_sitrep, name="make"),
    path("laporan-situasi/arsip/<int:pk>/", views.stored_sitrep, name="stored"),
    path("ekspor/", views.make_export, name="export"),
]
