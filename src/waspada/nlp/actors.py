"""Actors named in an article, coded with the actor list of :mod:`waspada.taxonomy`."""

from __future__ import annotations

import re
from itertools import compress, count
from typing import Final

__all__ = ["ACTOR_PHRASES", "find_actors"]

#: Actor code -> phrases in normalised spelling (see :func:`waspada.nlp.normalize.normalize_text`).
ACTOR_PHRASES: Final[dict[str, tuple[str, ...]]] = {
    "kpu_staff": ("kpu", "kpud", "ppk", "pps", "kpps", "petugas pemungutan", "komisioner kpu"),
    "bawaslu": ("bawaslu", "panwascam", "panwaslu", "pengawas tps", "pengawas pemilu", "gakkumdu"),
    "paslon_supporters": ("pendukung", "simpatisan", "relawan", "loyalis", "antarpendukung"),
    "candidate_team": ("tim pemenangan", "tim kampanye", "tim sukses", "timses", "saksi pasangan calon"),
    "police": ("polisi", "polri", "polres", "polda", "polsek", "kapolres", "kapolda", "kapolsek", "brimob"),
    "military": ("tni", "kodim", "korem", "koramil", "dandim", "danrem", "babinsa", "prajurit"),
    "government": (
        "bupati",
        "wali kota",
        "walikota",
        "gubernur",
        "pemkab",
        "pemkot",
        "pemprov",
        "camat",
        "lurah",
    ),
    "ormas": ("organisasi kemasyarakatan", "laskar"),
    "adat_group": ("adat", "dayak", "tidung", "lembaga adat", "masyarakat adat", "kepala suku"),
    "religious_group": ("jemaat", "santri", "ulama", "pemuka agama"),
    "civilians": ("warga", "pemilih", "penduduk", "masyarakat"),
}
_PHRASE_CODE: Final = {p: code for code, phrases in ACTOR_PHRASES.items() for p in phrases}
_LONGEST: Final[dict[str, int]] = {}
for _phrase in _PHRASE_CODE:
    _first = _phrase.split()[0]
    _LONGEST[_first] = max(_LONGEST.get(_first, 0), _phrase.count(" ") + 1)
_PASLON_NUMBER: Final = re.compile(
    r"\b(?:pasangan calon|calon|paslon)(?: nomor)?(?: urut)? (\d{1,2})"
    r"(?: (?:dan|dengan|vs|versus) (?:nomor )?(?:urut )?(\d{1,2}))?\b"
)


def find_actors(normalized: str) -> list[dict[str, object]]:
    """Actors in text order of first mention: ``{"type": code, "mention": words[, "paslon": [n, …]]}``."""
    words = normalized.split()
    found: list[dict[str, object]] = []
    seen: set[str] = set()
    # Only words that start an actor phrase matter; the C-level filter finds them without a Python loop.
    for i in compress(count(), map(_LONGEST.__contains__, words)):
        word = words[i]
        for size in range(_LONGEST[word], 0, -1):
            phrase = " ".join(words[i : i + size]) if size > 1 else word
            code = _PHRASE_CODE.get(phrase)
            if code is None or code in seen:
                continue
            seen.add(code)
            actor: dict[str, object] = {"type": code, "mention": phrase}
            if code == "paslon_supporters":
                numbers = sorted({int(n) for pair in _PASLON_NUMBER.findall(normalized) for n in pair if n})
                if numbers:
                    actor["paslon"] = numbers
            found.append(actor)
            break
    return found
