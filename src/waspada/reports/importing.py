"""File import of reports (CSV and XLSX): reading the file, reading each row, and creating the reports.

Reading is pure (no Django, no database): :func:`read_table` (in ``import_reading``, with the cell parsers)
turns the bytes of a file into a table of cells; :func:`parse_table` here turns every row into a validated
:class:`ReportIn` or a list of :class:`RowError` naming the row (as the user sees it in Excel: the header is
row 1), the column (as written in the file's header) and the reason in Bahasa Indonesia. The last part,
:func:`import_table`, creates the good rows through ``services.create_report`` with channel "import", inside
the importing user's scope.

The columns are defined once, in ``import_reading.COLUMNS``, and documented in ``docs/import-format.md``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from waspada.reports.import_reading import (
    COLUMN_NAMES,
    COLUMNS,
    DOMAIN_WORDS,
    HEADER_KEYS,
    RELIABILITY_WORDS,
    REQUIRED,
    URGENCY_WORDS,
    WHEN_HINT,
    CellError,
    ImportFileError,
    Table,
    choice_parser,
    header_key,
    is_filled,
    parse_actors,
    parse_client_id,
    parse_count,
    parse_event_type,
    parse_float,
    parse_region_code,
    parse_text,
    parse_time_precision,
    parse_when,
    plain,
    read_table,
)
from waspada.reports.schemas import MAX_DESCRIPTION, ReportIn

log = logging.getLogger("waspada.reports.import")


# --------------------------------------------------------------------------------------------------
# Reading a row
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int
    column: str  # the header as written in the file; "" for the row as a whole
    message: str

    def text(self, filename: str) -> str:
        where = f", kolom {self.column}" if self.column else ""
        return f"{filename}, baris {self.row}{where}: {self.message}"


@dataclass
class ParsedRow:
    row: int
    report: ReportIn | None
    errors: list[RowError] = field(default_factory=list)
    region_column: str = "kode_wilayah"  # the column the region came from (kode_wilayah or wilayah)
    known: str = ""  # the id_klien of a row imported before: not read again ("sudah ada")

    @property
    def client_id(self) -> str:
        return self.report.client_id if self.report is not None else ""


@dataclass(frozen=True)
class Layout:
    """Where each known column is in the file, and how its header is written there."""

    index: dict[str, int]
    written: dict[str, str]
    ignored: list[str]

    def header_for_field(self, field_name: str, *, region_from_name: bool = False) -> str:
        if field_name == "region":
            name = "wilayah" if region_from_name or "kode_wilayah" not in self.index else "kode_wilayah"
            return self.written.get(name, name)
        if field_name == "reporter":
            return self.written.get("nama_pelapor") or self.written.get("telepon_pelapor", "nama_pelapor")
        for column in COLUMNS:
            if column.field == field_name:
                return self.written.get(column.name, column.name)
        return ""


def layout_of(table: Table) -> Layout:
    """Map the header to the known columns; :class:`ImportFileError` for missing or repeated columns."""
    index: dict[str, int] = {}
    written: dict[str, str] = {}
    ignored: list[str] = []
    for position, header in enumerate(table.headers):
        if not header:
            continue
        name = HEADER_KEYS.get(header_key(header))
        if name is None:
            ignored.append(header)
            continue
        if name in index:
            raise ImportFileError(
                table.filename,
                f"kolom {name} muncul dua kali di baris judul ({written[name]!r} dan {header!r}).",
            )
        index[name] = position
        written[name] = header
    missing = [name for name in REQUIRED if name not in index]
    if "kode_wilayah" not in index and "wilayah" not in index:
        missing.insert(0, "kode_wilayah (atau wilayah)")
    if missing:
        raise ImportFileError(
            table.filename,
            f"kolom wajib tidak ada di baris judul (baris {table.header_row}): {', '.join(missing)}. "
            f"Kolom yang dikenal: {', '.join(COLUMN_NAMES)}. Unduh templat untuk contoh.",
        )
    return Layout(index, written, ignored)


# Column → (ReportIn field, cell parser). The region, reporter and actor columns are handled apart.
_CELL_PARSERS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "jenis": ("event_type", lambda v: parse_event_type(plain(v))),
    "waktu": ("occurred_at", parse_when),
    "presisi_waktu": ("time_precision", parse_time_precision),
    "keterangan": ("description", parse_text),
    "urgensi": ("urgency", choice_parser(URGENCY_WORDS, "Tingkat urgensi")),
    "tewas": ("killed", parse_count),
    "luka": ("injured", parse_count),
    "bangunan_rusak": ("buildings_damaged", parse_count),
    "mengungsi": ("displaced", parse_count),
    "aktor": ("actors", lambda v: parse_actors(plain(v))),
    "lon": ("lon", parse_float),
    "lat": ("lat", parse_float),
    "id_klien": ("client_id", parse_client_id),
    "bidang": ("threat_domain", choice_parser(DOMAIN_WORDS, "Bidang ancaman")),
    "keandalan": ("source_reliability", choice_parser(RELIABILITY_WORDS, "Keandalan sumber")),
}
_REQUIRED_MESSAGES = {
    "jenis": "Jenis kejadian wajib diisi.",
    "waktu": "Waktu kejadian wajib diisi.",
    "keterangan": "Keterangan tidak boleh kosong.",
}
PRIVATE_COLUMNS = ("nama_pelapor", "telepon_pelapor")  # their values never appear in a message

NameResolver = Callable[[str], str]  # region name → code, ValueError (Indonesian) when not exactly one
CodeChecker = Callable[[str], None]  # ValueError (Indonesian) for a code not in the gazetteer or the scope


def parse_row(
    number: int,
    cells: Sequence[Any],
    layout: Layout,
    resolve_name: NameResolver | None,
    check_code: CodeChecker | None = None,
) -> ParsedRow:
    """One row of cells → a validated ReportIn, or the errors of each column."""

    def cell(name: str) -> Any:
        position = layout.index.get(name)
        return cells[position] if position is not None and position < len(cells) else None

    errors: dict[str, str] = {}  # column name → message
    values: dict[str, Any] = {"language": "id"}
    for name, (field_name, parse) in _CELL_PARSERS.items():
        raw = cell(name)
        if not is_filled(raw):
            if name in _REQUIRED_MESSAGES:
                errors[name] = _REQUIRED_MESSAGES[name]
            continue
        try:
            values[field_name] = parse(raw)
        except CellError as exc:
            errors[name] = str(exc)
    region_column = _read_region(cell, values, errors, resolve_name, check_code)
    name, phone = plain(cell("nama_pelapor")), plain(cell("telepon_pelapor"))
    if name or phone:
        values["reporter"] = {"name": name, "phone": phone}
    report: ReportIn | None = None
    try:
        report = ReportIn.model_validate(values)
    except ValidationError as exc:
        for err in exc.errors():
            column = _column_of(err, region_column)
            if column and column not in errors:
                errors[column] = _message_of(err, private=column in PRIVATE_COLUMNS)
    in_file_order = sorted(errors.items(), key=lambda item: layout.index.get(item[0], len(layout.index)))
    rows_errors = [RowError(number, layout.written.get(c, c), m) for c, m in in_file_order]
    return ParsedRow(number, None if rows_errors else report, rows_errors, region_column)


def _read_region(
    cell: Callable[[str], Any],
    values: dict[str, Any],
    errors: dict[str, str],
    resolve: NameResolver | None,
    check: CodeChecker | None,
) -> str:
    """Fill ``values["region"]`` from kode_wilayah, else from the wilayah name; returns the column used."""
    code, name = cell("kode_wilayah"), plain(cell("wilayah"))
    if is_filled(code):
        try:
            values["region"] = parse_region_code(code)
            if check is not None:
                check(values["region"])
        except (CellError, ValueError) as exc:
            values.pop("region", None)
            errors["kode_wilayah"] = str(exc)
        return "kode_wilayah"
    if name:
        if resolve is None:
            errors["wilayah"] = "Nama wilayah tidak dapat dicari di sini; isi kode_wilayah."
        else:
            try:
                values["region"] = resolve(name)
            except ValueError as exc:
                errors["wilayah"] = str(exc)
        return "wilayah"
    errors["kode_wilayah"] = (
        "Wilayah wajib diisi: kode_wilayah (mis. 65.03.01.2001) atau nama di kolom wilayah."
    )
    return "kode_wilayah"


_FIELD_COLUMNS = {c.field: c.name for c in COLUMNS if c.field not in {"region", "reporter"}}


def _column_of(err: Any, region_column: str) -> str:
    loc = [str(p) for p in err.get("loc", ())]
    if not loc:
        return ""
    if loc[0] == "region":
        return region_column
    if loc[0] == "reporter":
        return "telepon_pelapor" if "phone" in loc else "nama_pelapor"
    return _FIELD_COLUMNS.get(loc[0], "")


def _message_of(err: Any, *, private: bool = False) -> str:
    kind, ctx = str(err.get("type", "")), err.get("ctx") or {}
    if kind == "string_too_long":
        extra = " (batas keterangan 10.000 karakter)" if ctx.get("max_length") == MAX_DESCRIPTION else ""
        return f"Terlalu panjang: paling banyak {ctx.get('max_length')} karakter{extra}."
    if kind in {"string_too_short", "missing"}:
        return "Wajib diisi."
    if kind in {"greater_than_equal", "greater_than"}:
        return f"Nilai terlalu kecil: paling kecil {ctx.get('ge', ctx.get('gt'))}."
    if kind in {"less_than_equal", "less_than"}:
        return f"Nilai terlalu besar: paling besar {ctx.get('le', ctx.get('lt'))}."
    if kind == "string_pattern_mismatch":
        return "Berisi karakter yang tidak diizinkan." + (
            " Nomor telepon hanya angka, spasi, + ( ) -." if private else ""
        )
    if kind == "value_error" and not private:
        message = str(err.get("msg", "")).removeprefix("Value error, ")
        return message[:1].upper() + message[1:]
    if kind.startswith("datetime"):
        return f"Waktu tidak dapat dibaca. {WHEN_HINT}"
    return "Isian tidak valid."


def raw_client_ids(table: Table, layout: Layout) -> list[str]:
    """The id_klien cells of a table, as written."""
    position = layout.index.get("id_klien")
    if position is None:
        return []
    return [
        plain(cells[position])
        for _, cells in table.rows
        if position < len(cells) and is_filled(cells[position])
    ]


def parse_table(
    table: Table,
    resolve_name: NameResolver | None = None,
    *,
    check_code: CodeChecker | None = None,
    imported: Collection[str] = (),
) -> tuple[Layout, list[ParsedRow]]:
    """Every data row of a table, parsed; a repeated id_klien within the file is an error on the later row.
    Rows whose id_klien is in ``imported`` (imported before) are not read again: their ``known`` is set."""
    layout = layout_of(table)
    parsed: list[ParsedRow] = []
    first_row_of: dict[str, int] = {}
    id_position = layout.index.get("id_klien")
    for number, cells in table.rows:
        if imported and id_position is not None and id_position < len(cells):
            raw = plain(cells[id_position])
            if raw and raw in imported:
                parsed.append(ParsedRow(number, None, known=raw))
                continue
        row = parse_row(number, cells, layout, resolve_name, check_code)
        client_id = row.client_id
        if client_id:
            if client_id in first_row_of:
                row = ParsedRow(
                    number,
                    None,
                    [
                        RowError(
                            number,
                            layout.written.get("id_klien", "id_klien"),
                            f"id_klien {client_id!r} sudah dipakai di baris {first_row_of[client_id]} berkas ini.",
                        )
                    ],
                )
            else:
                first_row_of[client_id] = number
        parsed.append(row)
    return layout, parsed


# --------------------------------------------------------------------------------------------------
# Creating the reports (Django)
# --------------------------------------------------------------------------------------------------

IMPORTED, EXISTS, FAILED, READY, CANCELLED = "diimpor", "sudah ada", "gagal", "siap diimpor", "dibatalkan"


class ImportRefused(Exception):
    """The user may not import reports at all; the message is in Bahasa Indonesia."""


@dataclass
class RowOutcome:
    row: int
    status: str
    errors: list[RowError] = field(default_factory=list)
    number: str = ""  # report number (L-12) of an imported or already imported row


@dataclass
class ImportResult:
    filename: str
    outcomes: list[RowOutcome]
    ignored_columns: list[str]
    dry_run: bool = False
    all_or_nothing: bool = False

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def failed(self) -> int:
        return self.count(FAILED)

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def errors(self) -> list[RowError]:
        return [e for o in self.outcomes for e in o.errors]

    def error_lines(self) -> list[str]:
        return [e.text(self.filename) for e in self.errors()]

    def summary(self) -> str:
        parts = [f"{self.filename}: {len(self.outcomes)} baris data"]
        for status in (IMPORTED, READY, EXISTS, FAILED, CANCELLED):
            if self.count(status):
                parts.append(f"{self.count(status)} {status}")
        text = ", ".join(parts) + "."
        if self.dry_run:
            text += " Uji coba (--dry-run): tidak ada yang disimpan."
        elif self.all_or_nothing and not self.ok:
            text += " Semua-atau-tidak-sama-sekali: tidak ada yang diimpor karena ada baris yang gagal."
        if self.ignored_columns:
            text += f" Kolom yang tidak dikenal dan diabaikan: {', '.join(self.ignored_columns)}."
        return text


def can_import(user: Any) -> bool:
    """Analis, Koordinator and Admin import reports (each row still inside their own region scope)."""
    from waspada.accounts.access import Action, may

    return may(user, Action.REVIEW_REPORTS)


def name_resolver(scope: str | None) -> NameResolver:
    """Resolve a region name inside ``scope``: "Tanjungkarang" or, to tell namesakes apart, "Tanjungkarang,
    Sebatik" (the parts after a comma name the parents). Only an unambiguous exact match is accepted."""
    from waspada.regions.lookup import search_names

    def one(name: str, within: str | None) -> str:
        matches = search_names(name, within=within, limit=8)
        exact = [m for m in matches if m.reason == "exact"]
        if exact:
            top = max(m.score for m in exact)
            best = [m for m in exact if m.score == top]
            if len(best) == 1:
                return best[0].code
            listed = "; ".join(f"{m.name} ({m.code})" for m in best[:5])
            raise ValueError(
                f"Nama wilayah {name!r} ada di beberapa tempat: {listed}. Isi kode_wilayah, atau tambahkan "
                f'induknya setelah koma, mis. "{name}, nama kecamatan".'
            )
        where = " di cakupan wilayah Anda" if within else ""
        hint = "; ".join(f"{m.name} ({m.code})" for m in matches[:3])
        raise ValueError(
            f"Wilayah {name!r} tidak ditemukan{where}." + (f" Mungkin maksud Anda: {hint}." if hint else "")
        )

    def resolve(text: str) -> str:
        parts = [p.strip() for p in text.split(",") if p.strip()]
        if not parts:
            raise ValueError("Nama wilayah kosong.")
        within = scope
        for part in reversed(parts):
            within = one(part, within)
        assert within is not None
        return within

    return resolve


