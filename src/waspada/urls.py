from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from waspada.accounts.views import LoginView
from waspada.api import errors as api_errors
from waspada.api.urls import api

admin.site.site_header = "Waspada"
admin.site.site_title = "Waspada"

urlpatterns = [
    path("masuk/", LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    re_path(r"^api/", api_errors.not_found_view),
    path("", include("waspada.reports.urls_form")),
    path("", include("waspada.reports.urls_review")),
    path("", include("waspada.reports.urls_gateway")),
    path("", include("waspada.reports.urls_import")),
    path("", include("waspada.elections.urls")),
    path("", include("waspada.alerts.urls")),
    path("", include("waspada.reporting.urls")),
    path("", include("waspada.risk.urls")),
    path("", include("waspada.dashboard.urls")),
]
