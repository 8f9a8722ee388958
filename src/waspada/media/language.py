"""Is this text Indonesian? A function-word count, good enough to keep English (and other) articles out of
an analyser built for Indonesian news. Pure Python, no Django.

Function words ("yang", "dan", "di" … / "the", "and", "of" …) make up a large share of any running text
in their language and almost none in others, so their share decides reliably from about twenty words on.
Malay shares most Indonesian function words and is read as Indonesian (its news is close enough for the
analyser); a text too short to tell is "und" (undetermined).
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["MIN_WORDS", "guess_language"]

MIN_WORDS: Final = 20
_MIN_SHARE: Final = 0.06

_INDONESIAN: Final = frozenset(
    "yang dan di ke dari dengan untuk pada ini itu tidak akan dalam oleh adalah juga karena atau sudah "  # noqa: SIM905
    "telah para kepada bahwa saat tersebut mereka ada bisa lebih masih setelah sebagai menjadi hingga secara "
    "namun kata ujar tak belum agar serta sejumlah seorang sebuah antara usai sempat yakni pun kami kita".split()
)
_ENGLISH: Final = frozenset(
    "the and of to in is that for was with on as by at from are be this has have it were said not an which "  # noqa: SIM905
    "their after but or will been its who they had would there than about into also more over".split()
)
_OTHER: Final = {
    # a few common European languages, so a German or Dutch text is not "Indonesian by default"
    "nl": frozenset("de het een en van ik je dat niet zijn op met voor er maar om ook als bij".split()),  # noqa: SIM905
    "de": frozenset("der die das und ist nicht ein eine zu den von mit sich des auf für im dem auch".split()),  # noqa: SIM905
    "fr": frozenset("le la les et des est une un du en que qui dans pour pas sur au avec ce il".split()),  # noqa: SIM905
}
_WORD: Final = re.compile(r"[^\W\d_]+", re.UNICODE)


def guess_language(text: str) -> str:
    """``"id"``, ``"en"``, ``"nl"``, ``"de"``, ``"fr"`` or ``"und"`` (too short, or none of these)."""
    words = [w.lower() for w in _WORD.findall(text[:20_000])]
    if len(words) < MIN_WORDS:
        return "und"
    shares = {
        "id": sum(w in _INDONESIAN for w in words) / len(words),
        "en": sum(w in _ENGLISH for w in words) / len(words),
    }
    for code, vocabulary in _OTHER.items():
        shares[code] = sum(w in vocabulary for w in words) / len(words)
    best = max(shares, key=lambda code: shares[code])
    return best if shares[best] >= _MIN_SHARE else "und"