def code_checker(user: Any) -> CodeChecker:
    """Whether a region code is in the gazetteer and in ``user``'s scope, so that a row with other problems
    reports its region too (``create_report`` checks both again)."""
    from waspada.reports import access, services

    known: dict[str, str] = {}

    def check(code: str) -> None:
        if code not in known:
            try:
                region = services.resolve_region(code)
            except services.ReportRejected as exc:
                known[code] = exc.message
            else:
                inside = access.can_submit_in(user, region.code)
                known[code] = "" if inside else f"Wilayah {region.code} di luar cakupan wilayah Anda."
        if known[code]:
            raise ValueError(known[code])

    return check


def import_file(
    filename: str,
    data: bytes,
    user: Any,
    *,
    all_or_nothing: bool = False,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    simulated: bool = False,
) -> ImportResult:
    """Read and import one file as ``user``. :class:`ImportFileError` when the file cannot be read,
    :class:`ImportRefused` when the user may not import."""
    if not can_import(user):
        raise ImportRefused("Hanya Analis, Koordinator dan Admin yang dapat mengimpor laporan.")
    return import_table(
        read_table(filename, data),
        user,
        all_or_nothing=all_or_nothing,
        dry_run=dry_run,
        progress=progress,
        simulated=simulated,
    )


def import_table(
    table: Table,
    user: Any,
    *,
    all_or_nothing: bool = False,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    simulated: bool = False,
) -> ImportResult:
    """Create the good rows of a table through ``services.create_report`` (channel "import").

    A row whose id_klien this user imported before is skipped as "sudah ada". Without ``all_or_nothing``
    each row is committed on its own, so a crash loses nothing already imported; with it, every row is in
    one transaction that is rolled back when any row fails. ``dry_run`` runs everything and rolls back.
    ``simulated`` marks the reports as demo data (the demo scenario imports through here)."""
    from contextlib import nullcontext

    from django.db import transaction

    from waspada.accounts import audit
    from waspada.accounts.access import actor_for

    if not can_import(user):
        raise ImportRefused("Hanya Analis, Koordinator dan Admin yang dapat mengimpor laporan.")
    actor = actor_for(user)
    existing = _already_imported(user, raw_client_ids(table, layout_of(table)))
    layout, parsed = parse_table(
        table, name_resolver(actor.scope if actor else None), check_code=code_checker(user), imported=existing
    )
    outcomes: list[RowOutcome] = []
    one_transaction = all_or_nothing or dry_run
    with transaction.atomic() if one_transaction else nullcontext():
        for done, row in enumerate(parsed, 1):
            outcomes.append(_import_row(row, layout, user, existing, dry_run=dry_run, simulated=simulated))
            if progress is not None:
                progress(done, len(parsed))
        result = ImportResult(table.filename, outcomes, layout.ignored, dry_run, all_or_nothing)
        if dry_run or (all_or_nothing and not result.ok):
            transaction.set_rollback(True)
            if not dry_run:
                for outcome in outcomes:
                    if outcome.status == IMPORTED:
                        outcome.status, outcome.number = CANCELLED, ""
    if not dry_run and (result.count(IMPORTED) or result.failed):
        audit.record(
            user,
            "reports.imported",
            object_type="reports.import",
            object_id=table.filename[:64],
            note=result.summary(),
        )
    return result


