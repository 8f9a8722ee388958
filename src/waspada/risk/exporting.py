"""The shell around :mod:`waspada.risk.export`: a ranking → export records, region boundaries in batches.

Used by the ranking page's export links and by ``waspada risk export``; both hand in a
:class:`~waspada.risk.queries.Ranking` already limited to what the user may see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

from waspada.regions.models import Region
from waspada.risk import export
from waspada.risk.config import IndexConfig
from waspada.risk.queries import Ranking
from waspada.risk.ranking import RankRow

GEOMETRY_BATCH = 500


class Geometries:
    """``geometry(code)`` for codes asked in (about) the order given, loading them in batches so a
    national export never holds every boundary in memory."""

    def __init__(self, codes: Sequence[str], *, simplified: bool = False) -> None:
        self.codes = list(codes)
        self.position = {c: i for i, c in enumerate(self.codes)}
        self.field = "display_geometry" if simplified else "geometry"
        self.cache: dict[str, str | None] = {}

    def __call__(self, code: str) -> str | None:
        if code not in self.cache:
            start = self.position.get(code)
            if start is None:
                return None
            batch = self.codes[start : start + GEOMETRY_BATCH]
            self.cache = dict.fromkeys(batch)
            self.cache.update(Region.objects.filter(code__in=batch).values_list("code", self.field))
        return self.cache.get(code)


def header(config: IndexConfig) -> list[str]:
    return export.columns(config.indicator_ids)


def records(ranking: Ranking, rows: Sequence[RankRow], config: IndexConfig) -> Iterator[list[export.Cell]]:
    date = ranking.key.date.isoformat() if ranking.key else ""
    version = ranking.key.config_version if ranking.key else ""
    for row in rows:
        yield export.record(row, config.indicator_ids, date, version)


def file_name(ranking: Ranking, fmt: str) -> str:
    date = ranking.key.date.isoformat() if ranking.key else "kosong"
    area = f"-{ranking.parent.code}" if ranking.parent else ""
    return f"indeks-rawan-{date}-tingkat{ranking.level}{area}.{fmt}"


def notes(ranking: Ranking, config: IndexConfig, scope: str | None) -> list[tuple[str, str]]:
    return [
        ("indeks / index", config.name.id),
        ("tanggal snapshot / snapshot date", ranking.key.date.isoformat() if ranking.key else "-"),
        ("versi konfigurasi / config version", ranking.key.config_version if ranking.key else "-"),
        (
            "snapshot pembanding / previous snapshot",
            ranking.previous.date.isoformat() if ranking.previous else "-",
        ),
        ("tingkat / level", str(ranking.level)),
        ("wilayah / area", ranking.parent.code if ranking.parent else (scope or "nasional")),
        ("dibuat / made", dt.datetime.now(dt.UTC).isoformat(timespec="seconds")),
        (
            "kolom points_* / points_* columns",
            "poin skor per indikator (jumlahnya = skor); docs/risk-index.md",
        ),
    ]


def metadata(ranking: Ranking, config: IndexConfig, scope: str | None) -> dict[str, Any]:
    return {
        "index": config.name.en,
        "date": ranking.key.date.isoformat() if ranking.key else None,
        "config_version": ranking.key.config_version if ranking.key else None,
        "previous_date": ranking.previous.date.isoformat() if ranking.previous else None,
        "level": ranking.level,
        "area": ranking.parent.code if ranking.parent else scope,
        "categories": {c.code: c.min for c in config.categories},
    }
