"""Event date from the publication date and relative expressions: "Senin (2/12)", "kemarin", "Minggu malam"."""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

__all__ = ["event_date", "parse_published"]

DAYS: Final = ("senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu")
_DAY_MONTH: Final = re.compile(
    r"\b(senin|selasa|rabu|kamis|jumat|sabtu|minggu)?\s*\((\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?\)", re.I
)
_RELATIVE: Final = re.compile(
    r"\b(kemarin|semalam|tadi malam|hari ini|tadi pagi|kemarin malam|kemarin sore)\b", re.I
)
_WEEKDAY: Final = re.compile(
    r"\b(?:pada |hari |sejak )(senin|selasa|rabu|kam[i]s|jumat|sabtu|minggu)\b", re.I
)
_WEEKDAY_TIME: Final = re.compile(
    r"\b(senin|selasa|rabu|kamis|jumat|sabtu|minggu) (pagi|siang|sore|malam|dini hari)\b", re.I
)


def parse_published(value: object) -> dt.date | None:
    """The date part of an ISO date or datetime string; None when absent or unreadable."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            return None


def _last_weekday(published: dt.date, name: str) -> dt.date:
    back = (published.weekday() - DAYS.index(name.lower())) % 7
    return published - dt.timedelta(days=back)


def event_date(text: str, published: dt.date | None) -> tuple[dt.date | None, str | None]:
    """(date, evidence). An explicit "(2/12)" wins, then a weekday, then "kemarin"/"hari ini".

    Dates are never after publication: "(28/12)" in an article of 3 January is 28 December of the year
    before. Without a publication date only a fully written date can be read.
    """
    match = _DAY_MONTH.search(text)
    if match:
        day, month = int(match.group(2)), int(match.group(3))
        year_text = match.group(4)
        year = None
        if year_text:
            year = int(year_text) + (2000 if len(year_text) == 2 else 0)
        elif published is not None:
            year = published.year
        if year is not None and 1 <= month <= 12:
            try:
                found = dt.date(year, month, day)
            except ValueError:
                found = None
            if found is not None:
                if published is not None and not year_text and found > published:
                    found = found.replace(year=found.year - 1)
                return found, match.group(0).strip()
    if published is None:
        return None, None
    for pattern in (_WEEKDAY_TIME, _WEEKDAY):
        match = pattern.search(text)
        if match:
            return _last_weekday(published, match.group(1)), match.group(0)
    match = _RELATIVE.search(text)
    if match:
        word = match.group(1).lower()
        if word.startswith("kemarin"):
            return published - dt.timedelta(days=1), match.group(0)
        if word in {"semalam", "tadi malam"}:
            return published - dt.timedelta(days=1), match.group(0)
        return published, match.group(0)
    return published, "publication date"