def _already_imported(user: Any, client_ids: list[str]) -> dict[str, str]:
    from waspada.reports.models import Report

    found: dict[str, str] = {}
    for start in range(0, len(client_ids), 500):
        rows = Report.objects.filter(
            submitted_by=user, channel="import", client_id__in=client_ids[start : start + 500]
        ).values_list("client_id", "pk")
        found.update((cid, f"L-{pk}") for cid, pk in rows)
    return found


def _import_row(
    row: ParsedRow, layout: Layout, user: Any, existing: dict[str, str], *, dry_run: bool, simulated: bool
) -> RowOutcome:
    from django.db import DatabaseError, transaction

    from waspada.reports import services

    if row.known:
        return RowOutcome(row.row, EXISTS, number=existing[row.known])
    if row.report is None:
        return RowOutcome(row.row, FAILED, row.errors)
    try:
        with transaction.atomic():
            report = services.create_report(
                row.report,
                services.Submission(
                    "import", user=user, reporter=_reporter_for(row.report), simulated=simulated
                ),
            )
    except services.ReportRejected as exc:
        column = layout.header_for_field(exc.field, region_from_name=row.region_column == "wilayah")
        return RowOutcome(row.row, FAILED, [RowError(row.row, column, exc.message)])
    except DatabaseError as exc:
        log.warning("import row %s of %s not stored: %s", row.row, layout.written, type(exc).__name__)
        return RowOutcome(row.row, FAILED, [RowError(row.row, "", "Baris ini tidak dapat disimpan.")])
    if row.client_id:
        existing[row.client_id] = report.number
    return RowOutcome(row.row, READY if dry_run else IMPORTED, number="" if dry_run else report.number)


def _reporter_for(data: ReportIn) -> Any:
    """The reporter named in the row: the one already known by that phone number, else a new one."""
    from waspada.reports.models import Reporter

    if data.reporter is None or data.anonymous:
        return None
    name, phone = data.reporter.name.strip(), data.reporter.phone.strip()
    if not name and not phone:
        return None
    if phone:
        known = Reporter.objects.filter(phone=phone).order_by("pk").first()
        if known is not None:
            return known
    return Reporter.objects.create(name=name, phone=phone)
