"""One entry for every result file format: the kind is told from the name and the content.

    summary = import_results(name, data, election, source="sirekap", candidates=table, user=user)

* ``.xlsx`` — a workbook in the TPS format (sheet ``TPS``) or the area long format (sheet ``Wilayah``);
* ``.json``, ``.jsonl``, ``.json.gz``, ``.zip`` — Sirekap documents (TPS documents and/or area documents);
* anything else (``.csv``, ``.csv.gz``) — CSV, its header telling the TPS format from the area long format.

TPS rows go to :func:`waspada.elections.importing.import_tps_table`, area rows to
:func:`waspada.elections.import_areas.import_area_table`. A file that cannot be used at all raises
:class:`~waspada.elections.integrity.tps_csv.TpsCsvError` naming the file; nothing is stored then.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import polars as pl

from waspada.elections.import_areas import AreaImportResult, import_area_table
from waspada.elections.importing import ImportResult, dotted, import_tps_table
from waspada.elections.integrity.candidates import CandidateTable, parse_candidates_csv
from waspada.elections.integrity.sirekap_json import parse_sirekap_json
from waspada.elections.integrity.spreadsheet import detect_kind, xlsx_to_csv
from waspada.elections.integrity.tiers import parse_area_long_csv
from waspada.elections.integrity.tps_csv import RowError, TpsCsvError, TpsTable, parse_tps_csv
from waspada.elections.models import Contest, Election

Format = Literal["tps", "area", "json"]
JSON_SUFFIXES = (".json", ".jsonl", ".json.gz", ".zip")


@dataclass(slots=True)
class ImportSummary:
    """What one file gave: the format read, and the TPS part and/or the area part of the import."""

    name: str
    format: str
    tps: ImportResult | None = None
    areas: AreaImportResult | None = None
    documents: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for part in (self.tps, self.areas):
            for rule, n in (part.counts if part else {}).items():
                out[rule] = out.get(rule, 0) + n
        return out

    @property
    def changed(self) -> bool:
        tps = self.tps is not None and bool(self.tps.created or self.tps.new_versions)
        return tps or (self.areas is not None and self.areas.changed)


def read_candidates(name: str, data: bytes) -> CandidateTable:
    if name.lower().endswith(".xlsx"):
        data, name = xlsx_to_csv(data, name)
    return parse_candidates_csv(data, source=name)


def _unzip(data: bytes, name: str) -> bytes:
    if data[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise TpsCsvError(name, f"berkas gzip rusak ({exc})") from None
    return data


def restrict_tps(table: TpsTable, allowed: Callable[[str], bool]) -> TpsTable:
    """Leave out (with a row error each) the TPS whose desa ``allowed`` refuses."""
    codes = table.frame["tps_code"].to_list()
    refused = {code for code in set(codes) if not allowed(dotted(code[:10]))}
    if not refused:
        return table
    bad = table.frame.filter(pl.col("tps_code").is_in(refused))
    errors = [
        RowError(table.source, row, "tps_code", code, "TPS di luar wilayah Anda; baris ini dilewati", code)
        for code, row in bad.select("tps_code", "_row").iter_rows()
    ]
    frame = table.frame.filter(~pl.col("tps_code").is_in(refused))
    return TpsTable(
        table.source,
        frame,
        table.candidates,
        [*table.errors, *errors],
        table.ignored_columns,
        table.rows_read,
    )


def import_results(
    name: str,
    data: bytes,
    election: Election,
    *,
    contest: Contest | None = None,
    source: str = "sirekap",
    candidates: CandidateTable | None = None,
    race_type: str | None = None,
    area: str | None = None,
    user: Any = None,
    allowed: Callable[[str], bool] | None = None,
    create_contests: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> ImportSummary:
    """Read ``data`` (the content of the file called ``name``) in its format and store it."""
    lower = name.lower()
    if lower.endswith(JSON_SUFFIXES):
        numbers = {c.candidate_id: c.ballot_no for c in candidates.candidates} if candidates else None
        docs = parse_sirekap_json(name, data, candidate_numbers=numbers, race_type=race_type)
        if docs.tps is None and docs.areas is None:
            detail = f": {docs.errors[0].message}" if docs.errors else ""
            raise TpsCsvError(
                name, f"tidak ada dokumen Sirekap yang dapat dipakai ({docs.documents} dibaca){detail}"
            )
        summary = ImportSummary(name, "json", documents=docs.documents, errors=list(docs.errors))
        if docs.tps is not None:
            tps = docs.tps
            tps.errors = list(docs.errors)  # the documents' errors are stored with the TPS part
            summary.tps = _tps(tps, election, contest, source, user, allowed, progress)
        if docs.areas is not None:
            docs.areas.errors = [] if docs.tps is not None else list(docs.errors)
            summary.areas = import_area_table(
                docs.areas,
                election,
                candidates=candidates,
                source=source,
                user=user,
                area=area,
                allowed=allowed,
                create_contests=create_contests,
                progress=progress,
            )
        return summary
    label = name
    if lower.endswith(".xlsx"):
        data, label = xlsx_to_csv(data, name)
    else:
        data = _unzip(data, name)
    kind = detect_kind(data, label)
    if kind == "tps":
        table = parse_tps_csv(data, source=label)
        summary = ImportSummary(name, "tps", errors=list(table.errors))
        summary.tps = _tps(table, election, contest, source, user, allowed, progress)
        return summary
    if kind == "area":
        areas = parse_area_long_csv(data, source=label)
        summary = ImportSummary(name, "area", errors=list(areas.errors))
        summary.areas = import_area_table(
            areas,
            election,
            candidates=candidates,
            source=source,
            user=user,
            area=area,
            allowed=allowed,
            create_contests=create_contests,
            progress=progress,
        )
        return summary
    if kind == "candidates":
        raise TpsCsvError(label, "ini berkas calon: berikan sebagai berkas calon, bersama berkas hasilnya")
    raise TpsCsvError(
        label,
        "format tidak dikenal: format TPS perlu kolom tps_code; format wilayah perlu kolom "
        "race_type, race_code, level, area_code, candidate_id, votes",
    )


def _tps(
    table: TpsTable,
    election: Election,
    contest: Contest | None,
    source: str,
    user: Any,
    allowed: Callable[[str], bool] | None,
    progress: Callable[[int, int], None] | None,
) -> ImportResult:
    if allowed is not None:
        table = restrict_tps(table, allowed)
    result = import_tps_table(table, election, contest=contest, source=source, user=user, progress=progress)
    if user is not None and (result.created or result.new_versions):
        from waspada.accounts import audit

        audit.record(
            user,
            "elections.results_imported",
            object_type="elections.election",
            object_id=str(election.pk),
            after={
                "file": table.source,
                "tps": result.rows,
                "created": result.created,
                "new_versions": result.new_versions,
            },
        )
    return result
