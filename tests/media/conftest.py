"""Real local peers for news monitoring: a threaded HTTP server on 127.0.0.1 whose routes serve feeds,
pages and misbehaviour (slow answers, huge pages, redirect loops, conditional requests); and a Kaltara-only
gazetteer for the analysis (the national one takes seconds to build)."""

from __future__ import annotations

import contextlib
import gzip
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str = ""  # answers 304 when the request's If-None-Match equals it
    delay: float = 0.0  # seconds before answering (a source that times out)
    stream_bytes: int = 0  # send this many bytes without Content-Length (a page too large)
    gzip: bool = False


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that hang up (the size cap, timeouts) are what these tests are about


class NewsServer:
    """Answers each path from ``routes``; records every request (path and headers)."""

    def __init__(self) -> None:
        self.routes: dict[str, Route | Callable[[BaseHTTPRequestHandler], None]] = {}
        self.requests: list[dict[str, Any]] = []
        self.closing = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                server.requests.append({"path": self.path, "headers": dict(self.headers)})
                route = server.routes.get(self.path)
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if callable(route):
                    route(self)
                    return
                if route.delay:
                    server.closing.wait(route.delay)
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    self.send_response(304)
                    self.send_header("ETag", route.etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                if route.etag:
                    self.send_header("ETag", route.etag)
                if route.stream_bytes:
                    self.send_header("Connection", "close")
                    self.end_headers()
                    chunk = b"<p>" + b"x" * 65_530 + b"</p>\n"
                    sent = 0
                    try:
                        while sent < route.stream_bytes and not server.closing.is_set():
                            self.wfile.write(chunk)
                            sent += len(chunk)
                    except OSError:
                        pass  # the client stopped reading: what a size cap does
                    return
                body = gzip.compress(route.body) if route.gzip else route.body
                if route.gzip:
                    self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(OSError):  # the client may have stopped reading
                    self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> list[dict[str, Any]]:
        return [r for r in self.requests if r["path"] == path]

    def close(self) -> None:
        self.closing.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def allow_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WASPADA_ALLOW_PRIVATE_HTTP", "true")


@pytest.fixture
def news_server(allow_loopback: None) -> Iterator[NewsServer]:
    server = NewsServer()
    yield server
    server.close()


@lru_cache(maxsize=1)
def _kaltara_gazetteer() -> Any:
    from waspada.nlp.places import Gazetteer
    from waspada.regions.gazetteer import iter_units

    return Gazetteer(u for u in iter_units() if u.code == "65" or u.code.startswith("65."))


@pytest.fixture
def media_settings(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Fast, deterministic polling: no host spacing, a short timeout, the Kaltara gazetteer."""
    from waspada.media import ingest

    settings.MEDIA_HOST_SPACING = 0.0
    settings.MEDIA_FETCH_TIMEOUT = 1.0
    settings.MEDIA_REVIEW_THRESHOLD = 0.5
    monkeypatch.setattr(ingest, "gazetteer", _kaltara_gazetteer)
    return settings


def wait_until(check: Callable[[], bool], seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.01)
    return check()


# --- Articles written for these tests (our own words) ------------------------------------------------------

CLASH = (
    "NUNUKAN – Dua kelompok pendukung pasangan calon bupati terlibat bentrok di Desa Aji Kuning, "
    "Kecamatan Sebatik Tengah, Kabupaten Nunukan, Senin (2/12) sore. Kedua kelompok saling lempar batu "
    "setelah adu mulut tentang hasil penghitungan suara di sebuah TPS.\n"
    "Dua warga mengalami luka-luka dan dirawat di puskesmas. Polisi datang dan memisahkan kedua kelompok.\n"
    "Kapolsek setempat meminta warga tidak terpancing kabar bohong yang beredar di grup percakapan. "
    "Panwascam akan memanggil tim kampanye kedua paslon untuk menenangkan pendukung masing-masing."
)
MEETING = (
    "TANJUNG SELOR – Pemerintah provinsi menggelar rapat koordinasi bersama Forkopimda untuk menjaga "
    "kondusivitas daerah setelah pemungutan suara. Gubernur mengimbau warga tidak mudah terprovokasi isu "
    "yang bisa memicu konflik, dan meminta semua keberatan disampaikan lewat jalur hukum. Kapolda menyebut "
    "sampai hari ini tidak ada gangguan keamanan yang menonjol di seluruh kabupaten dan kota."
)
ENGLISH = (
    "TARAKAN – The regional election commission said on Monday that the vote count in the city was on "
    "schedule, and that the results would be announced after the tally of all districts was complete. "
    "Officials from the police and the military attended the meeting, which was open to the public and "
    "to the press. No incidents were reported during the count, and the city was calm."
)


def page(title: str, text: str, *, lang: str = "id", published: str = "2024-12-03T09:00:00+08:00") -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n"))
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta property="article:published_time" content="{published}"></head><body>'
        f'<nav><a href="/">Beranda</a> <a href="/politik">Politik</a></nav>'
        f"<article><h1>{title}</h1>{paragraphs}</article><footer>Redaksi uji</footer></body></html>"
    ).encode()


def rss(items: list[tuple[str, str, str]], base: str) -> bytes:
    """An RSS 2.0 feed of (path, title, teaser) items."""
    body = "".join(
        f"<item><title>{title}</title><link>{base}{path}</link><guid>{base}{path}</guid>"
        f"<pubDate>Tue, 03 Dec 2024 09:00:00 +0800</pubDate><description>{teaser}</description></item>"
        for path, title, teaser in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Uji</title>'
        f"<link>{base}/</link><description>uji</description>{body}</channel></rss>"
    ).encode()
