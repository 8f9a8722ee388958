"""The trained news model: relevance and event type as two linear models over :mod:`.features`.

A model is a JSON document (no pickle: loading it never runs code) holding the vocabulary with its idf
weights, the scaling of the rule features, the coefficients as base64 float32 arrays, the version, the
training counts and the held-out metrics. Inference needs numpy only; training lives in
:mod:`waspada.nlp.training` (scikit-learn). The model shipped with Waspada is ``trained/news.json``,
trained from the project's own corpus (``corpus/``); ``waspada media train`` writes newer versions.
"""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from .features import RULE_FEATURES, ArticleFeatures, TermIndex, rule_values
from .rules import Finding

__all__ = ["SHIPPED_MODEL", "ModelError", "NewsModel", "Prediction", "load_model", "shipped_model"]

SHIPPED_MODEL: Final = Path(__file__).with_name("trained") / "news.json"
FORMAT: Final = "waspada-news-model/1"
Floats = NDArray[np.float32]


class ModelError(ValueError):
    """A model file that cannot be used, with the reason."""


def encode(array: NDArray[Any]) -> str:
    return base64.b64encode(np.ascontiguousarray(array, dtype="<f4").tobytes()).decode("ascii")


def decode(text: str, shape: tuple[int, ...]) -> Floats:
    flat = np.frombuffer(base64.b64decode(text), dtype="<f4").astype(np.float32)
    if flat.size != math.prod(shape):
        raise ModelError(f"array of {flat.size} values where {shape} was expected")
    return flat.reshape(shape)


@dataclass(frozen=True, slots=True)
class Prediction:
    relevance: float
    event_type: str | None
    event_confidence: float
    type_probabilities: dict[str, float]
    #: The features that pushed relevance most (feature, contribution), strongest first.
    relevance_evidence: list[tuple[str, float]]
    event_evidence: list[tuple[str, float]]


