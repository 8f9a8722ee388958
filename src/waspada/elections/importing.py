"""Import of a TPS CSV file (the documented format of ``integrity.tps_csv``) into result records, and the
findings of the checks on the current records.

    result = import_tps_csv(path, election, source="sirekap", user=None)

Idempotent: a TPS whose numbers did not change keeps its record; one whose numbers changed gets a new
version (the old one stays, not current). Rows the reader cannot use are reported (file, row, column,
reason) and skipped; unusable cells are stored empty. The findings of (election, contest, source) are then
recomputed from the current records (:func:`store_findings`): a finding found again keeps its row, status
and note, the others are removed; then the tier sums and the source comparisons of the contest
(:mod:`waspada.elections.stored_checks`).

The other formats (area long format, XLSX, Sirekap JSON) are in :mod:`import_areas` and :mod:`import_files`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from django.db import transaction
from django.db.models import Q

from waspada.elections.integrity import (
    CheckConfig,
    Finding,
    RowError,
    check_frame,
    count_by_rule,
    read_tps_csv,
)
from waspada.elections.integrity.rules import ElectionType
from waspada.elections.integrity.tps_csv import BAD_PASLON, CODE_COLUMNS, COUNT_COLUMNS, TpsTable
from waspada.elections.models import Contest, Election, ElectionKind
from waspada.elections.results import FindingKind, RecapFinding, ResultRecord, Tier
from waspada.regions.models import Region

#: CSV column → ResultRecord field.
COLUMN_FIELDS: dict[str, str] = {
    "dpt": "dpt",
    "dpt_l": "dpt_male",
    "dpt_p": "dpt_female",
    "pengguna_dpt": "voters_dpt",
    "pengguna_dptb": "voters_dptb",
    "pengguna_dpk": "voters_dpk",
    "pengguna_total": "voters_total",
    "pengguna_total_l": "voters_male",
    "pengguna_total_p": "voters_female",
    "suara_sah": "valid_votes",
    "suara_tidak_sah": "invalid_votes",
    "suara_total": "total_votes",
    "surat_suara_diterima": "ballots_received",
    "surat_suara_digunakan": "ballots_used",
    "surat_suara_tidak_digunakan": "ballots_unused",
    "surat_suara_rusak": "ballots_spoiled",
}
#: Other numeric columns, kept in ``extra``.
EXTRA_COLUMNS: tuple[str, ...] = (
    "tps_no",
    "n_c1_photos",
    "pengguna_dpt_l",
    "pengguna_dpt_p",
    "pengguna_dptb_l",
    "pengguna_dptb_p",
    "pengguna_dpk_l",
    "pengguna_dpk_p",
)
BATCH = 1000


@dataclass(slots=True)
class ImportResult:
    rows: int = 0
    created: int = 0
    new_versions: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    findings: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def dotted(code: str) -> str:
    """``6503122001`` → ``65.03.12.2001`` (a desa code, or a prefix of one)."""
    cuts = [(0, 2), (2, 4), (4, 6), (6, 10)]
    return ".".join(code[a:b] for a, b in cuts if len(code) > a)


def election_type(election: Election) -> ElectionType:
    return "pemilu" if election.kind == ElectionKind.PEMILU else "pilkada"


def _record_fields(
    row: dict[str, Any], candidates: tuple[str, ...], frame_columns: set[str]
) -> dict[str, Any]:
    out: dict[str, Any] = {f: row.get(c) for c, f in COLUMN_FIELDS.items()}
    out["votes"] = {c.removeprefix("paslon"): row[c] for c in candidates}
    out["extra"] = {c: row[c] for c in EXTRA_COLUMNS if c in frame_columns and row[c] is not None}
    if row.get(BAD_PASLON):
        out["extra"][BAD_PASLON] = True  # a paslon cell was unusable: Σ paslon is unknown
    return out


def _numbers(values: dict[str, Any]) -> tuple[object, ...]:
    return ResultRecord(**values).numbers()


def import_tps_csv(
    path: Path | str,
    election: Election,
    *,
    contest: Contest | None = None,
    source: str = "sirekap",
    user: Any = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Read, store and check one TPS file; raises ``TpsCsvError`` when the whole file is unusable."""
    table = read_tps_csv(path)
    return import_tps_table(table, election, contest=contest, source=source, user=user, progress=progress)


