"""The situation report and export page (``/laporan-situasi/``): make a sitrep for a region and a day or a
week, download the stored ones, and export incidents and verified reports. Thin: access from
``waspada.accounts.access``, the work in ``services`` and ``export_data``."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from waspada.accounts.access import Action, home_region_code, may, scope_q
from waspada.regions.timezones import zone_for
from waspada.reporting import services
from waspada.reporting.export_data import ExportError, export
from waspada.reporting.forms import ExportForm, SitrepForm
from waspada.reporting.jobs import sitrep_hour
from waspada.reporting.models import Sitrep

ARCHIVE_SIZE = 30


def may_sitrep(user: Any, code: str | None = None) -> bool:
    """A sitrep shows incidents, alerts and aggregates: both read rights are needed (in the region)."""
    return may(user, Action.VIEW_INCIDENTS, code) and may(user, Action.VIEW_AGGREGATES, code)


def _require_page(request: HttpRequest) -> None:
    if not (may_sitrep(request.user) or may(request.user, Action.EXPORT_DATA)):
        raise PermissionDenied


def _attachment(content: bytes, content_type: str, filename: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _page(
    request: HttpRequest, sitrep_form: SitrepForm, export_form: ExportForm, status: int = 200
) -> HttpResponse:
    can_sitrep = may_sitrep(request.user)
    archive = (
        Sitrep.objects.filter(scope_q(request.user, "region"))
        .exclude(file="")
        .select_related("region")[:ARCHIVE_SIZE]
        if can_sitrep
        else []
    )
    return render(
        request,
        "reporting/page.html",
        {
            "sitrep_form": sitrep_form,
            "export_form": export_form,
            "can_sitrep": can_sitrep,
            "can_export": may(request.user, Action.EXPORT_DATA),
            "archive": archive,
            "sitrep_hour": sitrep_hour(),
        },
        status=status,
    )


def _initial(request: HttpRequest) -> dict[str, Any]:
    code = home_region_code(request.user, settings.DEFAULT_REGION) or settings.DEFAULT_REGION
    try:
        today = timezone.now().astimezone(ZoneInfo(zone_for(code))).date()
    except ValueError:
        today = timezone.localdate()
    return {"wilayah": code, "tanggal": today, "periode": "daily", "format": "pdf"}


@login_required
@require_GET
def page(request: HttpRequest) -> HttpResponse:
    _require_page(request)
    initial = _initial(request)
    return _page(
        request,
        SitrepForm(initial=initial, user=request.user),
        ExportForm(initial={"data": "incidents", "format": "csv"}, user=request.user),
    )


@login_required
@require_GET
def make_sitrep(request: HttpRequest) -> HttpResponse:
    """The report for the form's region and period, as a download (PDF) or a page (HTML)."""
    if not may_sitrep(request.user):
        raise PermissionDenied
    form = SitrepForm(request.GET, user=request.user)
    if not form.is_valid():
        return _page(
            request, form, ExportForm(initial={"data": "incidents", "format": "csv"}, user=request.user), 400
        )
    data = form.cleaned_data
    fmt = data["format"]
    rendered = services.generate(
        data["wilayah"],
        data["periode"],
        data["tanggal"],
        fmt,
        user=request.user,
        via="page",
        lang=_language(request),
    )
    return _attachment(rendered.content, rendered.content_type, rendered.filename, inline=fmt == "html")


def _language(request: HttpRequest) -> str:
    return "en" if (getattr(request, "LANGUAGE_CODE", "id") or "id").startswith("en") else "id"


@login_required
@require_GET
def stored_sitrep(request: HttpRequest, pk: int) -> HttpResponse:
    sitrep = Sitrep.objects.filter(pk=pk).exclude(file="").first()
    if sitrep is None or not may_sitrep(request.user, sitrep.region_id):
        raise Http404("situation report not found")
    try:
        handle = sitrep.file.open("rb")
    except OSError:
        raise Http404("situation report file is missing") from None
    name = sitrep.file.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name, content_type="application/pdf")


@login_required
@require_GET
def make_export(request: HttpRequest) -> HttpResponse:
    if not may(request.user, Action.EXPORT_DATA):
        raise PermissionDenied
    form = ExportForm(request.GET, user=request.user)
    if not form.is_valid():
        return _page(request, SitrepForm(initial=_initial(request), user=request.user), form, 400)
    data = form.cleaned_data
    try:
        result = export(
            request.user,
            data["data"],
            data["format"],
            region=data["wilayah"],
            since=data["sejak"],
            exclude_simulated=data["tanpa_simulasi"],
            via="page",
        )
    except ExportError as exc:
        if exc.status == 404:
            raise Http404(exc.message) from None
        if exc.status == 403:
            raise PermissionDenied(exc.message) from None
        form.add_error(None, exc.message)
        return _page(request, SitrepForm(initial=_initial(request), user=request.user), form, 400)
    return _attachment(result.content, result.content_type, result.filename)
