"""Webhooks of the message gateway: ``POST /gateway/sms/``, ``/gateway/whatsapp/`` and ``/gateway/telegram/``.

CSRF-exempt API endpoints. Errors answer in the API's one JSON error shape; a delivery that passes the
secret check is stored before anything else (even when its payload cannot be read, then with a 400).
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from waspada.api.errors import error_response
from waspada.reports import gateway

SECRET_HEADER = "X-Waspada-Secret"
SIGNATURE_HEADER = "X-Waspada-Signature"
TELEGRAM_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_SECRET_VARIABLES = {
    "sms": "WASPADA_SMS_SECRET",
    "whatsapp": "WASPADA_WHATSAPP_SECRET",
    "telegram": "WASPADA_TELEGRAM_SECRET",
}


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8", errors="replace"), expected.encode("utf-8"))


def _preflight(request: HttpRequest, channel: str) -> tuple[bytes, str] | HttpResponse:
    """The raw body and the channel's secret, or the error answer (wrong method, no secret, too big)."""
    if request.method != "POST":
        response = error_response(405, f"Metode {request.method} tidak didukung; kirim POST.")
        response["Allow"] = "POST"
        return response
    secret = str(settings.GATEWAY_SECRETS.get(channel, "") or "")
    if not secret:
        return error_response(
            503,
            f"Saluran {channel} belum diaktifkan: setel {_SECRET_VARIABLES[channel]} di server.",
            code="channel_not_configured",
        )
    try:
        body = request.body
    except RequestDataTooBig:
        return error_response(413, "Isi permintaan terlalu besar.")
    return body, secret


def _generic_auth(request: HttpRequest, body: bytes, secret: str) -> HttpResponse | None:
    given = request.headers.get(SECRET_HEADER)
    signature = request.headers.get(SIGNATURE_HEADER)
    if given is None and signature is None:
        return error_response(
            401, f"Kredensial tidak ada: kirim header {SECRET_HEADER} atau {SIGNATURE_HEADER}: sha256=<hex>."
        )
    if given is not None and _same(given, secret):
        return None
    if signature is not None:
        provided = signature.strip()
        if provided.lower().startswith("sha256="):
            provided = provided[len("sha256=") :]
        expected = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
        if _same(provided.lower(), expected):
            return None
    return error_response(403, "Rahasia atau tanda tangan (HMAC-SHA256) tidak cocok.")


def _generic(request: HttpRequest, channel: str) -> HttpResponse:
    checked = _preflight(request, channel)
    if isinstance(checked, HttpResponse):
        return checked
    body, secret = checked
    refused = _generic_auth(request, body, secret)
    if refused is not None:
        return refused
    form: dict[str, Any] | None = None
    if request.content_type == "multipart/form-data":
        form = {key: request.POST.get(key) for key in request.POST}
    try:
        delivery = gateway.read_generic(channel, body, request.content_type or "", form)
    except gateway.BadDelivery as exc:
        gateway.store_bad(channel, body, exc.message)
        return error_response(400, exc.message)
    outcome = gateway.receive(delivery)
    return JsonResponse({"reply": outcome.reply, "report": outcome.report})


@csrf_exempt
def sms(request: HttpRequest) -> HttpResponse:
    return _generic(request, "sms")


@csrf_exempt
def whatsapp(request: HttpRequest) -> HttpResponse:
    return _generic(request, "whatsapp")


@csrf_exempt
def telegram(request: HttpRequest) -> HttpResponse:
    checked = _preflight(request, "telegram")
    if isinstance(checked, HttpResponse):
        return checked
    body, secret = checked
    token = request.headers.get(TELEGRAM_HEADER)
    if token is None:
        return error_response(401, f"Header {TELEGRAM_HEADER} tidak ada.")
    if not _same(token, secret):
        return error_response(403, f"Header {TELEGRAM_HEADER} tidak cocok.")
    try:
        delivery = gateway.read_telegram(body)
    except gateway.BadDelivery as exc:
        gateway.store_bad("telegram", body, exc.message)
        return error_response(400, exc.message)
    outcome = gateway.receive(delivery)
    if not outcome.reply or not delivery.sender:
        return JsonResponse({})
    # Telegram sends the answer to a webhook as a Bot API call: no outbound request needed.
    return JsonResponse(
        {"method": "sendMessage", "chat_id": gateway.telegram_chat_id(delivery.sender), "text": outcome.reply}
    )


@csrf_exempt
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return error_response(
        404,
        f"Tidak ada webhook {request.path}. Gunakan /gateway/sms/, /gateway/whatsapp/ atau /gateway/telegram/.",
    )
