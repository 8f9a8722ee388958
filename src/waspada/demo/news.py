"""The demo's news: two fictional local outlets and one article page, served from ``news_files/`` by a
small threaded HTTP server on 127.0.0.1 (a free port), polled once by the real poller, then stopped.

Everything in ``news_files/`` was written by the Waspada team for the demo; the outlets and events are
made up (SIMULATION), and every article, finding and report they produce is marked simulated. Dates are
relative: ``manifest.json`` says how many hours before the load each article was published, and the
server fills the placeholders when it serves a file:

* ``{{base}}`` — the server's address; ``{{iso}}``, ``{{rfc822}}``, ``{{tanggal}}`` — the publication time
  of the page being served (ISO 8601, RFC 822 for RSS, Indonesian for people);
* ``{{hari-1}}``, ``{{tgl-1}}`` — weekday and day/month of the day before publication ("Senin", "2/12");
* any of them with ``:path`` — the same for another file (used by the feeds for their items).

Idempotent: once the demo sources have articles, a reload polls nothing (and starts no server).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import format_datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

NEWS_DIR = Path(__file__).resolve().parent / "news_files"
ZONE = ZoneInfo("Asia/Makassar")  # WITA, Kalimantan Utara
HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
         "Oktober", "November", "Desember")  # fmt: skip


@dataclass(frozen=True)
class DemoSource:
    name: str
    kind: str
    path: str
    reliability: str = "cukup"


SOURCES: tuple[DemoSource, ...] = (
    DemoSource("Warta Benuanta (fiktif)", "feed", "warta-benuanta/rss.xml"),
    DemoSource("Suara Perbatasan (fiktif)", "feed", "suara-perbatasan/atom.xml", "belum_diketahui"),
    DemoSource(
        "Warta Benuanta: gugatan hasil Tana Tidung (fiktif)",
        "page",
        "warta-benuanta/berita/gugatan-hasil-pilkada-tana-tidung.html",
    ),
)

_PLACEHOLDER = re.compile(r"\{\{(base|iso|rfc822|tanggal|hari-1|tgl-1)(?::([\w./-]+))?\}\}")


def _published_times(now: datetime) -> dict[str, datetime]:
    manifest = json.loads((NEWS_DIR / "manifest.json").read_text(encoding="utf-8"))
    anchor = now.astimezone(ZONE).replace(second=0, microsecond=0)
    return {path: anchor - timedelta(hours=hours) for path, hours in manifest["hours_ago"].items()}


def render(text: str, *, path: str, base: str, published: dict[str, datetime]) -> str:
    """Fill the placeholders of one served file."""

    def fill(match: re.Match[str]) -> str:
        name, other = match.group(1), match.group(2) or path
        if name == "base":
            return base
        when = published[other]
        before = when - timedelta(days=1)
        return {
            "iso": when.isoformat(),
            "rfc822": format_datetime(when),
            "tanggal": f"{HARI[when.weekday()]}, {when.day} {BULAN[when.month - 1]} {when.year} "
            f"{when:%H.%M} WITA",
            "hari-1": HARI[before.weekday()],
            "tgl-1": f"{before.day}/{before.month}",
        }[name]

    return _PLACEHOLDER.sub(fill, text)


class _Handler(SimpleHTTPRequestHandler):
    published: dict[str, datetime] = {}

    def __init__(self, *args: Any, published: dict[str, datetime], **kwargs: Any) -> None:
        self.published = published
        super().__init__(*args, directory=str(NEWS_DIR), **kwargs)

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0].lstrip("/")
        if path not in self.published and not path.endswith(".xml"):
            self.send_error(404, "tidak ada")
            return
        file = (NEWS_DIR / path).resolve()
        if NEWS_DIR not in file.parents or not file.is_file():
            self.send_error(404, "tidak ada")
            return
        host = self.headers.get("Host") or f"127.0.0.1:{self.server.server_address[1]}"
        body = render(
            file.read_text(encoding="utf-8"), path=path, base=f"http://{host}", published=self.published
        ).encode()
        kind = {".xml": "application/xml", ".html": "text/html"}.get(file.suffix, "text/plain")
        self.send_response(200)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # quiet: the demo prints its own summary
        pass


@contextmanager
def news_server(now: datetime | None = None) -> Iterator[str]:
    """Serve ``news_files/`` on 127.0.0.1 (a free port) in a daemon thread; yields the base address. The
    server is shut down on leaving, so a ``--no-serve`` run ends normally."""
    published = _published_times(now or timezone.now())
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Handler, published=published))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="demo-news", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@dataclass(frozen=True)
class NewsResult:
    sources: int
    new: int
    duplicates: int
    skipped: int
    reports: int
    already: bool = False

    def summary(self) -> str:
        if self.already:
            return f"news: {self.sources} demo sources already polled"
        return (
            f"news: {self.sources} demo sources polled on 127.0.0.1 — {self.new} articles, "
            f"{self.duplicates} linked as syndicated copies, {self.skipped} skipped, "
            f"{self.reports} candidate reports in the queue"
        )


def load_news(now: datetime | None = None) -> NewsResult:
    """Create the demo sources (disabled: their server lives only during the load), poll each once through
    the real poller, and leave the findings in the review queue."""
    from waspada.media.fetching import HostPacer
    from waspada.media.models import Article, ArticleStatus, Source
    from waspada.media.polling import Fetcher, limits, poll_source
    from waspada.regions.models import Region

    focus = Region.objects.filter(code="65").first()
    existing = Source.objects.filter(is_simulated=True, name__in=[s.name for s in SOURCES])
    if Article.objects.filter(source__in=existing).exclude(status=ArticleStatus.SKIPPED).exists():
        return NewsResult(len(SOURCES), 0, 0, 0, 0, already=True)
    new = duplicates = skipped = reports = 0
    with news_server(now) as base:
        fetcher = Fetcher(limits(), HostPacer(0.0), allow_private=True)  # our own loopback server
        for demo in SOURCES:
            source = Source.objects.filter(is_simulated=True, name=demo.name).first()
            url = f"{base}/{demo.path}"
            if source is None:
                source = Source(name=demo.name, is_simulated=True)
            source.url, source.kind, source.enabled = url, demo.kind, False
            source.province_focus, source.reliability = focus, demo.reliability
            source.etag = source.last_modified = ""
            source.save()
            poll = poll_source(source, fetcher=fetcher)
            new += poll.items_new
            duplicates += poll.items_duplicate
            skipped += poll.items_skipped
            reports += Article.objects.filter(source=source, analysis__report__isnull=False).count()
    return NewsResult(len(SOURCES), new, duplicates, skipped, reports)
