"""/api/reports/{id}/attachments: photos and documents for a report.

Uploads are multipart (``file`` and an optional ``client_id``); a retry with the same ``client_id`` returns
the attachment already stored (200) instead of storing it twice. Files are checked by their content and
photos are stored without metadata (see ``waspada.reports.attachments``). Downloads are answered only to
users who may see the report; anyone else gets 404.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime

from django.http import FileResponse, HttpRequest
from django.urls import reverse
from ninja import File, Form, Path, Router, Schema
from ninja.files import UploadedFile

from waspada.api.auth import AUTH
from waspada.api.errors import ApiError
from waspada.api.report_schemas import ErrorOut
from waspada.reports import attachments as files
from waspada.reports.access import visible_reports
from waspada.reports.models import Attachment, Report

log = logging.getLogger("waspada.api")

router = Router(tags=["attachments"])

NOT_FOUND = "Laporan tidak ditemukan."
MAX_ID = 2**63 - 1
UPLOAD_ERRORS = frozenset({401, 403, 404, 409, 413, 415, 422})
READ_ERRORS = frozenset({401, 404, 422})
ReportId = Path(..., ge=1, le=MAX_ID)
AttachmentId = Path(..., ge=1, le=MAX_ID)
CLIENT_ID = re.compile(r"[A-Za-z0-9._:\-]{0,64}")


class AttachmentOut(Schema):
    id: int
    report: int
    kind: str
    content_type: str
    size: int
    sha256: str
    name: str
    client_id: str
    created_at: datetime
    url: str


class AttachmentList(Schema):
    report: int
    attachments: list[AttachmentOut]


def _out(att: Attachment) -> AttachmentOut:
    return AttachmentOut(
        id=att.pk,
        report=att.report_id,
        kind=att.kind,
        content_type=att.content_type,
        size=att.size,
        sha256=att.sha256,
        name=att.original_name,
        client_id=att.client_id,
        created_at=att.created_at,
        url=reverse("api:attachment_file", kwargs={"report_id": att.report_id, "attachment_id": att.pk}),
    )


def _visible(request: HttpRequest, report_id: int) -> Report:
    report = visible_reports(request.user).filter(pk=report_id).first()
    if report is None:
        raise ApiError(404, NOT_FOUND)
    return report


@router.post(
    "/reports/{report_id}/attachments",
    auth=AUTH,
    response={200: AttachmentOut, 201: AttachmentOut, UPLOAD_ERRORS: ErrorOut},
    summary="Attach a photo (JPEG, PNG, WebP) or a PDF document to a report",
    description="Multipart form with `file` and an optional `client_id` (unique per report): a retry with the "
    "same `client_id` answers 200 with the attachment already stored. The type is read from the content, "
    "not the file name (415 otherwise); files over the size limit answer 413. Photos are stored without "
    "EXIF/GPS/XMP metadata.",
)
def upload(
    request: HttpRequest,
    file: File[UploadedFile],
    report_id: int = ReportId,
    client_id: Form[str] = "",
) -> tuple[int, AttachmentOut]:
    if not CLIENT_ID.fullmatch(client_id):
        raise ApiError(
            422,
            "client_id hanya boleh berisi huruf, angka, titik, titik dua, garis bawah dan tanda hubung "
            "(paling banyak 64).",
        )
    if not client_id and CLIENT_ID.fullmatch(key := request.headers.get("Idempotency-Key", "")):
        client_id = key
    report = files.get_report_to_attach(request.user, report_id)
    if report is None:
        raise ApiError(404, NOT_FOUND)
    try:
        data = files.read_limited(file, file.size)
        prepared = files.prepare(data, file.name or "")
        attachment, created = files.store(report, prepared, client_id=client_id, user=request.user)
    except files.AttachmentRejected as exc:
        raise ApiError(exc.status, exc.message) from None
    return (201 if created else 200), _out(attachment)


@router.get(
    "/reports/{report_id}/attachments",
    auth=AUTH,
    response={200: AttachmentList, READ_ERRORS: ErrorOut},
    summary="The attachments of a report",
)
def list_attachments(request: HttpRequest, report_id: int = ReportId) -> AttachmentList:
    report = _visible(request, report_id)
    return AttachmentList(report=report.pk, attachments=[_out(a) for a in report.attachments.all()])


@router.get(
    "/reports/{report_id}/attachments/{attachment_id}",
    auth=AUTH,
    url_name="attachment_file",
    response={READ_ERRORS: ErrorOut},
    summary="Download one attachment (documents as a download, photos inline)",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file",
                "content": {
                    "image/jpeg": {},
                    "image/png": {},
                    "image/webp": {},
                    "application/pdf": {},
                },
            }
        }
    },
)
def download(
    request: HttpRequest, report_id: int = ReportId, attachment_id: int = AttachmentId
) -> FileResponse:
    report = _visible(request, report_id)
    att = Attachment.objects.filter(report=report, pk=attachment_id).first()
    if att is None:
        raise ApiError(404, "Lampiran tidak ditemukan.")
    try:
        handle = att.file.open("rb")
    except (FileNotFoundError, OSError):
        log.warning("attachment %s of report %s is missing from storage", att.pk, report.pk)
        raise ApiError(404, "Berkas lampiran tidak ada di penyimpanan.") from None
    response = FileResponse(
        handle,
        content_type=att.content_type,
        as_attachment=att.kind == "document",
        filename=att.original_name or f"lampiran-{att.pk}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response