def import_tps_table(
    table: TpsTable,
    election: Election,
    *,
    contest: Contest | None = None,
    source: str = "sirekap",
    user: Any = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    from waspada.elections.stored_checks import check_stored

    result = ImportResult(rows=table.frame.height, errors=list(table.errors))
    file_name = Path(table.source).name
    frame_columns = set(table.frame.columns)
    per_row_file = "_file" in frame_columns  # Sirekap JSON: one file per document
    scope = {"election": election, "contest": contest, "source": source, "tier": Tier.TPS}
    desa_codes = {dotted(c) for c in table.frame["desa_code"].unique().to_list() if c}
    known = set(Region.objects.filter(code__in=desa_codes).values_list("code", flat=True))
    user_id = getattr(user, "pk", None)
    with transaction.atomic():
        current = {
            r.area_code: r
            for r in ResultRecord.objects.filter(**scope, is_current=True).only(
                "id", "area_code", "version", "votes", "extra", *COLUMN_FIELDS.values()
            )
        }
        new: list[ResultRecord] = []
        retired: list[int] = []
        total = table.frame.height
        for i, row in enumerate(table.frame.iter_rows(named=True), start=1):
            code = row["tps_code"]
            values = _record_fields(row, table.candidates, frame_columns)
            old = current.get(code)
            if old is not None and old.numbers() == _numbers(values):
                result.unchanged += 1
            else:
                region_code = dotted(row["desa_code"] or code[:10])
                new.append(
                    ResultRecord(
                        **scope,
                        **values,
                        area_code=code,
                        region_code=region_code,
                        region_id=region_code if region_code in known else None,
                        source_timestamp=(row.get("sirekap_ts") or "")[:40],
                        file_name=(row["_file"] if per_row_file else file_name)[-255:],
                        row_number=row["_row"],
                        imported_by_id=user_id,
                        version=1 if old is None else old.version + 1,
                    )
                )
                if old is None:
                    result.created += 1
                else:
                    result.new_versions += 1
                    retired.append(old.pk)
            if progress is not None and (i % BATCH == 0 or i == total):
                progress(i, total)
        for start in range(0, len(retired), BATCH):
            ResultRecord.objects.filter(pk__in=retired[start : start + BATCH]).update(is_current=False)
        ResultRecord.objects.bulk_create(new, batch_size=BATCH)
        errors = [e.to_finding() for e in table.errors]
        checked = check_frame(current_frame(election, contest, source), config_for(election))
        result.findings = store_findings(
            errors, election, contest, source, kind=FindingKind.IMPORT, file_name=table.source
        )
        result.findings += store_findings(checked, election, contest, source, kind=FindingKind.TPS)
        more = check_stored(election, [contest])
        result.findings += sum(more.values())
    result.counts = count_by_rule([*errors, *checked])
    for rule, n in more.items():
        result.counts[rule] = result.counts.get(rule, 0) + n
    return result


def config_for(election: Election) -> CheckConfig:
    return CheckConfig.for_election(election_type(election))


def current_frame(
    election: Election, contest: Contest | None, source: str, region: str | None = None
) -> pl.DataFrame:
    """The current TPS records of (election, contest, source) as a frame in the documented column names;
    only those of the desa under ``region`` (a dotted code) when given."""
    records = ResultRecord.objects.filter(
        election=election, contest=contest, source=source, tier=Tier.TPS, is_current=True
    ).order_by("row_number", "area_code")
    if region:
        records = records.filter(Q(region_code=region) | Q(region_code__startswith=region + "."))
    rows = list(
        records.values("area_code", "row_number", "votes", "extra", *COLUMN_FIELDS.values()).iterator(2000)
    )
    n_candidates = max((max((int(k) for k in r["votes"]), default=0) for r in rows), default=0)
    data: dict[str, list[Any]] = {
        "tps_code": [r["area_code"] for r in rows],
        "_row": [r["row_number"] or 0 for r in rows],
    }
    for column, digits in CODE_COLUMNS.items():
        data[column] = [r["area_code"][:digits] for r in rows]
    for column, name in COLUMN_FIELDS.items():
        values = [r[name] for r in rows]
        if column in COUNT_COLUMNS or any(v is not None for v in values):
            data[column] = values
    for n in range(1, n_candidates + 1):
        data[f"paslon{n}"] = [r["votes"].get(str(n)) for r in rows]
    for column in EXTRA_COLUMNS:
        values = [r["extra"].get(column) for r in rows]
        if any(v is not None for v in values):
            data[column] = values
    schema: dict[str, Any] = {k: (pl.Utf8 if k in ("tps_code", *CODE_COLUMNS) else pl.Int64) for k in data}
    schema["_row"] = pl.Int32
    frame = pl.DataFrame(data, schema=schema)
    return frame.with_columns(pl.Series(BAD_PASLON, [bool(r["extra"].get(BAD_PASLON)) for r in rows]))


AREA_DIGITS = (2, 4, 6, 10)


def finding_area(f: Finding) -> str:
    """The stored code of a finding: the 13-digit TPS code, or the dotted region code of an area."""
    if f.tps_code:
        return f.tps_code
    code = f.area_code or ""
    return dotted(code) if code.isdigit() and len(code) in AREA_DIGITS else code


def _region_of(area: str) -> str:
    if area.isdigit():
        return dotted(area[:10])
    return area if all(part.isdigit() for part in area.split(".")) and area else ""


def store_findings(
    findings: Iterable[Finding],
    election: Election,
    contest: Contest | None,
    source: str,
    *,
    kind: str,
    other_source: str = "",
    file_name: str | None = None,
) -> int:
    """Make the stored findings of one scope — (election, contest, source, kind, other source), and for
    import findings one file — equal to ``findings``. A finding found again (same rule, area and message)
    keeps its row, id, status and note; one no longer found is deleted; a new one is added as open.
    Returns the number of findings now stored for the scope."""
    scope = RecapFinding.objects.filter(
        election=election, contest=contest, source=source, kind=kind, other_source=other_source
    )
    if file_name is not None:
        scope = scope.filter(values__import_file=file_name)
    existing: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for pk, rule, area, message in scope.values_list("pk", "rule", "area_code", "message").iterator(5000):
        existing[(rule, area, message)].append(pk)
    new: list[RecapFinding] = []
    n = 0
    for f in findings:
        n += 1
        area = finding_area(f)[:20]
        kept = existing.get((f.rule, area, f.message))
        if kept:
            kept.pop()
            continue
        new.append(
            RecapFinding(
                election=election,
                contest=contest,
                source=source,
                other_source=other_source,
                kind=kind,
                rule=f.rule,
                severity=f.severity,
                area_code=area,
                region_code=_region_of(area),
                values=f.values if file_name is None else {**f.values, "import_file": file_name},
                message=f.message,
                suggested=f.suggested,
            )
        )
    stale = [pk for pks in existing.values() for pk in pks]
    for start in range(0, len(stale), BATCH):
        RecapFinding.objects.filter(pk__in=stale[start : start + BATCH]).delete()
    RecapFinding.objects.bulk_create(new, batch_size=BATCH)
    return n
