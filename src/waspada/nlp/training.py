"""Training the news model with scikit-learn: logistic regression for relevance and for event type.

Features come from :mod:`.features` (the same code inference uses). The text part is sublinear tf-idf
with l2 norm over a vocabulary of words and word pairs seen in at least two training articles; the rule
part is standardised. The regularisation strength of each model is chosen by cross-validation on the
training articles only; the held-out test split is never seen here.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse

from .features import RULE_FEATURES, ArticleFeatures
from .model import NewsModel
from .pipeline import featurize

__all__ = ["TrainingResult", "train"]

MIN_DF = 2
MAX_VOCABULARY = 12_000
C_GRID = (0.3, 1.0, 3.0, 10.0, 30.0, 100.0)


@dataclass(frozen=True, slots=True)
class TrainingResult:
    model: NewsModel
    relevance_c: float
    event_c: float
    cv_relevance_f1: float
    cv_event_macro_f1: float


def _vocabulary(feats: Sequence[ArticleFeatures]) -> tuple[list[str], np.ndarray]:
    df: dict[str, int] = {}
    for f in feats:
        for term in f.text:
            df[term] = df.get(term, 0) + 1
    kept = [t for t, n in df.items() if n >= MIN_DF]
    kept.sort(key=lambda t: (-df[t], t))
    kept = sorted(kept[:MAX_VOCABULARY])
    n = len(feats)
    idf = np.asarray([math.log((1 + n) / (1 + df[t])) + 1.0 for t in kept], dtype=np.float32)
    return kept, idf


def _matrix(model: NewsModel, feats: Sequence[ArticleFeatures]) -> sparse.csr_matrix:
    rows, cols, vals = [], [], []
    vocab = len(model.vocabulary)
    for r, f in enumerate(feats):
        positions, values = model.sparse_text(f)
        dense = model.dense_rules(f)
        rows.extend([r] * (len(positions) + len(dense)))
        cols.extend(positions.tolist())
        cols.extend(range(vocab, vocab + len(dense)))
        vals.extend(values.tolist())
        vals.extend(dense.tolist())
    return sparse.csr_matrix((vals, (rows, cols)), shape=(len(feats), model.width), dtype=np.float64)


def _best_c(x: sparse.csr_matrix, y: np.ndarray, *, multiclass: bool) -> tuple[float, float]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    classes, counts = np.unique(y, return_counts=True)
    if len(classes) < 2:
        raise ValueError("training needs at least two classes with two articles each")
    folds = int(max(2, min(5, counts.min())))
    best = (C_GRID[0], -1.0)
    for c in C_GRID:
        clf = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
        pred = cross_val_predict(clf, x, y, cv=StratifiedKFold(folds, shuffle=True, random_state=7))
        value = float(f1_score(y, pred, average="macro" if multiclass else "binary"))
        if value > best[1] + 1e-9:
            best = (c, value)
    return best


def train(articles: Sequence[dict[str, Any]], *, version: str | None = None) -> TrainingResult:
    """Train on labelled articles (dicts with ``title``, ``text`` and ``labels``)."""
    from threadpoolctl import threadpool_limits

    # Small problems: one BLAS thread is many times faster than threads fighting over two cores.
    with threadpool_limits(limits=1):
        return _train(articles, version)


def _train(articles: Sequence[dict[str, Any]], version: str | None) -> TrainingResult:
    from sklearn.linear_model import LogisticRegression

    if not articles:
        raise ValueError("no training articles")
    feats = [featurize(a) for a in articles]
    vocabulary, idf = _vocabulary(feats)
    rules = np.asarray([f.rules for f in feats], dtype=np.float32)
    scale = rules.std(axis=0)
    scale[scale == 0] = 1.0
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    model = NewsModel(
        version=version or stamp.strftime("%Y%m%dT%H%M%SZ"),
        vocabulary=vocabulary,
        idf=idf,
        rule_mean=rules.mean(axis=0).astype(np.float32),
        rule_scale=scale.astype(np.float32),
        relevance_coef=np.zeros(len(vocabulary) + len(RULE_FEATURES), dtype=np.float32),
        relevance_intercept=0.0,
        classes=[],
        event_coef=np.zeros((0, len(vocabulary) + len(RULE_FEATURES)), dtype=np.float32),
        event_intercept=np.zeros(0, dtype=np.float32),
    )
    x = _matrix(model, feats)
    y_rel = np.asarray([bool(a["labels"].get("relevant")) for a in articles])
    if len(set(y_rel.tolist())) < 2:
        raise ValueError("training needs both relevant and not relevant articles")
    rel_c, rel_cv = _best_c(x, y_rel, multiclass=False)
    relevance = LogisticRegression(C=rel_c, max_iter=3000, class_weight="balanced").fit(x, y_rel)

    relevant_rows = np.flatnonzero(y_rel)
    y_type = np.asarray([str(articles[i]["labels"].get("event_type")) for i in relevant_rows.tolist()])
    types, counts = np.unique(y_type, return_counts=True)
    keep = np.isin(y_type, types[counts >= 2])  # a class seen once cannot be cross-validated
    x_type, y_type = x[relevant_rows[keep]], y_type[keep]
    ev_c, ev_cv = _best_c(x_type, y_type, multiclass=True)
    event = LogisticRegression(C=ev_c, max_iter=5000, class_weight="balanced").fit(x_type, y_type)

    model.relevance_coef = relevance.coef_[0].astype(np.float32)
    model.relevance_intercept = float(relevance.intercept_[0])
    model.classes = [str(c) for c in event.classes_]
    model.event_coef = event.coef_.astype(np.float32)
    model.event_intercept = event.intercept_.astype(np.float32)
    model.info = {
        "trained_at": stamp.isoformat(),
        "training_articles": len(articles),
        "relevant_articles": int(y_rel.sum()),
        "vocabulary": len(vocabulary),
        "relevance_c": rel_c,
        "event_c": ev_c,
        "cv_relevance_f1": round(rel_cv, 4),
        "cv_event_macro_f1": round(ev_cv, 4),
    }
    return TrainingResult(model, rel_c, ev_c, rel_cv, ev_cv)


def evaluate(model: NewsModel | None, articles: Sequence[dict[str, Any]], gazetteer: Any) -> Any:
    """Scores (:class:`waspada.nlp.evaluation.Scores`) of ``model`` (None: rules only) on ``articles``."""
    from .evaluation import score
    from .pipeline import analyse

    pairs = []
    for article in articles:
        # No province focus: the external evaluation's articles do not carry one either.
        out = analyse(article, gazetteer=gazetteer, model=model, rules_only=model is None)
        pairs.append((article["labels"], out))
    return score(pairs)
