from __future__ import annotations

from django.urls import path, re_path

from waspada.elections import views, views_files

app_name = "elections"

urlpatterns = [
    path("pemilihan/kontestasi/<int:pk>/", views.contest_page, name="contest"),
    path("pemilihan/temuan/", views.findings_page, name="findings"),
    path("pemilihan/temuan/<int:pk>/", views.finding_page, name="finding"),
    re_path(r"^pemilihan/tps/(?P<code>\d{13})/$", views.tps_page, name="tps"),
    path("pemilihan/impor/", views_files.import_page, name="import"),
    path("pemilihan/impor/templat.xlsx", views_files.template_xlsx, name="template"),
    re_path(
        r"^pemilihan/forensik/(?P<code>[-a-zA-Z0-9_]{1,40})/$", views_files.forensics_page, name="forensics"
    ),
    re_path(
        r"^pemilihan/forensik/(?P<code>[-a-zA-Z0-9_]{1,40})/sidik-jari\.svg$",
        views_files.fingerprint_svg,
        name="fingerprint",
    ),
]
