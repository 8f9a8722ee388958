"""/api/exports/{incidents,reports} and /api/sitrep: open-data files and the situation report.

Same authentication as the rest of the API (bearer token or the browser session) and the one error shape.
Exports need the ``export_data`` action (reports also ``view_reports``); the sitrep needs both read rights
in its region. A region outside the caller's scope does not exist for them (404). Decisions and files in
``waspada.reporting``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from waspada.api.auth import AUTH
from waspada.api.errors import ApiError
from waspada.api.filters import known_region
from waspada.api.report_schemas import ErrorOut
from waspada.regions.models import Region
from waspada.reporting import exports, services
from waspada.reporting.export_data import ExportError, export
from waspada.reporting.views import may_sitrep

router = Router(tags=["exports"])

ERRORS = frozenset({400, 401, 403, 404, 422})
ExportFormat = Literal["csv", "xlsx", "geojson", "acled", "hxl"]
RegionParam = Query(
    None, max_length=20, description="only this region and the units under it (Kemendagri code)"
)
SinceParam = Query(None, description="only events that occurred on or after this day (YYYY-MM-DD)")
FormatParam = Query("csv", description="csv, xlsx, geojson, acled (ACLED codebook columns) or hxl")
SimulatedParam = Query(False, description="leave out demo/training data")
SitrepRegion = Query(..., max_length=20, description="Kemendagri region code")
SitrepDate = Query(..., description="last day covered (YYYY-MM-DD)")
SitrepPeriod = Query("daily", description="daily (that day) or weekly (the 7 days ending on it)")
SitrepFormat = Query("pdf")
_BINARY = {"schema": {"type": "string", "format": "binary"}}


def _file_responses(types: list[str], what: str) -> dict[str, Any]:
    return {"responses": {200: {"description": what, "content": {t: _BINARY for t in types}}}}


EXPORT_DOC = _file_responses(
    sorted({ct.split(";")[0] for ct, _suffix in exports.FORMATS.values()}),
    "The file (Content-Disposition: attachment). No reporter identity; coordinates rounded to 2 decimals.",
)
# GeoJSON is JSON: describe it as the FeatureCollection it is.
EXPORT_DOC["responses"][200]["content"]["application/geo+json"] = {
    "schema": {
        "type": "object",
        "required": ["type", "features"],
        "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "features": {"type": "array"},
        },
    }
}
SITREP_DOC = _file_responses(["application/pdf", "text/html"], "The situation report")


def _region(raw: str | None) -> Region | None:
    return known_region(raw) if raw else None


def _file(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _export(
    request: HttpRequest,
    dataset: str,
    fmt: str,
    region: str | None,
    since: dt.date | None,
    exclude_simulated: bool,
) -> HttpResponse:
    where = _region(region)
    try:
        result = export(
            request.user,
            dataset,
            fmt,
            region=where,
            since=since,
            exclude_simulated=exclude_simulated,
            via="api",
        )
    except ExportError as exc:
        details = [{"field": exc.field, "message": exc.message}] if exc.field else None
        raise ApiError(exc.status, exc.message, details=details) from None
    response = _file(result.content, result.content_type, result.filename)
    response["X-Total-Count"] = str(result.count)
    return response


@router.get(
    "/exports/incidents",
    response={ERRORS: ErrorOut},
    auth=AUTH,
    summary="Incidents in the caller's scope as CSV, XLSX, GeoJSON, ACLED CSV or HXL CSV",
    openapi_extra=EXPORT_DOC,
)
def export_incidents(
    request: HttpRequest,
    format: ExportFormat = FormatParam,
    region: str | None = RegionParam,
    since: dt.date | None = SinceParam,
    exclude_simulated: bool = SimulatedParam,
) -> HttpResponse:
    return _export(request, "incidents", format, region, since, exclude_simulated)


@router.get(
    "/exports/reports",
    response={ERRORS: ErrorOut},
    auth=AUTH,
    summary="Verified reports in the caller's scope as CSV, XLSX, GeoJSON, ACLED CSV or HXL CSV",
    openapi_extra=EXPORT_DOC,
)
def export_reports(
    request: HttpRequest,
    format: ExportFormat = FormatParam,
    region: str | None = RegionParam,
    since: dt.date | None = SinceParam,
    exclude_simulated: bool = SimulatedParam,
) -> HttpResponse:
    return _export(request, "reports", format, region, since, exclude_simulated)


@router.get(
    "/sitrep",
    response={ERRORS: ErrorOut},
    auth=AUTH,
    summary="The situation report (Laporan Situasi) of a region for a day or a week, as PDF or HTML",
    openapi_extra=SITREP_DOC,
)
def sitrep(
    request: HttpRequest,
    region: str = SitrepRegion,
    date: dt.date = SitrepDate,
    period: Literal["daily", "weekly"] = SitrepPeriod,
    format: Literal["pdf", "html"] = SitrepFormat,
) -> HttpResponse:
    where = _region(region)
    if where is None:
        message = "Kode wilayah wajib diisi."
        raise ApiError(422, message, details=[{"field": "region", "message": message}])
    if not may_sitrep(request.user):
        raise ApiError(403, "Peran Anda tidak dapat membuat laporan situasi.")
    if not may_sitrep(request.user, where.code):
        raise ApiError(404, f"Wilayah {where.code} tidak ditemukan.")
    try:
        rendered = services.generate(where, period, date, format, user=request.user, via="api")
    except (OverflowError, ValueError) as exc:  # a date at the edge of the calendar
        raise ApiError(422, f"Tanggal {date} tidak dapat diproses: {exc}") from None
    return _file(rendered.content, rendered.content_type, rendered.filename)
