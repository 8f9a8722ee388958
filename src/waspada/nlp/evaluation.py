"""Scores of the news analysis against labelled articles: the figures of issue 4's targets.

* relevance precision, recall and F1;
* event-type macro-F1 over the relevant articles (each true event type one class, predicted type compared);
* kabupaten/kota accuracy of the primary location over relevant articles that name one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Scores", "kabkota", "score"]


def kabkota(code: str | None) -> str | None:
    """The kabupaten/kota part (``xx.yy``) of a dotted code, or None above that level."""
    if not code:
        return None
    parts = code.split(".")
    return ".".join(parts[:2]) if len(parts) >= 2 else None


@dataclass(frozen=True, slots=True)
class Scores:
    articles: int
    relevance_precision: float
    relevance_recall: float
    relevance_f1: float
    event_macro_f1: float
    kabkota_accuracy: float
    kabkota_articles: int
    per_type_f1: dict[str, float] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "relevance_precision": round(self.relevance_precision, 4),
            "relevance_recall": round(self.relevance_recall, 4),
            "relevance_f1": round(self.relevance_f1, 4),
            "event_macro_f1": round(self.event_macro_f1, 4),
            "kabkota_accuracy": round(self.kabkota_accuracy, 4),
            "kabkota_articles": self.kabkota_articles,
            "per_type_f1": {k: round(v, 4) for k, v in sorted(self.per_type_f1.items())},
        }


def _f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def score(pairs: Iterable[tuple[Mapping[str, Any], Mapping[str, Any]]]) -> Scores:
    """Score (labels, output) pairs; outputs have the ``media analyze`` fields."""
    tp = fp = fn = 0
    type_pairs: list[tuple[str, str | None]] = []
    places = places_right = 0
    errors: list[dict[str, Any]] = []
    total = 0
    for labels, out in pairs:
        total += 1
        truth, said = bool(labels.get("relevant")), bool(out.get("relevant"))
        tp += truth and said
        fp += said and not truth
        fn += truth and not said
        if truth != said:
            errors.append({"id": out.get("id"), "kind": "relevance", "expected": truth, "got": said})
        if not truth:
            continue
        type_pairs.append((str(labels.get("event_type")), out.get("event_type") if said else None))
        if said and out.get("event_type") != labels.get("event_type"):
            errors.append(
                {"id": out.get("id"), "kind": "event_type", "expected": labels.get("event_type"),
                 "got": out.get("event_type")}
            )  # fmt: skip
        wanted = labels.get("kabkota_code") or kabkota(labels.get("location_code"))
        if wanted:
            places += 1
            got = kabkota((out.get("location") or {}).get("code"))
            if got == wanted:
                places_right += 1
            else:
                errors.append({"id": out.get("id"), "kind": "kabkota", "expected": wanted, "got": got})
    per_type: dict[str, float] = {}
    for cls in sorted({t for t, _ in type_pairs}):
        c_tp = sum(1 for t, p in type_pairs if t == cls and p == cls)
        c_fp = sum(1 for t, p in type_pairs if t != cls and p == cls)
        c_fn = sum(1 for t, p in type_pairs if t == cls and p != cls)
        per_type[cls] = _f1(c_tp, c_fp, c_fn)
    return Scores(
        articles=total,
        relevance_precision=tp / (tp + fp) if tp + fp else 0.0,
        relevance_recall=tp / (tp + fn) if tp + fn else 0.0,
        relevance_f1=_f1(tp, fp, fn),
        event_macro_f1=sum(per_type.values()) / len(per_type) if per_type else 0.0,
        kabkota_accuracy=places_right / places if places else 0.0,
        kabkota_articles=places,
        per_type_f1=per_type,
        errors=errors,
    )