@dataclass(slots=True)
class NewsModel:
    version: str
    vocabulary: list[str]
    idf: Floats
    rule_mean: Floats
    rule_scale: Floats
    relevance_coef: Floats  # (V + R,)
    relevance_intercept: float
    classes: list[str]
    event_coef: Floats  # (K, V + R)
    event_intercept: Floats  # (K,)
    info: dict[str, Any] = field(default_factory=dict)
    _index: dict[str, int] = field(default_factory=dict, repr=False)
    _terms: TermIndex | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self._index = {term: i for i, term in enumerate(self.vocabulary)}
        self._terms = TermIndex(self.vocabulary)

    @property
    def width(self) -> int:
        return len(self.vocabulary) + len(RULE_FEATURES)

    # -- vectors -----------------------------------------------------------------------------------
    def sparse_text(self, features: ArticleFeatures) -> tuple[NDArray[np.int64], Floats]:
        """Indices and l2-normalised sublinear tf-idf values of the article's known text features."""
        index = self._index
        known = [(j, count) for term, count in features.text.items() if (j := index.get(term)) is not None]
        positions = np.fromiter((j for j, _ in known), dtype=np.int64, count=len(known))
        counts = np.fromiter((c for _, c in known), dtype=np.float32, count=len(known))
        return self._weigh(positions, counts)

    def sparse_normalized(self, normalized: Sequence[str]) -> tuple[NDArray[np.int64], Floats]:
        """:meth:`sparse_text` of ``article_features(normalized, …)``, found without building the features."""
        assert self._terms is not None
        found = np.fromiter(self._terms.positions(normalized), dtype=np.int64)
        positions, counts = np.unique(found[found >= 0], return_counts=True)
        return self._weigh(positions, counts.astype(np.float32))

    def _weigh(self, positions: NDArray[np.int64], counts: Floats) -> tuple[NDArray[np.int64], Floats]:
        if not positions.size:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        values = (1.0 + np.log(counts)) * self.idf[positions]
        norm = float(np.sqrt(np.dot(values, values)))
        return positions, (values / norm if norm else values).astype(np.float32)

    def dense_rules(self, features: ArticleFeatures | tuple[float, ...]) -> Floats:
        values = features.rules if isinstance(features, ArticleFeatures) else features
        raw = np.asarray(values, dtype=np.float32)
        return ((raw - self.rule_mean) / self.rule_scale).astype(np.float32)

    # -- prediction --------------------------------------------------------------------------------
    def predict(self, features: ArticleFeatures, *, evidence: int = 6) -> Prediction:
        positions, values = self.sparse_text(features)
        return self._predict(positions, values, self.dense_rules(features), evidence)

    def predict_normalized(
        self, normalized: Sequence[str], finding: Finding, *, evidence: int = 6
    ) -> Prediction:
        """:meth:`predict` of an article's normalised title and sentences and its rule finding (fast path)."""
        positions, values = self.sparse_normalized(normalized)
        return self._predict(positions, values, self.dense_rules(rule_values(finding)), evidence)

    def _predict(
        self, positions: NDArray[np.int64], values: Floats, dense: Floats, evidence: int
    ) -> Prediction:
        vocab = len(self.vocabulary)
        rel_parts = np.concatenate(
            [self.relevance_coef[positions] * values, self.relevance_coef[vocab:] * dense]
        )
        logit = float(rel_parts.sum()) + self.relevance_intercept
        relevance = 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, logit))))

        scores = (
            self.event_coef[:, positions] @ values + self.event_coef[:, vocab:] @ dense + self.event_intercept
        )
        scores = scores - scores.max()
        probs = np.exp(scores)
        probs /= probs.sum()
        best = int(np.argmax(probs))
        ev_parts = np.concatenate(
            [self.event_coef[best, positions] * values, self.event_coef[best, vocab:] * dense]
        )

        def name(i: int) -> str:
            return (
                self.vocabulary[int(positions[i])]
                if i < positions.size
                else RULE_FEATURES[i - positions.size]
            )

        return Prediction(
            relevance=relevance,
            event_type=self.classes[best] if self.classes else None,
            event_confidence=float(probs[best]),
            type_probabilities={c: round(p, 4) for c, p in zip(self.classes, probs.tolist(), strict=True)},
            relevance_evidence=_top(name, rel_parts, evidence),
            event_evidence=_top(name, ev_parts, evidence),
        )

    # -- storage -----------------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": self.version,
            "info": self.info,
            "vocabulary": self.vocabulary,
            "rule_features": list(RULE_FEATURES),
            "idf": encode(self.idf),
            "rule_mean": encode(self.rule_mean),
            "rule_scale": encode(self.rule_scale),
            "relevance": {"coef": encode(self.relevance_coef), "intercept": self.relevance_intercept},
            "event_type": {
                "classes": self.classes,
                "coef": encode(self.event_coef),
                "intercept": encode(self.event_intercept),
            },
        }

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(
            json.dumps(self.to_json(), ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
        )
        tmp.replace(path)

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> NewsModel:
        if doc.get("format") != FORMAT:
            raise ModelError(f"unknown model format {doc.get('format')!r} (expected {FORMAT})")
        if list(doc.get("rule_features", [])) != list(RULE_FEATURES):
            raise ModelError(
                "the model was trained on other rule features; retrain it with `waspada media train`"
            )
        try:
            vocab = [str(t) for t in doc["vocabulary"]]
            classes = [str(c) for c in doc["event_type"]["classes"]]
            width = len(vocab) + len(RULE_FEATURES)
            rules = len(RULE_FEATURES)
            return cls(
                version=str(doc["version"]),
                vocabulary=vocab,
                idf=decode(doc["idf"], (len(vocab),)),
                rule_mean=decode(doc["rule_mean"], (rules,)),
                rule_scale=decode(doc["rule_scale"], (rules,)),
                relevance_coef=decode(doc["relevance"]["coef"], (width,)),
                relevance_intercept=float(doc["relevance"]["intercept"]),
                classes=classes,
                event_coef=decode(doc["event_type"]["coef"], (len(classes), width)),
                event_intercept=decode(doc["event_type"]["intercept"], (len(classes),)),
                info=dict(doc.get("info") or {}),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"incomplete model document: {exc}") from None


def _top(name: Callable[[int], str], parts: Floats, n: int) -> list[tuple[str, float]]:
    order = np.argsort(-parts, kind="stable")[:n].tolist()
    return [(name(i), round(float(parts[i]), 3)) for i in order if parts[i] > 0]


def load_model(path: Path) -> NewsModel:
    """Read a model file; :class:`ModelError` names what is wrong with it."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ModelError(f"{path}: {exc.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{path}: not a JSON model file ({exc})") from None
    if not isinstance(doc, dict):
        raise ModelError(f"{path}: not a JSON model file")
    return NewsModel.from_json(doc)


@lru_cache(maxsize=1)
def shipped_model() -> NewsModel | None:
    """The model that ships with Waspada, or None before one has been trained."""
    return load_model(SHIPPED_MODEL) if SHIPPED_MODEL.is_file() else None
