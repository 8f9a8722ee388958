"""From stored article to candidate report: duplicates linked and analysed once, the threshold, grouping
with field reports, the evidence on the report page, and analysts' decisions as training labels."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from waspada.accounts.models import AuditLog
from waspada.media import ingest, review
from waspada.media.extract import Candidate
from waspada.media.labels import iter_analyst_labels
from waspada.media.models import Analysis, Article, ArticleStatus
from waspada.reports import candidates, services
from waspada.reports.models import Report, ReportStatus
from waspada.reports.schemas import ReportIn

from .conftest import CLASH, MEETING

pytestmark = pytest.mark.django_db

PUBLISHED = datetime(2024, 12, 3, 1, 0, tzinfo=UTC)
SYNDICATED = CLASH.replace("NUNUKAN –", "SEBATIK –").replace("Senin (2/12) sore", "Senin sore") + (
    "\nBaca Juga: Harga ikan naik menjelang akhir tahun"
)


def article(url: str, text: str = CLASH, title: str = "Bentrok pendukung paslon di Aji Kuning") -> Candidate:
    return Candidate(url=url, title=title, text=text, published=PUBLISHED, language="id")


def store(url: str, text: str = CLASH, title: str | None = None, **kwargs: Any) -> ingest.Stored:
    kwargs.setdefault("province_focus", "65")
    candidate = article(url, text) if title is None else article(url, text, title)
    return ingest.store_article(candidate, source=None, source_name="Warta Uji", **kwargs)


def test_it_turns_a_relevant_article_into_a_candidate_media_report(media_settings: Any) -> None:
    stored = store("https://warta.example/bentrok")
    assert stored.outcome == "new"
    finding = Analysis.objects.get(article=stored.article)
    assert finding.relevant and finding.event_type == "supporter_clash"
    assert finding.region_id == "65.03.12.2003" and finding.injured == 2
    assert str(finding.event_date) == "2024-12-02"
    assert finding.model_version
    assert finding.evidence["relevance"], "the evidence sentences are kept"
    report = finding.report
    assert report is not None
    assert (report.channel, report.event_type, report.region_id) == (
        "media",
        "supporter_clash",
        "65.03.12.2003",
    )
    assert report.status == ReportStatus.BARU
    assert report.reporter is None and report.submitted_by is None
    assert report.source_url == "https://warta.example/bentrok"
    assert report.occurred_at.isoformat() == "2024-12-02T04:00:00+00:00"  # noon WITA on the event date
    assert report.injured == 2
    assert report.description.startswith("Bentrok pendukung paslon di Aji Kuning\n\nNUNUKAN –")
    assert "Sumber: Warta Uji" in report.description
    assert report.client_id == f"media-{stored.article.pk}"
    assert {a["type"] for a in report.actors} >= {"paslon_supporters"}
    assert AuditLog.objects.filter(action="report.created", object_id=str(report.pk)).exists()


def test_it_links_exact_and_syndicated_copies_to_the_first_and_analyses_only_the_first(
    media_settings: Any,
) -> None:
    first = store("https://warta.example/bentrok").article
    exact = store("https://kabar.example/salinan", CLASH.replace("\n", "\n\n").upper())
    near = store("https://suara.example/bentrok-sebatik", SYNDICATED)
    again = store("https://warta.example/bentrok")
    assert (exact.outcome, near.outcome, again.outcome) == ("duplicate", "duplicate", "exists")
    assert exact.article.duplicate_of == first and exact.article.similarity == 1.0
    assert near.article.duplicate_of == first and near.article.similarity >= 0.7
    assert {a.status for a in (exact.article, near.article)} == {ArticleStatus.DUPLICATE}
    assert Analysis.objects.count() == 1
    assert Report.objects.filter(channel="media").count() == 1
    # A copy of a copy still points at the first copy.
    third = store("https://lain.example/x", SYNDICATED + "\nEditor: Budi")
    assert third.article.duplicate_of == first


def test_it_keeps_findings_below_the_threshold_out_of_the_queue(media_settings: Any) -> None:
    meeting = store("https://warta.example/rapat", MEETING, "Forkopimda gelar rapat koordinasi").article
    assert not meeting.analysis.relevant and meeting.analysis.report is None
    assert "di bawah ambang 0.50" in meeting.analysis.note
    media_settings.MEDIA_REVIEW_THRESHOLD = 0.99
    clash = store("https://warta.example/bentrok").article
    assert clash.analysis.relevant and clash.analysis.report is None
    assert "di bawah ambang 0.99" in clash.analysis.note
    assert not Report.objects.filter(channel="media").exists()


def test_it_places_a_finding_without_a_known_place_in_the_sources_province(media_settings: Any) -> None:
    text = (
        "Dua kelompok pendukung pasangan calon bentrok dan saling lempar batu di depan sebuah TPS, Senin "
        "(2/12). Tiga orang luka-luka dan polisi memisahkan massa yang ricuh."
    )
    stored = store("https://warta.example/tanpa-tempat", text, "Pendukung paslon bentrok")
    report = stored.article.analysis.report
    assert report is not None and report.region_id == "65" and report.geo_precision == 4


def test_it_finds_the_nearest_loaded_region_for_a_code() -> None:
    assert review.region_in_database("65.03.12.2003") == "65.03.12.2003"
    assert review.region_in_database("65.03.12.9999") == "65.03.12"
    assert review.region_in_database("64.72.01") is None  # only Kaltara is loaded in the tests
    assert review.region_in_database("bukan kode") is None


def test_it_offers_a_field_report_of_the_same_incident_as_a_duplicate(
    media_settings: Any, personas: Any
) -> None:
    field = services.create_report(
        ReportIn(
            region="65.03.12.2003",
            event_type="supporter_clash",
            occurred_at=datetime.fromisoformat("2024-12-02T16:30:00+08:00"),
            description="Pendukung 01 dan 03 saling lempar batu di dekat pasar Aji Kuning, dua orang luka.",
        ),
        services.Submission("sms"),
    )
    media = store("https://warta.example/bentrok").article.analysis.report
    found = candidates.duplicates_for(media, personas["analis"])
    assert found and found[0].match.key == candidates.report_key(field.pk)


def test_the_report_page_shows_the_article_link_and_the_evidence_highlighted(
    media_settings: Any, personas: Any, client: Client
) -> None:
    report = store("https://warta.example/bentrok").article.analysis.report
    store("https://suara.example/bentrok-sebatik", SYNDICATED)
    client.force_login(personas["analis"])
    html = client.get(reverse("review:report", args=[report.pk])).content.decode()
    assert 'id="media-finding"' in html
    assert 'href="https://warta.example/bentrok"' in html
    assert "<mark>bentrok</mark>" in html.lower()
    assert 'href="https://suara.example/bentrok-sebatik"' in html, "copies of the article are listed"
    queue = client.get(reverse("review:queue")).content.decode()
    assert 'class="media-link" href="https://warta.example/bentrok"' in queue


def test_a_field_report_page_has_no_news_section(personas: Any, client: Client) -> None:
    field = services.create_report(
        ReportIn(
            region="65.03.12.2003",
            event_type="supporter_clash",
            occurred_at=datetime.fromisoformat("2024-12-02T16:30:00+08:00"),
            description="Ribut di pasar.",
        ),
        services.Submission("sms"),
    )
    client.force_login(personas["analis"])
    assert 'id="media-finding"' not in client.get(reverse("review:report", args=[field.pk])).content.decode()


def test_analysts_decisions_become_training_labels(media_settings: Any, personas: Any) -> None:
    kept = store("https://warta.example/bentrok").article
    dropped = store(
        "https://warta.example/kantor-kpu",
        "TANJUNG SELOR – Sekelompok orang tak dikenal melempari kantor KPU Bulungan dengan batu dan membakar "
        "ban di halaman kantor, Selasa (3/12) dini hari. Kaca depan kantor pecah dan satu petugas jaga "
        "luka ringan terkena pecahan kaca. Polisi masih memburu para pelaku.",
        "Kantor KPU Bulungan dilempari batu",
    ).article
    pending = store(
        "https://warta.example/blokade",
        "KRAYAN – Warga memalang jalan menuju bandara Long Bawan dengan batang kayu sejak Senin (2/12) pagi. "
        "Mereka menuntut kotak suara TPS 3 dibuka dan suaranya dihitung ulang di depan saksi.",
        "Warga palang jalan bandara Long Bawan",
    ).article
    demo = store(
        "https://demo.example/x",
        "TARAKAN – Ratusan massa pendukung paslon berunjuk rasa dan ricuh di depan kantor KPU Tarakan, "
        "Senin (2/12). Massa melempar botol dan membakar ban; tiga polisi luka-luka.",
        "Unjuk rasa ricuh di KPU Tarakan",
        simulated=True,
    ).article
    assert all(a.status == ArticleStatus.ANALYSED for a in (kept, dropped, pending, demo))
    assert all(a.analysis.report is not None for a in (kept, dropped, pending, demo))
    coordinator = personas["koordinator"]
    report = kept.analysis.report
    services.update_report(report, {"event_type": "riot"}, coordinator)
    services.change_status(report, ReportStatus.TERVERIFIKASI, "", coordinator)
    services.change_status(dropped.analysis.report, ReportStatus.DITOLAK, "berita lama", coordinator)
    services.change_status(demo.analysis.report, ReportStatus.TERVERIFIKASI, "", coordinator)
    assert pending.analysis.report.status == ReportStatus.BARU

    labels = list(iter_analyst_labels())
    assert labels == [
        {
            "id": f"media-{kept.pk}",
            "title": kept.title,
            "text": kept.text,
            "relevant": True,
            "event_type": "riot",
        },
        {
            "id": f"media-{dropped.pk}",
            "title": dropped.title,
            "text": dropped.text,
            "relevant": False,
            "event_type": None,
        },
    ]
    assert len(list(iter_analyst_labels(include_simulated=True))) == 3


def test_a_failing_analyser_marks_the_article_and_never_raises(
    media_settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ValueError("model rusak")

    monkeypatch.setattr("waspada.nlp.pipeline.analyse", broken)
    stored = store("https://warta.example/bentrok")
    stored.article.refresh_from_db()
    assert stored.article.status == ArticleStatus.FAILED
    assert stored.article.skip_reason == "analisis gagal: ValueError: model rusak"
    assert not Analysis.objects.exists()


def test_it_never_makes_two_reports_from_one_finding(media_settings: Any) -> None:
    finding = store("https://warta.example/bentrok").article.analysis
    assert review.propose_report(finding) == finding.report
    ingest.analyse_article(Article.objects.get(pk=finding.article_id), province_focus="65")
    assert Report.objects.filter(channel="media").count() == 1
