"""The features the news model reads from one article: words, word pairs, title words and rule signals.

Pure and shared by training and inference, so that a model always sees the features it was trained on.
Text features are counts (``w:`` body word, ``b:`` body word pair, ``t:`` title word); rule features
(``r:``) are the transparent scorer's signals of :mod:`waspada.nlp.rules`: its relevance score, each event
type's keyword score, the election context and the hard-negative cues it found.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, filterfalse, repeat
from typing import Final

from waspada.taxonomy import EVENT_TYPES

from .rules import Finding

__all__ = ["RULE_FEATURES", "ArticleFeatures", "TermIndex", "article_features", "rule_values"]

#: Very common words carry no signal and only grow the vocabulary.
_STOP: Final = frozenset(
    [
        "yang",
        "dan",
        "di",
        "ke",
        "dari",
        "ini",
        "itu",
        "dengan",
        "untuk",
        "pada",
        "dalam",
        "tidak",
        "akan",
        "juga",
        "oleh",
        "sudah",
        "ada",
        "atau",
        "karena",
        "kata",
        "ia",
        "mereka",
        "kami",
        "kita",
        "saat",
        "para",
        "tersebut",
        "telah",
        "bahwa",
        "agar",
        "bisa",
        "lebih",
        "masih",
        "hal",
        "menjadi",
        "dia",
        "serta",
        "namun",
        "hingga",
        "sebagai",
        "secara",
        "setelah",
        "sejak",
        "seperti",
        "sementara",
        "lalu",
        "pun",
        "nya",
        "adalah",
    ]
)
_CUE_KINDS: Final = ("meeting", "drill", "sport")
_SEPARATOR: Final = " \x00 "
#: The dense rule features, in a fixed order.
RULE_FEATURES: Final[tuple[str, ...]] = (
    "r:relevance",
    "r:context",
    "r:hits",
    "r:strong_hits",
    "r:negated",
    *(f"r:cue:{kind}" for kind in _CUE_KINDS),
    *(f"r:type:{et.code}" for et in EVENT_TYPES if et.code != "other"),
)


@dataclass(frozen=True, slots=True)
class ArticleFeatures:
    """Sparse text counts and the dense rule signals (in :data:`RULE_FEATURES` order)."""

    text: Mapping[str, float]
    rules: tuple[float, ...]


def _content_words(sentence: str) -> list[str]:
    return [w for w in sentence.split() if w not in _STOP and not w.isdigit()]


def article_features(normalized: Sequence[str], finding: Finding) -> ArticleFeatures:
    """Features of an article given its normalised title and sentences (title first) and the rule finding."""
    text: Counter[str] = Counter()
    for idx, sentence in enumerate(normalized):
        tokens = _content_words(sentence)
        text.update(["w:" + t for t in tokens])
        if idx == 0:
            text.update(["t:" + t for t in tokens])
        text.update([f"b:{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)])
    return ArticleFeatures(text=text, rules=rule_values(finding))


def rule_values(finding: Finding) -> tuple[float, ...]:
    """The dense rule features of a finding, in :data:`RULE_FEATURES` order."""
    cues = {cue.split(":", 1)[0] for cue in finding.negative_cues}
    negated = sum(1 for h in finding.hits if h.cue and h.cue.startswith("negation"))
    strong = sum(1 for h in finding.hits if h.weight >= 0.5)
    return (
        finding.relevance_score,
        1.0 if finding.election_context else 0.0,
        math.log1p(len(finding.hits)),
        math.log1p(strong),
        math.log1p(negated),
        *(1.0 if kind in cues else 0.0 for kind in _CUE_KINDS),
        *(math.log1p(finding.type_scores.get(et.code, 0.0)) for et in EVENT_TYPES if et.code != "other"),
    )


class TermIndex:
    """A vocabulary of text features split by kind, to find an article's known features fast.

    :meth:`positions` gives, for every occurrence of a vocabulary term in the article, its position in the
    vocabulary: the same terms, counted the same way, as :func:`article_features`, without building a
    string per word.
    """

    __slots__ = ("pairs", "titles", "words")

    def __init__(self, vocabulary: Sequence[str]) -> None:
        self.words: dict[str, int] = {}
        self.titles: dict[str, int] = {}
        self.pairs: dict[str, int] = {}
        kinds = {"w": self.words, "t": self.titles, "b": self.pairs}
        for j, term in enumerate(vocabulary):
            kind, _, rest = term.partition(":")
            if kind in kinds:
                kinds[kind][rest] = j

    def positions(self, normalized: Sequence[str]) -> Iterator[int]:
        """Vocabulary positions of the article's terms, one per occurrence, -1 for unknown terms."""
        if not normalized:
            return iter(())
        # All sentences at once; the separator is no vocabulary word, so no pair crosses a sentence.
        tokens = list(
            filterfalse(str.isdigit, filterfalse(_STOP.__contains__, _SEPARATOR.join(normalized).split()))
        )
        title = _content_words(normalized[0])
        return chain(
            map(self.words.get, tokens, repeat(-1)),
            map(self.titles.get, title, repeat(-1)),
            map(self.pairs.get, map(" ".join, zip(tokens, tokens[1:], strict=False)), repeat(-1)),
        )
