"""From a finding to a candidate report in the review queue (channel "media").

A finding whose relevance score reaches ``WASPADA_MEDIA_REVIEW_THRESHOLD`` becomes a report through
``waspada.reports.services.create_report`` — the one way in for every channel — so duplicate grouping
with field reports, the queue, the map and the audit log treat it like any other report. The report names
no reporter; it carries the article's address (``source_url``) and its finding keeps the evidence that the
report page shows with the deciding words highlighted.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from pydantic import ValidationError

from waspada import taxonomy
from waspada.media.models import Analysis, Article
from waspada.regions.codes import ancestors
from waspada.regions.models import Region
from waspada.regions.timezones import zone_for
from waspada.reports import services
from waspada.reports.models import Report
from waspada.reports.schemas import MAX_DESCRIPTION, ActorIn, ReportIn

log = logging.getLogger("waspada.media")

SIMULATION_NOTE = "[SIMULASI] "
LEAD_CHARS = 1200  # the opening of the article copied into the report's description
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")


def threshold() -> float:
    return float(getattr(settings, "MEDIA_REVIEW_THRESHOLD", 0.5))


def region_in_database(code: str) -> str | None:
    """``code`` when that region is loaded, else its nearest loaded parent (a deployment may load only its
    own provinces while the analyser knows the whole country); None when nothing above it is loaded."""
    try:
        chain = [code, *reversed(ancestors(code))]
    except ValueError:
        return None
    found = set(Region.objects.filter(code__in=chain).values_list("code", flat=True))
    return next((c for c in chain if c in found), None)


def _event_type(analysis: Analysis) -> str | None:
    if analysis.event_type:
        return analysis.event_type
    scores = (analysis.evidence or {}).get("type_scores") or {}
    ranked = sorted(
        ((float(v), str(k)) for k, v in scores.items() if isinstance(v, int | float)), reverse=True
    )
    for _score, code in ranked:
        try:
            return taxonomy.get_event_type(code).code
        except taxonomy.UnknownCode:
            continue
    return None


def _occurred_at(analysis: Analysis, article: Article, region_code: str) -> datetime:
    """Noon (local time of the region) of the event date: the event is known to the day. Without an event
    date, the publication time; never in the future."""
    now = timezone.now()
    if analysis.event_date is not None:
        when = datetime.combine(analysis.event_date, time(12, 0), tzinfo=ZoneInfo(zone_for(region_code)))
    else:
        when = article.published_at or article.created_at
    return min(when, now)


def _lead(text: str) -> str:
    if len(text) <= LEAD_CHARS:
        return text.strip()
    cut = text[:LEAD_CHARS]
    ends = [m.start() for m in _SENTENCE_END.finditer(cut)]
    return (cut[: ends[-1]] if ends else cut).strip() + " …"


def describe(article: Article) -> str:
    """The report's description: headline, the article's opening and where it appeared."""
    source = article.source_name or (article.source.name if article.source else "")
    published = (
        timezone.localtime(article.published_at).strftime("%d/%m/%Y %H:%M") if article.published_at else ""
    )
    tail = ", ".join(part for part in (source, published) if part)
    text = f"{article.title}\n\n{_lead(article.text)}" if article.title else _lead(article.text)
    if tail:
        text += f"\n\nSumber: {tail}"
    if article.is_simulated:
        text = SIMULATION_NOTE + text
    return text[:MAX_DESCRIPTION]


def _actors(found: list[Any]) -> list[ActorIn]:
    actors: list[ActorIn] = []
    for item in found:
        if not isinstance(item, dict):
            continue
        code = str(item.get("type") or "")
        try:
            taxonomy.get_actor_type(code)
        except taxonomy.UnknownCode:
            continue
        mention = str(item.get("mention") or "")[:200]
        numbers = item.get("paslon") or [None]
        for number in numbers if isinstance(numbers, list) else [numbers]:
            paslon = number if isinstance(number, int) and 1 <= number <= 20 else None
            actors.append(ActorIn(type=code, paslon=paslon, text=mention))
    return actors[:20]


def _note(analysis: Analysis, text: str) -> None:
    analysis.note = text
    analysis.save(update_fields=["note"])


def propose_report(analysis: Analysis, *, focus: str | None = None) -> Report | None:
    """The candidate report of a strong finding (idempotent: a finding makes at most one report). A
    finding that cannot become a report keeps the reason in ``Analysis.note``."""
    if analysis.report_id is not None:
        return analysis.report
    limit = threshold()
    if analysis.relevance_score < limit:
        _note(analysis, f"skor relevansi {analysis.relevance_score:.2f} di bawah ambang {limit:.2f}")
        return None
    event_type = _event_type(analysis)
    if event_type is None:
        _note(analysis, "jenis kejadian tidak dapat ditentukan")
        return None
    region_code = (
        str(analysis.region_id) if analysis.region_id else (region_in_database(focus) if focus else None)
    )
    if region_code is None:
        _note(analysis, "lokasi tidak ditemukan di gazetir wilayah yang dimuat")
        return None
    article = analysis.article
    try:
        data = ReportIn(
            region=region_code,
            event_type=event_type,
            occurred_at=_occurred_at(analysis, article, region_code),
            description=describe(article),
            actors=_actors(analysis.actors),
            killed=min(analysis.killed, 1_000_000),
            injured=min(analysis.injured, 1_000_000),
            source_reliability=article.source.reliability if article.source else None,
            language=article.language or "id",
            client_id=f"media-{article.pk}",
        )
    except ValidationError as exc:
        _note(analysis, f"laporan tidak sah: {exc.errors()[0].get('msg', exc)}"[:2000])
        return None

    def link(report: Report) -> None:
        if article.url.startswith(("http://", "https://")) and len(article.url) <= 500:
            report.source_url = article.url
            report.save(update_fields=["source_url"])
        analysis.report = report
        analysis.note = ""
        analysis.save(update_fields=["report", "note"])

    submission = services.Submission(
        "media", check_scope=False, simulated=article.is_simulated, on_created=link
    )
    try:
        return services.create_report(data, submission)
    except services.ReportRejected as exc:
        _note(analysis, f"laporan ditolak ({exc.field}): {exc.message}")
        return None
