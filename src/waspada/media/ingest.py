"""Storing an article: exact and near-duplicate detection, then analysis of first copies.

Every way in (feed polls, page polls, bulk import) ends in :func:`store_article`. A copy is stored and
linked to the first copy (``duplicate_of``), never analysed again, so one story syndicated across five
sites puts one candidate report in the review queue, not five.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from waspada.media.extract import Candidate
from waspada.media.model_store import active_model
from waspada.media.models import Analysis, Article, ArticleBand, ArticleStatus, Source
from waspada.nlp import dedup

log = logging.getLogger("waspada.media")

#: Near-copies are looked for among articles stored in this window (syndication happens within days).
NEAR_WINDOW = timedelta(days=30)
MAX_NEAR_CANDIDATES = 200


@dataclass(frozen=True)
class Stored:
    article: Article
    outcome: str  # "new", "duplicate", "exists"


def find_original(fp: dedup.Fingerprint) -> tuple[Article | None, float]:
    """The first copy of an article with this fingerprint, and the similarity (1.0 for an exact copy)."""
    if fp.content_hash:
        exact = (
            Article.objects.filter(content_hash=fp.content_hash)
            .exclude(status=ArticleStatus.SKIPPED)
            .order_by("created_at", "id")
            .first()
        )
        if exact is not None:
            return (exact.duplicate_of or exact), 1.0
    if not fp.bands:
        return None, 0.0
    since = timezone.now() - NEAR_WINDOW
    ids = list(
        ArticleBand.objects.filter(key__in=fp.bands, article__created_at__gte=since)
        .values_list("article_id", flat=True)
        .distinct()[:MAX_NEAR_CANDIDATES]
    )
    best: Article | None = None
    best_score = 0.0
    for candidate in Article.objects.filter(pk__in=ids).only("id", "minhash", "duplicate_of", "created_at"):
        if not candidate.minhash:
            continue
        score = dedup.estimate_similarity(fp.signature, dedup.signature_from_bytes(bytes(candidate.minhash)))
        better = score > best_score or (
            score == best_score and best is not None and candidate.created_at < best.created_at
        )
        if score >= dedup.NEAR_DUPLICATE and better:
            best, best_score = candidate, score
    if best is None:
        return None, 0.0
    return (best.duplicate_of or best), round(best_score, 3)


def existing(url: str, external_id: str = "") -> Article | None:
    if url:
        found = Article.objects.filter(url=url).first()
        if found is not None:
            return found
    if external_id:
        return Article.objects.filter(external_id=external_id).first()
    return None


def record_skip(url: str, reason: str, source: Source | None) -> None:
    """Remember an item that cannot be used (not an article, not Indonesian, too large …) so the next
    poll does not fetch it again; the reason stays visible in the admin."""
    if not url or existing(url) is not None:
        return
    try:
        with transaction.atomic():
            Article.objects.create(
                source=source,
                source_name=source.name if source else "",
                url=url[:1000],
                status=ArticleStatus.SKIPPED,
                skip_reason=reason,
                is_simulated=bool(source and source.is_simulated),
            )
    except IntegrityError:  # another worker stored it meanwhile
        pass


def store_article(
    candidate: Candidate,
    *,
    source: Source | None,
    source_name: str = "",
    external_id: str = "",
    simulated: bool = False,
    analyse: bool = True,
    province_focus: str | None = None,
) -> Stored:
    """Store one article unless its URL or import id is known; link it to its first copy if it is one;
    analyse a first copy (and propose a report when the finding is strong enough)."""
    url = candidate.url[:1000]
    known = existing(url, external_id)
    if known is not None:
        return Stored(known, "exists")
    fp = dedup.fingerprint(candidate.text)
    original, similarity = find_original(fp)
    try:
        with transaction.atomic():
            article = Article.objects.create(
                source=source,
                source_name=(source_name or (source.name if source else ""))[:120],
                url=url,
                external_id=external_id[:200],
                title=candidate.title[:500],
                text=candidate.text,
                published_at=candidate.published,
                language=candidate.language,
                status=ArticleStatus.DUPLICATE if original is not None else ArticleStatus.ANALYSED,
                content_hash=fp.content_hash,
                minhash=dedup.signature_to_bytes(fp.signature) if fp.signature else None,
                duplicate_of=original,
                similarity=similarity if original is not None else None,
                is_simulated=simulated or bool(source and source.is_simulated),
            )
            ArticleBand.objects.bulk_create([ArticleBand(article=article, key=k) for k in set(fp.bands)])
    except IntegrityError:  # the same URL or id stored by another worker meanwhile
        found = existing(url, external_id)
        if found is None:
            raise
        return Stored(found, "exists")
    if original is not None:
        return Stored(article, "duplicate")
    if analyse:
        analyse_article(article, province_focus=province_focus)
    return Stored(article, "new")


# --- Analysis --------------------------------------------------------------------------------------------


def gazetteer() -> Any:
    """The national gazetteer (built once per process); tests may replace this function."""
    from waspada.nlp.places import national_gazetteer

    return national_gazetteer()


def focus_of(article: Article, explicit: str | None = None) -> str | None:
    if explicit:
        return explicit
    if article.source is not None and article.source.province_focus_id:
        return str(article.source.province_focus_id)
    return None


def _model_version(result: dict[str, Any]) -> str:
    """The model version the analysis reports (top level or in its evidence), else "rules"."""
    evidence = result.get("evidence")
    for holder in (result, evidence if isinstance(evidence, dict) else {}):
        for key in ("model_version", "model"):
            value = holder.get(key)
            if isinstance(value, dict):
                value = value.get("version")
            if value:
                return str(value)[:80]
    return "rules"


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def analyse_article(article: Article, *, province_focus: str | None = None) -> Analysis | None:
    """Run the analysis pipeline on one stored first copy and keep its finding; a strong finding becomes
    a candidate report. A failure of the analyser marks the article "failed" with the reason and never
    propagates (one bad article must not stop a poll)."""
    from waspada.media import review
    from waspada.nlp.pipeline import analyse

    focus = focus_of(article, province_focus)
    payload = {
        "id": article.pk,
        "title": article.title,
        "text": article.text,
        "published": article.published_at.isoformat() if article.published_at else None,
        "url": article.url or None,
    }
    try:
        result = analyse(payload, gazetteer=gazetteer(), province_focus=focus, model=active_model())
    except Exception as exc:
        log.exception("analysis of article %s failed", article.pk)
        article.status = ArticleStatus.FAILED
        article.skip_reason = f"analisis gagal: {type(exc).__name__}: {exc}"[:2000]
        article.save(update_fields=["status", "skip_reason"])
        return None
    location = result.get("location")
    analysis, _ = Analysis.objects.update_or_create(
        article=article,
        defaults={
            "model_version": _model_version(result),
            "relevant": bool(result.get("relevant")),
            "relevance_score": float(result.get("relevance_score") or 0.0),
            "event_type": str(result.get("event_type") or ""),
            "region_id": review.region_in_database(location["code"]) if location else None,
            "location": location,
            "locations": result.get("locations") or [],
            "actors": result.get("actors") or [],
            "killed": int(result.get("killed") or 0),
            "injured": int(result.get("injured") or 0),
            "event_date": _date(result.get("event_date")),
            "evidence": result.get("evidence") or {},
            "analysed_at": timezone.now(),
        },
    )
    if article.status != ArticleStatus.ANALYSED:
        article.status = ArticleStatus.ANALYSED
        article.skip_reason = ""
        article.save(update_fields=["status", "skip_reason"])
    review.propose_report(analysis, focus=focus)
    return analysis
