"""Normalisation of Indonesian news text: case, punctuation, abbreviations and informal spellings.

:func:`normalize_text` returns lower-case text whose words are separated by single spaces, with common
abbreviations expanded ("Kab." -> "kabupaten", "Sei" -> "sungai", "gak" -> "tidak") so that the keyword
rules match one spelling. :func:`split_sentences` keeps the original text for evidence.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import Final

from .phrases import phrase_pattern

__all__ = ["ABBREVIATIONS", "normalize_lines", "normalize_text", "split_sentences", "strip_noise", "words"]

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
    "tak": "tidak",
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

#: Dashes, curly quotes and apostrophes folded to one spelling ("Ma'rang" -> "Marang").
_FOLD: Final[dict[str, str]] = {
    **dict.fromkeys("\u2013\u2014\u2012\u2015", "-"),
    **dict.fromkeys("\u201c\u201d", '"'),
    **dict.fromkeys("'\u2018\u2019\u02bc`\u00b4", ""),
}
_WORD: Final = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
#: A sentence ends at white space after ". ! ? \"" before a capital, a blank line, or a line break before a
#: capital. Every branch starts with white space, written first so that ``re`` only tries there.
_SENTENCE_END: Final = re.compile(
    r"\s(?:(?<=[.!?\"\u201d]\s)\s*(?=[\"\u201c(]?[A-Z0-9])|(?<=\n)\s*\n|(?<=\n)(?=[A-Z]))"
)


#: Lines of a news page that are not the story: links to other stories, credits, app and feed
#: invitations, advertisement markers, agency initials. A credit needs its colon ("Sumber:"), so that
#: "Sumber di kepolisian menyebutkan …" and a dateline "SUMBER -" (a kecamatan of Cirebon) stay.
_NOISE_LINE: Final = re.compile(
    r"""^[ \t]*(?:
        (?:baca|simak|lihat|tonton|cek)\ (?:juga|selengkapnya)\b
      | (?:editor|penulis|sumber|reporter|pewarta|fotografer|redaktur|penyunting)\s*:
      | laporan\ wartawan\b
      | simak\ (?:berita|breaking\ news|artikel|update|video)\b
      | (?:ikuti|dapatkan|download|unduh|gabung)\ (?:berita|update|informasi|aplikasi|kami|di|juga|sekarang)\b
      | artikel\ ini\ (?:telah|sudah)\ (?:tayang|terbit|dimuat)\b
      | advertisement[ \t]*$
      | scroll\ to\ continue\b
      | \([a-z]{2,5}(?:/[a-z0-9]{2,5})+\)[ \t.]*$
    ).*$""",
    re.I | re.M | re.X,
)


def strip_noise(text: str) -> str:
    """Drop "Baca Juga: …" links and editor/author lines, which name unrelated places and events."""
    return _NOISE_LINE.sub("", text)


def _fold(text: str) -> str:
    # str.replace per character is many times faster than str.translate on long non-ASCII text.
    if text.isascii():
        return text.replace("'", "").replace("`", "") if "'" in text or "`" in text else text
    for char, into in _FOLD.items():
        if char in text:
            text = text.replace(char, into)
    return text if text.isascii() else _NON_ASCII.sub(_plain, text)


_NON_ASCII: Final = re.compile(r"[^\x00-\x7f]+")


@lru_cache(maxsize=4096)
def _plain_run(run: str) -> str:
    decomposed = unicodedata.normalize("NFKD", run)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _plain(match: re.Match[str]) -> str:
    """Accents and other marks dropped from a run of non-ASCII characters ("é" -> "e")."""
    return _plain_run(match.group())


_ABBREVIATION: Final = phrase_pattern(ABBREVIATIONS)
#: ASCII punctuation and spaces become one space; letters, digits, hyphens and newlines stay.
_ASCII_SEPARATORS: Final = str.maketrans(
    {c: " " for c in map(chr, range(128)) if not (c.isalnum() or c in "-\n")}
)


def _expand(match: re.Match[str]) -> str:
    return ABBREVIATIONS[match.group()]


def _regex_words(text: str) -> list[str]:
    """The definition of the words of folded, lower-case text (any script); see :func:`words`."""
    return _WORD.findall(_ABBREVIATION.sub(_expand, text))


def _ascii_line_words(line: str) -> list[str]:
    """:func:`_regex_words` of one line of folded ASCII text whose punctuation is already spaces."""
    tokens = line.split()
    if "-" not in line:
        return list(map(ABBREVIATIONS.get, tokens, tokens))
    out: list[str] = []
    for token in tokens:
        if "-" in token:  # "luka-luka" stays one word, a stray hyphen goes: the regex decides
            out.extend(_regex_words(token))
        else:
            out.append(ABBREVIATIONS.get(token, token))
    return out


def words(text: str) -> list[str]:
    """Lower-case words of ``text`` with abbreviations expanded; "bagi-bagi" stays one word."""
    return normalize_text(text).split()


def normalize_text(text: str) -> str:
    """One space-separated lower-case line of normalised words (see :func:`words`)."""
    return normalize_lines([text])[0]


def normalize_lines(lines: Sequence[str]) -> list[str]:
    """The normalised text of each line, in one pass over the joined lines.

    Folded ASCII text (nearly all news) is split by ``str.translate`` and ``str.split``, many times faster
    than the word pattern; text that keeps other characters goes through the pattern itself.
    """
    if not lines:
        return []
    text = _fold("\n".join(line.replace("\n", " ") for line in lines)).casefold()
    if text.isascii():
        return [" ".join(_ascii_line_words(line)) for line in text.translate(_ASCII_SEPARATORS).split("\n")]
    return [" ".join(_regex_words(line)) for line in text.split("\n")]


def split_sentences(text: str) -> list[str]:
    """Split ``text`` into sentences (and headlines/paragraph lines), stripped and non-empty."""
    parts = _SENTENCE_END.split(text.replace("\r\n", "\n"))
    return [p.strip() for p in parts if p and p.strip()]
