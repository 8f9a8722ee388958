"""The checks that look across stored result records: tier sums and disagreement between sources.

    check_stored(election, [contest])     # after an import: that contest's tiers and sources
    check_stored(election)                # every contest of the election (``waspada elections check-stored``)
    recheck_forms(election)               # the rules of every stored TPS form again (e.g. after a rule change)

**Tier sums (R9).** For each (contest, source), every tier present is compared with the sum of the next
lower tier present (TPS → desa → kecamatan → kab/kota → provinsi), with the pure
:func:`~waspada.elections.integrity.tiers.tier_findings` on the current records.

**Sources (SOURCE_DIFF, SOURCE_MISSING).** For each (contest, tier) held by two or more sources, every pair
of sources (in the order Sirekap, rekapitulasi, saksi, Bawaslu, KawalPemilu) is compared cell by cell on
the areas both hold, with :func:`~waspada.elections.integrity.sources.compare_sources`. An area only one
source holds is not a finding here (a witness may have copied a few TPS only).

Findings are stored with :func:`~waspada.elections.importing.store_findings`: found again, they keep their
status and note.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import combinations
from typing import Any

import polars as pl
from django.db.models import Q

from waspada.elections.importing import (
    COLUMN_FIELDS,
    check_frame,
    config_for,
    current_frame,
    store_findings,
)
from waspada.elections.integrity.findings import Finding
from waspada.elections.integrity.sources import compare_sources
from waspada.elections.integrity.tiers import tier_findings
from waspada.elections.models import Contest, Election
from waspada.elections.results import FindingKind, RecapFinding, ResultRecord, ResultSource, Tier

#: Tier → level name of the pure tier checks.
TIER_LEVELS: dict[str, str] = {
    Tier.TPS: "tps",
    Tier.DESA: "desa",
    Tier.KECAMATAN: "kec",
    Tier.KABKOTA: "kab",
    Tier.PROVINSI: "prov",
}
#: Source names in messages (Bahasa Indonesia).
SOURCE_LABELS: dict[str, str] = {
    ResultSource.SIREKAP: "Sirekap",
    ResultSource.REKAPITULASI: "Rekapitulasi",
    ResultSource.SAKSI: "Salinan saksi",
    ResultSource.BAWASLU: "Bawaslu",
    ResultSource.KAWALPEMILU: "KawalPemilu",
}
SOURCE_ORDER = {s: i for i, s in enumerate(ResultSource.values)}
RACE_KEYS = ("race_type", "race_code")


def _contest_filter(contests: Iterable[Contest | None] | None) -> tuple[list[int], bool] | None:
    if contests is None:
        return None
    items = list(contests)
    return [c.pk for c in items if c is not None], any(c is None for c in items)


def _records(election: Election, which: tuple[list[int], bool] | None) -> Any:
    rows = ResultRecord.objects.filter(election=election, is_current=True)
    if which is not None:
        ids, with_none = which
        rows = rows.filter(
            Q(contest_id__in=ids) | Q(contest__isnull=True) if with_none else Q(contest_id__in=ids)
        )
    return rows


def check_stored(election: Election, contests: Iterable[Contest | None] | None = None) -> dict[str, int]:
    """Tier sums and source comparisons of the current records; returns the findings stored, per rule."""
    which = _contest_filter(contests)
    records = _records(election, which)
    rows = list(records.values_list("contest_id", "source", "tier", "area_code", "votes").iterator(5000))
    contest_ids = {r[0] for r in rows}
    if which is not None:
        contest_ids |= set(which[0]) | ({None} if which[1] else set())
    else:
        contest_ids |= set(
            RecapFinding.objects.filter(election=election, kind__in=[FindingKind.TIERS, FindingKind.SOURCES])
            .values_list("contest_id", flat=True)
            .distinct()
        )
    contests_by_id = {c.pk: c for c in Contest.objects.filter(pk__in=[i for i in contest_ids if i])}
    counts: Counter[str] = Counter()
    _tiers(election, rows, contest_ids, contests_by_id, counts)
    _sources(election, records, rows, contest_ids, contests_by_id, counts)
    return dict(counts)


def _tiers(
    election: Election,
    rows: list[tuple[Any, ...]],
    contest_ids: set[int | None],
    contests: dict[int, Contest],
    counts: Counter[str],
) -> None:
    data: dict[str, list[Any]] = {k: [] for k in (*RACE_KEYS, "level", "area_code", "candidate_id", "votes")}
    for contest_id, source, tier, area, votes in rows:
        for number, value in votes.items():
            data["race_type"].append(source)
            data["race_code"].append(str(contest_id or 0))
            data["level"].append(TIER_LEVELS[tier])
            data["area_code"].append(area.replace(".", ""))
            data["candidate_id"].append(str(number))
            data["votes"].append(value)
    frame = pl.DataFrame(data, schema={**{k: pl.Utf8 for k in data}, "votes": pl.Int64})
    found: dict[tuple[int | None, str], list[Finding]] = defaultdict(list)
    if frame.height:
        for f in tier_findings(frame):
            contest_id = int(str(f.values["race_code"])) or None
            values = {k: v for k, v in f.values.items() if k not in RACE_KEYS}
            found[(contest_id, str(f.values["race_type"]))].append(dataclasses.replace(f, values=values))
    # Only scopes with findings now or before need writing: a clean contest costs no query.
    had = RecapFinding.objects.filter(election=election, kind=FindingKind.TIERS)
    ids = [c for c in contest_ids if c]
    had = (
        had.filter(Q(contest_id__in=ids) | Q(contest__isnull=True))
        if None in contest_ids
        else had.filter(contest_id__in=ids)
    )
    scopes = set(found) | set(had.values_list("contest_id", "source").distinct())
    for contest_id, source in sorted(scopes, key=lambda s: (s[0] or 0, s[1])):
        if contest_id not in contest_ids:
            continue
        items = found.get((contest_id, source), [])
        contest = contests.get(contest_id) if contest_id else None
        store_findings(items, election, contest, source, kind=FindingKind.TIERS)
        counts.update(f.rule for f in items)


def _frame_for(records: Any, contest_id: int | None, source: str, tier: str) -> pl.DataFrame:
    """Current records of one (contest, source, tier) in the documented column names, keyed ``tps_code``."""
    rows = list(
        records.filter(contest_id=contest_id, source=source, tier=tier).values(
            "area_code", "votes", *COLUMN_FIELDS.values()
        )
    )
    n = max((max((int(k) for k in r["votes"]), default=0) for r in rows), default=0)
    data: dict[str, list[Any]] = {"tps_code": [r["area_code"].replace(".", "") for r in rows]}
    for column, name in COLUMN_FIELDS.items():
        data[column] = [r[name] for r in rows]
    for i in range(1, n + 1):
        data[f"paslon{i}"] = [r["votes"].get(str(i)) for r in rows]
    schema = {k: (pl.Utf8 if k == "tps_code" else pl.Int64) for k in data}
    return pl.DataFrame(data, schema=schema)


def _sources(
    election: Election,
    records: Any,
    rows: list[tuple[Any, ...]],
    contest_ids: set[int | None],
    contests: dict[int, Contest],
    counts: Counter[str],
) -> None:
    held: dict[tuple[int | None, str], set[str]] = defaultdict(set)
    for contest_id, source, tier, _, _ in rows:
        held[(contest_id, tier)].add(source)
    config = config_for(election).rules
    found: dict[tuple[int | None, str, str], list[Finding]] = defaultdict(list)
    for (contest_id, tier), sources in held.items():
        ordered = sorted(sources, key=lambda s: SOURCE_ORDER.get(s, 99))
        for a, b in combinations(ordered, 2):
            found.setdefault((contest_id, a, b), [])
            fa, fb = _frame_for(records, contest_id, a, tier), _frame_for(records, contest_id, b, tier)
            common = set(fa["tps_code"]) & set(fb["tps_code"])
            fa = fa.filter(pl.col("tps_code").is_in(common))
            fb = fb.filter(pl.col("tps_code").is_in(common))
            if not common:
                continue
            labels = (SOURCE_LABELS.get(a, a), SOURCE_LABELS.get(b, b))
            for f in compare_sources(fa, fb, labels=labels, key="tps_code", config=config):
                if tier != Tier.TPS:
                    f = dataclasses.replace(f, tps_code=None, area_code=f.tps_code)
                found[(contest_id, a, b)].append(f)
    existing = RecapFinding.objects.filter(election=election, kind=FindingKind.SOURCES)
    for contest_id, a, b in existing.values_list("contest_id", "source", "other_source").distinct():
        if contest_id in contest_ids:
            found.setdefault((contest_id, a, b), [])
    for (contest_id, a, b), items in found.items():
        contest = contests.get(contest_id) if contest_id else None
        store_findings(items, election, contest, a, kind=FindingKind.SOURCES, other_source=b)
        counts.update(f.rule for f in items)


def recheck_forms(election: Election) -> dict[str, int]:
    """The rules of every stored TPS form (R1–R8, digits, duplicates, turnout), per (contest, source)."""
    counts: Counter[str] = Counter()
    scopes = (
        ResultRecord.objects.filter(election=election, tier=Tier.TPS, is_current=True)
        .values_list("contest_id", "source")
        .distinct()
    )
    contests = {c.pk: c for c in Contest.objects.filter(election=election)}
    config = config_for(election)
    for contest_id, source in sorted(scopes, key=lambda s: (s[0] or 0, s[1])):
        contest = contests.get(contest_id) if contest_id else None
        findings = check_frame(current_frame(election, contest, source), config)
        store_findings(findings, election, contest, source, kind=FindingKind.TPS)
        counts.update(f.rule for f in findings)
    return dict(counts)
