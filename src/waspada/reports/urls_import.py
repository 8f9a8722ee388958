"""File import of reports: the upload page and the templates."""

from __future__ import annotations

from django.urls import path

from waspada.reports import import_views

app_name = "reports_import"

urlpatterns = [
    path("laporan/impor/", import_views.upload, name="upload"),
    path("laporan/impor/template.csv", import_views.template, {"fmt": "csv"}, name="template-csv"),
    path("laporan/impor/template.xlsx", import_views.template, {"fmt": "xlsx"}, name="template-xlsx"),
]
