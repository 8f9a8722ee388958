"""The period a situation report covers — pure.

A report is dated by the last day it covers: a daily report (``daily``) covers that one day, a weekly one
(``weekly``) the seven days ending on it. Days are calendar days in the zone of the report's region
(WIB/WITA/WIT), so the bounds in UTC depend on the region.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final, Literal
from zoneinfo import ZoneInfo

PeriodKind = Literal["daily", "weekly"]
PERIOD_DAYS: Final[dict[str, int]] = {"daily": 1, "weekly": 7}


class PeriodError(ValueError):
    """A date or period we cannot use; the message names the value (Bahasa Indonesia)."""


@dataclass(frozen=True, slots=True)
class Period:
    kind: PeriodKind
    first_day: dt.date
    last_day: dt.date
    zone: str  # IANA name

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    @property
    def start(self) -> dt.datetime:
        """The first instant of the period (aware, in the region's zone)."""
        return dt.datetime.combine(self.first_day, dt.time.min, tzinfo=ZoneInfo(self.zone))

    @property
    def end(self) -> dt.datetime:
        """The first instant after the period (exclusive)."""
        return dt.datetime.combine(
            self.last_day + dt.timedelta(days=1), dt.time.min, tzinfo=ZoneInfo(self.zone)
        )

    def contains(self, moment: dt.datetime | None) -> bool:
        return moment is not None and self.start <= moment < self.end


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        raise PeriodError(f"tanggal {text!r} tidak sah: tulis YYYY-MM-DD, misalnya 2024-11-27") from None


def period_for(kind: str, last_day: dt.date, zone: str) -> Period:
    if kind not in PERIOD_DAYS:
        raise PeriodError(f"periode {kind!r} tidak dikenal: pilih daily (harian) atau weekly (mingguan)")
    days = PERIOD_DAYS[kind]
    return Period(kind, last_day - dt.timedelta(days=days - 1), last_day, zone)  # type: ignore[arg-type]
