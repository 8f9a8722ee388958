"""Import of a TPS CSV file (the documented format of ``integrity.tps_csv``) into result records, and the
findings of the checks on the current records.

    result = import_tps_csv(path, election, source="sirekap", user=None)

Idempotent: a TPS whose numbers did not change keeps its record; one whose numbers changed gets a new
version (the old one stays, not current). Rows the reader cannot use are reported (file, row, column,
reason) and skipped; unusable cells are stored empty. The findings of (election, contest, source) are then
recomputed from the current records: findings still present keep their status (acknowledged stays
acknowledged), the others are removed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from django.db import transaction

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
from waspada.elections.results import FindingStatus, RecapFinding, ResultRecord, Tier
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
    result = ImportResult(rows=table.frame.height, errors=list(table.errors))
    file_name = Path(table.source).name
    frame_columns = set(table.frame.columns)
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
                        file_name=file_name[:255],
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
        findings = [e.to_finding() for e in table.errors]
        findings += check_frame(current_frame(election, contest, source), config_for(election))
        result.findings = store_findings(findings, election, contest, source)
    result.counts = count_by_rule(findings)
    return result


def config_for(election: Election) -> CheckConfig:
    return CheckConfig.for_election(election_type(election))


def current_frame(election: Election, contest: Contest | None, source: str) -> pl.DataFrame:
    """The current TPS records of (election, contest, source) as a frame in the documented column names."""
    records = ResultRecord.objects.filter(
        election=election, contest=contest, source=source, tier=Tier.TPS, is_current=True
    ).order_by("row_number", "area_code")
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


def _key(rule: str, area: str, message: str) -> tuple[str, str, str]:
    return (rule, area, message)


def store_findings(findings: list[Finding], election: Election, contest: Contest | None, source: str) -> int:
    """Replace the findings of (election, contest, source); those found again keep their status."""
    existing = RecapFinding.objects.filter(election=election, contest=contest, source=source)
    acknowledged = {
        _key(rule, area, message)
        for rule, area, message in existing.filter(status=FindingStatus.ACKNOWLEDGED).values_list(
            "rule", "area_code", "message"
        )
    }
    existing.delete()
    rows = []
    for f in findings:
        area = f.tps_code or f.area_code or ""
        digits = area if area.isdigit() else area.replace(".", "")
        key = _key(f.rule, area, f.message)
        rows.append(
            RecapFinding(
                election=election,
                contest=contest,
                source=source,
                rule=f.rule,
                severity=f.severity,
                area_code=area,
                region_code=dotted(digits[:10]) if digits else "",
                values=f.values,
                message=f.message,
                suggested=f.suggested,
                status=FindingStatus.ACKNOWLEDGED if key in acknowledged else FindingStatus.OPEN,
            )
        )
    RecapFinding.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)
