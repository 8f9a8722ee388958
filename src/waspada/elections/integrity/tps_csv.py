"""The documented TPS CSV format, read into a columnar frame.

The format is the one of ``kaltara_pilpres2024_tps_sirekap.csv`` (see ``docs/recap-checks.md``): a header
row, comma separators, UTF-8, quoting only where needed, and exactly these columns in any order::

    tps_code, prov_code, kab_code, kec_code, desa_code, tps_no, prov_name, kab_name, kec_name, desa_name,
    dpt, dpt_l, dpt_p, pengguna_dpt, pengguna_dptb, pengguna_dpk, pengguna_total,
    paslon1 … paslonK, suara_sah, suara_tidak_sah, suara_total, sirekap_ts, n_c1_photos

with any number K ≥ 1 of ``paslonN`` columns (kotak kosong is a paslon column). Ballot accounting columns
(``surat_suara_diterima``, ``surat_suara_digunakan``, ``surat_suara_tidak_digunakan``,
``surat_suara_rusak``) and male/female splits of the voter counts (``pengguna_total_l`` …) are optional.
An empty cell means "not read / not published". In a row where some ``paslonN`` cells are filled, an empty
``paslonN`` cell means that contest has fewer candidates than the file has columns.

Problems that make the whole file unusable (missing, empty, wrong delimiter, a required column missing)
raise :class:`TpsCsvError`. Problems of one cell or one row become :class:`RowError` (file, row, column,
reason) and the cell is left empty, so the other checks still run on the rest of the row. Rows are
numbered as a text editor shows them: the header is row 1, the first data row is row 2.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from waspada.elections.integrity.findings import Finding, finding

#: Administrative codes, with the number of digits each must have (a prefix of ``tps_code``).
CODE_COLUMNS: dict[str, int] = {"prov_code": 2, "kab_code": 4, "kec_code": 6, "desa_code": 10}
NAME_COLUMNS: tuple[str, ...] = ("prov_name", "kab_name", "kec_name", "desa_name")
#: Counts on the C.Hasil form that the rules use.
COUNT_COLUMNS: tuple[str, ...] = (
    "dpt",
    "dpt_l",
    "dpt_p",
    "pengguna_dpt",
    "pengguna_dptb",
    "pengguna_dpk",
    "pengguna_total",
    "suara_sah",
    "suara_tidak_sah",
    "suara_total",
)
REQUIRED_COLUMNS: tuple[str, ...] = (
    "tps_code",
    *CODE_COLUMNS,
    "tps_no",
    *NAME_COLUMNS,
    *COUNT_COLUMNS,
    "sirekap_ts",
    "n_c1_photos",
)
BALLOT_COLUMNS: tuple[str, ...] = (
    "surat_suara_diterima",
    "surat_suara_digunakan",
    "surat_suara_tidak_digunakan",
    "surat_suara_rusak",
)
SPLIT_COLUMNS: tuple[str, ...] = tuple(
    f"{base}_{sex}"
    for base in ("pengguna_dpt", "pengguna_dptb", "pengguna_dpk", "pengguna_total")
    for sex in ("l", "p")
)
OPTIONAL_COUNT_COLUMNS: tuple[str, ...] = BALLOT_COLUMNS + SPLIT_COLUMNS

#: Boolean column of a read frame: a paslon cell of the row was unusable, so Σ paslon is unknown.
BAD_PASLON = "_bad_paslon"

PASLON_RE = re.compile(r"^paslon(\d+)$")
#: The largest count a cell may hold (a database integer); larger values are row errors.
MAX_COUNT = 2_147_483_647
TPS_CODE_RE = r"^\d{13}$"
DELIMITERS = {",": "koma", ";": "titik koma", "\t": "tab", "|": "garis tegak"}


class TpsCsvError(ValueError):
    """The whole file cannot be used. ``str(exc)`` names the file and says why (Bahasa Indonesia)."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


