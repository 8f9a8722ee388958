"""Attachments: checked by content, size-capped, photos stored without metadata, stored once per client id,
and shown only to users who may see the report (404 for everyone else)."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from waspada.accounts.models import AuditLog
from waspada.reports import attachments as files
from waspada.reports.models import Attachment, Report
from waspada.reports.schemas import ReportIn
from waspada.reports.services import Submission, create_report

SEBATIK_DESA = "65.03.01.2001"  # in the reporter's kecamatan (Sebatik, Nunukan)
TARAKAN_DESA = "65.71.01.1001"  # Kota Tarakan: outside Nunukan
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="3,50.1N"/>'
    b"</rdf:RDF></x:xmpmeta>"
)
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(tmp_path)}},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model X"  # Model
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to show
    exif[0x8825] = {1: "N", 2: (3.0, 50.0, 6.0), 3: "E", 4: (117.0, 35.0, 0.0)}  # GPS IFD
    return exif


def jpeg_with_gps(size: tuple[int, int] = (64, 48)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, "JPEG", exif=gps_exif(), xmp=XMP, comment=b"Sebatik")
    return buf.getvalue()


def png_with_metadata() -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "lokasi rahasia")
    info.add_text("XML:com.adobe.xmp", XMP.decode())
    buf = io.BytesIO()
    Image.new("RGBA", (20, 10), (0, 128, 0, 200)).save(buf, "PNG", pnginfo=info, exif=gps_exif())
    return buf.getvalue()


def webp_with_metadata() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (30, 20), (0, 0, 200)).save(buf, "WEBP", exif=gps_exif(), xmp=XMP)
    return buf.getvalue()


def new_report(user: Any, region: str = SEBATIK_DESA, **changes: Any) -> Report:
    data = {
        "region": region,
        "event_type": "intimidation",
        "occurred_at": (timezone.now() - timedelta(hours=1)).isoformat(),
        "description": "Saksi paslon diancam sekelompok orang.",
        **changes,
    }
    return create_report(ReportIn(**data), Submission(channel="web", user=user))


def client_for(user: Any | None, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    if user is not None:
        client.force_login(user)
    return client


def upload(client: Client, report_id: Any, data: bytes, name: str = "foto.jpg", **fields: Any) -> Any:
    content_type = fields.pop("content_type", "image/jpeg")
    headers = fields.pop("headers", {})
    payload = {"file": SimpleUploadedFile(name, data, content_type=content_type), **fields}
    return client.post(f"/api/reports/{report_id}/attachments", payload, **headers)


def assert_error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["status"] == status
    assert body["error"]["message"]
    return body["error"]  # type: ignore[no-any-return]


def stored_bytes(attachment: Attachment) -> bytes:
    with attachment.file.open("rb") as handle:
        return handle.read()


# --- what is accepted, and how it is stored ------------------------------------------------------------


def test_a_photo_with_gps_exif_is_stored_without_any_metadata(personas: dict[str, Any]) -> None:
    report = new_report(personas["pelapor"])
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the test photo does carry GPS
    response = upload(client_for(personas["pelapor"]), report.pk, original, client_id="foto-1")
    assert response.status_code == 201, response.content
    attachment = Attachment.objects.get(pk=response.json()["id"])
    data = stored_bytes(attachment)
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    assert not image.getexif()
    assert "exif" not in image.info and "xmp" not in image.info and "comment" not in image.info
    for marker in (
        b"Exif\x00\x00",
        b"PhoneMaker",
        b"http://ns.adobe.com/xap/1.0/",
        b"GPSLatitude",
        b"Sebatik",
    ):
        assert marker not in data
    assert image.size == (48, 64)  # turned upright from the EXIF orientation before it was dropped
    assert attachment.sha256 == hashlib.sha256(data).hexdigest() == response.json()["sha256"]
    assert attachment.size == len(data)
    assert (attachment.kind, attachment.content_type) == ("photo", "image/jpeg")


@pytest.mark.parametrize(
    ("make", "fmt", "content_type"),
    [(png_with_metadata, "PNG", "image/png"), (webp_with_metadata, "WEBP", "image/webp")],
)
def test_png_and_webp_photos_lose_their_metadata_too(
    personas: dict[str, Any], make: Any, fmt: str, content_type: str
) -> None:
    report = new_report(personas["pelapor"])
    response = upload(client_for(personas["pelapor"]), report.pk, make(), name="gambar.bin")
    assert response.status_code == 201, response.content
    attachment = Attachment.objects.get(pk=response.json()["id"])
    data = stored_bytes(attachment)
    image = Image.open(io.BytesIO(data))
    assert image.format == fmt
    assert attachment.content_type == content_type
    assert not image.getexif()
    assert not set(image.info) & {"exif", "xmp", "Comment", "XML:com.adobe.xmp"}
    assert b"lokasi rahasia" not in data and b"PhoneMaker" not in data
    assert attachment.original_name == f"gambar.{content_type.split('/')[1]}"


def test_a_palette_png_keeps_its_transparent_colour(personas: dict[str, Any]) -> None:
    image = Image.new("P", (8, 8), 1)
    image.putpalette([255, 255, 255, 200, 0, 0] + [0] * 762)
    buf = io.BytesIO()
    image.save(buf, "PNG", transparency=1)
    report = new_report(personas["pelapor"])
    response = upload(client_for(personas["pelapor"]), report.pk, buf.getvalue(), name="peta.png")
    assert response.status_code == 201, response.content
    stored = Image.open(io.BytesIO(stored_bytes(Attachment.objects.get(pk=response.json()["id"]))))
    assert stored.info.get("transparency") == 1


def test_a_cmyk_jpeg_is_stored_as_an_rgb_jpeg(personas: dict[str, Any]) -> None:
    buf = io.BytesIO()
    Image.new("CMYK", (10, 10), (0, 100, 100, 0)).save(buf, "JPEG", exif=gps_exif())
    report = new_report(personas["pelapor"])
    response = upload(client_for(personas["pelapor"]), report.pk, buf.getvalue())
    assert response.status_code == 201, response.content
    stored = Image.open(io.BytesIO(stored_bytes(Attachment.objects.get(pk=response.json()["id"]))))
    assert stored.mode == "RGB" and not stored.getexif()


def test_a_pdf_is_stored_as_it_is_under_a_harmless_name(personas: dict[str, Any]) -> None:
    report = new_report(personas["pelapor"])
    response = upload(
        client_for(personas["pelapor"]),
        report.pk,
        PDF,
        name="..\\..\\C.Hasil <TPS 03>; rm -rf.exe",
        content_type="application/octet-stream",
    )
    assert response.status_code == 201, response.content
    attachment = Attachment.objects.get(pk=response.json()["id"])
    assert stored_bytes(attachment) == PDF
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    assert (attachment.kind, attachment.content_type) == ("document", "application/pdf")
    assert attachment.original_name == "C.Hasil _TPS 03_ rm -rf.pdf"
    assert "/" not in attachment.file.name.split("lampiran/", 1)[1].split("/", 2)[-1]
    assert attachment.file.name.endswith(".pdf") and "Hasil" not in attachment.file.name


def test_an_exe_renamed_jpg_is_refused_as_unsupported(personas: dict[str, Any]) -> None:
    report = new_report(personas["pelapor"])
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
    response = upload(
        client_for(personas["pelapor"]), report.pk, exe, name="foto.jpg", content_type="image/jpeg"
    )
    error = assert_error(response, 415)
    assert error["code"] == "unsupported_media_type"
    assert "JPEG" in error["message"] and "PDF" in error["message"]
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",  # a real image type we do not accept
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        b"<html><script>alert(1)</script></html>",
        b"PK\x03\x04 a zip or docx",
    ],
)
def test_other_content_is_refused_whatever_its_name(personas: dict[str, Any], data: bytes) -> None:
    report = new_report(personas["pelapor"])
    response = upload(
        client_for(personas["pelapor"]), report.pk, data, name="bukti.pdf", content_type="application/pdf"
    )
    assert_error(response, 415)
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        jpeg_with_gps()[:40],  # a JPEG cut short
        b"\xff\xd8\xff\xe0" + b"\x00" * 100,  # JPEG magic, nothing behind it
        b"%PDF-1.4\n1 0 obj<<>>endobj\n",  # a PDF without its end
    ],
)
def test_a_broken_file_is_refused_with_a_clear_message(personas: dict[str, Any], data: bytes) -> None:
    report = new_report(personas["pelapor"])
    error = assert_error(upload(client_for(personas["pelapor"]), report.pk, data), 422)
    assert "rusak" in error["message"] or "tidak lengkap" in error["message"]
    assert not Attachment.objects.exists()


def test_an_oversized_file_is_refused_with_413(personas: dict[str, Any], settings: Any) -> None:
    settings.MAX_ATTACHMENT_BYTES = 2048
    report = new_report(personas["pelapor"])
    big = PDF + b"%" + b"x" * 4096 + b"\n%%EOF\n"
    error = assert_error(upload(client_for(personas["pelapor"]), report.pk, big, name="besar.pdf"), 413)
    assert error["code"] == "too_large"
    assert "MB" in error["message"]
    assert not Attachment.objects.exists()


def test_a_file_exactly_at_the_limit_is_accepted(personas: dict[str, Any], settings: Any) -> None:
    settings.MAX_ATTACHMENT_BYTES = len(PDF)
    report = new_report(personas["pelapor"])
    assert upload(client_for(personas["pelapor"]), report.pk, PDF, name="pas.pdf").status_code == 201


def test_a_photo_with_too_many_pixels_is_refused(personas: dict[str, Any], monkeypatch: Any) -> None:
    monkeypatch.setattr(files, "MAX_PIXELS", 100)
    report = new_report(personas["pelapor"])
    assert_error(upload(client_for(personas["pelapor"]), report.pk, jpeg_with_gps()), 413)


def test_an_empty_file_and_a_missing_file_are_refused(personas: dict[str, Any]) -> None:
    report = new_report(personas["pelapor"])
    client = client_for(personas["pelapor"])
    assert_error(upload(client, report.pk, b""), 422)
    assert_error(client.post(f"/api/reports/{report.pk}/attachments", {"client_id": "x"}), 422)
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("report_id", ["0", "-1", "abc", str(2**64), "1.5"])
def test_a_bad_report_id_is_a_clear_error_not_a_crash(personas: dict[str, Any], report_id: str) -> None:
    client = client_for(personas["pelapor"])
    for response in (
        upload(client, report_id, PDF),
        client.get(f"/api/reports/{report_id}/attachments"),
        client.get(f"/api/reports/{report_id}/attachments/1"),
    ):
        assert response.status_code in {404, 422}
        assert_error(response, response.status_code)


def test_a_json_body_instead_of_a_file_is_refused(personas: dict[str, Any]) -> None:
    report = new_report(personas["pelapor"])
    response = client_for(personas["pelapor"]).post(
        f"/api/reports/{report.pk}/attachments",
        json.dumps({"file": "foto.jpg"}),
        content_type="application/json",
    )
    assert_error(response, 422)


def test_other_methods_answer_405_in_the_error_shape(personas: dict[str, Any]) -> None:
    report = new_report(personas["pelapor"])
    client = client_for(personas["pelapor"])
    assert_error(client.delete(f"/api/reports/{report.pk}/attachments"), 405)
    assert_error(client.put(f"/api/reports/{report.pk}/attachments/1"), 405)


def test_a_malformed_client_id_is_refused(personas: dict[str, Any]) -> None:
    report = new_report(personas["pelapor"])
    client = client_for(personas["pelapor"])
    assert_error(upload(client, report.pk, PDF, client_id="a b/<script>"), 422)
    assert_error(upload(client, report.pk, PDF, client_id="x" * 65), 422)


# --- stored once -------------------------------------------------------------------------------------------


def test_a_retry_with_the_same_client_id_stores_one_attachment(personas: dict[str, Any]) -> None:
    report = new_report(personas["pelapor"])
    client = client_for(personas["pelapor"])
    photo = jpeg_with_gps()
    first = upload(client, report.pk, photo, client_id="3f1c-foto-1")
    second = upload(client, report.pk, photo, client_id="3f1c-foto-1")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert Attachment.objects.filter(report=report).count() == 1
    assert AuditLog.objects.filter(action="report.attachment_added", object_id=str(report.pk)).count() == 1
    folder = Path(Attachment.objects.get().file.path).parent
    assert len(list(folder.iterdir())) == 1  # the retry left no orphan file behind


def test_two_uploads_racing_with_one_client_id_keep_one_row_and_one_file(
    personas: dict[str, Any], monkeypatch: Any
) -> None:
    """The loser of the race (it did not see the winner's row before inserting) answers with the winner's
    attachment and removes the file it had written."""
    report = new_report(personas["pelapor"])
    prepared = files.prepare(PDF, "c-hasil.pdf")
    winner, created = files.store(report, prepared, client_id="race", user=personas["pelapor"])
    assert created
    real_existing = files._existing
    calls: list[str] = []

    def blind_first(report: Report, client_id: str) -> Attachment | None:
        calls.append(client_id)
        return None if len(calls) == 1 else real_existing(report, client_id)

    monkeypatch.setattr(files, "_existing", blind_first)
    loser, created = files.store(report, prepared, client_id="race", user=personas["pelapor"])
    assert (loser.pk, created) == (winner.pk, False)
    assert calls == ["race", "race"]
    assert Attachment.objects.filter(report=report).count() == 1
    assert [p.name for p in Path(winner.file.path).parent.iterdir()] == [Path(winner.file.name).name]


def test_the_idempotency_key_header_serves_as_client_id(personas: dict[str, Any]) -> None:
    report = new_report(personas["pelapor"])
    client = client_for(personas["pelapor"])
    for _ in range(2):
        upload(client, report.pk, PDF, headers={"HTTP_IDEMPOTENCY_KEY": "kunci-1"})
    assert list(Attachment.objects.values_list("client_id", flat=True)) == ["kunci-1"]


def test_the_same_client_id_with_another_file_is_a_conflict(personas: dict[str, Any]) -> None:
    report = new_report(personas["pelapor"])
    client = client_for(personas["pelapor"])
    assert upload(client, report.pk, PDF, client_id="c1").status_code == 201
    error = assert_error(upload(client, report.pk, jpeg_with_gps(), client_id="c1"), 409)
    assert "client_id" in error["message"]
    assert Attachment.objects.count() == 1


def test_the_same_client_id_on_two_reports_makes_two_attachments(personas: dict[str, Any]) -> None:
    client = client_for(personas["pelapor"])
    one, two = new_report(personas["pelapor"]), new_report(personas["pelapor"])
    assert upload(client, one.pk, PDF, client_id="c1").status_code == 201
    assert upload(client, two.pk, PDF, client_id="c1").status_code == 201
    assert Attachment.objects.count() == 2


def test_uploads_without_client_id_are_each_stored(personas: dict[str, Any]) -> None:
    report = new_report(personas["pelapor"])
    client = client_for(personas["pelapor"])
    assert upload(client, report.pk, PDF).status_code == 201
    assert upload(client, report.pk, PDF).status_code == 201
    assert Attachment.objects.filter(report=report).count() == 2


def test_a_report_takes_a_limited_number_of_attachments(personas: dict[str, Any], monkeypatch: Any) -> None:
    monkeypatch.setattr(files, "MAX_PER_REPORT", 2)
    report = new_report(personas["pelapor"])
    client = client_for(personas["pelapor"])
    for i in range(2):
        assert upload(client, report.pk, PDF, client_id=f"c{i}").status_code == 201
    assert_error(upload(client, report.pk, PDF, client_id="c9"), 422)
    assert upload(client, report.pk, PDF, client_id="c1").status_code == 200  # a retry still answers


# --- who may add, list and download ------------------------------------------------------------------------


def test_only_people_who_may_see_the_report_can_add_files(personas: dict[str, Any], make_user: Any) -> None:
    report = new_report(personas["pelapor"])
    other_reporter = make_user("pelapor.lain", "pelapor", "65.03.01")
    for user in (other_reporter, personas["pimpinan"]):
        assert_error(upload(client_for(user), report.pk, PDF), 404)
    assert_error(upload(client_for(personas["pelapor"]), 999_999, PDF), 404)
    assert not Attachment.objects.exists()
    # The analysts who review the report may add to it.
    assert upload(client_for(personas["analis_nunukan"]), report.pk, PDF).status_code == 201


def test_an_analyst_out_of_scope_gets_404(personas: dict[str, Any]) -> None:
    report = new_report(personas["analis"], region=TARAKAN_DESA)
    outsider = client_for(personas["analis_nunukan"])
    assert_error(upload(outsider, report.pk, PDF), 404)
    ok = upload(client_for(personas["analis"]), report.pk, PDF)
    assert ok.status_code == 201
    assert_error(outsider.get(f"/api/reports/{report.pk}/attachments"), 404)
    assert_error(outsider.get(ok.json()["url"]), 404)
    assert not outsider.get(ok.json()["url"]).content.startswith(b"%PDF")


def test_without_login_or_token_the_answer_is_401(personas: dict[str, Any]) -> None:
    report = new_report(personas["pelapor"])
    assert_error(upload(Client(), report.pk, PDF), 401)
    assert_error(Client().get(f"/api/reports/{report.pk}/attachments"), 401)


def test_a_session_upload_needs_the_csrf_token(personas: dict[str, Any]) -> None:
    report = new_report(personas["pelapor"])
    client = client_for(personas["pelapor"], csrf=True)
    assert_error(upload(client, report.pk, PDF), 403)
    client.get("/lapor/")
    token = client.cookies["csrftoken"].value
    assert upload(client, report.pk, PDF, headers={"HTTP_X_CSRFTOKEN": token}).status_code == 201


def test_a_token_upload_works_without_csrf(personas: dict[str, Any], token_for: Any) -> None:
    report = new_report(personas["pelapor"])
    client = Client(enforce_csrf_checks=True)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token_for(personas['pelapor'])}"}
    assert upload(client, report.pk, PDF, headers=headers).status_code == 201


def test_the_list_shows_the_attachments_to_who_may_see_the_report(personas: dict[str, Any]) -> None:
    report = new_report(personas["pelapor"])
    upload(client_for(personas["pelapor"]), report.pk, jpeg_with_gps(), client_id="a")
    upload(client_for(personas["pelapor"]), report.pk, PDF, name="c-hasil.pdf", client_id="b")
    for user in ("pelapor", "analis", "koordinator"):
        listing = client_for(personas[user]).get(f"/api/reports/{report.pk}/attachments")
        assert listing.status_code == 200
        items = listing.json()["attachments"]
        assert [(a["kind"], a["name"], a["client_id"]) for a in items] == [
            ("photo", "foto.jpg", "a"),
            ("document", "c-hasil.pdf", "b"),
        ]
    assert_error(client_for(personas["pimpinan"]).get(f"/api/reports/{report.pk}/attachments"), 404)


def test_a_document_downloads_as_an_attachment_and_a_photo_inline_never_sniffed(
    personas: dict[str, Any],
) -> None:
    report = new_report(personas["pelapor"])
    client = client_for(personas["analis"])
    doc = upload(client, report.pk, PDF, name="c-hasil.pdf").json()
    photo = upload(client, report.pk, jpeg_with_gps(), name="foto.jpg").json()
    response = client.get(doc["url"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="c-hasil.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    response = client.get(photo["url"])
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_download_of_another_reports_attachment_is_404(personas: dict[str, Any]) -> None:
    client = client_for(personas["analis"])
    one, two = new_report(personas["analis"]), new_report(personas["analis"])
    att = upload(client, one.pk, PDF).json()
    assert_error(client.get(f"/api/reports/{two.pk}/attachments/{att['id']}"), 404)


def test_a_file_missing_from_storage_answers_404_not_500(personas: dict[str, Any]) -> None:
    report = new_report(personas["pelapor"])
    client = client_for(personas["pelapor"])
    att = upload(client, report.pk, PDF).json()
    Attachment.objects.get(pk=att["id"]).file.delete(save=False)
    assert_error(client.get(att["url"]), 404)


def test_an_anonymous_reporter_can_add_photos_to_the_report_just_sent(
    personas: dict[str, Any], make_user: Any
) -> None:
    """The anonymous report names nobody; its sender still adds the photos right after sending it (the
    submission's idempotency record recognises them), and the audit log names nobody either."""
    client = client_for(personas["pelapor"])
    client.get("/lapor/")
    body = {
        "region": SEBATIK_DESA,
        "event_type": "intimidation",
        "occurred_at": (timezone.now() - timedelta(hours=1)).isoformat(),
        "description": "Ancaman terhadap saksi.",
        "anonymous": True,
        "client_id": "anon-1",
    }
    created = client.post(
        "/api/reports",
        json.dumps(body),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="anon-1",
    )
    assert created.status_code == 201, created.content
    report = Report.objects.get(pk=created.json()["id"])
    assert report.submitted_by_id is None and report.reporter_id is None
    assert upload(client, report.pk, jpeg_with_gps(), client_id="anon-1-f1").status_code == 201
    logged = AuditLog.objects.filter(object_id=str(report.pk), object_type="reports.report")
    assert logged.count() == 2
    assert set(logged.values_list("actor", flat=True)) == {None}
    # Another reporter cannot, and the sender cannot either once the window has passed.
    assert_error(upload(client_for(make_user("pelapor.lain", "pelapor", "65.03.01")), report.pk, PDF), 404)
    Report.objects.filter(pk=report.pk).update(created_at=timezone.now() - files.ANONYMOUS_ATTACH_WINDOW * 2)
    assert_error(upload(client, report.pk, PDF, client_id="late"), 404)


# --- the pure parts ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "jpeg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "png"),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 ", "webp"),
        (b"%PDF-1.7\n", "pdf"),
        (b"RIFF\x10\x00\x00\x00WAVEfmt ", None),
        (b"MZ\x90\x00", None),
        (b"", None),
    ],
)
def test_sniff_reads_the_type_from_the_first_bytes(head: bytes, expected: str | None) -> None:
    assert files.sniff(head) == expected


@pytest.mark.parametrize(
    ("raw", "ext", "expected"),
    [
        ("foto.jpg", "jpg", "foto.jpg"),
        ("IMG_2024.HEIC", "jpg", "IMG_2024.jpg"),
        ("/etc/passwd", "pdf", "passwd.pdf"),
        ("..\\..\\boot.ini", "pdf", "boot.pdf"),
        ("", "png", "lampiran.png"),
        ("...", "png", "lampiran.png"),
        ("laporan\x00\r\n.pdf", "pdf", "laporan.pdf"),
        ("Bukti Kecurangan TPS 05.pdf", "pdf", "Bukti Kecurangan TPS 05.pdf"),
        ("a" * 300 + ".jpg", "jpg", "a" * 100 + ".jpg"),
        ("bukti <1> & 2?.png", "png", "bukti _1_ _ 2.png"),
        ("<script>alert(1)</script>.png", "png", "script.png"),  # "/" ends a folder name
    ],
)
def test_safe_name_keeps_a_readable_name_and_the_real_extension(raw: str, ext: str, expected: str) -> None:
    assert files.safe_name(raw, ext) == expected
