"""The dateline that opens a news article body: the city it was filed from, and the outlet beside it.

Indonesian outlets write it in several ways; each form below is tried in turn at the start of the body::

    TRIBUNKALTARA.COM, TARAKAN -          outlet first (a web address), then the city
    Liputan6.com, Jayapura:
    Nunukan (ANTARA) -                    the city, then the agency in brackets
    TANJUNG SELOR, KaltaraNews.id –       the city in capitals, then the outlet
    NUNUKAN, KOMPAS -
    Tarakan, Kaltaranews.id -             a city in title case, then a web address
    Tarakan –                             a city in title case alone

:func:`find_dateline` gives the span of the city (a place cue) and the span of the whole dateline (where
the outlet's name must not be read as a place).
"""

from __future__ import annotations

import re
from typing import Final, NamedTuple

__all__ = ["Dateline", "find_dateline"]

_DASH: Final = r"[-\u2013\u2014]+"
_WEB: Final = r"[A-Za-z0-9][\w\-]*(?:\.[\w\-]+)*\.(?i:com|co\.id|id|net|org|news|tv)\b"
#: Words that open a sentence before a dash but are no city ("Pada Senin - Selasa, …").
_NOT_CITY: Final = (
    r"(?:Pada|Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu|Sejak|Mulai|Hari|Tanggal|Pukul|Sekitar)"
)
_FORMS: Final = tuple(
    re.compile(pattern)
    for pattern in (
        # Outlet (a web address) first: "TRIBUNKALTARA.COM, TARAKAN -", "Liputan6.com, Jayapura:".
        rf"^\s*{_WEB}\s*,\s*(?P<city>[A-Z][A-Za-z'.\- ]{{2,40}}?)\s*(?:{_DASH}|:)\s",
        # City, then the agency in brackets: "Nunukan (ANTARA) -".
        rf"^\s*(?P<city>[A-Z][A-Za-z'.\- ]{{2,40}}?)\s*\([A-Za-z0-9 .\-/]{{2,30}}\)\s*(?:{_DASH}|:)\s",
        # City in capitals, optionally the outlet: "NUNUKAN, KOMPAS -", "TARAKAN –".
        rf"^\s*(?P<city>[A-Z][A-Z'.\- ]{{2,40}}?)\s*(?:,[^\n\-\u2013\u2014]{{2,40}}?)?\s*{_DASH}\s",
        # City in title case, then a web address: "Tarakan, Kaltaranews.id -".
        rf"^\s*(?P<city>[A-Z][A-Za-z'.\- ]{{2,40}}?)\s*,\s*{_WEB}\S*\s*(?:{_DASH}|:)\s",
        # City in title case alone: "Tarakan – Warga …".
        rf"^\s*(?!{_NOT_CITY}\b)(?P<city>[A-Z][a-z]+(?: [A-Z][a-z]+){{0,2}})\s*{_DASH}\s",
    )
)
_HEAD: Final = 160


class Dateline(NamedTuple):
    city_start: int
    city_end: int
    end: int  # the end of the whole dateline, outlet and dash included


def find_dateline(text: str, start: int = 0) -> Dateline | None:
    """The dateline at ``text[start:]`` (offsets into ``text``), or None when the body opens without one."""
    head = text[start : start + _HEAD]
    for form in _FORMS:
        match = form.match(head)
        if match:
            return Dateline(start + match.start("city"), start + match.end("city"), start + match.end())
    return None