@dataclass(frozen=True, slots=True)
class RowError:
    """One unusable cell or row: the cell is left empty (or the row left out) and checking goes on."""

    file: str
    row: int
    column: str | None
    value: str | None
    reason: str
    tps_code: str | None = None

    @property
    def message(self) -> str:
        where = f"{self.file} baris {self.row}" + (f", kolom {self.column}" if self.column else "")
        return f"{where}: {self.reason}"

    def to_finding(self) -> Finding:
        return finding(
            "R10",
            self.message,
            {"file": self.file, "row": self.row, "column": self.column, "value": self.value},
            tps_code=self.tps_code,
        )


@dataclass(slots=True)
class TpsTable:
    """A TPS file read into a frame: one row per TPS, counts as nullable Int64, ``_row`` = file row."""

    source: str
    frame: pl.DataFrame
    candidates: tuple[str, ...]
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: tuple[str, ...] = ()
    rows_read: int = 0


def candidate_columns(columns: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The ``paslonN`` columns in ballot order (paslon2 before paslon10)."""
    found = [(int(m.group(1)), c) for c in columns if (m := PASLON_RE.match(c))]
    return tuple(c for _, c in sorted(found))


def load_bytes(path: Path | str) -> bytes:
    """The bytes of a CSV file (gzip-compressed or not); errors name the file (Bahasa Indonesia)."""
    path = Path(path)
    source = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise TpsCsvError(source, "berkas tidak ditemukan") from None
    except IsADirectoryError:
        raise TpsCsvError(source, "ini sebuah folder, bukan berkas CSV") from None
    except OSError as exc:
        raise TpsCsvError(source, f"tidak dapat dibaca ({exc.strerror})") from None
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise TpsCsvError(source, f"berkas gzip rusak ({exc})") from None
    return data.removeprefix(b"\xef\xbb\xbf")


def read_tps_csv(path: Path | str) -> TpsTable:
    """Read a TPS CSV file (``.csv`` or ``.csv.gz``)."""
    return parse_tps_csv(load_bytes(path), source=str(path))


def header_fields(header: str, source: str) -> list[str]:
    counts = {sep: len(next(csv.reader([header], delimiter=sep))) for sep in DELIMITERS}
    best = max(counts, key=lambda sep: counts[sep])
    if best != "," and counts[best] > counts[","]:
        raise TpsCsvError(
            source,
            f"pemisah kolom salah: baris judul memakai {DELIMITERS[best]} ({best!r}), "
            "format TPS memakai koma (',')",
        )
    return [name.strip() for name in next(csv.reader([header]))]


def _check_columns(names: list[str], source: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    seen = set(names)
    doubled = sorted(name for name, n in Counter(names).items() if n > 1)
    if doubled:
        raise TpsCsvError(source, f"kolom muncul lebih dari sekali: {', '.join(doubled)}")
    missing = [c for c in REQUIRED_COLUMNS if c not in seen]
    candidates = candidate_columns(names)
    if not candidates:
        missing.append("paslon1")
    if missing:
        raise TpsCsvError(
            source,
            f"kolom wajib tidak ada: {', '.join(missing)} (kolom yang ada: {', '.join(names) or '-'})",
        )
    numbers = [int(c.removeprefix("paslon")) for c in candidates]
    expected = list(range(1, len(numbers) + 1))
    if numbers != expected:
        gap = sorted(set(range(1, max(numbers) + 1)) - set(numbers))
        raise TpsCsvError(
            source,
            f"kolom paslon harus berurutan dari paslon1: tidak ada {', '.join(f'paslon{n}' for n in gap)}",
        )
    known = set(REQUIRED_COLUMNS) | set(OPTIONAL_COUNT_COLUMNS) | set(candidates)
    ignored = tuple(n for n in names if n not in known)
    return candidates, ignored


def split_rows(data: bytes, n_columns: int, source: str) -> tuple[bytes, pl.Series, list[RowError]]:
    """Check the number of fields of every line; returns the buffer to parse, the file row number of each
    data row it holds, and one :class:`RowError` per line left out.

    The lines are counted in polars (no Python loop over rows); in the common case — no blank line, no
    short or long row, no quoted field spanning lines — the original bytes are handed on unchanged.
    """
    try:
        lines = pl.read_csv(
            io.BytesIO(data),
            has_header=False,
            separator="\x1f",
            quote_char=None,
            new_columns=["line"],
            infer_schema=False,
            encoding="utf8-lossy",
        )
    except pl.exceptions.PolarsError as exc:
        raise TpsCsvError(source, f"tidak dapat dibaca sebagai teks ({exc})") from None
    if lines.width != 1:  # a \x1f in the file: count the lines the slow way
        return _split_rows_slow(data, n_columns, source)
    info = (
        lines.with_row_index("_index")
        .slice(1)
        .select(
            (pl.col("_index") + 1).cast(pl.Int32).alias("_row"),
            "line",
            (pl.col("line").str.count_matches(",", literal=True) + 1).alias("_fields"),
            pl.col("line").str.count_matches('"', literal=True).alias("_quotes"),
            (pl.col("line").str.strip_chars().fill_null("") == "").alias("_blank"),
        )
    )
    if info.select((pl.col("_quotes") % 2 == 1).any()).item():
        return _split_rows_slow(data, n_columns, source)  # a quoted field spans lines
    quoted = info.filter((pl.col("_quotes") > 0) & ~pl.col("_blank"))
    if quoted.height:
        fields = [len(next(csv.reader([line]))) for line in quoted["line"]]
        info = info.update(quoted.select("_row", pl.Series("_fields", fields, dtype=pl.UInt32)), on="_row")
    ragged = info.filter(~pl.col("_blank") & (pl.col("_fields") != n_columns))
    errors = [
        RowError(
            source,
            row,
            None,
            None,
            f"baris berisi {n} kolom, seharusnya {n_columns}; baris ini dilewati",
            line.split(",", 1)[0].strip().strip('"') or None,
        )
        for row, line, n in ragged.select("_row", "line", "_fields").iter_rows()
    ]
    keep = info.filter(~pl.col("_blank") & (pl.col("_fields") == n_columns))
    if keep.height == info.height:
        return data, keep["_row"], errors
    header = data.split(b"\n", 1)[0].rstrip(b"\r")
    body = "\n".join(keep["line"].to_list()).encode("utf-8")
    return header + b"\n" + body + b"\n", keep["_row"], errors


def _split_rows_slow(data: bytes, n_columns: int, source: str) -> tuple[bytes, pl.Series, list[RowError]]:
    text = data.decode("utf-8", "replace")
    reader = csv.reader(io.StringIO(text, newline=""))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(next(reader))
    keep: list[int] = []
    errors: list[RowError] = []
    start = reader.line_num + 1
    for fields in reader:
        row, start = start, reader.line_num + 1
        if not fields or not any(f.strip() for f in fields):
            continue
        if len(fields) != n_columns:
            errors.append(
                RowError(
                    source,
                    row,
                    None,
                    None,
                    f"baris berisi {len(fields)} kolom, seharusnya {n_columns}; baris ini dilewati",
                    fields[0].strip() or None,
                )
            )
            continue
        writer.writerow(fields)
        keep.append(row)
    return out.getvalue().encode("utf-8"), pl.Series("_row", keep, dtype=pl.Int32), errors


def cell_errors(
    frame: pl.DataFrame, mask: pl.Expr, column: str, reason: str, source: str, code: str = "tps_code"
) -> list[RowError]:
    """A :class:`RowError` for each row where ``mask`` holds; ``{value}`` in ``reason`` is the cell."""
    bad = frame.filter(mask).select(
        "_row", pl.col(code).cast(pl.Utf8), pl.col(column).cast(pl.Utf8).alias("_value")
    )
    return [
        RowError(source, row, column, value, reason.format(value=value), key)
        for row, key, value in bad.iter_rows()
    ]


def _errors_of(suspects: pl.DataFrame, checks: list[tuple[str, pl.Expr, str]], source: str) -> list[RowError]:
    """Row errors of the (few) suspect rows: ``checks`` holds (column, mask, reason with ``{value}``)."""
    out: list[RowError] = []
    for column, mask, reason in checks:
        out += cell_errors(suspects, mask, column, reason, source)
    return out


def _first_line(data: bytes) -> bytes:
    end = data.find(b"\n")
    return (data if end < 0 else data[:end]).rstrip(b"\r")


def _fast_frame(
    data: bytes, names: list[str], numeric: list[str], source: str
) -> tuple[pl.DataFrame, list[RowError]] | None:
    """The clean-file path: one typed polars read, no per-line work. None when the file needs the
    careful path (a cell that is not an integer, a row with too many fields, a quoted field spanning
    lines, blank lines); rows with too few fields are found here and left out."""
    schema = {name: (pl.Int64 if name in numeric else pl.Utf8) for name in names}
    try:
        raw = pl.read_csv(data, schema=schema, has_header=True, encoding="utf8-lossy")
    except pl.exceptions.PolarsError:
        return None
    n_lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if raw.height != n_lines - 1:
        return None
    frame = raw.with_columns(pl.int_range(2, raw.height + 2, dtype=pl.Int32).alias("_row"))
    # A short row leaves its last cells empty: look at those lines only.
    last = names[-1]
    maybe_short = frame.filter(pl.col(last).is_null()).select("_row")
    errors: list[RowError] = []
    if maybe_short.height:
        lines = data.split(b"\n")
        drop: list[int] = []
        for (row,) in maybe_short.iter_rows():
            line = lines[row - 1].decode("utf-8", "replace")
            if not line.strip():
                return None
            n = len(next(csv.reader([line])))
            if n != len(names):
                code = line.split(",", 1)[0].strip().strip('"') or None
                errors.append(
                    RowError(
                        source,
                        row,
                        None,
                        None,
                        f"baris berisi {n} kolom, seharusnya {len(names)}; baris ini dilewati",
                        code,
                    )
                )
                drop.append(row)
        if drop:
            frame = frame.filter(~pl.col("_row").is_in(drop))
    return frame.with_columns(pl.col("tps_code").str.strip_chars()), errors


def _careful_frame(
    data: bytes, names: list[str], numeric: list[str], source: str
) -> tuple[pl.DataFrame, list[RowError]]:
    """Every cell read as text, trimmed, and converted with a row error for each unusable cell."""
    buffer, rows, errors = split_rows(data, len(names), source)
    if not rows.len():
        raise TpsCsvError(source, "tidak ada baris data (hanya baris judul)")
    try:
        raw = pl.read_csv(buffer, infer_schema=False, encoding="utf8-lossy")
    except pl.exceptions.PolarsError as exc:
        raise TpsCsvError(source, f"tidak dapat dibaca sebagai CSV ({exc})") from None
    if raw.height != rows.len():
        raise TpsCsvError(
            source, f"jumlah baris tidak konsisten ({raw.height} terbaca, {rows.len()} diharapkan)"
        )
    raw.columns = [name.strip() for name in raw.columns]
    frame = raw.with_columns(
        [pl.col(c).str.strip_chars() for c in ("tps_code", *CODE_COLUMNS, *numeric)]
    ).with_columns(rows.alias("_row"))
    checks: list[tuple[str, pl.Expr, str]] = []
    for column in numeric:
        value = pl.col(column).cast(pl.Int64, strict=False)
        checks.append(
            (column, pl.col(column).is_not_null() & value.is_null(), "'{value}' bukan bilangan bulat")
        )
    suspects = frame.filter(pl.any_horizontal([mask for _, mask, _ in checks]))
    if suspects.height:
        errors += _errors_of(suspects, checks, source)
    return frame.with_columns([pl.col(c).cast(pl.Int64, strict=False) for c in numeric]), errors


def parse_tps_csv(data: bytes, *, source: str = "<data>") -> TpsTable:
    """Parse the bytes of a TPS CSV file; ``source`` names it in every message."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    if re.search(rb"\S", data) is None:
        raise TpsCsvError(source, "berkas kosong (tidak ada baris judul maupun data)")
    if b"\x00" in data[:4096]:
        raise TpsCsvError(source, "bukan berkas teks CSV (berisi data biner)")
    names = header_fields(_first_line(data).decode("utf-8", "replace"), source)
    candidates, ignored = _check_columns(names, source)
    if re.search(rb"\n\s*\S", data) is None:
        raise TpsCsvError(source, "tidak ada baris data (hanya baris judul)")
    numeric = [*COUNT_COLUMNS, *candidates, "tps_no", "n_c1_photos"]
    numeric += [c for c in OPTIONAL_COUNT_COLUMNS if c in names]
    fast = _fast_frame(data, names, numeric, source) if names == [n.strip() for n in names] else None
    frame, errors = fast if fast is not None else _careful_frame(data, names, numeric, source)
    frame = frame.select("tps_code", *CODE_COLUMNS, *NAME_COLUMNS, "sirekap_ts", *numeric, "_row")
    rows_read = frame.height + sum(1 for e in errors if e.column is None)

    code = pl.col("tps_code")
    valid_code = code.fill_null("").str.contains(TPS_CODE_RE)
    checks: list[tuple[str, pl.Expr, str]] = [
        ("tps_code", code.is_null(), "kode TPS kosong; baris ini dilewati"),
        (
            "tps_code",
            code.is_not_null() & ~valid_code,
            "kode TPS '{value}' harus 13 angka; baris ini dilewati",
        ),
        (
            "tps_no",
            valid_code & (pl.col("tps_no") != code.str.slice(10, 3).cast(pl.Int64, strict=False)),
            "nomor TPS {value} tidak cocok dengan 3 angka terakhir tps_code",
        ),
    ]
    for column, digits in CODE_COLUMNS.items():
        checks.append(
            (
                column,
                pl.col(column).is_not_null()
                & (pl.col(column).str.strip_chars() != code.str.slice(0, digits)),
                f"kode '{{value}}' tidak cocok dengan tps_code (seharusnya {digits} angka awal)",
            )
        )
    for column in numeric:
        checks.append((column, pl.col(column) < 0, "'{value}' negatif; jumlah tidak boleh kurang dari 0"))
        checks.append((column, pl.col(column) > MAX_COUNT, "'{value}' terlalu besar untuk sebuah hitungan"))
    # One pass finds the rows with any problem; only those (usually none) are examined cell by cell.
    checks = [(c, m.fill_null(False), r) for c, m, r in checks]
    suspects = frame.filter(pl.any_horizontal([mask for _, mask, _ in checks]))
    if suspects.height:
        errors += _errors_of(suspects, checks, source)
    frame = frame.filter(valid_code)
    doubled = frame.filter(code.is_duplicated())
    if doubled.height:
        first = doubled.group_by("tps_code").agg(pl.col("_row").min().alias("_first"))
        later = doubled.join(first, on="tps_code").filter(pl.col("_row") != pl.col("_first"))
        errors += [
            RowError(source, row, "tps_code", tps, f"kode TPS {tps} sudah ada di baris {first_row}", tps)
            for row, tps, first_row in later.select("_row", "tps_code", "_first").iter_rows()
        ]
        frame = frame.filter(code.is_first_distinct())
    # Region codes are prefixes of the TPS code (filled when empty, repaired when contradicting);
    # counts are non-negative integers, anything else is left empty.
    frame = frame.with_columns(
        [code.str.slice(0, digits).alias(column) for column, digits in CODE_COLUMNS.items()]
        + [
            pl.when(pl.col(c).is_between(0, MAX_COUNT)).then(pl.col(c)).otherwise(None).alias(c)
            for c in numeric
        ]
    )
    bad_paslon = sorted({e.row for e in errors if e.column in candidates})
    frame = frame.with_columns(pl.col("_row").is_in(bad_paslon).alias(BAD_PASLON))
    errors.sort(key=lambda e: (e.row, e.column or ""))
    return TpsTable(
        source=source,
        frame=frame,
        candidates=candidates,
        errors=errors,
        ignored_columns=ignored,
        rows_read=rows_read,
    )
