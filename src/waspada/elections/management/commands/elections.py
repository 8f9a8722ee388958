"""``waspada elections check|compare|tiers``: integrity checks of election result files.

    waspada elections check --tps-csv FILE [--election-type pilkada|pemilu] --output FINDINGS.jsonl
    waspada elections compare --a FILE --b FILE [--labels Sirekap,Rekap] [--output FINDINGS.jsonl]
    waspada elections compare --kawalpemilu-2019 FILE [--with-rules] [--output FINDINGS.jsonl]
    waspada elections tiers --long FILE.csv.gz [--output FINDINGS.jsonl]
    waspada elections tiers --tps-csv FILE --parent-csv TOTALS.csv [--output FINDINGS.jsonl]

Each prints a summary (findings per rule) and writes one JSON finding per line. The exit status is 0 when
the input was read, with or without findings; 2 with a message naming the file when it could not be.
Works on files only: no database is needed.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import polars as pl
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console

from waspada.elections.integrity import (
    RULES,
    CheckConfig,
    Finding,
    TpsCsvError,
    check_tps,
    count_by_rule,
    read_tps_csv,
    write_jsonl,
)
from waspada.elections.integrity.sources import (
    PairedSources,
    compare_sources,
    read_kawalpemilu_2019,
    source_rule_findings,
)
from waspada.elections.integrity.tiers import (
    read_area_long_csv,
    read_area_totals_csv,
    tier_findings,
    tier_summary,
    tps_long,
)


class Command(BaseCommand):
    help = "Integrity checks of election results: TPS consistency rules, two sources, tier sums."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="rules R1–R8, digit errors, duplicates, turnout on a TPS CSV")
        check.add_argument("--tps-csv", required=True, type=Path, help="TPS file in the documented format")
        self._election_options(check)
        check.add_argument("--output", type=Path, help="write the findings here, one JSON object per line")
        check.add_argument("--json", action="store_true", help="print the summary as one JSON object")

        compare = sub.add_parser("compare", help="two sources of the same TPS results, cell by cell")
        compare.add_argument("--a", type=Path, help="first TPS file (documented format)")
        compare.add_argument("--b", type=Path, help="second TPS file (documented format)")
        compare.add_argument("--labels", default="A,B", help="names of the two sources, e.g. Sirekap,Rekap")
        compare.add_argument(
            "--kawalpemilu-2019",
            type=Path,
            help="one file with KPU and KawalPemilu 2019 figures side by side",
        )
        compare.add_argument("--with-rules", action="store_true", help="also check each source on its own")
        self._election_options(compare, default="pemilu")
        compare.add_argument("--output", type=Path)
        compare.add_argument("--json", action="store_true")

        tiers = sub.add_parser("tiers", help="each tier equals the sum of the tier below (R9)")
        tiers.add_argument(
            "--long", type=Path, help="area long format (race, level, area_code, candidate, votes)"
        )
        tiers.add_argument("--tps-csv", type=Path, help="TPS file, summed and compared with --parent-csv")
        tiers.add_argument(
            "--parent-csv", type=Path, help="reported totals of a higher tier (prov_code, paslonN)"
        )
        tiers.add_argument("--output", type=Path)
        tiers.add_argument("--json", action="store_true")

    @staticmethod
    def _election_options(parser: CommandParser, default: str = "pilkada") -> None:
        parser.add_argument("--election-type", choices=["pilkada", "pemilu"], default=default)
        parser.add_argument(
            "--reserve-percent", help="reserve ballots as %% of DPT (default 2.5 for pilkada, 2 for pemilu)"
        )
        parser.add_argument(
            "--max-dpt", type=int, help="maximum DPT per TPS (default 600 pilkada, 300 pemilu)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            getattr(self, f"_{action}")(options)
        except TpsCsvError as exc:
            raise CommandError(str(exc), returncode=2) from None
        except pl.exceptions.PolarsError as exc:
            raise CommandError(f"berkas tidak dapat diperiksa: {exc}", returncode=2) from None

    # -------------------------------------------------------------------------------------------------

    @contextmanager
    def _status(self, text: str) -> Iterator[None]:
        with Console(stderr=True).status(text):
            yield

    def _config(self, options: dict[str, Any]) -> CheckConfig:
        try:
            return CheckConfig.for_election(
                options["election_type"],
                reserve_percent=options.get("reserve_percent"),
                max_dpt=options.get("max_dpt"),
            )
        except (ValueError, ArithmeticError) as exc:
            raise CommandError(f"--reserve-percent/--max-dpt: {exc}", returncode=2) from None

    def _write(self, findings: list[Finding], output: Path | None) -> None:
        if output is None:
            return
        try:
            write_jsonl(findings, output)
        except OSError as exc:
            raise CommandError(f"{output}: tidak dapat ditulis ({exc.strerror})", returncode=2) from None

    def _print_counts(self, counts: dict[str, int], options: dict[str, Any], header: dict[str, Any]) -> None:
        if options.get("json"):
            self.stdout.write(json.dumps({**header, "counts": counts}, ensure_ascii=False))
            return
        for key, value in header.items():
            self.stdout.write(f"{key}: {value}")
        self.stdout.write(f"{'rule':<16} {'severity':<8} {'findings':>8}  description")
        for rule, n in counts.items():
            info = RULES.get(rule)
            self.stdout.write(
                f"{rule:<16} {(info.severity if info else '-'):<8} {n:>8}  {info.title if info else ''}"
            )
        self.stdout.write(f"{'total':<16} {'':<8} {sum(counts.values()):>8}")
        if options.get("output"):
            self.stdout.write(f"findings written to {options['output']}")

    # -------------------------------------------------------------------------------------------------

    def _check(self, options: dict[str, Any]) -> None:
        config = self._config(options)
        path: Path = options["tps_csv"]
        started = time.perf_counter()
        with self._status(f"Membaca {path.name}"):
            table = read_tps_csv(path)
        with self._status(f"Memeriksa {table.frame.height} TPS"):
            report = check_tps(table, config)
        self._write(report.findings, options.get("output"))
        rules = config.rules
        header = {
            "file": str(path),
            "tps": report.tps,
            "tps_with_votes": report.with_votes,
            "tps_with_voter_block": report.with_admin,
            "row_errors": len(table.errors),
            "election_type": rules.election_type,
            "reserve": rules.reserve_label,
            "max_dpt": rules.max_dpt,
            "seconds": round(time.perf_counter() - started, 2),
        }
        if table.ignored_columns:
            header["ignored_columns"] = ", ".join(table.ignored_columns)
        self._print_counts(report.counts, options, header)

    def _compare(self, options: dict[str, Any]) -> None:
        config = self._config(options).rules
        paired_path: Path | None = options.get("kawalpemilu_2019")
        if paired_path is not None:
            paired = read_kawalpemilu_2019(paired_path)
            a, b, labels, key, source = paired.a, paired.b, paired.labels, paired.key, str(paired_path)
            findings = [e.to_finding() for e in paired.errors]
        elif options.get("a") and options.get("b"):
            labels_list = [s.strip() for s in options["labels"].split(",")]
            if len(labels_list) != 2 or not all(labels_list):
                raise CommandError(
                    "--labels: two names separated by a comma, e.g. Sirekap,Rekap", returncode=2
                )
            table_a, table_b = read_tps_csv(options["a"]), read_tps_csv(options["b"])
            a, b, key = table_a.frame, table_b.frame, "tps_code"
            labels = (labels_list[0], labels_list[1])
            source = f"{options['a']} vs {options['b']}"
            findings = [e.to_finding() for e in table_a.errors + table_b.errors]
            paired = None
        else:
            raise CommandError("give --a FILE --b FILE, or --kawalpemilu-2019 FILE", returncode=2)
        with self._status("Membandingkan dua sumber"):
            findings += compare_sources(a, b, labels=labels, key=key, config=config)
            if options.get("with_rules"):
                if paired is None:
                    paired = PairedSources(source, a, b, labels, key)
                findings += source_rule_findings(paired, config)
        self._write(findings, options.get("output"))
        header = {"sources": source, "labels": " vs ".join(labels), "tps_a": a.height, "tps_b": b.height}
        self._print_counts(count_by_rule(findings), options, header)

    def _tiers(self, options: dict[str, Any]) -> None:
        if options.get("long"):
            table = read_area_long_csv(options["long"])
            frame, errors, source = table.frame, table.errors, str(options["long"])
        elif options.get("tps_csv") and options.get("parent_csv"):
            tps = read_tps_csv(options["tps_csv"])
            parents = read_area_totals_csv(options["parent_csv"])
            frame = pl.concat(
                [
                    parents.frame.drop("_row"),
                    tps_long(tps.frame).with_columns(pl.lit(str(options["tps_csv"])).alias("source_file")),
                ],
                how="diagonal_relaxed",
            )
            errors = tps.errors + parents.errors
            source = f"{options['tps_csv']} vs {options['parent_csv']}"
        else:
            raise CommandError("give --long FILE, or --tps-csv FILE --parent-csv FILE", returncode=2)
        with self._status("Menjumlahkan tingkat demi tingkat"):
            findings = [e.to_finding() for e in errors] + tier_findings(frame)
            summary = tier_summary(frame)
        self._write(findings, options.get("output"))
        header: dict[str, Any] = {"file": source, "rows": frame.height, "row_errors": len(errors)}
        header.update({f"comparisons {k}": v for k, v in summary.items()})
        self._print_counts(count_by_rule(findings), options, header)
