"""The analysis of one article: relevance, event type, places, actors, impact and date, with evidence.

:func:`analyse` takes a mapping with ``id``, ``title``, ``text`` and optional ``published`` and returns
the plain dict written by ``waspada media analyze`` (see ``docs/media-analyze.md``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from .actors import find_actors
from .dates import event_date, parse_published
from .features import ArticleFeatures, article_features
from .impact import find_impact
from .model import NewsModel, Prediction, shipped_model
from .normalize import normalize_lines, split_sentences, strip_noise
from .places import Gazetteer, choose_primary, national_gazetteer
from .rules import Finding, score_normalized

__all__ = ["OUTPUT_FIELDS", "analyse", "featurize"]

OUTPUT_FIELDS: Final = (
    "id",
    "relevant",
    "relevance_score",
    "event_type",
    "location",
    "locations",
    "actors",
    "killed",
    "injured",
    "event_date",
    "evidence",
)
_STRONG_HIT: Final = 0.5


def _prepare(article: Mapping[str, Any]) -> tuple[str, str, list[str], list[str], Finding]:
    title = str(article.get("title") or "")
    text = strip_noise(str(article["text"]))
    sentences = split_sentences(text)
    normalized = normalize_lines([title, *sentences])
    return title, text, sentences, normalized, score_normalized(normalized)


def featurize(article: Mapping[str, Any]) -> ArticleFeatures:
    """The model's features of one article (``title``, ``text``): what training and inference both read."""
    _, _, _, normalized, finding = _prepare(article)
    return article_features(normalized, finding)


def analyse(
    article: Mapping[str, Any],
    *,
    gazetteer: Gazetteer | None = None,
    province_focus: str | None = None,
    model: NewsModel | None = None,
    rules_only: bool = False,
) -> dict[str, Any]:
    """Analyse one article; ``title`` and ``text`` are strings (``text`` non-empty), ``published`` ISO.

    Relevance and event type come from ``model`` (default: the shipped model) over the rule signals and
    the words; ``rules_only`` (or no model at all) keeps the transparent rule scores alone.
    """
    gaz = gazetteer if gazetteer is not None else national_gazetteer()
    title, text, sentences, normalized, finding = _prepare(article)
    chosen = None if rules_only else (model or shipped_model())
    prediction = chosen.predict_normalized(normalized, finding) if chosen is not None else None
    if prediction is not None:
        relevant = prediction.relevance >= 0.5
        relevance_score = round(prediction.relevance, 3)
        event_type = prediction.event_type if relevant else None
    else:
        relevant, relevance_score, event_type = finding.relevant, finding.relevance_score, finding.event_type
    all_words = " ".join(normalized)

    full = f"{title}\n\n{text}"
    body_from = len(title) + 2
    spans: list[tuple[int, int]] = [(0, len(title))]
    pos = body_from
    for sentence in sentences:
        start = full.find(sentence, pos)
        if start < 0:
            start = pos
        spans.append((start, start + len(sentence)))
        pos = start + len(sentence)
    strong = [h for h in finding.hits if h.weight >= _STRONG_HIT]
    event_sentences = sorted({h.sentence for h in strong if h.event_type == event_type}) or sorted(
        {h.sentence for h in strong}
    )
    mentions = gaz.resolve(full, province_focus=province_focus, dateline_from=body_from)
    lede = spans[1] if len(spans) > 1 else (0, 0)
    primary = choose_primary(
        gaz, mentions, [spans[i] for i in event_sentences], title_end=len(title), lede=lede
    )

    event_text = " ".join(sentences[i - 1] if i else title for i in event_sentences) or text
    impact = find_impact(all_words)
    published = parse_published(article.get("published"))
    date, date_evidence = event_date(event_text if event_sentences else text, published)
    if date is None and event_sentences:
        date, date_evidence = event_date(text, published)

    def sentence_text(i: int) -> str:
        return title if i == 0 else sentences[i - 1]

    evidence: dict[str, Any] = {
        "relevance": [
            {
                "sentence": sentence_text(h.sentence),
                "word": h.keyword,
                "event_type": h.event_type,
                "weight": round(h.weight, 3),
                **({"discounted_by": h.cue} if h.cue else {}),
            }
            for h in finding.hits
        ],  # fmt: skip
        "type_scores": finding.type_scores,
        **({"model": _model_evidence(chosen, prediction)} if chosen and prediction else {}),
        "event_type_confidence": finding.event_confidence,
        "election_context": finding.election_context,
        "negative_cues": finding.negative_cues,
        "location": list(primary.evidence) if primary else [],
        "location_confidence": round(primary.score, 3) if primary else 0.0,
        "impact": impact["evidence"],
        "buildings": impact["buildings"],
        "event_date": date_evidence,
    }
    return {
        "id": article.get("id"),
        "relevant": relevant,
        "relevance_score": relevance_score,
        "event_type": event_type,
        "location": (
            {"code": primary.place.code, "level": primary.place.level, "name": primary.place.name}
            if primary
            else None
        ),
        "locations": [m.as_dict() for m in mentions],
        "actors": find_actors(all_words),
        "killed": impact["killed"] or 0,
        "injured": impact["injured"] or 0,
        "event_date": date.isoformat() if date else None,
        "evidence": evidence,
    }


def _model_evidence(model: NewsModel, prediction: Prediction) -> dict[str, Any]:
    top = sorted(prediction.type_probabilities.items(), key=lambda kv: -kv[1])[:3]
    return {
        "version": model.version,
        "relevance_features": [{"feature": f, "weight": w} for f, w in prediction.relevance_evidence],
        "event_type_features": [{"feature": f, "weight": w} for f, w in prediction.event_evidence],
        "event_type_probabilities": dict(top),
    }
