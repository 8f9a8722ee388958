"""The fast paths of the news analysis give exactly what their plain definitions give.

Each fast path (trie patterns, one-pass normalisation, translate-and-split tokens, vocabulary lookups)
is checked against the straightforward code it replaces, on the corpus and on generated text.
"""

from __future__ import annotations

import random
import re

import numpy as np
import pytest

from waspada.nlp import normalize
from waspada.nlp.features import article_features
from waspada.nlp.labelled import load_corpus
from waspada.nlp.model import shipped_model
from waspada.nlp.normalize import normalize_lines, split_sentences, strip_noise
from waspada.nlp.phrases import phrase_pattern
from waspada.nlp.places import _TOKEN, _Words
from waspada.nlp.rules import score_normalized


def longest_first(phrases: list[str]) -> re.Pattern[str]:
    ordered = sorted(phrases, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in ordered) + r")\b")


@pytest.fixture(scope="module")
def corpus_lines() -> list[list[str]]:
    return [[a["title"], *split_sentences(strip_noise(a["text"]))] for a in load_corpus()]


@pytest.mark.parametrize(
    "phrases",
    [
        ["a", "ab", "abc"],
        ["bentrok", "bentrokan", "bentrok antarpendukung"],
        ["bagi-bagi uang", "bagi"],
        ["x.y", "x", "(kpu)"],
        ["luka", "luka-luka", "terluka"],
    ],
)
def test_a_trie_pattern_matches_what_the_longest_first_alternation_matches(phrases: list[str]) -> None:
    rnd = random.Random(7)
    pieces = [*phrases, " ", "-", ".", "c", "ab", "bentrokan massa", "(kpu)", "a.b"]
    fast, plain = phrase_pattern(phrases), longest_first(phrases)
    for _ in range(3000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 8)))
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)], text


def test_a_trie_pattern_can_capture_the_phrase() -> None:
    match = phrase_pattern(["ricuh", "kericuhan"], group=True).search("terjadi kericuhan di TPS")
    assert match is not None and match.group(1) == "kericuhan"


def plain_normalize(text: str) -> str:
    return " ".join(normalize._regex_words(normalize._fold(text).casefold()))


def test_one_pass_normalisation_equals_the_word_pattern_on_the_corpus(corpus_lines: list[list[str]]) -> None:
    for lines in corpus_lines:
        assert normalize_lines(lines) == [plain_normalize(line) for line in lines]


def test_one_pass_normalisation_equals_the_word_pattern_on_awkward_text() -> None:
    rnd = random.Random(11)
    pieces = [
        *"abKAB09 .-\u2013\u2014'\u2019\n\t,:;()/\"\u201c\u201d\u00e9\u00bd\u2022",
        "Kab.",
        "paslon",
        "ricuh2",
    ]
    pieces += ["sei-", "-tj", "a--b", "x-y-z", "Tj.", "GAK", "hoax"]
    for _ in range(20_000):
        lines = [
            "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 12))) for _ in range(rnd.randint(1, 3))
        ]
        assert normalize_lines(lines) == [plain_normalize(line) for line in lines], lines


def test_normalisation_of_no_lines_is_no_lines() -> None:
    assert normalize_lines([]) == []
    assert normalize_lines(["", "Kab. Nunukan"]) == ["", "kabupaten nunukan"]


def test_translate_and_split_tokens_equal_the_word_pattern() -> None:
    rnd = random.Random(3)
    pieces = [
        *"abcXYZ09 _-.,\n\t\u2013\u201c\u201d\u00e9\u2019\u2022\u00bd\u00b2\u00a0",
        "Nunukan",
        "Sei",
        "Ma'rang",
    ]
    for _ in range(20_000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 20)))
        words = _Words(text)
        assert list(zip(words.tokens, words.starts, strict=True)) == [
            (m.group(), m.start()) for m in _TOKEN.finditer(text)
        ], text
        for i, token in enumerate(words.tokens):
            assert text[words.start(i) : words.end(i)] == token


def test_vocabulary_lookups_give_the_vector_of_the_counted_features(corpus_lines: list[list[str]]) -> None:
    model = shipped_model()
    assert model is not None
    for lines in corpus_lines[::3]:
        normalized = normalize_lines(lines)
        features = article_features(normalized, score_normalized(normalized))
        slow_positions, slow_values = model.sparse_text(features)
        fast_positions, fast_values = model.sparse_normalized(normalized)
        order = np.argsort(slow_positions)
        assert slow_positions[order].tolist() == fast_positions.tolist()
        assert np.allclose(slow_values[order], fast_values, atol=1e-6)
