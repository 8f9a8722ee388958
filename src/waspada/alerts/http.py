"""The one way alerts talk HTTP to the outside: refuses private and loopback addresses unless
``WASPADA_ALLOW_PRIVATE_HTTP=true``, with a timeout and a cap on the response size."""

from __future__ import annotations

import ipaddress
import json
import os
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

TIMEOUT_SECONDS = 10.0
MAX_RESPONSE_BYTES = 64 * 1024


class RefusedAddress(Exception):
    """The URL points at a private, loopback or otherwise non-public address."""


class HttpError(Exception):
    """No answer (network error, timeout)."""


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    body: bytes


def private_allowed() -> bool:
    return os.environ.get("WASPADA_ALLOW_PRIVATE_HTTP", "").strip().lower() in {"1", "true", "yes"}


def check_host(host: str, port: int) -> None:
    """Refuse when any address the host resolves to is not public."""
    if private_allowed():
        return
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise HttpError(f"nama host tidak dikenal: {host}") from exc
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if not address.is_global:
            raise RefusedAddress(f"alamat {address} ({host}) bukan alamat publik")


def post_json(url: str, payload: Any, headers: dict[str, str] | None = None) -> Response:
    return post(url, json.dumps(payload, ensure_ascii=False).encode(), "application/json", headers)


def post(url: str, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> Response:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise RefusedAddress(f"URL tidak sah: {url}")
    check_host(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    request = urllib.request.Request(url, data=body, method="POST")
    request.add_header("Content-Type", content_type)
    request.add_header("User-Agent", "waspada-alerts")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as resp:
            return Response(resp.status, resp.read(MAX_RESPONSE_BYTES))
    except urllib.error.HTTPError as exc:
        return Response(exc.code, exc.read(MAX_RESPONSE_BYTES) if exc.fp else b"")
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise HttpError(f"tidak tersambung ke {parts.hostname}: {reason}") from exc


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are not followed: a public URL must not bounce the request to a private address."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None
