"""Polling sources against a real HTTP server on 127.0.0.1: bad input is skipped with its recorded reason,
one failing source never stops the others, and the worker job never raises."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from waspada.core.jobs import JOBS
from waspada.media import polling
from waspada.media.models import Article, ArticleStatus, PollOutcome, Source
from waspada.media.polling import poll_due_sources, poll_source

from .conftest import CLASH, ENGLISH, MEETING, NewsServer, Route, page, rss

pytestmark = pytest.mark.django_db

NO_ARTICLE = b"<html><body><nav><a href='/'>Beranda</a> <a href='/masuk'>Masuk</a></nav></body></html>"
GARBLED = (
    b'<html><head><meta charset="utf-8"></head><body><article><p>'
    + bytes(range(128, 256)) * 30
    + b"</p></article></body></html>"
)


def source(url: str, kind: str = "feed", **extra: Any) -> Source:
    return Source.objects.create(
        name=url.rsplit("/", 1)[-1], url=url, kind=kind, province_focus_id="65", **extra
    )


def good_feed(server: NewsServer) -> None:
    server.routes["/bentrok"] = Route(page("Bentrok di Aji Kuning", CLASH))
    server.routes["/rapat"] = Route(page("Rapat koordinasi Forkopimda", MEETING))
    server.routes["/rss"] = Route(
        rss(
            [("/bentrok", "Bentrok di Aji Kuning", "Dua kelompok..."), ("/rapat", "Rapat koordinasi", "...")],
            server.base,
        ),
        content_type="application/rss+xml",
        etag='"rss-1"',
    )


def test_it_skips_every_kind_of_bad_source_with_its_reason_and_still_polls_the_good_one(
    news_server: NewsServer, media_settings: Any
) -> None:
    media_settings.MEDIA_FETCH_TIMEOUT = 0.5
    s = news_server
    good_feed(s)
    s.routes["/rusak.xml"] = Route(b"<rss><channel><item><title>Rusak", content_type="application/rss+xml")
    s.routes["/kosong"] = Route(NO_ARTICLE)
    s.routes["/inggris"] = Route(page("Vote count on schedule", ENGLISH, lang="en"))
    s.routes["/besar"] = Route(stream_bytes=10 * 1024 * 1024)
    s.routes["/rusak-kode"] = Route(GARBLED)
    s.routes["/lambat.xml"] = Route(b"<rss/>", delay=5.0)
    s.routes["/putar-a"] = Route(status=302, headers={"Location": "/putar-b"})
    s.routes["/putar-b"] = Route(status=302, headers={"Location": "/putar-a"})
    expected = {
        source(s.url("/rusak.xml")).pk: "feed rusak",
        source(s.url("/kosong"), "page").pk: "tidak ada teks artikel",
        source(s.url("/inggris"), "page").pk: "bukan berbahasa Indonesia (Inggris)",
        source(s.url("/besar"), "page").pk: "lebih besar dari batas 5 MB",
        source(s.url("/rusak-kode"), "page").pk: "pengodean teks tidak sah",
        source(s.url("/lambat.xml")).pk: "batas waktu 0.5 detik habis",
        source(s.url("/putar-a")).pk: "pengalihan berputar",
    }
    good = source(s.url("/rss"))

    counts = poll_due_sources()

    assert counts["polled"] == 8 and counts["failed"] == 7
    for pk, reason in expected.items():
        failed = Source.objects.get(pk=pk)
        assert reason in failed.last_error, (failed.url, failed.last_error)
        assert failed.consecutive_failures == 1 and failed.last_success_at is None
        assert failed.polls.get().outcome == PollOutcome.FAILED
    good.refresh_from_db()
    assert good.last_error == "" and good.consecutive_failures == 0 and good.last_success_at is not None
    assert good.etag == '"rss-1"'
    assert set(good.articles.values_list("status", flat=True)) == {ArticleStatus.ANALYSED}
    assert good.articles.count() == 2


def test_it_answers_304_without_reading_the_feed_again(news_server: NewsServer, media_settings: Any) -> None:
    good_feed(news_server)
    feed = source(news_server.url("/rss"))
    first = poll_source(feed)
    assert first.outcome == PollOutcome.OK and first.items_new == 2
    second = poll_source(feed)
    assert second.outcome == PollOutcome.NOT_MODIFIED and second.items_seen == 0
    assert news_server.hits("/rss")[1]["headers"]["If-None-Match"] == '"rss-1"'
    assert len(news_server.hits("/bentrok")) == 1
    feed.refresh_from_db()
    assert feed.last_success_at == second.finished_at


def test_it_skips_bad_feed_items_with_their_reasons_and_keeps_the_good_ones(
    news_server: NewsServer, media_settings: Any
) -> None:
    media_settings.MEDIA_FETCH_TIMEOUT = 0.5
    s = news_server
    s.routes["/bentrok"] = Route(page("Bentrok di Aji Kuning", CLASH))
    s.routes["/inggris"] = Route(page("Vote count", ENGLISH, lang="en"))
    s.routes["/kosong"] = Route(NO_ARTICLE)
    s.routes["/besar"] = Route(stream_bytes=10 * 1024 * 1024)
    s.routes["/lambat"] = Route(page("Lambat", CLASH), delay=5.0)
    s.routes["/hilang"] = Route(status=404)
    items = [
        (p, p.strip("/"), "ringkas")
        for p in ("/inggris", "/kosong", "/besar", "/lambat", "/hilang", "/bentrok")
    ]
    s.routes["/rss"] = Route(rss(items, s.base), content_type="application/rss+xml")
    feed = source(s.url("/rss"))

    poll = poll_source(feed)

    assert poll.outcome == PollOutcome.OK
    assert (poll.items_seen, poll.items_new, poll.items_skipped) == (6, 1, 5)
    reasons = {item["url"].removeprefix(s.base): item["reason"] for item in poll.skipped}
    assert reasons["/inggris"] == "bukan berbahasa Indonesia (Inggris)"
    assert "tidak ada teks artikel" in reasons["/kosong"]
    assert "lebih besar dari batas" in reasons["/besar"]
    assert "batas waktu" in reasons["/lambat"]
    assert reasons["/hilang"].startswith("HTTP 404")
    # Remembered so they are not fetched again; a timeout is retried at the next poll.
    remembered = dict(Article.objects.filter(status=ArticleStatus.SKIPPED).values_list("url", "skip_reason"))
    assert set(remembered) == {s.url(p) for p in ("/inggris", "/kosong", "/besar", "/hilang")}
    s.routes["/lambat"] = Route(
        page("Bentrok susulan di Sebatik", CLASH.replace("Senin", "Selasa") + " Warga berjaga.")
    )
    again = poll_source(feed)
    assert again.items_new + again.items_duplicate == 1 and again.items_skipped == 0
    assert len(s.hits("/inggris")) == 1


def test_one_source_crashing_never_stops_the_others(
    news_server: NewsServer, media_settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    good_feed(news_server)
    news_server.routes["/meledak.xml"] = Route(b"<rss/>")
    real = polling.parse_feed

    def explode(body: bytes, *, url: str, content_type: str = "") -> Any:
        if url.endswith("/meledak.xml"):
            raise RuntimeError("bug di pembaca feed")
        return real(body, url=url, content_type=content_type)

    monkeypatch.setattr(polling, "parse_feed", explode)
    bad = source(news_server.url("/meledak.xml"))
    good = source(news_server.url("/rss"))
    counts = poll_due_sources()
    assert counts == {"polled": 2, "failed": 1, "new": 2, "duplicates": 0, "skipped": 0}
    bad.refresh_from_db()
    assert bad.last_error == "kesalahan internal: RuntimeError: bug di pembaca feed"
    assert good.articles.count() == 2


def test_it_backs_off_a_failing_source_and_resets_after_a_success(
    news_server: NewsServer, media_settings: Any
) -> None:
    news_server.routes["/rss"] = Route(status=503)
    feed = source(news_server.url("/rss"), poll_minutes=10)
    for expected_minutes in (10, 20, 40):
        before = timezone.now()
        poll_source(feed)
        feed.refresh_from_db()
        assert feed.last_error.startswith("HTTP 503")
        gap = feed.next_poll_at - before
        assert timedelta(minutes=expected_minutes) <= gap < timedelta(minutes=expected_minutes, seconds=30)
    assert feed.consecutive_failures == 3
    good_feed(news_server)
    poll_source(feed)
    feed.refresh_from_db()
    assert feed.consecutive_failures == 0 and feed.last_error.startswith("HTTP 503")
    assert feed.next_poll_at - feed.last_polled_at == timedelta(minutes=10)


def test_it_polls_only_enabled_due_sources_and_claims_each_once(
    news_server: NewsServer, media_settings: Any
) -> None:
    good_feed(news_server)
    due = source(news_server.url("/rss"))
    source(news_server.url("/later"), next_poll_at=timezone.now() + timedelta(hours=1))
    source(news_server.url("/off"), enabled=False)
    assert [s.pk for s in polling.due_sources()] == [due.pk]
    stale = Source.objects.get(pk=due.pk)
    assert polling._claim(due, timezone.now())
    assert not polling._claim(stale, timezone.now()), "a second worker cannot claim the same source"
    assert polling.due_sources() == []


def test_the_worker_runs_the_poll_job() -> None:
    job = next(j for j in JOBS if j.name == "media.poll")
    assert job.load() is poll_due_sources


def test_it_refuses_a_loopback_source_when_private_addresses_are_not_allowed(
    news_server: NewsServer, media_settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    good_feed(news_server)
    monkeypatch.delenv("WASPADA_ALLOW_PRIVATE_HTTP")
    feed = source(news_server.url("/rss"))
    poll = poll_source(feed)
    assert poll.outcome == PollOutcome.FAILED and "alamat ditolak" in poll.reason
    assert news_server.requests == []


def test_it_remembers_a_feed_link_that_redirects_and_does_not_fetch_it_again(
    news_server: NewsServer, media_settings: Any
) -> None:
    s = news_server
    s.routes["/bentrok"] = Route(status=301, headers={"Location": "/berita/2024/bentrok"})
    s.routes["/berita/2024/bentrok"] = Route(page("Bentrok di Aji Kuning", CLASH))
    s.routes["/rss"] = Route(
        rss([("/bentrok", "Bentrok di Aji Kuning", "...")], s.base), content_type="application/rss+xml"
    )
    feed = source(s.url("/rss"))
    assert poll_source(feed).items_new == 1
    assert Article.objects.get().url == s.url("/bentrok")
    assert poll_source(feed).outcome == PollOutcome.OK
    assert len(s.hits("/berita/2024/bentrok")) == 1


def test_the_admin_shows_sources_with_their_health_articles_and_findings(
    news_server: NewsServer, media_settings: Any, admin_client: Any
) -> None:
    good_feed(news_server)
    feed = source(news_server.url("/rss"))
    poll_source(feed)
    article = Article.objects.filter(status=ArticleStatus.ANALYSED).first()
    for url in (
        "/admin/media/source/",
        f"/admin/media/source/{feed.pk}/change/",
        "/admin/media/article/",
        f"/admin/media/article/{article.pk}/change/",
        "/admin/media/analysis/",
        "/admin/media/poll/",
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
    listing = admin_client.get("/admin/media/source/").content.decode()
    assert re.search(r">0[.,]3<", listing), "two articles this week: 0.3 a day"


def test_the_poll_command_prints_each_poll_and_its_skipped_items(
    news_server: NewsServer, media_settings: Any
) -> None:
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    s = news_server
    good_feed(s)
    s.routes["/inggris"] = Route(page("Vote count", ENGLISH, lang="en"))
    s.routes["/rss2"] = Route(
        rss([("/inggris", "Vote count", "...")], s.base), content_type="application/rss+xml"
    )
    s.routes["/rusak.xml"] = Route(b"<rss><channel><item><title>Rusak")
    one, two = source(s.url("/rss")), source(s.url("/rss2"))
    broken = source(s.url("/rusak.xml"))
    out = StringIO()
    call_command("media", "poll", stdout=out)
    lines = out.getvalue().splitlines()
    assert any(
        line.startswith(f"{one.pk:>4} rss:") and "2 baru, 0 salinan, 0 dilewati" in line for line in lines
    )
    assert f"      dilewati {s.url('/inggris')}: bukan berbahasa Indonesia (Inggris)" in lines
    assert any(line.startswith(f"{broken.pk:>4} rusak.xml:") and "feed rusak" in line for line in lines)
    out = StringIO()
    call_command("media", "poll", stdout=out)
    assert out.getvalue().strip() == "tidak ada sumber yang perlu diperiksa sekarang"
    with pytest.raises(CommandError, match="1 sumber gagal diperiksa"):
        call_command("media", "poll", "--source", str(broken.pk), stdout=StringIO())
    out = StringIO()
    call_command("media", "poll", "--source", s.url("/rss2"), stdout=out)
    assert f"{two.pk:>4} rss2:" in out.getvalue()
