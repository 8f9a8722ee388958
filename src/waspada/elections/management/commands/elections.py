"""``waspada elections check|compare|tiers|forensics|mk-eligibility``: integrity checks of election results.

    waspada elections check --tps-csv FILE [--election-type pilkada|pemilu] --output FINDINGS.jsonl
    waspada elections compare --a FILE --b FILE [--labels Sirekap,Rekap] [--output FINDINGS.jsonl]
    waspada elections compare --kawalpemilu-2019 FILE [--with-rules] [--output FINDINGS.jsonl]
    waspada elections tiers --long FILE.csv.gz [--output FINDINGS.jsonl]
    waspada elections tiers --tps-csv FILE --parent-csv TOTALS.csv [--output FINDINGS.jsonl]
    waspada elections forensics --tps-csv FILE [--area CODE] [--fingerprint OUT.svg] [--json]
    waspada elections mk-eligibility [--election CODE] [--json]
    waspada elections import-tps --tps-csv FILE --election CODE [--source sirekap] [--contest ID] [--as USER]
    waspada elections import-areas --long FILE [--candidates FILE] --election CODE [--area CODE]
    waspada elections import-xlsx --xlsx FILE --election CODE [--contest ID] [--candidates FILE]
    waspada elections import-json --documents FILE|FOLDER|ZIP --election CODE [--candidates FILE]
    waspada elections template --output FILE.xlsx [--paslon N]
    waspada elections check-stored [--election CODE] [--forms]

Each prints a summary (findings per rule) and writes one JSON finding per line. The exit status is 0 when
the input was read, with or without findings; 2 with a message naming the file when it could not be.
Works on files only — except ``mk-eligibility``, which reads the contests in the database (UU 10/2016
Pasal 158 margins and thresholds, from the region's population) and ``import-*`` / ``check-stored``, which
store files as versioned result records with the findings of their checks (``waspada.elections.importing``,
``import_areas``, ``import_files``, ``stored_checks``; the subcommands are in ``waspada.elections.import_cli``).
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

from waspada.elections import import_cli
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
from waspada.elections.integrity.fingerprint_svg import render_svg
from waspada.elections.integrity.forensics import run_forensics
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
from waspada.elections.results import ResultSource


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

        forensics = sub.add_parser("forensics", help="digit tests, integer percentages, Klimek fingerprint")
        forensics.add_argument(
            "--tps-csv", required=True, type=Path, help="TPS file in the documented format"
        )
        forensics.add_argument("--area", help="only TPS of this region code (e.g. 65.03.12 or 650312)")
        forensics.add_argument("--candidate", help="paslonN column for shares (default: the leader)")
        forensics.add_argument("--fingerprint", type=Path, help="write the fingerprint figure here (SVG)")
        forensics.add_argument("--json", action="store_true", help="print the results as one JSON object")

        mk = sub.add_parser("mk-eligibility", help="Pasal 158 margins and MK thresholds of the contests")
        mk.add_argument("--election", help="election code (default: every election)")
        mk.add_argument("--json", action="store_true", help="print one JSON object per contest")

        imp = sub.add_parser("import-tps", help="store a TPS file as result records, then check them")
        imp.add_argument("--tps-csv", required=True, type=Path, help="TPS file in the documented format")
        imp.add_argument("--election", required=True, help="election code, e.g. pilpres-2024")
        imp.add_argument("--contest", type=int, help="contest id (default: none, e.g. for Pilpres)")
        imp.add_argument("--source", default="sirekap", choices=[s.value for s in ResultSource])
        imp.add_argument("--as", dest="as_user", help="username recorded as the importer")
        import_cli.add_parsers(sub)

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
        action = options["action"].replace("-", "_")
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

    def _forensics(self, options: dict[str, Any]) -> None:
        table = read_tps_csv(options["tps_csv"])
        frame = table.frame
        if options.get("area"):
            prefix = options["area"].replace(".", "")
            frame = frame.filter(pl.col("tps_code").str.starts_with(prefix))
        candidate = options.get("candidate")
        if candidate and candidate not in table.candidates:
            raise CommandError(
                f"--candidate: kolom {candidate} tidak ada di {options['tps_csv']}", returncode=2
            )
        with self._status(f"Uji forensik atas {frame.height} TPS"):
            report = run_forensics(frame, candidate=candidate)
        if options.get("fingerprint"):
            if report.fingerprint is None:
                self.stderr.write("sidik jari tidak digambar: data terlalu sedikit")
            else:
                try:
                    options["fingerprint"].write_text(render_svg(report.fingerprint), encoding="utf-8")
                except OSError as exc:
                    raise CommandError(
                        f"{options['fingerprint']}: tidak dapat ditulis ({exc.strerror})", returncode=2
                    ) from None
        if options.get("json"):
            out = {"file": str(options["tps_csv"]), "area": options.get("area"), **report.to_dict()}
            if report.fingerprint is not None:
                out["fingerprint"] = {k: v for k, v in report.fingerprint.to_dict().items() if k != "counts"}
            self.stdout.write(json.dumps(out, ensure_ascii=False))
            return
        self.stdout.write(
            f"file: {options['tps_csv']}  area: {options.get('area') or 'semua'}  tps: {report.tps}"
        )
        self.stdout.write(f"{'test':<14} {'statistic':>10} {'expected':>10} {'n':>6} {'z':>7}  verdict")
        for r in report.results:
            stat = "-" if r.statistic is None else f"{r.statistic:.3f}"
            z = "-" if r.z is None else f"{r.z:.2f}"
            self.stdout.write(f"{r.test:<14} {stat:>10} {r.expected:>10.3f} {r.n:>6} {z:>7}  {r.verdict}")
        if options.get("fingerprint") and report.fingerprint is not None:
            self.stdout.write(f"fingerprint written to {options['fingerprint']}")

    def _mk_eligibility(self, options: dict[str, Any]) -> None:
        from waspada.elections.models import Contest
        from waspada.elections.pasal158 import Entrant, IncompleteContest, level_for_office, margins

        contests = Contest.objects.select_related("election", "region").prefetch_related("candidates")
        if options.get("election"):
            contests = contests.filter(election__code=options["election"])
        if not contests.exists():
            raise CommandError("tidak ada kontestasi di basis data (jalankan `waspada demo`?)", returncode=2)
        for contest in contests.order_by("election__code", "region__code"):
            row: dict[str, Any] = {
                "election": contest.election.code,
                "region": contest.region.code,
                "name": contest.region.name,
                "office": contest.office,
                "population": contest.region.population,
            }
            entrants = [
                Entrant(c.names, c.votes, c.is_empty_box)
                for c in contest.candidates.all()
                if c.votes is not None
            ]
            try:
                if contest.region.population is None:
                    raise IncompleteContest("jumlah penduduk wilayah tidak diketahui")
                if len(entrants) < 2 or len(entrants) < contest.candidates.count():
                    raise IncompleteContest("perolehan suara calon tidak lengkap")
                result = margins(
                    level_for_office(contest.office), contest.region.population, entrants, contest.valid_votes
                )
            except (IncompleteContest, ValueError) as exc:
                row["error"] = str(exc)
                self.stdout.write(
                    json.dumps(row, ensure_ascii=False)
                    if options.get("json")
                    else f"{contest.region.code:<6} {contest.region.name:<28} {contest.office:<9} -- {exc}"
                )
                continue
            row.update(
                {
                    "valid_votes": result.valid_votes,
                    "winner": result.winner,
                    "threshold_percent": float(result.threshold.percent),
                    "population_class": result.threshold.class_label,
                    "threshold_votes": round(result.threshold_votes, 2),
                    "losers": [
                        {
                            "name": s.name,
                            "margin_votes": s.margin_votes,
                            "margin_percent": round(s.margin_percent, 2),
                            "eligible": s.eligible,
                            "is_empty_box": s.is_empty_box,
                        }
                        for s in result.standings
                    ],
                    "mk_case": contest.mk_case,
                }
            )
            if options.get("json"):
                self.stdout.write(json.dumps(row, ensure_ascii=False))
                continue
            self.stdout.write(
                f"{contest.region.code:<6} {contest.region.name:<28} {contest.office:<9} "
                f"ambang {result.threshold.percent_text} ({result.threshold.class_label}) "
                f"= {result.threshold_votes:,.0f} dari {result.valid_votes:,} suara sah"
            )
            for s in result.standings:
                verdict = "DAPAT ke MK" if s.eligible else "di atas ambang"
                self.stdout.write(
                    f"{'':<6} selisih {s.name}: {s.margin_votes:,} suara ({s.margin_percent:.2f}%) — {verdict}"
                )

    def _import_tps(self, options: dict[str, Any]) -> None:
        from django.contrib.auth import get_user_model
        from rich.progress import Progress

        from waspada.elections.importing import import_tps_table
        from waspada.elections.models import Contest, Election

        election = Election.objects.filter(code=options["election"]).first()
        if election is None:
            raise CommandError(f"--election: pemilihan '{options['election']}' tidak ada", returncode=2)
        contest = None
        if options.get("contest") is not None:
            contest = Contest.objects.filter(pk=options["contest"], election=election).first()
            if contest is None:
                raise CommandError(
                    f"--contest: kontestasi {options['contest']} tidak ada di {election.code}", returncode=2
                )
        user = None
        if options.get("as_user"):
            user = get_user_model().objects.filter(username=options["as_user"]).first()
            if user is None:
                raise CommandError(f"--as: pengguna '{options['as_user']}' tidak ada", returncode=2)
        path: Path = options["tps_csv"]
        started = time.perf_counter()
        with self._status(f"Membaca {path.name}"):
            table = read_tps_csv(path)
        with Progress(console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task("Menyimpan TPS", total=table.frame.height)
            result = import_tps_table(
                table,
                election,
                contest=contest,
                source=options["source"],
                user=user,
                progress=lambda done, total: bar.update(task, completed=done),
            )
        for error in result.errors:
            self.stderr.write(error.message)
        header = {
            "file": str(path),
            "election": election.code,
            "source": options["source"],
            "tps": result.rows,
            "new": result.created,
            "new_versions": result.new_versions,
            "unchanged": result.unchanged,
            "row_errors": len(result.errors),
            "findings_stored": result.findings,
            "seconds": round(time.perf_counter() - started, 2),
        }
        self._print_counts(result.counts, options, header)

    def _import_areas(self, options: dict[str, Any]) -> None:
        import_cli.run_import(self, options, options["long"])

    def _import_xlsx(self, options: dict[str, Any]) -> None:
        import_cli.run_import(self, options, options["xlsx"])

    def _import_json(self, options: dict[str, Any]) -> None:
        import_cli.run_import(self, options, options["json_path"])

    def _template(self, options: dict[str, Any]) -> None:
        import_cli.run_template(self, options)

    def _check_stored(self, options: dict[str, Any]) -> None:
        import_cli.run_check_stored(self, options)
