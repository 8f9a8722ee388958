"""Reading when something happened from a field reporter's words: "27/11 15.00", "kemarin sore",
"tadi malam", "jam 3 sore", "senin lalu", "2 hari lalu", "minggu lalu". Pure Python, no Django; part of
the message format (:mod:`waspada.reports.messageformat`, ``docs/message-format.md``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

__all__ = ["FUTURE_TOLERANCE", "When", "find_time", "looks_like_time", "read_when"]

FUTURE_TOLERANCE: Final = timedelta(hours=1)  # as services.create_report allows


def _quote(text: str, limit: int = 30) -> str:
    text = " ".join(text.split())
    return '"' + (text if len(text) <= limit else text[: limit - 1] + "…") + '"'


_MONTHS: Final = {
    **dict.fromkeys(("januari", "jan"), 1),
    **dict.fromkeys(("februari", "pebruari", "feb", "peb"), 2),
    **dict.fromkeys(("maret", "mar"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    "mei": 5,
    **dict.fromkeys(("juni", "jun"), 6),
    **dict.fromkeys(("juli", "jul"), 7),
    **dict.fromkeys(("agustus", "agu", "agt", "ags", "aug"), 8),
    **dict.fromkeys(("september", "sept", "sep"), 9),
    **dict.fromkeys(("oktober", "okt", "oct"), 10),
    **dict.fromkeys(("november", "nopember", "nov", "nop"), 11),
    **dict.fromkeys(("desember", "des", "dec"), 12),
}
_WEEKDAYS: Final = {
    "senin": 0,
    "selasa": 1,
    "rabu": 2,
    "kamis": 3,
    "jumat": 4,
    "sabtu": 5,
    "minggu": 6,
    "ahad": 6,
}
_DAYPARTS: Final = {
    "dini hari": 2,
    "subuh": 5,
    "pagi": 8,
    "tengah hari": 12,
    "siang": 12,
    "sore": 16,
    "petang": 18,
    "malam": 20,
}
_MONTH_RE: Final = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DAYPART_RE: Final = "|".join(sorted(_DAYPARTS, key=len, reverse=True))
_WEEKDAY_RE: Final = "|".join(_WEEKDAYS)

# Each pattern is tried at the current position of the waktu text; the first that matches is consumed.
_TIME_TOKENS: Final[tuple[tuple[str, re.Pattern[str]], ...]] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("iso", r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t](\d{1,2})[:.](\d{2})(?::\d{2}(?:\.\d+)?)?)?(?![\d])"),
        ("dmy", r"(\d{1,2})\s*([/-])\s*(\d{1,2})(?:\s*\2\s*(\d{4}|\d{2}))?(?!\d)"),
        ("dmy", r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})(?![\d])"),
        ("dmonth", rf"(\d{{1,2}})\s*(?:-\s*)?({_MONTH_RE})\b\.?(?:\s*-?\s*(\d{{4}}))?"),
        ("ago", r"(\d{1,2})\s*(hari|minggu|pekan|bulan)\s*(?:yang\s*|yg\s*)?(?:lalu|kemarin|yl)\b"),
        ("week", r"(?:minggu|pekan)\s+(?:lalu|kemarin|yang\s+lalu|yg\s+lalu)\b"),
        ("month", r"bulan\s+(?:lalu|kemarin|yang\s+lalu|yg\s+lalu)\b"),
        ("clock", rf"(?:jam|pukul|pkl|pk)\.?\s*(\d{{1,2}})(?:\s*[.:]\s*(\d{{2}}))?(?:\s*({_DAYPART_RE}))?\b"),
        ("clock", r"(\d{1,2})[.:](\d{2})(?!\d)"),
        ("clock", rf"(\d{{1,2}})\s*({_DAYPART_RE})\b"),
        ("dm", r"(\d{1,2})\.(\d{1,2})(?!\d)"),
        ("zone", r"(wita|wib|wit)\b"),
        ("now", r"(?:sekarang|barusan|baru\s+saja|saat\s+ini|hari\s+ini|td|tadi)\b"),
        ("yesterday2", r"kemarin\s+lusa\b"),
        ("yesterday", r"(?:kemarin|kemaren|kmrn|kmrin|kmarin|kmaren|semalam)\b"),
        ("weekday", rf"(?:hari\s+)?({_WEEKDAY_RE})(?:\s+(lalu|kemarin))?\b"),
        ("daypart", rf"({_DAYPART_RE})\b"),
        (
            "filler",
            r"(?:tgl|tanggal|pada|sekitar|sekira|kira[\s-]*kira|kurang\s+lebih|kurleb|kl|lalu|hari|ini|tahun)\b\.?",
        ),
        ("filler", r"[\s,.;:±~+-]+"),
    )
)


@dataclass
class _Spec:
    ymd: tuple[int | None, int, int] | None = None
    days_back: int | None = None
    weekday: tuple[int, bool] | None = None
    clock: tuple[int, int, str | None, bool] | None = None
    daypart: str | None = None
    zone: str | None = None
    precision: int = 1
    now: bool = False
    found: bool = False


def _scan(text: str) -> _Spec | None:
    """The pieces of a waktu text, or None when some of it cannot be read."""
    text = _fold_time(text)
    spec = _Spec()
    pos = 0
    while pos < len(text):
        for name, pattern in _TIME_TOKENS:
            m = pattern.match(text, pos)
            if m is None or m.end() == pos:
                continue
            if not _apply(spec, name, m):
                continue  # "27.11" is not a clock: try the next reading
            pos = m.end()
            break
        else:
            return None
    return spec if spec.found else None


def _fold_time(text: str) -> str:
    text = (
        unicodedata.normalize("NFKC", text).casefold().replace("jum'at", "jumat").replace("jum at", "jumat")
    )
    return " ".join(text.replace("\u2019", "'").split())


def _apply(spec: _Spec, name: str, m: re.Match[str]) -> bool:
    g = m.groups()
    if name == "filler":
        return True
    spec.found = True
    if name == "iso":
        spec.ymd = (int(g[0]), int(g[1]), int(g[2]))
        if g[3] is not None:
            spec.clock = (int(g[3]), int(g[4]), None, False)
    elif name == "dmy":
        year = g[3] if len(g) == 4 else g[2]
        month = g[2] if len(g) == 4 else g[1]
        y = None if year is None else int(year) + (2000 if len(year) == 2 else 0)
        spec.ymd = (y, int(month), int(g[0]))
    elif name == "dm":
        spec.ymd = (None, int(g[1]), int(g[0]))
    elif name == "dmonth":
        spec.ymd = (int(g[2]) if g[2] else None, _MONTHS[g[1]], int(g[0]))
    elif name == "ago":
        n, unit = int(g[0]), g[1]
        spec.days_back = n * {"hari": 1, "minggu": 7, "pekan": 7, "bulan": 30}[unit]
        spec.precision = {"hari": 1, "minggu": 2, "pekan": 2, "bulan": 3}[unit]
    elif name == "week":
        spec.days_back, spec.precision = 7, 2
    elif name == "month":
        spec.days_back, spec.precision = 30, 3
    elif name == "clock":
        hour = int(g[0])
        minute = int(g[1]) if len(g) > 1 and g[1] and g[1].isdigit() else 0
        part = g[-1] if g[-1] in _DAYPARTS else None
        if hour > 24 or minute > 59:
            return False
        # "jam 3" may be 03.00 or 15.00; "03.00", "3.00" and "15.00" are read on the 24-hour clock.
        twelve = len(g) > 1 and not (g[1] and g[1].isdigit()) and not g[0].startswith("0")
        spec.clock = (hour % 24, minute, part, twelve)
    elif name == "zone":
        spec.zone = g[0].upper()
    elif name == "now":
        spec.now = True
    elif name == "yesterday2":
        spec.days_back = 2
    elif name == "yesterday":
        spec.days_back = 1
        if "malam" in m.group(0):
            spec.daypart = "malam"
    elif name == "weekday":
        spec.weekday = (_WEEKDAYS[g[0]], g[1] is not None)
    elif name == "daypart":
        spec.daypart = g[0]
    return True


@dataclass(frozen=True, slots=True)
class When:
    at: datetime  # aware
    precision: int  # taxonomy time precision: 1 day, 2 week, 3 month
    has_clock: bool
    zone: str  # WIB, WITA or WIT


_ZONES: Final = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}
_LABEL_OF_ZONE: Final = {v: k for k, v in _ZONES.items()}


def _hour_for(hour: int, part: str | None, twelve: bool) -> list[int]:
    """Candidate 24-hour values for an hour with or without a part of the day ("jam 3 sore" = 15)."""
    if part in ("siang",) and hour < 11 or part in ("sore", "petang") and hour < 12:
        return [hour + 12]
    if part == "malam":
        return [hour + 12] if 6 <= hour < 12 else [0 if hour == 12 else hour]
    if part in ("pagi", "subuh", "dini hari"):
        return [0 if hour == 12 else hour]
    if part is None and twelve and 1 <= hour <= 11:
        return [hour + 12, hour]  # "jam 3": 15.00 if that has passed, else 03.00
    return [hour]


def read_when(text: str, now: datetime, zone: str) -> When | str:
    """The time a sender wrote, in the region's zone (IANA name) unless the text names WIB/WITA/WIT.
    Returns a :class:`When`, or the problem in Indonesian. An empty text means now (precision day)."""
    spec = _scan(text) if text.strip() else _Spec(now=True, found=True)
    if spec is None:
        return f"Waktu {_quote(text)} tidak dapat dibaca."
    zone = _ZONES.get(spec.zone or "", zone)
    tz = ZoneInfo(zone)
    local_now = now.astimezone(tz)
    today = local_now.date()
    floating = spec.ymd is None and spec.days_back is None and spec.weekday is None
    try:
        if spec.ymd is not None:
            year, month, day_of_month = spec.ymd
            base = date(year or today.year, month, day_of_month)
            if year is None and base > today:
                base = date(today.year - 1, month, day_of_month)
        elif spec.days_back is not None:
            base = today - timedelta(days=spec.days_back)
        elif spec.weekday is not None:
            weekday, last = spec.weekday
            back = (today.weekday() - weekday) % 7
            base = today - timedelta(days=back or (7 if last else 0))
        else:
            base = today
    except ValueError:
        return f"Tanggal {_quote(text)} tidak ada di kalender."
    limit = local_now + FUTURE_TOLERANCE
    has_clock = spec.clock is not None or spec.daypart is not None
    if spec.clock is not None:
        hour, minute, part, twelve = spec.clock
        hours = _hour_for(hour, part or spec.daypart, twelve)
    elif spec.daypart is not None:
        hours, minute = [_DAYPARTS[spec.daypart]], 0
    elif spec.now or base == today:
        return When(local_now, spec.precision, False, _LABEL_OF_ZONE[zone])
    else:
        hours, minute = [12], 0
    for day in (base, base - timedelta(days=1)) if floating else (base,):
        for hour in hours:
            at = datetime(day.year, day.month, day.day, hour % 24, minute, tzinfo=tz)
            if at <= limit:
                return When(at, spec.precision, has_clock, _LABEL_OF_ZONE[zone])
    return f"Waktu {_quote(text)} ada di masa depan."


def looks_like_time(text: str) -> bool:
    if _scan(text) is not None:
        return True
    folded = _fold_time(text)
    return (
        len(folded) <= 25
        and len(folded.split()) <= 4
        and bool(
            re.search(r"\d{1,2}\s*[/.:-]\s*\d{1,2}", folded)
            or re.match(rf"(?:jam|pukul|pkl|tgl|tanggal|kemarin|tadi|hari|{_WEEKDAY_RE})\b", folded)
        )
    )


def find_time(text: str) -> str:
    """The first time expression inside free text ("... tadi malam jam 9 ..."), or ""."""
    tokens = text.split()
    for start in range(min(len(tokens), 200)):
        for length in range(min(5, len(tokens) - start), 0, -1):
            piece = " ".join(tokens[start : start + length]).strip(",.;:")
            spec = _scan(piece)
            if spec is not None and not _fold_time(piece).isdigit():
                return piece
    return ""
