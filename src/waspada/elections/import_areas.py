"""Import of area-level results — the long format of ``pilkada2024_kecamatan_sirekap.csv.gz`` (or the area
documents of Sirekap JSON) with its candidates file — into result records at every tier the file carries.

    result = import_area_table(read_area_long_csv(path), election, candidates=read_candidates_csv(c))

**Races → contests.** ``pkwkp`` is the governor's race of the province ``race_code``; ``pkwkk`` the regent's
(kab) or mayor's (kota: Kemendagri kab part 71–99) race of ``race_code``; ``ppwp`` the national
presidential race (records without a contest). A contest is found by (election, region, office); when it
does not exist it is created (the region must be in the gazetteer), unless ``create_contests`` is off.

**Candidates.** Votes are stored by ballot number (``nomor_urut``, or the candidates file's number for the
Sirekap ``candidate_id``). A contest's candidate is matched by ballot number, else — for candidates
entered without one — the empty box by its flag and the others by their names (titles ignored); the
ballot number is then filled in. A candidate the contest lacks is created with the file's name.

**Records.** One record per (race, tier, area). The kab rows of the Sirekap files come twice (the province
file's table and the kab file's own total): identical copies are one record; copies that disagree are a
SOURCE_DIFF finding, and the newest copy (``sirekap_ts``, then the first row) is stored. Versions work as
for TPS files: unchanged areas keep their record, changed ones get version n+1. Sirekap's progress
counters, the re-vote marker and the source file go to ``extra``.

Rows the reader cannot use are row errors (file, row, column, reason) and are left out; everything valid
is stored. Then the tier sums and source comparisons of every contest touched are recomputed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from django.db import transaction

from waspada.elections.importing import BATCH, dotted, store_findings
from waspada.elections.integrity.candidates import CandidateInfo, CandidateTable
from waspada.elections.integrity.findings import Finding, count_by_rule
from waspada.elections.integrity.tiers import AreaTable, copy_findings
from waspada.elections.integrity.tps_csv import RowError
from waspada.elections.models import Candidate, Contest, Election, Office
from waspada.elections.results import COUNT_FIELDS, FindingKind, RecapFinding, ResultRecord, Tier, numbers_of
from waspada.regions.models import Region

TIER_BY_LEVEL: dict[str, str] = {
    "prov": Tier.PROVINSI,
    "kab": Tier.KABKOTA,
    "kec": Tier.KECAMATAN,
    "desa": Tier.DESA,
    "tps": Tier.TPS,
}
EMPTY_BOX_NAME = "Kolom kosong (kotak kosong)"
#: Fields of a current record needed to compare it with a new one (``ResultRecord.numbers``).
LOADED = ("id", "contest_id", "tier", "area_code", "version", "votes", "extra", *COUNT_FIELDS)
EXTRA_KEYS = ("tps_counted", "tps_total", "progress_pct", "psu", "source_file")
#: Academic, religious and military titles left out when names are compared.
TITLES = frozenset(
    {
        *("hut", "kes", "hum", "sos", "pol", "purn", "tni", "brigjen", "mayjen", "letjen", "kolonel", "prof"),
        *("drs", "dra", "msi", "mpd", "spd", "sag", "mag", "kom", "sik", "sip", "psi", "mba", "mhum"),
        *("mkes", "ssos", "ssi", "skom", "sked"),
    }
)


@dataclass(slots=True)
class AreaImportResult:
    rows: int = 0
    races: int = 0
    contests_created: int = 0
    contests_matched: int = 0
    candidates_created: int = 0
    candidates_matched: int = 0
    areas: int = 0
    tps_rows_skipped: int = 0  # TPS rows of an area file: TPS results come in the TPS format
    created: int = 0
    new_versions: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    findings: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    contests: list[Contest | None] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.new_versions or self.contests_created or self.candidates_created)


def office_for(race_type: str, race_code: str) -> str | None:
    """The office of a Sirekap race, or None when the race type is not a regional one."""
    if race_type == "pkwkp" and len(race_code) == 2 and race_code.isdigit():
        return Office.GUBERNUR
    if race_type == "pkwkk" and len(race_code) == 4 and race_code.isdigit():
        return Office.WALIKOTA if int(race_code[2:4]) >= 71 else Office.BUPATI
    return None


def name_tokens(name: str) -> set[str]:
    return {t for t in re.findall(r"[a-z]+", name.lower()) if len(t) >= 3 and t not in TITLES}


def same_names(a: str, b: str) -> bool:
    """Two spellings of one candidate pair ("Wempi W. Mawa – Jakaria" vs "WEMPI W. MAWA, S.E. - JAKARIA")."""
    ta, tb = name_tokens(a), name_tokens(b)
    common = len(ta & tb)
    return common >= 2 and common >= 0.6 * min(len(ta), len(tb))


def _match_candidates(
    contest: Contest,
    numbers: list[int],
    infos: list[CandidateInfo],
    result: AreaImportResult,
    created: list[Candidate],
    *,
    is_new: bool = False,
) -> None:
    """Match the ballot numbers of a race with the contest's candidates; the candidates to create are
    appended to ``created`` (one bulk insert for the whole file)."""
    existing = [] if is_new else list(contest.candidates.all())
    numbered = {c.ballot_no for c in existing if c.ballot_no}
    free = [c for c in existing if not c.ballot_no]
    info_by_no = {i.ballot_no: i for i in infos}
    for n in numbers:
        if n in numbered:
            result.candidates_matched += 1
            continue
        info = info_by_no.get(n)
        if info is None:
            continue  # names unknown: the votes are kept by ballot number
        if info.is_empty_box:
            found = next((c for c in free if c.is_empty_box), None)
        else:
            found = next((c for c in free if not c.is_empty_box and same_names(c.names, info.name)), None)
        if found is not None:
            found.ballot_no = n
            found.save(update_fields=["ballot_no"])
            free.remove(found)
            result.candidates_matched += 1
        else:
            created.append(
                Candidate(
                    contest=contest,
                    ballot_no=n,
                    names=EMPTY_BOX_NAME if info.is_empty_box else info.name[:200],
                    is_empty_box=info.is_empty_box,
                )
            )
            result.candidates_created += 1
        numbered.add(n)


def _known_regions(codes: set[str]) -> set[str]:
    found: set[str] = set()
    items = sorted(codes)
    for start in range(0, len(items), 900):
        found.update(
            Region.objects.filter(code__in=items[start : start + 900]).values_list("code", flat=True)
        )
    return found


def import_area_table(
    table: AreaTable,
    election: Election,
    *,
    candidates: CandidateTable | None = None,
    source: str = "sirekap",
    user: Any = None,
    area: str | None = None,
    allowed: Callable[[str], bool] | None = None,
    create_contests: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> AreaImportResult:
    """Store the rows of ``table`` (only areas under ``area`` when given; only races whose region
    ``allowed`` accepts) and check them; see the module docstring."""
    result = AreaImportResult(errors=[*table.errors, *(candidates.errors if candidates else [])])
    source_label = table.source
    frame = table.frame
    if area:
        frame = frame.filter(pl.col("area_code").str.starts_with(area.replace(".", "")))
    result.rows = frame.height
    number = pl.col("nomor_urut") if "nomor_urut" in frame.columns else pl.lit(None, pl.Int64)
    if candidates is not None:
        mapping = {c.candidate_id: c.ballot_no for c in candidates.candidates}
        by_id = pl.col("candidate_id").replace_strict(mapping, default=None, return_dtype=pl.Int64)
        number = pl.coalesce(number.cast(pl.Int64), by_id)
    frame = frame.with_columns(number.cast(pl.Int64).alias("_no"))
    for row, cid in frame.filter(pl.col("_no").is_null()).select("_row", "candidate_id").iter_rows():
        result.errors.append(
            RowError(
                source_label,
                row,
                "nomor_urut",
                cid,
                f"nomor urut calon {cid} tidak diketahui (kolom nomor_urut kosong, tidak ada di berkas calon)",
            )
        )
    frame = frame.filter(pl.col("_no").is_not_null())
    for column in ("source_file", "sirekap_ts", *EXTRA_KEYS):
        if column not in frame.columns:
            frame = frame.with_columns(pl.lit(None, pl.Utf8).alias(column))
    with transaction.atomic():
        contest_of = _races(frame, election, candidates, source_label, allowed, create_contests, result)
        races = pl.DataFrame(
            {"race_type": [k[0] for k in contest_of], "race_code": [k[1] for k in contest_of]},
            schema={"race_type": pl.Utf8, "race_code": pl.Utf8},
        )
        frame = frame.join(races, on=["race_type", "race_code"], how="semi")
        result.tps_rows_skipped = frame.filter(pl.col("level") == "tps").height
        frame = frame.filter(pl.col("level") != "tps")
        _store_records(frame, election, contest_of, source, user, source_label, result, progress)
        _store_import_findings(table, frame, election, contest_of, source, source_label, result)
        from waspada.elections.stored_checks import check_stored

        more = check_stored(election, result.contests)
        result.findings += sum(more.values())
        for rule, n in more.items():
            result.counts[rule] = result.counts.get(rule, 0) + n
        if user is not None and result.changed:
            _audit(user, election, source_label, result)
    return result


def _races(
    frame: pl.DataFrame,
    election: Election,
    candidates: CandidateTable | None,
    source_label: str,
    allowed: Callable[[str], bool] | None,
    create_contests: bool,
    result: AreaImportResult,
) -> dict[tuple[str, str], Contest | None]:
    """The contest of each race of the frame (created when missing); races that cannot be stored are
    reported once (at their first row) and left out of the returned mapping."""
    races = (
        frame.group_by("race_type", "race_code")
        .agg(pl.col("_row").min().alias("first"), pl.col("_no").unique().sort().alias("numbers"))
        .sort("first")
    )
    names = candidates.by_race() if candidates is not None else {}
    regions = {
        dotted(code)
        for code in races["race_code"].to_list()
        if code and code.isdigit() and len(code) in (2, 4)
    }
    known = _known_regions(regions)
    out: dict[tuple[str, str], Contest | None] = {}
    fresh: list[Contest] = []
    pending: list[tuple[Contest, list[int], list[CandidateInfo]]] = []
    result.races = races.height
    existing = {
        (c.region_id, c.office): c
        for c in Contest.objects.filter(election=election, region_id__in=regions).prefetch_related(
            "candidates"
        )
    }

    def refuse(row: int, column: str, value: str, reason: str) -> None:
        result.errors.append(
            RowError(source_label, row, column, value, f"{reason}; semua baris perlombaan ini dilewati")
        )

    for race_type, race_code, first, numbers in races.iter_rows():
        if race_type == "ppwp":
            if allowed is not None and not allowed(""):
                refuse(first, "race_type", race_type, "pemilihan presiden di luar wilayah Anda")
                continue
            out[(race_type, race_code)] = None
            continue
        office = office_for(race_type, race_code)
        if office is None:
            refuse(
                first,
                "race_code",
                f"{race_type} {race_code}",
                "perlombaan tidak dikenal (pkwkp + kode provinsi 2 angka, pkwkk + kode kab/kota 4 angka, ppwp)",
            )
            continue
        region = dotted(race_code)
        if allowed is not None and not allowed(region):
            refuse(first, "race_code", race_code, f"wilayah {region} di luar wilayah Anda")
            continue
        contest = existing.get((region, office))
        infos = names.get((race_type, race_code), [])
        if contest is not None:
            result.contests_matched += 1
        elif not create_contests:
            refuse(
                first, "race_code", race_code, f"kontestasi {office} {region} tidak ada di {election.code}"
            )
            continue
        elif region not in known:
            refuse(
                first,
                "race_code",
                race_code,
                f"wilayah {region} tidak ada di basis data (muat gazetir: waspada regions load)",
            )
            continue
        else:
            contest = Contest(
                election=election,
                region_id=region,
                office=office,
                single_candidate=any(i.is_empty_box for i in infos),
                notes=f"Dibuat dari impor hasil {Path(source_label).name}.",
            )
            fresh.append(contest)
            result.contests_created += 1
        pending.append((contest, list(numbers), infos))
        out[(race_type, race_code)] = contest
    Contest.objects.bulk_create(fresh, batch_size=BATCH)
    new_ids = {id(c) for c in fresh}
    created: list[Candidate] = []
    for contest, numbers, infos in pending:
        _match_candidates(contest, numbers, infos, result, created, is_new=id(contest) in new_ids)
    Candidate.objects.bulk_create(created, batch_size=BATCH)
    result.contests = list(dict.fromkeys(out.values()))
    return out


def _store_records(
    frame: pl.DataFrame,
    election: Election,
    contest_of: dict[tuple[str, str], Contest | None],
    source: str,
    user: Any,
    source_label: str,
    result: AreaImportResult,
    progress: Callable[[int, int], None] | None,
) -> None:
    area = ["race_type", "race_code", "level", "area_code"]
    copies = frame.group_by([*area, pl.col("source_file").fill_null("")], maintain_order=True).agg(
        pl.col("sirekap_ts").max().alias("_ts"),
        pl.col("_row").min().alias("_first"),
        pl.col("_no").alias("_numbers"),
        pl.col("votes").alias("_votes"),
        *(pl.col(k).drop_nulls().first().alias(k) for k in EXTRA_KEYS if k != "source_file"),
    )
    picked = (
        copies.sort(["_ts", "_first"], descending=[True, False], nulls_last=True)
        .unique(subset=area, keep="first", maintain_order=True)
        .sort("_first")
    )
    result.areas = picked.height
    codes = {c for c in picked["area_code"].to_list()}
    known = _known_regions({dotted(c[:10]) for c in codes})
    contest_ids = [c.pk for c in contest_of.values() if c is not None]
    queries = [
        ResultRecord.objects.filter(
            election=election, source=source, is_current=True, contest_id__in=contest_ids
        ).exclude(tier=Tier.TPS)
    ]
    if any(c is None for c in contest_of.values()):
        queries.append(
            ResultRecord.objects.filter(
                election=election, source=source, is_current=True, contest__isnull=True
            ).exclude(tier=Tier.TPS)
        )
    current: dict[tuple[int | None, str, str], tuple[int, int, tuple[object, ...]]] = {}
    for rows in queries:
        for r in rows.values(*LOADED).iterator(5000):
            current[(r["contest_id"], r["tier"], r["area_code"])] = (r["id"], r["version"], numbers_of(r))
    file_name = Path(source_label).name[-255:]
    user_id = getattr(user, "pk", None)
    new: list[ResultRecord] = []
    retired: list[int] = []
    total = picked.height
    for i, row in enumerate(picked.iter_rows(named=True), start=1):
        contest = contest_of[(row["race_type"], row["race_code"])]
        tier = TIER_BY_LEVEL[row["level"]]
        code = row["area_code"]
        stored_code = code if tier == Tier.TPS else dotted(code)
        votes = {str(n): v for n, v in zip(row["_numbers"], row["_votes"], strict=True)}
        values: dict[str, Any] = {
            "votes": dict(sorted(votes.items(), key=lambda kv: int(kv[0]))),
            "extra": {k: row[k] for k in EXTRA_KEYS if row.get(k) not in (None, "")},
        }
        old = current.get((contest.pk if contest else None, tier, stored_code))
        if old is not None and old[2] == numbers_of(values):
            result.unchanged += 1
        else:
            region_code = dotted(code[:10])
            new.append(
                ResultRecord(
                    **values,
                    election=election,
                    contest=contest,
                    tier=tier,
                    area_code=stored_code,
                    region_code=region_code,
                    region_id=region_code if region_code in known else None,
                    source=source,
                    source_timestamp=(row["_ts"] or "")[:40],
                    file_name=file_name,
                    row_number=row["_first"],
                    imported_by_id=user_id,
                    version=1 if old is None else old[1] + 1,
                )
            )
            if old is None:
                result.created += 1
            else:
                result.new_versions += 1
                retired.append(old[0])
        if progress is not None and (i % BATCH == 0 or i == total):
            progress(i, total)
    for start in range(0, len(retired), BATCH):
        ResultRecord.objects.filter(pk__in=retired[start : start + BATCH]).update(is_current=False)
    ResultRecord.objects.bulk_create(new, batch_size=BATCH)


def _store_import_findings(
    table: AreaTable,
    frame: pl.DataFrame,
    election: Election,
    contest_of: dict[tuple[str, str], Contest | None],
    source: str,
    source_label: str,
    result: AreaImportResult,
) -> None:
    """Row errors and disagreeing copies, per contest (row errors outside any race: no contest)."""
    race_of_row = dict(
        zip(
            table.frame["_row"].to_list(),
            zip(table.frame["race_type"].to_list(), table.frame["race_code"].to_list(), strict=True),
            strict=True,
        )
    )
    by_contest: dict[Contest | None, list[Finding]] = {c: [] for c in contest_of.values()}
    for error in result.errors:
        race = race_of_row.get(error.row) if error.file == source_label else None
        contest = contest_of.get(race) if race is not None else None
        by_contest.setdefault(contest, []).append(error.to_finding())
    for f in copy_findings(frame):
        contest = contest_of.get((str(f.values["race_type"]), str(f.values["race_code"])))
        by_contest.setdefault(contest, []).append(f)
    earlier = (
        RecapFinding.objects.filter(
            election=election, source=source, kind=FindingKind.IMPORT, values__import_file=source_label
        )
        .values_list("contest_id", flat=True)
        .distinct()
    )
    had = set(earlier)
    contests = {c.pk: c for c in Contest.objects.filter(pk__in=[i for i in had if i])}
    for contest_id in had:
        by_contest.setdefault(contests.get(contest_id) if contest_id else None, [])
    every: list[Finding] = []
    for contest, items in by_contest.items():
        if not items and (contest.pk if contest else None) not in had:
            continue  # nothing now, nothing before: no query
        result.findings += store_findings(
            items, election, contest, source, kind=FindingKind.IMPORT, file_name=source_label
        )
        every += items
    result.counts = count_by_rule(every)


def _audit(user: Any, election: Election, source_label: str, result: AreaImportResult) -> None:
    from waspada.accounts import audit

    audit.record(
        user,
        "elections.results_imported",
        object_type="elections.election",
        object_id=str(election.pk),
        after={
            "file": Path(source_label).name,
            "areas": result.areas,
            "created": result.created,
            "new_versions": result.new_versions,
            "contests_created": result.contests_created,
            "candidates_created": result.candidates_created,
        },
    )
