"""Photos and documents attached to reports: checked by content, cleaned of metadata, stored once.

The file name and the type the client claims are never trusted: the first bytes decide (JPEG, PNG, WebP
photos; PDF documents). Photos are decoded with Pillow, turned upright from their EXIF orientation and
encoded again with no metadata at all (no EXIF, GPS, XMP, comments), so a reporter's location or phone
model never leaves the server. PDFs are kept as they are. Retries carry the same ``client_id`` and get
the attachment already stored.

Errors are ``AttachmentRejected`` with an HTTP status (413 too large, 415 wrong type, 422 unreadable,
409 conflicting retry) and a message in plain Bahasa Indonesia for the reporter.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import uuid
import warnings
from dataclasses import dataclass
from datetime import timedelta
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from PIL import Image, ImageOps, UnidentifiedImageError

from waspada.accounts import audit
from waspada.accounts.access import Action, may
from waspada.reports import access
from waspada.reports.models import Attachment, IdempotencyRecord, Report

# Formats: sniffed name -> (content type, extension, kind, Pillow format)
FORMATS: dict[str, tuple[str, str, str, str | None]] = {
    "jpeg": ("image/jpeg", "jpg", "photo", "JPEG"),
    "png": ("image/png", "png", "photo", "PNG"),
    "webp": ("image/webp", "webp", "photo", "WEBP"),
    "pdf": ("application/pdf", "pdf", "document", None),
}
MAX_PER_REPORT = 20
MAX_PIXELS = 60_000_000  # a 60-megapixel photo; larger ones are decompression bombs or scans
# A reporter may add files to a report they sent anonymously for this long after sending it.
ANONYMOUS_ATTACH_WINDOW = timedelta(days=2)


class AttachmentRejected(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Prepared:
    """A checked and cleaned file, ready to store."""

    content: bytes
    content_type: str
    extension: str
    kind: str
    name: str
    sha256: str


def sniff(head: bytes) -> str | None:
    """The format named by a file's first bytes, or None when it is not one we accept."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"%PDF-"):
        return "pdf"
    return None


def max_bytes() -> int:
    return int(settings.MAX_ATTACHMENT_BYTES)


def _too_large() -> AttachmentRejected:
    mb = max_bytes() / (1024 * 1024)
    return AttachmentRejected(413, f"Berkas terlalu besar. Ukuran maksimum {mb:g} MB per berkas.")


def read_limited(stream: IO[bytes], size: int | None) -> bytes:
    """The whole upload, refusing it (413) as soon as it is over the limit."""
    limit = max_bytes()
    if size is not None and size > limit:
        raise _too_large()
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise _too_large()
    return data


