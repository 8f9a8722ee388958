"""``waspada risk …``: compute the vulnerability index, import static indicator tables, store snapshots."""

from __future__ import annotations

import csv
import datetime as dt
import math
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from waspada.regions.models import Region
from waspada.risk.active import active_config
from waspada.risk.compute import IndexResult, compute
from waspada.risk.config import ConfigError, IndexConfig, StaticSource, load_config
from waspada.risk.models import StaticIndicatorValue
from waspada.risk.sources import gather
from waspada.risk.store import store_snapshot

#: The CSV contract of ``waspada risk compute`` (keep it stable).
CSV_COLUMNS = ("code", "name", "level", "score", "category", "top_1", "top_2", "top_3")
STATIC_COLUMNS = ("indicator", "code", "value")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--at {text!r}: tanggal harus YYYY-MM-DD") from None


def read_table(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV or XLSX file as text, keyed by lower-case column name."""
    if not path.is_file():
        raise CommandError(f"{path}: berkas tidak ditemukan")
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise CommandError(f"{path}: bukan berkas XLSX yang sah ({exc})") from None
        cells = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        if not cells:
            return []
        header = [h.strip().lower() for h in cells[0]]
        return [dict(zip(header, row, strict=False)) for row in cells[1:]]
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            return [{(k or "").strip().lower(): (v or "") for k, v in row.items()} for row in reader]
    except UnicodeDecodeError:
        raise CommandError(f"{path}: bukan teks UTF-8; simpan ulang sebagai CSV UTF-8") from None


def validate_static(
    config: IndexConfig, rows: list[dict[str, str]]
) -> tuple[list[tuple[str, str, float, str]], list[str]]:
    """Valid (indicator, code, value, source) rows and one message per problem, naming row and column."""
    problems: list[str] = []
    if rows:
        missing = [c for c in STATIC_COLUMNS if c not in rows[0]]
        if missing:
            return [], [f"kolom tidak ada / missing columns: {', '.join(missing)}"]
    static = {i.id: i.source for i in config.indicators if isinstance(i.source, StaticSource)}
    codes = [r.get("code", "").strip() for r in rows]
    levels = dict(Region.objects.filter(code__in=codes).values_list("code", "level"))
    seen: dict[tuple[str, str], int] = {}
    good: list[tuple[str, str, float, str]] = []
    for n, row in enumerate(rows, start=2):
        ident, code, raw = (row.get(c, "").strip() for c in STATIC_COLUMNS)
        where = f"baris {n}"
        src = static.get(ident)
        if src is None:
            problems.append(
                f"{where}, kolom indicator: {ident!r} bukan indikator statis ({', '.join(static)})"
            )
            continue
        if code not in levels:
            problems.append(f"{where}, kolom code: kode wilayah {code!r} tidak dikenal")
            continue
        if levels[code] != src.level:
            problems.append(
                f"{where}, kolom code: {code} tingkat {levels[code]}, indikator {ident} butuh tingkat {src.level}"
            )
            continue
        if (ident, code) in seen:
            problems.append(
                f"{where}, kolom code: duplikat {ident}/{code} (sudah ada di baris {seen[ident, code]})"
            )
            continue
        seen[ident, code] = n
        try:
            value = float(raw.replace(",", "."))
        except ValueError:
            problems.append(f"{where}, kolom value: {raw!r} bukan angka")
            continue
        if (
            math.isnan(value)
            or (src.min is not None and value < src.min)
            or (src.max is not None and value > src.max)
        ):
            problems.append(f"{where}, kolom value: {raw} di luar rentang [{src.min}, {src.max}]")
            continue
        good.append((ident, code, value, row.get("source", "").strip()[:300]))
    return good, problems


class Command(BaseCommand):
    help = "Peta Rawan Konflik: compute the index, import static indicator tables, store snapshots."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--config", type=Path, help="index configuration (TOML); default: the shipped one"
        )
        sub = parser.add_subparsers(dest="action", required=True)
        comp = sub.add_parser("compute", help="scores per region to a CSV file")
        comp.add_argument("--level", type=int, choices=[1, 2, 3, 4])
        comp.add_argument("--at", type=_date, help="date (YYYY-MM-DD); default today")
        comp.add_argument("--output", type=Path, required=True)
        comp.add_argument("--include-simulated", action="store_true", help="count demo/training incidents")
        imp = sub.add_parser(
            "import-static", help="static indicator values from CSV/XLSX (indicator,code,value[,source])"
        )
        imp.add_argument("path", type=Path)
        snap = sub.add_parser("snapshot", help="store the index of every region for a date (idempotent)")
        snap.add_argument("--at", type=_date, help="date (YYYY-MM-DD); default today")
        snap.add_argument("--include-simulated", action="store_true")
        back = sub.add_parser("backtest", help="rolling-origin backtest of the 14-day forecast vs baselines")
        back.add_argument("--simulated", action="store_true", help="on a simulated history, not the database")
        back.add_argument(
            "--periods", type=int, default=None, help="periods of 14 days (default 26; 48 simulated)"
        )
        back.add_argument("--at", type=_date, help="end of the last period (YYYY-MM-DD); default today")
        back.add_argument("--seed", type=int, default=0, help="seed of the simulated history")
        fc = sub.add_parser(
            "forecast", help="P(≥ 1 verified incident in 14 days) per kecamatan to a CSV file"
        )
        fc.add_argument("--at", type=_date, help="date of the forecast (YYYY-MM-DD); default today")
        fc.add_argument("--periods", type=int, default=26, help="periods of 14 days of history (default 26)")
        fc.add_argument("--output", type=Path, required=True)
        fc.add_argument("--store", action="store_true", help="also store the forecast for the pages and API")
        ex = sub.add_parser("export", help="the stored index at one level as CSV, XLSX or GeoJSON")
        ex.add_argument("--level", type=int, choices=[1, 2, 3, 4], required=True)
        ex.add_argument("--format", choices=["csv", "xlsx", "geojson"], required=True)
        ex.add_argument("--output", type=Path, required=True)
        ex.add_argument("--within", help="only regions under this code")
        ex.add_argument("--as", dest="as_user", help="apply this user's region scope and export permission")
        ex.add_argument(
            "--at", type=_date, help="the latest snapshot on or before this date (default: latest)"
        )
        ex.add_argument(
            "--simplified", action="store_true", help="GeoJSON: the simplified display boundaries"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            config = load_config(options["config"]) if options.get("config") else active_config()
        except ConfigError as exc:
            raise CommandError(str(exc)) from None
        getattr(self, "_" + options["action"].replace("-", "_"))(config, options)

    def _result(self, config: IndexConfig, options: dict[str, Any]) -> tuple[IndexResult, list[str], dt.date]:
        at = options.get("at") or timezone.localdate()
        table, names = gather(config, at, include_simulated=options.get("include_simulated", False))
        if not table.codes:
            raise CommandError("belum ada wilayah di basis data; jalankan dulu `waspada regions load`")
        return compute(table, config), names, at

    def _compute(self, config: IndexConfig, options: dict[str, Any]) -> None:
        result, names, at = self._result(config, options)
        level = options.get("level")
        written = 0
        with options["output"].open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(CSV_COLUMNS)
            for i, code in enumerate(result.codes):
                if level and result.levels[i] != level:
                    continue
                score = result.scores[i]
                top = result.top_ids(i) + [""] * 3
                writer.writerow(
                    [
                        code,
                        names[i],
                        int(result.levels[i]),
                        "" if math.isnan(score) else f"{score:.2f}",
                        result.categories[i] or "",
                        *top[:3],
                    ]
                )
                written += 1
        self.stdout.write(f"{written} wilayah, {at}, config {config.version} → {options['output']}")

    def _backtest(self, config: IndexConfig, options: dict[str, Any]) -> None:
        from waspada.risk import forecast_cli

        self.stdout.write(forecast_cli.backtest_text(config, options))

    def _forecast(self, config: IndexConfig, options: dict[str, Any]) -> None:
        from waspada.risk import forecast_cli

        self.stdout.write(forecast_cli.write_forecast(config, options))

    def _export(self, config: IndexConfig, options: dict[str, Any]) -> None:
        from waspada.risk import export_cli

        self.stdout.write(export_cli.run_export(config, options))

    def _import_static(self, config: IndexConfig, options: dict[str, Any]) -> None:
        path: Path = options["path"]
        good, problems = validate_static(config, read_table(path))
        if problems:
            raise CommandError(
                f"{path}: {len(problems)} baris ditolak, tidak ada yang disimpan:\n  " + "\n  ".join(problems)
            )
        with transaction.atomic():
            for ident, code, value, note in good:
                StaticIndicatorValue.objects.update_or_create(
                    indicator=ident,
                    region_id=code,
                    defaults={"value": value, "source_note": note, "updated_at": timezone.now()},
                )
        self.stdout.write(f"{len(good)} nilai indikator disimpan dari {path}")

    def _snapshot(self, config: IndexConfig, options: dict[str, Any]) -> None:
        result, _names, at = self._result(config, options)
        snapshots = store_snapshot(result, config, at)
        self.stdout.write(f"{len(snapshots)} snapshot wilayah disimpan untuk {at} (config {config.version})")
        from waspada.risk import forecast_cli

        self.stdout.write(
            "\n".join(
                forecast_cli.snapshot_trend(
                    config, at, snapshots, dict(zip(result.codes, _names, strict=True))
                )
            )
        )
