"""Impact of an event: people killed and injured, buildings burnt or damaged, with Indonesian numbers.

Counts are read from normalised text ("dua orang tewas", "3 warga luka-luka", "puluhan rumah dibakar").
Vague quantities take a conservative value: "puluhan" 20, "belasan" 11, "ratusan" 200, "seorang" 1.
"""

from __future__ import annotations

import re
from typing import Final

from .phrases import trie_alternation

__all__ = ["NUMBER_WORDS", "find_impact", "parse_number"]

NUMBER_WORDS: Final[dict[str, int]] = {
    "satu": 1, "seorang": 1, "sebuah": 1, "se": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6,
    "tujuh": 7, "delapan": 8, "sembilan": 9, "sepuluh": 10, "sebelas": 11, "belasan": 11, "puluhan": 20,
    "ratusan": 200, "dua belas": 12, "tiga belas": 13, "dua puluh": 20, "tiga puluh": 30,
}  # fmt: skip
_NUM: Final = (
    r"(\d{1,4}|dua belas|tiga belas|dua puluh|tiga puluh|"
    + "|".join(sorted((w for w in NUMBER_WORDS if " " not in w), key=len, reverse=True))
    + ")"
)
_FILLER: Final = r"(?: (?!" + _NUM + r"\b)[a-z]+){0,2}?"
_NOUN: Final = (
    r"(?: (?:orang|warga|korban|petugas|anggota|pendukung|massa|polisi|personel|pemuda|simpatisan)){0,2}"
)
_KILLED: Final = re.compile(rf"\b{_NUM}{_NOUN}{_FILLER} (?:tewas|meninggal(?: dunia)?|terbunuh)\b")
_INJURED: Final = re.compile(
    rf"\b{_NUM}{_NOUN}{_FILLER} (?:luka-luka|luka|terluka|cedera|dirawat|terkena lemparan)\b"
)
_BUILDINGS: Final = re.compile(
    rf"\b{_NUM}? ?(?:unit )?(rumah|kantor|rumah warga|kendaraan|mobil|sepeda motor|posko|gedung)"
    r"(?: [a-z]+){0,3}? (dibakar|terbakar|dirusak|rusak)\b"
)


def parse_number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return NUMBER_WORDS.get(word)


#: Words around which the patterns look (a word start, not a whole word: "luka" finds "luka-luka").
_TRIGGER: Final = re.compile(
    r"\b"
    + trie_alternation(
        (
            "tewas",
            "meninggal",
            "terbunuh",
            "luka",
            "terluka",
            "cedera",
            "dirawat",
            "terkena",
            "dibakar",
            "terbakar",
            "dirusak",
            "rusak",
        )
    )
)


def _windows(text: str) -> list[str]:
    """The stretches of text around impact words: the patterns only need to look there."""
    return [text[max(0, m.start() - 80) : m.end() + 10] for m in _TRIGGER.finditer(text)]


def _max_count(pattern: re.Pattern[str], windows: list[str], evidence: list[str]) -> int | None:
    best: int | None = None
    for match in (m for w in windows for m in pattern.finditer(w)):
        value = parse_number(match.group(1))
        if value is not None and (best is None or value > best):
            best = value
            evidence.append(match.group(0))
    return best


def find_impact(normalized: str) -> dict[str, object]:
    """``{"killed": n|None, "injured": n|None, "buildings": [...], "evidence": [...]}``.

    None means the article does not say; the largest figure mentioned is kept (articles repeat and update).
    """
    evidence: list[str] = []
    windows = _windows(normalized)
    killed = _max_count(_KILLED, windows, evidence)
    injured = _max_count(_INJURED, windows, evidence)
    buildings: list[str] = []
    for match in (m for w in windows for m in _BUILDINGS.finditer(w)):
        found = f"{match.group(2)} {match.group(3)}"
        if match.group(0).strip() not in evidence:
            buildings.append(found)
            evidence.append(match.group(0).strip())
    return {"killed": killed, "injured": injured, "buildings": buildings, "evidence": evidence}
