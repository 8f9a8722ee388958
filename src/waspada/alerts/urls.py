from __future__ import annotations

from django.urls import path

from waspada.alerts import views, views_actions

app_name = "alerts"

urlpatterns = [
    path("peringatan/", views.alert_list, name="list"),
    path("peringatan/kanal/", views.channels, name="channels"),
    path("peringatan/<int:pk>/", views.alert_detail, name="detail"),
    path("peringatan/<int:pk>/status/", views.alert_status, name="status"),
    path("peringatan/<int:pk>/tindak-lanjut/", views.alert_action, name="alert-action"),
    path("peringatan/pengiriman/<int:pk>/ulang/", views.delivery_retry, name="delivery-retry"),
    path("tindak-lanjut/", views_actions.action_list, name="actions"),
    path("tindak-lanjut/<int:pk>/", views.action_update, name="action-update"),
    path("tindak-lanjut/kejadian/<int:pk>/", views_actions.incident_actions, name="incident-actions"),
    path("tindak-lanjut/kejadian/<int:pk>/surat/", views_actions.recommendation_letter, name="letter"),
]
