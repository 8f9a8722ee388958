"""Fetching feeds and article pages: safely, politely and within limits. Pure Python, no Django.

* Conditional requests: the ETag and Last-Modified of the last answer go back as If-None-Match and
  If-Modified-Since; a 304 answer is ``Fetched.not_modified``.
* A timeout for every socket operation and for the whole fetch (a server that trickles bytes is cut).
* A size cap: the body is read in chunks and the fetch stops once it passes ``Limits.max_bytes``
  (a declared Content-Length above the cap stops it before reading).
* Redirects followed by hand, at most ``Limits.max_redirects``, each hop checked again; a loop is named.
* Private, loopback and other non-public addresses refused with the rules of ``waspada.alerts.http``
  (``WASPADA_ALLOW_PRIVATE_HTTP=true`` lifts them for tests and closed networks): the name is checked
  before connecting and the address actually connected to is checked again (no DNS rebinding).
* ``HostPacer`` keeps a minimum spacing between requests to one host.
* ``decode_text`` turns bytes into text with the declared charset (header, BOM or ``<meta>``), falling
  back to UTF-8, and refuses text that is mostly undecodable.

Every failure is a ``FetchFailed`` with a short code and a reason in Indonesian for the source's health.
"""

from __future__ import annotations

import codecs
import http.client
import ipaddress
import re
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final
from urllib.parse import urljoin, urlsplit, urlunsplit

from waspada.alerts.http import HttpError, RefusedAddress, check_host, private_allowed

__all__ = [
    "USER_AGENT",
    "Decoded",
    "FetchFailed",
    "Fetched",
    "HostPacer",
    "Limits",
    "decode_text",
    "fetch",
]

USER_AGENT: Final = "Waspada/0.1 (pemantauan berita untuk kewaspadaan dini; +https://github.com/waspada)"
_REDIRECTS: Final = frozenset({301, 302, 303, 307, 308})
_CHUNK: Final = 64 * 1024
MAX_BAD_CHARACTERS: Final = 0.01  # share of undecodable characters above which a text is refused


@dataclass(frozen=True, slots=True)
class Limits:
    timeout: float = 20.0  # seconds, for each socket operation and for the whole fetch
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    user_agent: str = USER_AGENT


