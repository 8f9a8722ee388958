"""``waspada media train``: retrain the news model from the corpus and analysts' decisions.

Training articles are the corpus's training split plus every accept/reject decision analysts made on
media findings (:func:`waspada.media.labels.iter_analyst_labels`); the corpus's held-out test split is
never trained on and gives the metrics stored with the model. The new version becomes the one in use
unless it scores worse than the current one on that split (``force`` overrides).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from waspada.nlp.labelled import load_corpus, split_corpus
from waspada.nlp.model import NewsModel
from waspada.nlp.places import national_gazetteer
from waspada.nlp.training import evaluate, train

from .model_store import active_model, store_model

__all__ = ["RetrainResult", "analyst_articles", "retrain"]


@dataclass(frozen=True, slots=True)
class RetrainResult:
    model: NewsModel
    path: str
    metrics: dict[str, Any]
    previous_metrics: dict[str, Any] | None
    rules_metrics: dict[str, Any]
    corpus_articles: int
    analyst_articles: int
    activated: bool


def analyst_articles() -> list[dict[str, Any]]:
    """Analysts' decisions as labelled articles (empty when none were made)."""
    from waspada.media.labels import iter_analyst_labels

    found: list[dict[str, Any]] = []
    for item in iter_analyst_labels():
        found.append(
            {
                "id": f"analyst-{item['id']}",
                "title": item.get("title") or "",
                "text": item["text"],
                "labels": {"relevant": bool(item["relevant"]), "event_type": item.get("event_type")},
            }
        )
    return found


def _better_or_equal(new: dict[str, Any], old: dict[str, Any] | None) -> bool:
    if not old:
        return True
    keys = ("relevance_f1", "event_macro_f1")
    return sum(new[k] for k in keys) >= sum(old.get(k, 0.0) for k in keys) - 0.01


def retrain(*, extra: Iterable[dict[str, Any]] | None = None, force: bool = False) -> RetrainResult:
    corpus = load_corpus()
    training, held_out = split_corpus(corpus)
    labelled = analyst_articles() if extra is None else list(extra)
    result = train([*training, *labelled])
    gazetteer = national_gazetteer()
    metrics = evaluate(result.model, held_out, gazetteer).as_dict()
    rules_metrics = evaluate(None, held_out, gazetteer).as_dict()
    current = active_model()
    previous = evaluate(current, held_out, gazetteer).as_dict() if current is not None else None
    model = result.model
    model.info.update(
        {"held_out_metrics": metrics, "corpus_articles": len(training), "analyst_articles": len(labelled)}
    )
    activate = force or _better_or_equal(metrics, previous)
    path = store_model(model, activate=activate)
    return RetrainResult(
        model=model,
        path=str(path),
        metrics=metrics,
        previous_metrics=previous,
        rules_metrics=rules_metrics,
        corpus_articles=len(training),
        analyst_articles=len(labelled),
        activated=activate,
    )
