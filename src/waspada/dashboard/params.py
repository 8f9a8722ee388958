"""The map workspace's query parameters, read and checked in one place — pure (no Django).

The map page, its data endpoints and their tests share these names: ``wilayah`` (region code, or
``nasional`` for the whole country), ``tingkat`` (level of the units drawn, 1–4), ``tanggal`` (the day up to
which incidents and the index are shown), ``hari`` (the time window in days before it, 0 = all),
``jenis`` / ``status`` / ``kanal`` (incident filters, repeatable), ``lapisan`` (marker layers).
A value that cannot be used raises :class:`BadParam` naming the parameter, in Bahasa Indonesia.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

NATIONAL = "nasional"
CODE_RE = re.compile(r"^\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?$")
LEVELS = (1, 2, 3, 4)
WINDOWS = (7, 30, 90, 365, 0)  # the choices the page offers; any 0–3650 is accepted
DEFAULT_WINDOW = 30
MAX_WINDOW = 3650
MAX_VALUES = 30  # repeated values of one filter
LAYERS = ("kejadian", "berita", "temuan", "peringatan")
DEFAULT_LAYERS = ("kejadian",)
EARLIEST = dt.date(1990, 1, 1)

Getter = Callable[[str], Sequence[str]]


class BadParam(ValueError):
    """A query parameter the map cannot use: ``field`` names it, the message says what is expected."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class MarkerQuery:
    """What the marker layers show: the day, the window before it, the incident filters and the layers."""

    day: dt.date
    window_days: int
    event_types: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    layers: tuple[str, ...] = DEFAULT_LAYERS

    @property
    def first_day(self) -> dt.date | None:
        """The first day of the window (None: no lower bound)."""
        if self.window_days == 0:
            return None
        return self.day - dt.timedelta(days=self.window_days - 1)


def is_code(value: str) -> bool:
    return value == NATIONAL or bool(CODE_RE.match(value))


def level_of(code: str) -> int:
    """0 for the whole country, else the number of parts of the dotted code."""
    return 0 if code == NATIONAL else code.count(".") + 1


def _one(get: Getter, name: str) -> str | None:
    values = [v for v in get(name) if v.strip() != ""]
    if len(values) > 1:
        raise BadParam(name, f"Parameter '{name}' hanya boleh diberikan sekali.")
    return values[0].strip() if values else None


def parse_level(get: Getter, region_level: int) -> int:
    """The level of the units to draw: below the region's own level; its children by default."""
    raw = _one(get, "tingkat")
    default = min(region_level + 1, 4)
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) not in LEVELS:
        raise BadParam("tingkat", "Parameter 'tingkat' harus 1 (provinsi), 2, 3 atau 4 (desa).")
    level = int(raw)
    if region_level >= 4:
        return 4  # a desa has no units below it: its map is empty at any level
    if level <= region_level:
        raise BadParam("tingkat", f"Parameter 'tingkat' harus di bawah tingkat wilayah ini ({region_level}).")
    return level


def parse_day(get: Getter, today: dt.date) -> dt.date:
    raw = _one(get, "tanggal")
    if raw is None:
        return today
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        raise BadParam("tanggal", "Parameter 'tanggal' harus tanggal yang sah, format TTTT-BB-HH.") from None
    if len(raw) != 10 or day < EARLIEST:
        raise BadParam("tanggal", "Parameter 'tanggal' harus tanggal yang sah, format TTTT-BB-HH.")
    return day


def parse_window(get: Getter) -> int:
    raw = _one(get, "hari")
    if raw is None:
        return DEFAULT_WINDOW
    if not raw.isdigit() or int(raw) > MAX_WINDOW:
        raise BadParam("hari", f"Parameter 'hari' harus bilangan 0–{MAX_WINDOW} (0 = semua).")
    return int(raw)


def parse_codes(get: Getter, name: str, valid: Collection[str]) -> tuple[str, ...]:
    """Repeated (or comma-separated) codes, each one of ``valid``; empty values mean "all"."""
    values: list[str] = []
    for raw in get(name):
        values += [v.strip() for v in raw.split(",") if v.strip()]
    if len(values) > MAX_VALUES:
        raise BadParam(name, f"Parameter '{name}' terlalu banyak nilainya (paling banyak {MAX_VALUES}).")
    unknown = [v for v in values if v not in valid]
    if unknown:
        shown = ", ".join(sorted(valid))
        raise BadParam(
            name, f"Nilai '{unknown[0]}' tidak dikenal untuk parameter '{name}'. Pilihan: {shown}."
        )
    return tuple(dict.fromkeys(values))


def parse_markers(
    get: Getter,
    today: dt.date,
    *,
    event_types: Collection[str],
    statuses: Collection[str],
    channels: Collection[str],
) -> MarkerQuery:
    layers = parse_codes(get, "lapisan", LAYERS) or DEFAULT_LAYERS
    return MarkerQuery(
        day=parse_day(get, today),
        window_days=parse_window(get),
        event_types=parse_codes(get, "jenis", event_types),
        statuses=parse_codes(get, "status", statuses),
        channels=parse_codes(get, "kanal", channels),
        layers=layers,
    )