class FetchFailed(Exception):
    """A fetch that gave nothing usable. ``code`` is one of: bad_url, refused, connection, timeout,
    http_status, too_large, redirect_loop, too_many_redirects, encoding."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # after redirects
    status: int
    body: bytes
    content_type: str  # media type, lower case ("text/html"), "" when not sent
    charset: str | None
    etag: str
    last_modified: str
    not_modified: bool = False


def _clean_url(url: str) -> str:
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc, parts.path or "/", parts.query, ""))


def _guard(host: str, port: int) -> None:
    try:
        check_host(host, port)
    except RefusedAddress as exc:
        raise FetchFailed("refused", f"alamat ditolak: {exc}") from None
    except HttpError as exc:
        raise FetchFailed("connection", str(exc)) from None


def _guard_peer(sock: socket.socket | None, host: str) -> None:
    """The address actually connected to must be public too (the name may have resolved differently)."""
    if sock is None or private_allowed():
        return
    peer = str(sock.getpeername()[0]).split("%", 1)[0]
    if not ipaddress.ip_address(peer).is_global:
        raise FetchFailed("refused", f"alamat ditolak: {peer} ({host}) bukan alamat publik")


class _Clock:
    def __init__(self, timeout: float, now: Callable[[], float]) -> None:
        self.timeout = timeout
        self.now = now
        self.deadline = now() + timeout

    def remaining(self) -> float:
        left = self.deadline - self.now()
        if left <= 0:
            raise FetchFailed("timeout", f"batas waktu {self.timeout:g} detik habis")
        return left


def _read_capped(
    resp: http.client.HTTPResponse, sock: socket.socket | None, limits: Limits, clock: _Clock
) -> bytes:
    declared = resp.getheader("Content-Length")
    if declared and declared.strip().isdigit() and int(declared) > limits.max_bytes:
        raise FetchFailed("too_large", _too_large(limits, f"{int(declared)} byte menurut Content-Length"))
    encoding = (resp.getheader("Content-Encoding") or "identity").strip().lower()
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS if encoding in {"gzip", "x-gzip"} else zlib.MAX_WBITS)
    compressed = encoding in {"gzip", "x-gzip", "deflate"}
    parts: list[bytes] = []
    size = 0
    while True:
        left = clock.remaining()
        if sock is not None:
            sock.settimeout(left)
        chunk = resp.read1(_CHUNK)  # what has arrived: a trickling server meets the deadline
        if not chunk:
            break
        if compressed:
            try:
                chunk = inflater.decompress(chunk, limits.max_bytes + 1 - size)
            except zlib.error as exc:
                raise FetchFailed("encoding", f"isi terkompresi rusak ({encoding}): {exc}") from None
        size += len(chunk)
        if size > limits.max_bytes:
            raise FetchFailed("too_large", _too_large(limits, "dihentikan saat membaca"))
        parts.append(chunk)
    if compressed:
        tail = inflater.flush()
        if size + len(tail) > limits.max_bytes:
            raise FetchFailed("too_large", _too_large(limits, "setelah dekompresi"))
        parts.append(tail)
    return b"".join(parts)


def _too_large(limits: Limits, detail: str) -> str:
    return f"halaman lebih besar dari batas {limits.max_bytes / 1024 / 1024:g} MB ({detail})"


def _connection(scheme: str, host: str, port: int, timeout: float) -> http.client.HTTPConnection:
    if scheme == "https":
        return http.client.HTTPSConnection(host, port, timeout=timeout, context=ssl.create_default_context())
    return http.client.HTTPConnection(host, port, timeout=timeout)


def fetch(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    limits: Limits = Limits(),
    allow_private: bool = False,
    now: Callable[[], float] = time.monotonic,
) -> Fetched:
    """GET ``url`` within ``limits``; raises ``FetchFailed`` with a reason. ``allow_private`` lifts the
    address rule for this call only (the demo's own news server on 127.0.0.1)."""
    clock = _Clock(limits.timeout, now)
    current = _clean_url(url)
    seen = {current}
    for _hop in range(limits.max_redirects + 1):
        parts = urlsplit(current)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise FetchFailed("bad_url", f"alamat tidak sah: {current}")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise FetchFailed("bad_url", f"nomor port tidak sah: {current}") from None
        host = parts.hostname
        if not allow_private:
            _guard(host, port)
        conn = _connection(parts.scheme, host, port, clock.remaining())
        try:
            conn.connect()
            if not allow_private:
                _guard_peer(conn.sock, host)
            headers = {
                "User-Agent": limits.user_agent,
                "Accept": "application/rss+xml, application/atom+xml, application/xml, text/xml, "
                "text/html;q=0.9, */*;q=0.5",
                "Accept-Encoding": "gzip, deflate",
                "Accept-Language": "id, en;q=0.5",
            }
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
            target = parts.path or "/"
            if parts.query:
                target += "?" + parts.query
            sock = conn.sock  # kept: http.client drops it from the connection for "Connection: close"
            if sock is not None:
                sock.settimeout(clock.remaining())
            conn.request("GET", target, headers=headers)
            resp = conn.getresponse()
            if resp.status in _REDIRECTS:
                location = resp.getheader("Location")
                if not location:
                    raise FetchFailed("http_status", f"HTTP {resp.status} tanpa alamat tujuan (Location)")
                nxt = _clean_url(urljoin(current, location))
                if nxt in seen:
                    raise FetchFailed("redirect_loop", f"pengalihan berputar: {current} → {nxt}")
                seen.add(nxt)
                current = nxt
                continue
            found_etag = resp.getheader("ETag") or ""
            found_modified = resp.getheader("Last-Modified") or ""
            if resp.status == 304:
                return Fetched(
                    current, 304, b"", "", None, found_etag or etag, found_modified or last_modified, True
                )
            if not 200 <= resp.status < 300:
                raise FetchFailed("http_status", f"HTTP {resp.status} {resp.reason}".strip())
            body = _read_capped(resp, sock, limits, clock)
            return Fetched(
                url=current,
                status=resp.status,
                body=body,
                content_type=resp.headers.get_content_type() if resp.getheader("Content-Type") else "",
                charset=resp.headers.get_content_charset(),
                etag=found_etag,
                last_modified=found_modified,
            )
        except FetchFailed:
            raise
        except TimeoutError:
            raise FetchFailed("timeout", f"batas waktu {limits.timeout:g} detik habis") from None
        except ssl.SSLError as exc:
            raise FetchFailed("connection", f"TLS gagal dengan {host}: {exc.reason or exc}") from None
        except (OSError, http.client.HTTPException) as exc:
            raise FetchFailed(
                "connection", f"tidak tersambung ke {host}: {exc or type(exc).__name__}"
            ) from None
        finally:
            conn.close()
    raise FetchFailed(
        "too_many_redirects", f"lebih dari {limits.max_redirects} pengalihan (terakhir {current})"
    )


class HostPacer:
    """At least ``spacing`` seconds between two requests to one host (per process)."""

    def __init__(
        self,
        spacing: float,
        *,
        now: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.spacing = spacing
        self._now = now
        self._sleep = sleep
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, url: str) -> float:
        """Sleep until ``url``'s host may be asked again; returns the seconds slept."""
        host = (urlsplit(url).hostname or "").lower()
        with self._lock:
            last = self._last.get(host)
            pause = 0.0 if last is None else max(0.0, self.spacing - (self._now() - last))
            if pause > 0:
                self._sleep(pause)
            self._last[host] = self._now()
        return pause


# --- Text decoding ---------------------------------------------------------------------------------------

_META_CHARSET: Final = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING: Final = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_BOMS: Final = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    charset: str
    replaced: int  # characters that could not be decoded (shown as U+FFFD)


def _known(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_text(body: bytes, declared: str | None = None) -> Decoded:
    """Bytes to text: BOM, then the declared charset, then ``<meta charset>`` / ``<?xml encoding?>``, then
    UTF-8. A few bad bytes are replaced; mostly undecodable text raises ``FetchFailed("encoding")``."""
    candidates: list[str] = []
    for bom, name in _BOMS:
        if body.startswith(bom):
            candidates.append(name)
    head = body[:4096]
    sniffed = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    found = sniffed.group(1).decode("ascii") if sniffed else None
    for label in (declared, found, "utf-8"):
        known = _known(label)
        if known and known not in candidates:
            candidates.append(known)
    for name in candidates:
        try:
            return Decoded(body.decode(name), name, 0)
        except UnicodeDecodeError:
            continue
    first = candidates[0]
    text = body.decode(first, errors="replace")
    bad = text.count("\ufffd")
    if bad > max(3, MAX_BAD_CHARACTERS * len(text)):
        raise FetchFailed(
            "encoding",
            f"pengodean teks tidak sah: {bad} dari {len(text)} karakter tidak terbaca sebagai {first}",
        )
    return Decoded(text, first, bad)
