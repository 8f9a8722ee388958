"""Analysts' decisions on media findings, as training labels for ``waspada media train``.

A candidate report from an article that an analyst verified (or merged into an incident, which confirms
the event) is a relevant article with the event type the analyst left on the report (corrected or not);
a rejected one is not relevant. Reports still waiting for review, and duplicate copies of an article,
give no label. Simulated (demo) findings are left out unless asked for.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from waspada.media.models import Analysis
from waspada.reports.models import ReportStatus

RELEVANT = (ReportStatus.TERVERIFIKASI, ReportStatus.DIGABUNG)
NOT_RELEVANT = (ReportStatus.DITOLAK,)


def iter_analyst_labels(*, include_simulated: bool = False) -> Iterator[dict[str, Any]]:
    """``{"id", "title", "text", "relevant", "event_type"}`` per decided media finding, oldest first.
    ``id`` is ``"media-<article number>"``; ``event_type`` is None for a rejected finding."""
    rows = (
        Analysis.objects.filter(report__status__in=[*RELEVANT, *NOT_RELEVANT])
        .select_related("article", "report")
        .order_by("article_id")
    )
    if not include_simulated:
        rows = rows.filter(article__is_simulated=False)
    for analysis in rows.iterator(chunk_size=500):
        report = analysis.report
        if report is None:
            continue
        relevant = report.status in RELEVANT
        yield {
            "id": f"media-{analysis.article_id}",
            "title": analysis.article.title,
            "text": analysis.article.text,
            "relevant": relevant,
            "event_type": report.event_type if relevant else None,
        }
