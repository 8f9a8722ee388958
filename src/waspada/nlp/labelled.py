"""The project's labelled news corpus and its fixed held-out test split.

The corpus (``corpus/*.jsonl``) holds realistic Indonesian news articles written by the project in its own
words, each with ``labels``: ``relevant``, ``event_type``, ``location_code``, ``kabkota_code``, ``killed``,
``injured``, ``event_date`` and, for hard negatives, their kind. ``corpus/held_out_ids.txt`` lists the held-out
test articles: chosen once, stratified by label, and never trained on. Articles added later go to training
unless their ids are added to that list.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Final

__all__ = ["CORPUS_DIR", "CorpusError", "choose_test_ids", "load_corpus", "split_corpus", "held_out_ids"]

CORPUS_DIR: Final = Path(__file__).with_name("corpus")
HELD_OUT_IDS: Final = CORPUS_DIR / "held_out_ids.txt"


class CorpusError(ValueError):
    """A corpus line that cannot be used, naming the file and line."""


def load_corpus(directory: Path = CORPUS_DIR) -> list[dict[str, Any]]:
    """Every article of every ``*.jsonl`` file in ``directory``, in file then line order."""
    articles: list[dict[str, Any]] = []
    seen: set[str] = set()
    for path in sorted(directory.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                article = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CorpusError(f"{path.name}, line {number}: not JSON ({exc.msg})") from None
            if not isinstance(article, dict) or not isinstance(article.get("labels"), dict):
                raise CorpusError(f"{path.name}, line {number}: an object with 'labels' is expected")
            if not isinstance(article.get("text"), str) or not article["text"].strip():
                raise CorpusError(f"{path.name}, line {number}: 'text' is missing")
            ident = str(article.get("id"))
            if ident in seen:
                raise CorpusError(f"{path.name}, line {number}: id {ident} appears twice")
            seen.add(ident)
            articles.append(article)
    return articles


def stratum(article: dict[str, Any]) -> str:
    labels = article["labels"]
    if labels.get("relevant"):
        return str(labels.get("event_type"))
    return "negative:" + str(labels.get("hard_negative") or "other")


def _rank(ident: str) -> str:
    return hashlib.sha1(ident.encode("utf-8")).hexdigest()


def choose_test_ids(articles: Iterable[dict[str, Any]], share: float = 0.2) -> list[str]:
    """A stratified, deterministic choice of test ids: per label, the ``share`` with the lowest hashes."""
    groups: dict[str, list[str]] = {}
    for article in articles:
        groups.setdefault(stratum(article), []).append(str(article["id"]))
    chosen: list[str] = []
    for ids in groups.values():
        ids.sort(key=_rank)
        chosen.extend(ids[: max(1, round(len(ids) * share))])
    return sorted(chosen)


def held_out_ids(path: Path = HELD_OUT_IDS) -> frozenset[str]:
    if not path.is_file():
        return frozenset()
    return frozenset(line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


def split_corpus(
    articles: list[dict[str, Any]], held_out: frozenset[str] | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(train, test) by the fixed list of test ids."""
    held = held_out_ids() if held_out is None else held_out
    train = [a for a in articles if str(a["id"]) not in held]
    test = [a for a in articles if str(a["id"]) in held]
    return train, test
