"""Normalisation of Indonesian news text: case, punctuation, abbreviations and informal spellings.

:func:`normalize_text` returns lower-case text whose words are separated by single spaces, with common
abbreviations expanded ("Kab." -> "kabupaten", "Sei" -> "sungai", "gak" -> "tidak") so that the keyword
rules match one spelling. :func:`split_sentences` keeps the original text for evidence.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

__all__ = ["ABBREVIATIONS", "normalize_text", "split_sentences", "strip_noise", "words"]

#: Abbreviation or informal spelling -> normalised words. Keys are lower case, without the dot.
ABBREVIATIONS: Final[dict[str, str]] = {
    "kab": "kabupaten",
    "kec": "kecamatan",
    "kel": "kelurahan",
    "ds": "desa",
    "prov": "provinsi",
    "sei": "sungai",
    "tj": "tanjung",
    "tg": "tanjung",
    "jl": "jalan",
    "paslon": "pasangan calon",
    "cabup": "calon bupati",
    "cawabup": "calon wakil bupati",
    "cagub": "calon gubernur",
    "cawagub": "calon wakil gubernur",
    "cawalkot": "calon wali kota",
    "pilbup": "pilkada",
    "pilgub": "pilkada",
    "pilwalkot": "pilkada",
    "ormas": "organisasi kemasyarakatan",
    "kpps": "kpps",
    "tps": "tps",
    "kpu": "kpu",
    "bawaslu": "bawaslu",
    "polres": "polres",
    "polresta": "polres",
    "polda": "polda",
    "gak": "tidak",
    "nggak": "tidak",
    "enggak": "tidak",
    "ga": "tidak",
    "tdk": "tidak",
    "yg": "yang",
    "dgn": "dengan",
    "utk": "untuk",
    "krn": "karena",
    "sdh": "sudah",
    "udah": "sudah",
    "blm": "belum",
    "hoax": "hoaks",
    "hoak": "hoaks",
    "ricuh2": "ricuh",
    "bentrokkan": "bentrokan",
}

_FOLD: Final = {
    **dict.fromkeys(map(ord, "\u2013\u2014\u2012\u2015"), "-"),
    **dict.fromkeys(map(ord, "\u201c\u201d"), '"'),
    **dict.fromkeys(map(ord, "'\u2018\u2019\u02bc`\u00b4"), None),
}
_WORD: Final = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_SENTENCE_END: Final = re.compile(r"(?<=[.!?\"\u201d])\s+(?=[\"\u201c(]?[A-Z0-9])|\n\s*\n|\n(?=[A-Z])")


_NOISE_LINE: Final = re.compile(
    r"^\s*(?:baca juga|simak juga|lihat juga|baca selengkapnya|editor|penulis|sumber)\b.*$", re.I | re.M
)


def strip_noise(text: str) -> str:
    """Drop "Baca Juga: …" links and editor/author lines, which name unrelated places and events."""
    return _NOISE_LINE.sub("", text)


def _fold(text: str) -> str:
    text = text.translate(_FOLD)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text


_ABBREVIATION: Final = re.compile(r"\b(?:" + "|".join(sorted(ABBREVIATIONS, key=len, reverse=True)) + r")\b")


def _expand(match: re.Match[str]) -> str:
    return ABBREVIATIONS[match.group()]


def words(text: str) -> list[str]:
    """Lower-case words of ``text`` with abbreviations expanded; "bagi-bagi" stays one word."""
    return _WORD.findall(_ABBREVIATION.sub(_expand, _fold(text).casefold()))


def normalize_text(text: str) -> str:
    """One space-separated lower-case line of normalised words (see :func:`words`)."""
    return " ".join(words(text))


def split_sentences(text: str) -> list[str]:
    """Split ``text`` into sentences (and headlines/paragraph lines), stripped and non-empty."""
    parts = _SENTENCE_END.split(text.replace("\r\n", "\n"))
    return [p.strip() for p in parts if p and p.strip()]
