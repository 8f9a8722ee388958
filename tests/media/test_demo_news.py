"""The demo's local news sources: served from files on 127.0.0.1, polled once, findings in the queue."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from waspada.demo import news
from waspada.media.models import Article, ArticleStatus, PollOutcome, Source
from waspada.reports.models import Report

pytestmark = pytest.mark.django_db


def test_the_demo_polls_its_local_sources_once_and_fills_the_queue(media_settings: Any) -> None:
    result = news.load_news()

    assert not result.already and result.sources == 3
    assert not [t for t in threading.enumerate() if t.name == "demo-news"], "the news server is stopped"
    sources = Source.objects.filter(is_simulated=True)
    assert sources.count() == 3 and not sources.filter(enabled=True).exists()
    for source in sources:
        assert source.polls.get().outcome == PollOutcome.OK, source.last_error
        assert source.province_focus_id == "65"
    # The syndicated copy is linked to the first copy; the English story is skipped with its reason.
    copy = Article.objects.get(url__endswith="/suara-perbatasan/bentrok-pecah-di-aji-kuning.html")
    assert copy.status == ArticleStatus.DUPLICATE
    assert copy.duplicate_of.url.endswith("/warta-benuanta/bentrok-pendukung-aji-kuning.html")
    english = Article.objects.get(url__endswith="/sebatik-border-trade-resumes.html")
    assert (
        english.status == ArticleStatus.SKIPPED
        and english.skip_reason == "bukan berbahasa Indonesia (Inggris)"
    )
    assert result.new == 10 and result.duplicates == 1 and result.skipped == 1

    reports = Report.objects.filter(channel="media")
    assert reports.count() == result.reports >= 1
    assert all(r.is_simulated and r.description.startswith("[SIMULASI] ") for r in reports)
    assert all(r.source_url.startswith("http://127.0.0.1:") for r in reports)
    clash = reports.get(source_url__endswith="/bentrok-pendukung-aji-kuning.html")
    assert clash.region_id == "65.03.12.2003" and clash.event_type == "supporter_clash"
    # Published a few hours before the load, the event the day before: recent, never in the future.
    assert timezone.now() - timedelta(days=3) < clash.occurred_at <= timezone.now()

    assert news.load_news().already
    assert Report.objects.filter(channel="media").count() == reports.count()


def test_the_served_files_get_their_dates_filled_relative_to_now() -> None:
    published = {"a.html": datetime(2024, 12, 3, 9, 30, tzinfo=news.ZONE)}
    text = "{{base}}/a.html {{iso}} {{rfc822}} {{tanggal}} {{hari-1}} ({{tgl-1}}) {{iso:a.html}}"
    assert news.render(text, path="a.html", base="http://127.0.0.1:1", published=published) == (
        "http://127.0.0.1:1/a.html 2024-12-03T09:30:00+08:00 Tue, 03 Dec 2024 09:30:00 +0800 "
        "Selasa, 3 Desember 2024 09.30 WITA Senin (2/12) 2024-12-03T09:30:00+08:00"
    )
