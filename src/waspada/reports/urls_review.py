"""The analysts' pages: review queue, report pages and their actions, incidents."""

from __future__ import annotations

from django.urls import path

from waspada.reports import views_incidents, views_queue, views_report

app_name = "review"

urlpatterns = [
    path("antrean/", views_queue.queue, name="queue"),
    path("antrean/aksi/", views_queue.bulk_action, name="bulk"),
    path("laporan/saya/", views_queue.my_reports, name="my-reports"),
    path("laporan/<int:pk>/", views_report.report_detail, name="report"),
    path("laporan/<int:pk>/status/", views_report.change_status, name="report-status"),
    path("laporan/<int:pk>/tugaskan/", views_report.assign, name="report-assign"),
    path("laporan/<int:pk>/kode/", views_report.edit_coding, name="report-coding"),
    path("laporan/<int:pk>/kejadian-baru/", views_report.create_incident, name="report-incident"),
    path("laporan/<int:pk>/gabungkan/", views_report.merge, name="report-merge"),
    path("laporan/<int:pk>/kunci/", views_report.renew_lock, name="report-lock"),
    path("laporan/<int:pk>/lepaskan/", views_report.release_lock, name="report-release"),
    path("kejadian/", views_incidents.incident_list, name="incidents"),
    path("kejadian/<int:pk>/", views_incidents.incident_detail, name="incident"),
    path("kejadian/<int:pk>/status/", views_incidents.incident_status, name="incident-status"),
]
