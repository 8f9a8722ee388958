"""One JSON error shape for every API error:

{"error": {"status": 404, "code": "not_found", "message": "…", "details": […]}}
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

log = logging.getLogger("waspada.api")

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "too_many_requests",
    500: "server_error",
}


class ApiError(Exception):
    """Raise from an endpoint to answer with the error shape."""

    def __init__(self, status: int, message: str, *, code: str | None = None, details: Any = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code or CODES.get(status, "error")
        self.details = details


def error_response(
    status: int, message: str, *, code: str | None = None, details: Any = None
) -> JsonResponse:
    body: dict[str, Any] = {"status": status, "code": code or CODES.get(status, "error"), "message": message}
    if details is not None:
        body["details"] = details
    response = JsonResponse({"error": body}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="waspada"'
    return response


def _validation_details(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ())]
        out.append(
            {"field": ".".join(loc), "message": str(err.get("msg", "")), "type": str(err.get("type", ""))}
        )
    return out


def install(api: NinjaAPI) -> None:
    @api.exception_handler(ApiError)
    def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return error_response(exc.status, exc.message, code=exc.code, details=exc.details)

    @api.exception_handler(ValidationError)
    def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return error_response(422, "Data yang dikirim tidak valid.", details=_validation_details(exc.errors))

    @api.exception_handler(AuthenticationError)
    def _auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(
            401, "Token tidak ada atau tidak sah. Kirim header Authorization: Bearer <token>."
        )

    @api.exception_handler(AuthorizationError)
    def _forbidden(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
        return error_response(403, "Anda tidak berwenang melakukan ini.")

    @api.exception_handler(HttpError)
    def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
            # django-ninja's answer to a body that is not JSON
            return error_response(400, "Isi permintaan bukan JSON yang sah.", code="malformed_json")
        return error_response(exc.status_code, str(exc) or CODES.get(exc.status_code, "error"))

    @api.exception_handler(RequestDataTooBig)
    def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        # Raised when the body is read (DATA_UPLOAD_MAX_MEMORY_SIZE); it would otherwise end up as a 500.
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        size = f" (batas {limit // 1024} KB)" if limit else ""
        return error_response(413, f"Permintaan terlalu besar{size}.")

    @api.exception_handler(SuspiciousOperation)
    def _suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        return error_response(400, "Permintaan tidak sah.")

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(404, str(exc) or "Tidak ditemukan.")

    @api.exception_handler(Exception)
    def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        log.exception("unhandled API error on %s %s", request.method, request.path)
        return error_response(500, "Terjadi kesalahan di server. Kejadian ini sudah dicatat.")


def not_found_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Unknown paths under /api/ answer in the same shape instead of an HTML page."""
    return error_response(404, f"Tidak ada endpoint {request.path}.")


# Answers made outside the API's exception handlers (django-ninja's 405 for a wrong method, Django's 400 for a
# bad Host header, a 500 from a middleware) come as HTML; under /api/ they are rewritten into the shape.
_PLAIN_MESSAGES = {
    400: "Permintaan tidak sah.",
    403: "Akses ditolak.",
    404: "Tidak ditemukan.",
    413: "Permintaan terlalu besar.",
    500: "Terjadi kesalahan di server. Kejadian ini sudah dicatat.",
}


class ApiErrorShapeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        status = response.status_code
        if (
            status < 400
            or not request.path.startswith("/api/")
            or str(response.get("Content-Type", "")).startswith("application/json")
        ):
            return response
        if status == 405:
            allowed = str(response.get("Allow", ""))
            shaped = error_response(
                405,
                f"Metode {request.method} tidak didukung untuk {request.path}. Metode yang didukung: {allowed}.",
            )
            shaped["Allow"] = allowed
            return shaped
        return error_response(status, _PLAIN_MESSAGES.get(status, CODES.get(status, "error")))
