"""Polling news sources: the worker's job ``media.poll`` runs :func:`poll_due_sources`.

Each due source is claimed with a conditional update (two workers never poll one source at once), polled,
and its health written: last success, last error with its reason, consecutive failures, and the next poll
(the interval, doubled after each failure up to a day). One failing source never stops the others and
nothing here raises into the worker.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from waspada.media import ingest
from waspada.media.extract import (
    Candidate,
    FeedEntry,
    FeedProblem,
    Skip,
    check_candidate,
    extract_article,
    parse_feed,
)
from waspada.media.fetching import Fetched, FetchFailed, HostPacer, Limits, decode_text, fetch
from waspada.media.models import Article, Poll, PollOutcome, Source, SourceKind

log = logging.getLogger("waspada.media")

MAX_ITEMS_PER_POLL = 50
FULL_TEXT_CHARS = 500  # a feed entry this long carries the article itself; shorter ones are teasers
CLAIM_LEASE = timedelta(minutes=15)  # a claimed source is free again after this if its poller died
MAX_BACKOFF = timedelta(hours=24)
MAX_SKIPS_KEPT = 50
# Failures worth retrying at the next poll; other item failures are remembered as skipped articles.
TRANSIENT = frozenset({"timeout", "connection"})

_PACERS: dict[float, HostPacer] = {}


def pacer() -> HostPacer:
    """The process-wide pacer for the configured spacing (``WASPADA_MEDIA_HOST_SPACING``)."""
    spacing = float(getattr(settings, "MEDIA_HOST_SPACING", 2.0))
    if spacing not in _PACERS:
        _PACERS[spacing] = HostPacer(spacing)
    return _PACERS[spacing]


def limits() -> Limits:
    return Limits(
        timeout=float(getattr(settings, "MEDIA_FETCH_TIMEOUT", 20.0)),
        max_bytes=int(getattr(settings, "MEDIA_MAX_PAGE_BYTES", 5 * 1024 * 1024)),
    )


@dataclass
class Fetcher:
    """Fetching for one poll: the limits, the per-host pacer, and the demo's loopback permission."""

    limits: Limits
    pacer: HostPacer
    allow_private: bool = False

    def get(self, url: str, *, etag: str = "", last_modified: str = "") -> Fetched:
        self.pacer.wait(url)
        return fetch(
            url, etag=etag, last_modified=last_modified, limits=self.limits, allow_private=self.allow_private
        )


@dataclass
class PollResult:
    new: int = 0
    duplicate: int = 0
    skipped: list[dict[str, str]] = field(default_factory=list)

    def skip(self, url: str, reason: str) -> None:
        self.skipped.append({"url": url, "reason": reason})


def _page_candidate(
    fetched: Fetched, *, url: str = "", title: str = "", published: Any = None
) -> Candidate | Skip:
    """The article of a fetched page, stored under ``url`` (a feed's link, so the next poll knows it even
    when the link redirects) or else the address it was fetched from."""
    url = url or fetched.url
    decoded = decode_text(fetched.body, fetched.charset)
    page = extract_article(decoded.text, url=fetched.url)
    if page is None:
        return Skip(url, "tidak ada teks artikel di halaman")
    return check_candidate(url, title or page.title, page.text, published or page.published)


def _entry_candidate(entry: FeedEntry, fetcher: Fetcher) -> Candidate | Skip:
    if len(entry.text) >= FULL_TEXT_CHARS:
        return check_candidate(entry.url, entry.title, entry.text, entry.published)
    fetched = fetcher.get(entry.url)
    return _page_candidate(fetched, url=entry.url, title=entry.title, published=entry.published)


def _store(candidate: Candidate, source: Source, result: PollResult) -> None:
    stored = ingest.store_article(candidate, source=source)
    if stored.outcome == "new":
        result.new += 1
    elif stored.outcome == "duplicate":
        result.duplicate += 1


def _poll_feed(source: Source, poll: Poll, fetcher: Fetcher, result: PollResult) -> None:
    fetched = fetcher.get(source.url, etag=source.etag, last_modified=source.last_modified)
    if fetched.not_modified:
        poll.outcome = PollOutcome.NOT_MODIFIED
        return
    entries, note = parse_feed(fetched.body, url=fetched.url, content_type=fetched.content_type)
    source.etag, source.last_modified = fetched.etag[:300], fetched.last_modified[:100]
    poll.reason = note
    poll.items_seen = len(entries)
    known = set(Article.objects.filter(url__in=[e.url for e in entries]).values_list("url", flat=True))
    for entry in entries[:MAX_ITEMS_PER_POLL]:
        if entry.url in known:
            continue
        try:
            item = _entry_candidate(entry, fetcher)
        except FetchFailed as exc:
            result.skip(entry.url, exc.reason)
            if exc.code not in TRANSIENT and not exc.reason.startswith("HTTP 5"):
                ingest.record_skip(entry.url, exc.reason, source)
            continue
        if isinstance(item, Skip):
            result.skip(item.url, item.reason)
            ingest.record_skip(entry.url, item.reason, source)
            continue
        _store(item, source, result)
    poll.outcome = PollOutcome.OK


