"""A media report (channel "media", made from a news article) names no reporter: the review queue and the
report page show where it came from — its news source, or the article's host — instead of "anonymous"."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import translation

from waspada.media.models import Analysis, Article, ArticleStatus, Source
from waspada.reports.models import Report

from .test_review import client_for, make_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _plain_static(settings: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def media_report(url: str, source: Source | None = None, source_name: str = "") -> Report:
    report = make_report(channel="media", description="Berita: massa membakar ban di depan kantor KPU.")
    article = Article.objects.create(
        source=source,
        source_name=source_name,
        url=url,
        title="Massa bakar ban",
        status=ArticleStatus.ANALYSED,
    )
    Analysis.objects.create(article=article, relevant=True, relevance_score=0.9, report=report)
    Report.objects.filter(pk=report.pk).update(source_url=url)
    return report


def anonymous() -> str:
    with translation.override("id"):
        return translation.gettext("anonymous")


def test_the_queue_names_the_news_source_of_a_media_report(personas: dict[str, Any]) -> None:
    outlet = Source.objects.create(name="Warta Benuanta", kind="feed", url="https://warta.example/rss.xml")
    named = media_report("https://warta.example/berita/1", outlet)  # the source's own name
    hosted = media_report("https://www.kabar-utara.example/2024/12/bentrok")
    field = make_report(channel="web")  # anonymous field report: still "anonymous"
    html = client_for(personas["analis"]).get("/antrean/").content.decode()
    rows = {pk: row for pk, row in re.findall(r'<tr data-report="(\d+)"(.*?)</tr>', html, re.S)}
    assert re.search(r'class="media-source">Media: Warta Benuanta<', rows[str(named.pk)])
    assert re.search(r'class="media-source">Media: kabar-utara.example<', rows[str(hosted.pk)])
    for pk in (named.pk, hosted.pk):
        assert f">{anonymous()}<" not in rows[str(pk)]
    assert f">{anonymous()}<" in rows[str(field.pk)]


def test_the_report_page_names_the_news_source(personas: dict[str, Any]) -> None:
    report = media_report("https://warta.example/berita/2", source_name="Warta Benuanta")
    html = client_for(personas["analis"]).get(f"/laporan/{report.pk}/").content.decode()
    assert '<p class="media-source">Media: Warta Benuanta</p>' in html
    with translation.override("id"):
        assert translation.gettext("Anonymous report.") not in html