def safe_name(raw: str, extension: str) -> str:
    """A harmless file name to show and to offer on download: no folders, no control or shell characters,
    at most 120 characters, always ending in the extension of the real content."""
    base = re.split(r"[\\/]", raw or "")[-1]
    base = unicodedata.normalize("NFKC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] not in {"C", "Z"} or ch == " ")
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem = ext
    stem = re.sub(r"[^\w\-. ()]+", "_", stem).strip(" ._") or "lampiran"
    stem = re.sub(r"\s+", " ", stem)[:100].rstrip(" ._")
    return f"{stem}.{extension}"


def _clean_image(data: bytes, pil_format: str) -> bytes:
    """Decode, turn upright from the EXIF orientation, encode again with no metadata."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image: Any = Image.open(io.BytesIO(data))
            if image.format != pil_format:
                raise AttachmentRejected(415, "Isi berkas tidak cocok dengan jenisnya.")
            if image.width * image.height > MAX_PIXELS:
                raise AttachmentRejected(413, "Foto terlalu besar (jumlah piksel). Kecilkan lalu kirim lagi.")
            image.load()
            upright = ImageOps.exif_transpose(image)
        except AttachmentRejected:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise AttachmentRejected(
                413, "Foto terlalu besar (jumlah piksel). Kecilkan lalu kirim lagi."
            ) from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
            raise AttachmentRejected(
                422, "Foto tidak dapat dibaca; berkasnya rusak atau tidak lengkap."
            ) from None
    # Drop every piece of metadata Pillow read (EXIF, XMP, ICC, comments, text chunks …); keep only the
    # transparent colour of a palette image, which is part of the picture.
    upright.info = {k: v for k, v in upright.info.items() if k == "transparency"}
    out = io.BytesIO()
    if pil_format == "JPEG":
        if upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
        upright.save(out, "JPEG", quality=88, optimize=True, exif=b"")
    elif pil_format == "PNG":
        upright.save(out, "PNG", optimize=True)
    else:
        upright.save(out, "WEBP", quality=85, exif=b"", xmp=b"")
    return out.getvalue()


def prepare(data: bytes, original_name: str) -> Prepared:
    """Check a file by its content and clean it. Raises ``AttachmentRejected``."""
    if len(data) > max_bytes():
        raise _too_large()
    if not data:
        raise AttachmentRejected(422, "Berkas kosong.")
    fmt = sniff(data[:16])
    if fmt is None:
        raise AttachmentRejected(
            415, "Jenis berkas tidak diterima. Kirim foto (JPEG, PNG, WebP) atau dokumen PDF."
        )
    content_type, extension, kind, pil_format = FORMATS[fmt]
    content = data if pil_format is None else _clean_image(data, pil_format)
    if pil_format is None and b"%%EOF" not in data[-65536:]:
        raise AttachmentRejected(422, "Dokumen PDF tidak lengkap; kirim ulang berkasnya.")
    return Prepared(
        content=content,
        content_type=content_type,
        extension=extension,
        kind=kind,
        name=safe_name(original_name, extension),
        sha256=hashlib.sha256(content).hexdigest(),
    )


# --- Who may add files, and storing them -----------------------------------------------------------------


def can_attach(user: Any, report: Report) -> bool:
    """Analysts who may review the report, and the reporter who sent it: recognised by the account, or for
    an anonymous report, shortly after sending it, by the idempotency record of the submission."""
    if access.can_review(user, report):
        return True
    if not may(user, Action.SUBMIT_REPORT, report.region_id):
        return False
    if report.submitted_by_id == user.pk:
        return True
    if report.reporter is not None and report.reporter.user_id == user.pk:
        return True
    return _sent_anonymously_by(user, report)


def _sent_anonymously_by(user: Any, report: Report) -> bool:
    if report.submitted_by_id is not None or report.created_at < timezone.now() - ANONYMOUS_ATTACH_WINDOW:
        return False
    return IdempotencyRecord.objects.filter(report=report, scope=f"user:{user.pk}").exists()


def get_report_to_attach(user: Any, pk: Any) -> Report | None:
    """The report when ``user`` may add files to it, else None (answer 404: nothing to see)."""
    try:
        report = Report.objects.select_related("reporter").get(pk=int(pk))
    except (Report.DoesNotExist, TypeError, ValueError, OverflowError):
        return None
    return report if can_attach(user, report) else None


def store(report: Report, prepared: Prepared, *, client_id: str, user: Any) -> tuple[Attachment, bool]:
    """Store a cleaned file on a report, once per ``client_id``; returns (attachment, created).

    A retry with the same client id and the same content returns the stored attachment; the same client id
    with other content is a conflict (409)."""
    existing = _existing(report, client_id)
    if existing is not None:
        return _same_or_conflict(existing, prepared), False
    if Attachment.objects.filter(report=report).count() >= MAX_PER_REPORT:
        raise AttachmentRejected(422, f"Satu laporan paling banyak {MAX_PER_REPORT} lampiran.")
    attachment = Attachment(
        report=report,
        kind=prepared.kind,
        content_type=prepared.content_type,
        size=len(prepared.content),
        sha256=prepared.sha256,
        original_name=prepared.name,
        client_id=client_id,
    )
    attachment.file.save(
        f"{uuid.uuid4().hex}.{prepared.extension}", ContentFile(prepared.content), save=False
    )
    try:
        with transaction.atomic():
            attachment.save()
            audit.record(
                # An anonymous report stays anonymous: its reporter's uploads are logged as the system's.
                None if _sent_anonymously_by(user, report) and not access.can_review(user, report) else user,
                "report.attachment_added",
                report,
                after={"attachment": attachment.pk, "kind": attachment.kind, "sha256": attachment.sha256},
            )
    except IntegrityError:
        # A concurrent retry with the same client id won the race: keep its row, drop our file.
        attachment.file.delete(save=False)
        existing = _existing(report, client_id)
        if existing is None:
            raise
        return _same_or_conflict(existing, prepared), False
    except BaseException:
        attachment.file.delete(save=False)
        raise
    return attachment, True


def _existing(report: Report, client_id: str) -> Attachment | None:
    if not client_id:
        return None
    return Attachment.objects.filter(report=report, client_id=client_id).first()


def _same_or_conflict(existing: Attachment, prepared: Prepared) -> Attachment:
    if existing.sha256 != prepared.sha256:
        raise AttachmentRejected(
            409, "client_id ini sudah dipakai untuk berkas lain pada laporan ini. Pakai client_id baru."
        )
    return existing