def _poll_page(source: Source, poll: Poll, fetcher: Fetcher, result: PollResult) -> None:
    fetched = fetcher.get(source.url, etag=source.etag, last_modified=source.last_modified)
    if fetched.not_modified:
        poll.outcome = PollOutcome.NOT_MODIFIED
        return
    poll.items_seen = 1
    item = _page_candidate(fetched)
    if isinstance(item, Skip):
        result.skip(item.url, item.reason)
        raise FetchFailed("content", item.reason)
    source.etag, source.last_modified = fetched.etag[:300], fetched.last_modified[:100]
    _store(item, source, result)
    poll.outcome = PollOutcome.OK


def poll_source(source: Source, *, allow_private: bool = False, fetcher: Fetcher | None = None) -> Poll:
    """Poll one source now and write its health; never raises (a failure is the poll's reason)."""
    fetcher = fetcher or Fetcher(limits(), pacer(), allow_private=allow_private)
    poll = Poll(source=source, started_at=timezone.now(), outcome=PollOutcome.FAILED)
    result = PollResult()
    try:
        if source.kind == SourceKind.FEED:
            _poll_feed(source, poll, fetcher, result)
        else:
            _poll_page(source, poll, fetcher, result)
    except (FetchFailed, FeedProblem) as exc:
        poll.outcome = PollOutcome.FAILED
        poll.reason = str(exc)
    except Exception as exc:  # a bug or a database hiccup: recorded, and the other sources go on
        log.exception("polling source %s (%s) failed", source.pk, source.url)
        poll.outcome = PollOutcome.FAILED
        poll.reason = f"kesalahan internal: {type(exc).__name__}: {exc}"[:2000]
    poll.items_new, poll.items_duplicate = result.new, result.duplicate
    poll.items_skipped = len(result.skipped)
    poll.skipped = result.skipped[:MAX_SKIPS_KEPT]
    _finish(source, poll)
    return poll


def _finish(source: Source, poll: Poll) -> None:
    now = timezone.now()
    poll.finished_at = now
    poll.save()
    interval = timedelta(minutes=max(1, source.poll_minutes))
    source.last_polled_at = now
    fields = ["last_polled_at", "next_poll_at", "etag", "last_modified"]
    if poll.outcome == PollOutcome.FAILED:
        source.consecutive_failures += 1
        source.last_error_at = now
        source.last_error = poll.reason
        backoff = min(interval * 2 ** min(source.consecutive_failures - 1, 16), MAX_BACKOFF)
        source.next_poll_at = now + max(interval, backoff)
        fields += ["consecutive_failures", "last_error_at", "last_error"]
    else:
        source.consecutive_failures = 0
        source.last_success_at = now
        source.next_poll_at = now + interval
        fields += ["consecutive_failures", "last_success_at"]
    source.save(update_fields=fields)


def _claim(source: Source, now: Any) -> bool:
    """Take the source for this worker: only one conditional update can succeed."""
    rows = Source.objects.filter(pk=source.pk, enabled=True)
    if source.next_poll_at is None:
        rows = rows.filter(next_poll_at__isnull=True)
    else:
        rows = rows.filter(next_poll_at=source.next_poll_at)
    return bool(rows.update(next_poll_at=now + CLAIM_LEASE))


def due_sources(now: Any = None) -> list[Source]:
    now = now or timezone.now()
    return list(
        Source.objects.filter(enabled=True)
        .filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))
        .order_by(F("next_poll_at").asc(nulls_first=True), "id")
    )


def poll_due_sources(limit: int = 20, budget_seconds: float = 240.0) -> dict[str, int]:
    """The worker's job: poll up to ``limit`` due sources within about ``budget_seconds``; counts for the
    worker's log. Sources left over are polled at the next run."""
    started = time.monotonic()
    counts = {"polled": 0, "failed": 0, "new": 0, "duplicates": 0, "skipped": 0}
    for source in due_sources()[:limit]:
        if time.monotonic() - started > budget_seconds:
            break
        try:
            if not _claim(source, timezone.now()):
                continue
            poll = poll_source(source)
        except Exception:  # poll_source records its own failures; this is the database going away
            log.exception("could not poll source %s", source.pk)
            counts["failed"] += 1
            continue
        counts["polled"] += 1
        counts["failed"] += poll.outcome == PollOutcome.FAILED
        counts["new"] += poll.items_new
        counts["duplicates"] += poll.items_duplicate
        counts["skipped"] += poll.items_skipped
    return counts
