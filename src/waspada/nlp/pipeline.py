"""The analysis of one article: relevance, event type, places, actors, impact and date, with evidence.

:func:`analyse` takes a mapping with ``id``, ``title``, ``text`` and optional ``published`` and returns
the plain dict written by ``waspada media analyze`` (see ``docs/media-analyze.md``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from .actors import find_actors
from .dates import event_date, parse_published
from .impact import find_impact
from .normalize import normalize_text, split_sentences, strip_noise
from .places import Gazetteer, choose_primary, national_gazetteer
from .rules import score_normalized

__all__ = ["OUTPUT_FIELDS", "analyse"]

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


def analyse(
    article: Mapping[str, Any], *, gazetteer: Gazetteer | None = None, province_focus: str | None = None
) -> dict[str, Any]:
    """Analyse one article; ``title`` and ``text`` are strings (``text`` non-empty), ``published`` ISO."""
    gaz = gazetteer if gazetteer is not None else national_gazetteer()
    title = str(article.get("title") or "")
    text = strip_noise(str(article["text"]))
    sentences = split_sentences(text)
    normalized = [normalize_text(title), *(normalize_text(s) for s in sentences)]
    finding = score_normalized(normalized)
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
    event_sentences = sorted({h.sentence for h in finding.hits if h.weight >= _STRONG_HIT})
    mentions = gaz.resolve(full, province_focus=province_focus, dateline_from=body_from)
    primary = choose_primary(gaz, mentions, [spans[i] for i in event_sentences], title_end=len(title))

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
        "relevant": finding.relevant,
        "relevance_score": finding.relevance_score,
        "event_type": finding.event_type,
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
