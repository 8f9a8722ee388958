"""The message-gateway webhooks: authentication, storing every delivery first, replies, redelivery,
follow-up questions, registered and unknown senders, and bad input of every kind."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from waspada.reports import gateway, messageformat
from waspada.reports.models import Conversation, InboundMessage, Report, Reporter

from ._db import run_committed

SECRETS = {"sms": "rahasia-sms-uji", "whatsapp": "rahasia-wa-uji", "telegram": "rahasia-tg-uji"}
AJI_KUNING = "65.03.12.2003"
TANJUNG_HARAPAN_SEBATIK_TIMUR = "65.03.10.2002"
GOOD = "LAPOR#bentrok#Aji Kuning, Sebatik Tengah#kemarin 15.00#dua kelompok pendukung saling lempar batu"


@pytest.fixture(autouse=True)
def _secrets(settings: Any) -> None:
    settings.GATEWAY_SECRETS = dict(SECRETS)


@pytest.fixture
def client() -> Client:
    return Client(enforce_csrf_checks=True)


def assert_error_shape(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["status"] == status
    assert body["error"]["message"]
    return body["error"]  # type: ignore[no-any-return]


def post_sms(
    client: Client,
    text: str,
    *,
    sender: str = "0812-1111-2222",
    msg_id: str | None = "m1",
    channel: str = "sms",
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Any:
    payload: dict[str, Any] = {"sender": sender, "text": text, "sent_at": timezone.now().isoformat(), **extra}
    if msg_id is not None:
        payload["id"] = msg_id
    if headers is None:
        headers = {"X-Waspada-Secret": SECRETS[channel]}
    return client.post(
        f"/gateway/{channel}/", json.dumps(payload), content_type="application/json", headers=headers
    )


def reply_of(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"reply", "report"}
    assert len(body["reply"]) <= messageformat.MAX_REPLY
    return body  # type: ignore[no-any-return]


def telegram_update(
    update_id: int, text: str | None, *, chat_id: int = 987654321, **message: Any
) -> dict[str, Any]:
    msg: dict[str, Any] = {
        "message_id": update_id * 10,
        "date": int(timezone.now().timestamp()),
        "chat": {"id": chat_id, "type": "private"},
        "from": {"id": chat_id, "is_bot": False, "first_name": "Rahma"},
        **message,
    }
    if text is not None:
        msg["text"] = text
    return {"update_id": update_id, "message": msg}


def post_telegram(client: Client, update: Any, *, token: str | None = SECRETS["telegram"]) -> Any:
    headers = {} if token is None else {"X-Telegram-Bot-Api-Secret-Token": token}
    body = update if isinstance(update, bytes | str) else json.dumps(update)
    return client.post("/gateway/telegram/", body, content_type="application/json", headers=headers)


# --- Authentication ----------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("channel", ["sms", "whatsapp", "telegram"])
def test_a_channel_without_a_secret_refuses_every_delivery(
    client: Client, settings: Any, channel: str
) -> None:
    settings.GATEWAY_SECRETS = {**SECRETS, channel: ""}
    response = client.post(
        f"/gateway/{channel}/",
        json.dumps({"sender": "0812", "text": GOOD}),
        content_type="application/json",
        headers={"X-Waspada-Secret": "", "X-Telegram-Bot-Api-Secret-Token": ""},
    )
    error = assert_error_shape(response, 503)
    assert "WASPADA_" in error["message"] and "_SECRET" in error["message"]
    assert not InboundMessage.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
def test_a_missing_secret_is_401_and_a_wrong_one_403_and_nothing_is_stored(
    client: Client, channel: str
) -> None:
    assert_error_shape(post_sms(client, GOOD, channel=channel, headers={}), 401)
    assert_error_shape(post_sms(client, GOOD, channel=channel, headers={"X-Waspada-Secret": "salah"}), 403)
    other = "rahasia-wa-uji" if channel == "sms" else "rahasia-sms-uji"  # another channel's secret
    assert_error_shape(post_sms(client, GOOD, channel=channel, headers={"X-Waspada-Secret": other}), 403)
    assert not InboundMessage.objects.exists()


@pytest.mark.django_db
def test_an_hmac_signature_of_the_raw_body_authenticates(client: Client) -> None:
    body = json.dumps({"sender": "081211112222", "text": GOOD, "id": "sig-1"}).encode()
    good = hmac.new(SECRETS["sms"].encode(), body, hashlib.sha256).hexdigest()
    for signature in (f"sha256={good}", f"SHA256={good.upper()}", good):
        response = client.post(
            "/gateway/sms/", body, content_type="application/json", headers={"X-Waspada-Signature": signature}
        )
        assert reply_of(response)["report"] is not None
    assert Report.objects.count() == 1  # the same message id three times


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["wrong key", "other body", "garbage"])
def test_an_invalid_hmac_signature_is_403(client: Client, kind: str) -> None:
    body = json.dumps({"sender": "081211112222", "text": GOOD, "id": "sig-2"}).encode()
    signed = {"wrong key": body, "other body": body + b" ", "garbage": b""}[kind]
    key = b"kunci-lain" if kind == "wrong key" else SECRETS["sms"].encode()
    signature = "sha256=" + hmac.new(key, signed, hashlib.sha256).hexdigest()
    if kind == "garbage":
        signature = "sha256=zz\u00e9"
    response = client.post(
        "/gateway/sms/", body, content_type="application/json", headers={"X-Waspada-Signature": signature}
    )
    assert_error_shape(response, 403)
    assert not InboundMessage.objects.exists()


@pytest.mark.django_db
def test_telegram_checks_its_secret_token_header(client: Client) -> None:
    assert_error_shape(post_telegram(client, telegram_update(1, GOOD), token=None), 401)
    assert_error_shape(post_telegram(client, telegram_update(1, GOOD), token="salah"), 403)
    assert_error_shape(
        client.post(
            "/gateway/telegram/",
            json.dumps(telegram_update(1, GOOD)),
            content_type="application/json",
            headers={"X-Waspada-Secret": SECRETS["telegram"]},
        ),
        401,
    )
    assert not InboundMessage.objects.exists()


@pytest.mark.django_db
def test_only_post_is_allowed_and_unknown_webhooks_answer_in_the_error_shape(client: Client) -> None:
    response = client.get("/gateway/sms/")
    assert_error_shape(response, 405)
    assert response["Allow"] == "POST"
    assert_error_shape(client.post("/gateway/email/", {}), 404)
    # Without the trailing slash the delivery is not redirected (a redirect would drop the POST body).
    without_slash = client.post(
        "/gateway/sms",
        json.dumps({"sender": "0812", "text": "halo", "id": "s1"}),
        content_type="application/json",
        headers={"X-Waspada-Secret": SECRETS["sms"]},
    )
    assert reply_of(without_slash)["reply"] == messageformat.NO_KEYWORD_REPLY


# --- Reports from SMS and WhatsApp -------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_unknown_sender_may_report_but_the_report_waits_for_review(client: Client) -> None:
    body = reply_of(post_sms(client, GOOD, sender="+62 812-1111-2222"))
    report = Report.objects.get()
    assert body["report"] == report.number
    assert body["reply"].startswith(f"Terima kasih, laporan Anda tercatat dengan nomor {report.number}: ")
    assert body["reply"].endswith("Laporan akan diperiksa petugas.")
    assert (report.status, report.source_reliability, report.channel) == ("baru", "belum_diketahui", "sms")
    assert (report.region_id, report.event_type) == (AJI_KUNING, "supporter_clash")
    assert report.description == "dua kelompok pendukung saling lempar batu"
    reporter = Reporter.objects.get()
    assert (reporter.phone, reporter.trusted) == ("6281211112222", False)
    assert report.reporter == reporter
    inbound = InboundMessage.objects.get()
    assert (inbound.status, inbound.reply, inbound.reporter) == ("accepted", body["reply"], reporter)
    assert inbound.sender == "6281211112222"
    assert report.inbound_message == inbound
    assert inbound.payload["text"] == GOOD


@pytest.mark.django_db
def test_a_registered_trusted_sender_is_recognised_whatever_the_prefix(client: Client) -> None:
    known = Reporter.objects.create(name="Rahma", phone="0812-1111-2222", trusted=True)
    body = reply_of(post_sms(client, GOOD, sender="+6281211112222", channel="whatsapp"))
    report = Report.objects.get()
    assert report.reporter == known
    assert (report.source_reliability, report.channel, report.status) == ("terpercaya", "whatsapp", "baru")
    assert "akan diperiksa" not in body["reply"]
    assert Reporter.objects.count() == 1


@pytest.mark.django_db
def test_a_registered_but_untrusted_sender_is_flagged_like_an_unknown_one(client: Client) -> None:
    Reporter.objects.create(phone="6281211112222", trusted=False)
    body = reply_of(post_sms(client, GOOD))
    assert body["reply"].endswith("Laporan akan diperiksa petugas.")
    assert Report.objects.get().source_reliability == "belum_diketahui"
    assert Reporter.objects.count() == 1


@pytest.mark.django_db
def test_a_form_encoded_delivery_with_an_epoch_time_is_read(client: Client) -> None:
    sent = int(timezone.now().timestamp())
    response = client.post(
        "/gateway/sms/",
        f"from=081211112222&message={GOOD.replace('#', '%23')}&timestamp={sent}&message_id=f1",
        content_type="application/x-www-form-urlencoded",
        headers={"X-Waspada-Secret": SECRETS["sms"]},
    )
    assert reply_of(response)["report"] is not None
    inbound = InboundMessage.objects.get()
    assert (inbound.external_id, int(inbound.sent_at.timestamp())) == ("f1", sent)  # type: ignore[union-attr]


@pytest.mark.django_db
def test_the_same_webhook_delivered_twice_makes_one_report_and_the_same_reply(client: Client) -> None:
    first = reply_of(post_sms(client, GOOD, msg_id="dup-1"))
    second = reply_of(post_sms(client, GOOD, msg_id="dup-1"))
    assert first == second
    assert Report.objects.count() == 1 and InboundMessage.objects.count() == 1
    # Without a gateway id, the same sender, time and text are the same message.
    third = post_sms(client, "LAPOR#demo#Aji Kuning#orasi", msg_id=None, sent_at="2026-11-27T10:00:00+08:00")
    fourth = post_sms(client, "LAPOR#demo#Aji Kuning#orasi", msg_id=None, sent_at="2026-11-27T10:00:00+08:00")
    assert reply_of(third) == reply_of(fourth)
    assert Report.objects.count() == 2


@pytest.mark.django_db
def test_a_malformed_sms_is_stored_rejected_and_answered_with_an_example(client: Client) -> None:
    body = reply_of(post_sms(client, "tolong ada ribut2 di pasar"))
    assert body["report"] is None
    assert body["reply"] == messageformat.NO_KEYWORD_REPLY
    assert "Contoh: LAPOR#" in body["reply"]
    inbound = InboundMessage.objects.get()
    assert (inbound.status, inbound.text, inbound.problem) == (
        "rejected",
        "tolong ada ribut2 di pasar",
        "tanpa kata kunci LAPOR",
    )
    assert not Report.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        (b"{not json", "application/json", "Isi permintaan bukan JSON yang sah."),
        (b"[1, 2]", "application/json", "Isi permintaan harus berupa objek JSON"),
        (b'{"text": "LAPOR#demo"}', "application/json", "Kolom sender wajib ada."),
        (b'{"sender": "", "text": "x"}', "application/json", "Kolom sender kosong."),
        (b'{"sender": "0812"}', "application/json", "Kolom text wajib ada."),
        (json.dumps({"sender": "1" * 65, "text": "x"}).encode(), "application/json", "Kolom sender terlalu"),
        (json.dumps({"sender": "0812", "text": ["x"]}).encode(), "application/json", "Kolom text harus"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", "application/octet-stream", "Kolom sender wajib ada."),
    ],
)
def test_an_unreadable_payload_is_a_400_and_still_stored(
    client: Client, body: bytes, content_type: str, message: str
) -> None:
    headers = {"X-Waspada-Secret": SECRETS["sms"]}
    response = client.post("/gateway/sms/", body, content_type=content_type, headers=headers)
    assert assert_error_shape(response, 400)["message"].startswith(message)
    inbound = InboundMessage.objects.get()
    assert inbound.status == "rejected" and inbound.problem.startswith(message)
    assert inbound.payload["raw"] == body.decode("utf-8", errors="replace").replace("\x00", "\ufffd")
    # Delivered again: the same stored row and the same answer.
    again = client.post("/gateway/sms/", body, content_type=content_type, headers=headers)
    assert again.json() == response.json()
    assert InboundMessage.objects.count() == 1


@pytest.mark.django_db
def test_non_utf8_bytes_and_nul_characters_are_stored_safely(client: Client) -> None:
    body = b'{"sender": "081211112222", "id": "bytes-1", "text": "LAPOR#ricuh#Aji Kuning\\u0000#\xff\xfe warga \x80 gaduh"}'
    response = client.post(
        "/gateway/sms/", body, content_type="application/json", headers={"X-Waspada-Secret": SECRETS["sms"]}
    )
    assert reply_of(response)["report"] is not None
    inbound = InboundMessage.objects.get()
    assert "\x00" not in inbound.text and "\ufffd" in inbound.text
    assert Report.objects.get().event_type == "riot"


@pytest.mark.django_db
def test_a_100_kb_text_is_stored_and_refused_politely(client: Client) -> None:
    text = "LAPOR#bentrok#Aji Kuning#" + "sangat panjang " * 7000
    body = reply_of(post_sms(client, text))
    assert body["report"] is None
    assert body["reply"].startswith(f"Pesan terlalu panjang ({len(text)} karakter, batasnya 10000).")
    inbound = InboundMessage.objects.get()
    assert inbound.status == "rejected" and inbound.text == text and len(text) > 100_000
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_script_tags_are_stored_verbatim(client: Client) -> None:
    text = "LAPOR#hoaks#Aji Kuning, Sebatik Tengah#<script>alert('x')</script> & <b>"
    reply_of(post_sms(client, text))
    assert InboundMessage.objects.get().text == text
    assert Report.objects.get().description == "<script>alert('x')</script> & <b>"


@pytest.mark.django_db
def test_a_failure_while_reading_never_loses_the_stored_message(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("database went away")

    monkeypatch.setattr(gateway.services, "create_report", broken)
    body = reply_of(post_sms(client, GOOD))
    assert body == {"reply": messageformat.SORRY_REPLY, "report": None}
    inbound = InboundMessage.objects.get()
    assert (inbound.status, inbound.text) == ("rejected", GOOD)
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_a_report_rejected_by_the_core_is_explained(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise gateway.services.ReportRejected("region", "Kode wilayah 65.03 tidak ada di gazetir Kemendagri.")

    monkeypatch.setattr(gateway.services, "create_report", refuse)
    body = reply_of(post_sms(client, GOOD))
    assert body["reply"].startswith("Laporan belum dapat dicatat: Kode wilayah 65.03 tidak ada")
    assert "Contoh: LAPOR#" in body["reply"]
    assert InboundMessage.objects.get().status == "rejected"


@pytest.mark.django_db
def test_the_senders_scope_decides_between_desa_of_the_same_name(client: Client, make_user: Any) -> None:
    member = make_user("fkdm.sebatik.timur", "pelapor", "65.03.10")
    Reporter.objects.create(phone="081233334444", user=member, trusted=True)
    body = reply_of(
        post_sms(client, "LAPOR#blokade#Tanjung Harapan#tadi pagi#jalan dipalang", sender="081233334444")
    )
    assert Report.objects.get().region_id == TANJUNG_HARAPAN_SEBATIK_TIMUR
    assert "Sebatik Timur" in body["reply"]


@pytest.mark.django_db
def test_a_body_over_the_upload_limit_is_413(client: Client, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    assert_error_shape(post_sms(client, "LAPOR#demo#" + "x" * 2000), 413)


@pytest.mark.django_db
def test_a_multipart_form_delivery_is_read(client: Client) -> None:
    response = client.post(
        "/gateway/whatsapp/",
        {"sender": "081211112222", "text": GOOD, "id": "mp-1"},
        headers={"X-Waspada-Secret": SECRETS["whatsapp"]},
    )
    assert reply_of(response)["report"] is not None
    assert InboundMessage.objects.get().payload["id"] == "mp-1"


@pytest.mark.django_db
def test_logs_never_name_the_sender_or_repeat_the_text(
    client: Client, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level("DEBUG")
    reply_of(post_sms(client, GOOD, sender="081277778888", msg_id="log-1"))
    reply_of(post_sms(client, GOOD, sender="081277778888", msg_id="log-1"))
    reply_of(post_sms(client, "LAPOR#bentrok", sender="081277778888", msg_id="log-2"))
    monkeypatch.setattr(gateway.services, "create_report", lambda *a, **k: 1 / 0)
    reply_of(post_sms(client, GOOD, sender="081277778888", msg_id="log-3"))
    assert any(r.name == "waspada.gateway" for r in caplog.records)
    logged = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    for secret in ("77778888", "Aji Kuning", "lempar batu"):
        assert secret not in logged


# --- Follow-up questions -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_ambiguous_desa_is_asked_about_and_the_answer_makes_the_report(client: Client) -> None:
    asked = reply_of(post_sms(client, "LAPOR#ricuh#Tanjung Harapan#kemarin#massa ricuh", msg_id="q1"))
    assert asked["report"] is None
    assert asked["reply"].startswith('Ada 2 tempat bernama "Tanjung Harapan": 1) Kec. Nunukan Selatan')
    assert "2) Kec. Sebatik Timur" in asked["reply"]
    conversation = Conversation.objects.get()
    assert (conversation.missing, conversation.closed) == ("lokasi", False)
    assert conversation.expires_at > timezone.now() + timedelta(minutes=119)
    assert InboundMessage.objects.get(external_id="q1").status == "follow_up"

    answered = reply_of(post_sms(client, "2", msg_id="q2"))
    report = Report.objects.get()
    assert answered["report"] == report.number
    assert (report.region_id, report.event_type, report.description) == (
        TANJUNG_HARAPAN_SEBATIK_TIMUR,
        "riot",
        "massa ricuh",
    )
    first = InboundMessage.objects.get(external_id="q1")
    assert report.inbound_message == first and first.status == "accepted"
    assert InboundMessage.objects.get(external_id="q2").status == "accepted"
    conversation.refresh_from_db()
    assert conversation.closed
    # Redelivering either message changes nothing.
    assert reply_of(post_sms(client, "2", msg_id="q2")) == answered
    assert reply_of(post_sms(client, "LAPOR#ricuh#Tanjung Harapan#kemarin#massa ricuh", msg_id="q1")) == asked
    assert Report.objects.count() == 1 and Conversation.objects.count() == 1


@pytest.mark.django_db
def test_a_missing_field_is_asked_for_one_at_a_time(client: Client) -> None:
    asked = reply_of(post_sms(client, "LAPOR", msg_id="m1"))
    assert asked["reply"].startswith("Laporan masih kosong.")  # nothing at all: an example, no question
    first = reply_of(post_sms(client, "LAPOR###Aji Kuning, Sebatik Tengah", msg_id="m2"))
    assert first["reply"].startswith("Jenis kejadian belum ada. Balas dengan jenisnya")
    second = reply_of(post_sms(client, "politik uang", msg_id="m3"))
    assert second["report"] is not None
    report = Report.objects.get()
    assert (report.event_type, report.region_id) == ("money_politics", AJI_KUNING)


@pytest.mark.django_db
def test_batal_cancels_the_open_question(client: Client) -> None:
    reply_of(post_sms(client, "LAPOR#bentrok", msg_id="b1"))
    cancelled = reply_of(post_sms(client, "BATAL", msg_id="b2"))
    assert cancelled == {"reply": messageformat.CANCELLED_REPLY, "report": None}
    assert Conversation.objects.get().closed
    assert InboundMessage.objects.get(external_id="b1").status == "ignored"
    # The next plain message is no longer an answer.
    after = reply_of(post_sms(client, "Aji Kuning", msg_id="b3"))
    assert after["reply"] == messageformat.NO_KEYWORD_REPLY
    nothing = reply_of(post_sms(client, "batal", msg_id="b4"))
    assert nothing["reply"].startswith("Tidak ada laporan yang menunggu jawaban Anda.")
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_an_expired_question_is_not_answered(client: Client) -> None:
    reply_of(post_sms(client, "LAPOR#bentrok", msg_id="e1"))
    Conversation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    late = reply_of(post_sms(client, "Aji Kuning, Sebatik Tengah", msg_id="e2"))
    assert late == {"reply": messageformat.EXPIRED_REPLY, "report": None}
    assert Conversation.objects.get().closed
    assert InboundMessage.objects.get(external_id="e1").status == "rejected"
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_a_new_report_replaces_an_open_question(client: Client) -> None:
    reply_of(post_sms(client, "LAPOR#bentrok", msg_id="n1"))
    body = reply_of(post_sms(client, GOOD, msg_id="n2"))
    assert body["report"] is not None
    assert InboundMessage.objects.get(external_id="n1").status == "ignored"
    assert not Conversation.objects.filter(closed=False).exists()


@pytest.mark.django_db
def test_questions_are_kept_apart_per_sender(client: Client) -> None:
    reply_of(post_sms(client, "LAPOR#bentrok", sender="081200000001", msg_id="p1"))
    other = reply_of(post_sms(client, "Aji Kuning, Sebatik Tengah", sender="081200000002", msg_id="p2"))
    assert other["reply"] == messageformat.NO_KEYWORD_REPLY
    assert Conversation.objects.get().closed is False


# --- Telegram ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_telegram_message_from_an_unknown_chat_is_reported_for_review(client: Client) -> None:
    response = post_telegram(client, telegram_update(5001, GOOD, chat_id=-100123))
    assert response.status_code == 200
    body = response.json()
    report = Report.objects.get()
    assert body == {"method": "sendMessage", "chat_id": -100123, "text": InboundMessage.objects.get().reply}
    assert body["text"].startswith(f"Terima kasih, laporan Anda tercatat dengan nomor {report.number}")
    assert body["text"].endswith("Laporan akan diperiksa petugas.")
    assert (report.channel, report.status, report.source_reliability) == (
        "telegram",
        "baru",
        "belum_diketahui",
    )
    reporter = Reporter.objects.get()
    assert (reporter.chat_id, reporter.phone, reporter.trusted) == ("-100123", "", False)
    assert InboundMessage.objects.get().external_id == "5001"


@pytest.mark.django_db
def test_a_registered_telegram_chat_is_trusted(client: Client) -> None:
    Reporter.objects.create(chat_id="987654321", trusted=True)
    body = post_telegram(client, telegram_update(5002, GOOD)).json()
    assert "akan diperiksa" not in body["text"]
    assert Report.objects.get().source_reliability == "terpercaya"


@pytest.mark.django_db
def test_a_telegram_update_delivered_twice_makes_one_report(client: Client) -> None:
    first = post_telegram(client, telegram_update(5003, GOOD)).json()
    second = post_telegram(client, telegram_update(5003, GOOD)).json()
    assert first == second and Report.objects.count() == 1


@pytest.mark.django_db
def test_a_telegram_follow_up_question_is_answered_in_the_chat(client: Client) -> None:
    asked = post_telegram(client, telegram_update(5004, "/lapor intimidasi")).json()
    assert asked["text"].startswith("Lokasi kejadian belum ada.")
    answered = post_telegram(client, telegram_update(5005, "Aji Kuning, Sebatik Tengah")).json()
    assert answered["text"].startswith("Terima kasih, laporan Anda tercatat")
    assert Report.objects.get().event_type == "intimidation"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("update", "status", "reply"),
    [
        (telegram_update(6001, "/start"), "ignored", messageformat.HELP_REPLY),
        (telegram_update(6002, None, sticker={"file_id": "x"}), "ignored", gateway.NOT_TEXT_REPLY),
        (
            {"update_id": 6003, "edited_message": telegram_update(1, GOOD)["message"]},
            "ignored",
            gateway.EDITED_REPLY,
        ),
        ({"update_id": 6004, "my_chat_member": {"chat": {"id": 1}}}, "ignored", ""),
    ],
)
def test_telegram_updates_that_are_not_reports_are_stored_and_answered(
    client: Client, update: dict[str, Any], status: str, reply: str
) -> None:
    response = post_telegram(client, update)
    assert response.status_code == 200
    expected = {} if not reply else {"method": "sendMessage", "chat_id": 987654321, "text": reply}
    assert response.json() == expected or (not reply and response.json() == {})
    inbound = InboundMessage.objects.get()
    assert (inbound.status, inbound.reply, inbound.external_id) == (status, reply, str(update["update_id"]))
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_chatter_in_a_telegram_group_gets_no_answer_but_reports_there_do(client: Client) -> None:
    def group_update(update_id: int, text: str) -> dict[str, Any]:
        update = telegram_update(update_id, text, chat_id=-100777)
        update["message"]["chat"]["type"] = "supergroup"
        return update

    assert post_telegram(client, group_update(7001, "selamat pagi semua")).json() == {}
    assert InboundMessage.objects.get().status == "ignored"
    answered = post_telegram(client, group_update(7002, GOOD)).json()
    assert answered["chat_id"] == -100777 and answered["text"].startswith("Terima kasih")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"null",
        b"{broken",
        b'{"message": {}}',
        b'{"update_id": "abc"}',
        b'{"update_id": 1, "message": 5}',
    ],
)
def test_a_malformed_telegram_update_is_a_400_and_still_stored(client: Client, body: bytes) -> None:
    assert_error_shape(post_telegram(client, body), 400)
    assert InboundMessage.objects.get().status == "rejected"


# --- Simultaneous redelivery -------------------------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs two real connections (PostgreSQL)")
def test_two_simultaneous_deliveries_of_one_message_make_one_report(
    db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both requests store (or find) the raw message before either reads it; the row lock lets one act."""
    barrier = threading.Barrier(2, timeout=20)
    real_store = gateway._store

    def store_then_wait(delivery: gateway.Delivery) -> Any:
        stored = real_store(delivery)
        barrier.wait()
        return stored

    monkeypatch.setattr(gateway, "_store", store_then_wait)
    results: list[Any] = [None, None]

    def post(i: int) -> None:
        try:
            results[i] = post_sms(Client(), GOOD, sender="081299990000", msg_id="serentak-1")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(i,)) for i in range(2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        first, second = (reply_of(r) for r in results)
        assert first == second and first["report"] is not None
        assert (
            run_committed(lambda: Report.objects.filter(inbound_message__external_id="serentak-1").count())
            == 1
        )
    finally:
        run_committed(_delete_committed_delivery)


def _delete_committed_delivery() -> None:
    from waspada.accounts.models import AuditLog

    reports = Report.objects.filter(inbound_message__external_id="serentak-1")
    AuditLog.objects.filter(object_type="reports.report", object_id__in=[str(r.pk) for r in reports]).delete()
    reports.delete()
    InboundMessage.objects.filter(external_id="serentak-1").delete()
    Reporter.objects.filter(phone="6281299990000").delete()
