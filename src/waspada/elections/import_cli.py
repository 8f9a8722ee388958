"""The storing subcommands of ``waspada elections`` (the command itself stays a thin parser):

    import-areas --long FILE.csv[.gz] [--candidates FILE] --election CODE [--area CODE] [--no-create-contests]
    import-xlsx  --xlsx FILE.xlsx [--candidates FILE] --election CODE [--contest ID]
    import-json  --json FILE|FOLDER|ZIP [--candidates FILE] [--race-type ppwp|pkwkp|pkwkk] --election CODE
    template     --output FILE.xlsx [--paslon N]
    check-stored [--election CODE] [--forms]

Common options: ``--source`` (sirekap, rekapitulasi, saksi, bawaslu, kawalpemilu), ``--as USER`` (recorded as
the importer and in the audit log), ``--json`` (the summary as one JSON object). Row errors go to stderr,
one line each, naming file, row and column; the exit status is 2 when a file cannot be used at all.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from rich.console import Console
from rich.progress import Progress

from waspada.elections.results import ResultSource


def add_parsers(sub: Any) -> None:
    def common(parser: CommandParser, *, contest: bool = True) -> None:
        parser.add_argument("--election", required=True, help="election code, e.g. pilkada-2024")
        if contest:
            parser.add_argument(
                "--contest", type=int, help="contest id of TPS rows (default: none, e.g. Pilpres)"
            )
        parser.add_argument("--source", default="sirekap", choices=[s.value for s in ResultSource])
        parser.add_argument(
            "--candidates", type=Path, help="candidates file (candidate_id → nomor_urut, names)"
        )
        parser.add_argument("--area", help="only areas under this region code (e.g. 65 or 65.04)")
        parser.add_argument(
            "--no-create-contests", action="store_true", help="refuse races without a contest"
        )
        parser.add_argument("--as", dest="as_user", help="username recorded as the importer")
        parser.add_argument("--json", action="store_true", help="print the summary as one JSON object")

    areas = sub.add_parser("import-areas", help="store an area long-format file (kecamatan … provinsi)")
    areas.add_argument("--long", required=True, type=Path, help="area long format (.csv or .csv.gz)")
    common(areas, contest=False)
    xlsx = sub.add_parser("import-xlsx", help="store an XLSX workbook (TPS or area format)")
    xlsx.add_argument(
        "--xlsx", required=True, type=Path, help="workbook made from `waspada elections template`"
    )
    common(xlsx)
    js = sub.add_parser("import-json", help="store Sirekap JSON documents (file, folder or zip)")
    js.add_argument("--json-path", "--documents", dest="json_path", required=True, type=Path)
    js.add_argument("--race-type", choices=["ppwp", "pkwkp", "pkwkk"], help="race of area documents")
    common(js)
    tpl = sub.add_parser("template", help="write the XLSX template of the TPS format")
    tpl.add_argument("--output", required=True, type=Path, help="where to write the .xlsx file")
    tpl.add_argument("--paslon", type=int, default=3, help="number of paslonN columns (default 3)")
    stored = sub.add_parser(
        "check-stored", help="recompute tier sums and source comparisons of stored results"
    )
    stored.add_argument("--election", help="election code (default: every election)")
    stored.add_argument("--forms", action="store_true", help="also re-run the rules of every stored TPS form")
    stored.add_argument("--json", action="store_true")


def _election(code: str) -> Any:
    from waspada.elections.models import Election

    election = Election.objects.filter(code=code).first()
    if election is None:
        raise CommandError(f"--election: pemilihan '{code}' tidak ada", returncode=2)
    return election


def _user(name: str | None) -> Any:
    if not name:
        return None
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=name).first()
    if user is None:
        raise CommandError(f"--as: pengguna '{name}' tidak ada", returncode=2)
    return user


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise CommandError(f"{path}: berkas tidak ditemukan", returncode=2) from None
    except IsADirectoryError:
        raise CommandError(f"{path}: ini sebuah folder, bukan berkas", returncode=2) from None
    except OSError as exc:
        raise CommandError(f"{path}: tidak dapat dibaca ({exc.strerror})", returncode=2) from None


def _folder_as_zip(path: Path) -> bytes:
    """A folder of JSON documents, packed in memory so every format goes through one reader."""
    import io
    import zipfile

    out = io.BytesIO()
    files = sorted(
        p for p in path.rglob("*") if p.is_file() and p.name.lower().endswith((".json", ".jsonl", ".json.gz"))
    )
    if not files:
        raise CommandError(f"{path}: folder ini tidak berisi berkas .json", returncode=2)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for file in files:
            archive.writestr(file.relative_to(path).as_posix(), _read(file))
    return out.getvalue()


def run_import(command: Any, options: dict[str, Any], path: Path) -> None:
    from waspada.elections.import_files import import_results, read_candidates

    election = _election(options["election"])
    contest = None
    if options.get("contest") is not None:
        from waspada.elections.models import Contest

        contest = Contest.objects.filter(pk=options["contest"], election=election).first()
        if contest is None:
            raise CommandError(
                f"--contest: kontestasi {options['contest']} tidak ada di {election.code}", returncode=2
            )
    user = _user(options.get("as_user"))
    candidates = None
    if options.get("candidates"):
        candidates = read_candidates(str(options["candidates"]), _read(options["candidates"]))
    if path.is_dir():
        name, data = f"{path.name}.zip", _folder_as_zip(path)
    else:
        name, data = str(path), _read(path)
    if options["action"] == "import-json" and not name.lower().endswith(
        (".json", ".jsonl", ".json.gz", ".zip")
    ):
        name += ".json"
    started = time.perf_counter()
    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("Menyimpan hasil", total=None)
        summary = import_results(
            name,
            data,
            election,
            contest=contest,
            source=options["source"],
            candidates=candidates,
            race_type=options.get("race_type"),
            area=options.get("area"),
            user=user,
            create_contests=not options.get("no_create_contests"),
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    errors = [*summary.errors]
    for part in (summary.areas, summary.tps):
        if part is not None:
            errors += [e for e in part.errors if e not in errors]
    for error in errors:
        command.stderr.write(error.message)
    header: dict[str, Any] = {"file": str(path), "format": summary.format, "election": election.code}
    header["source"] = options["source"]
    if summary.documents:
        header["documents"] = summary.documents
    if summary.tps is not None:
        t = summary.tps
        header.update(
            {
                "tps": t.rows,
                "tps_new": t.created,
                "tps_new_versions": t.new_versions,
                "tps_unchanged": t.unchanged,
            }
        )
    if summary.areas is not None:
        a = summary.areas
        header.update(
            {
                "rows": a.rows,
                "races": a.races,
                "contests_matched": a.contests_matched,
                "contests_created": a.contests_created,
                "candidates_matched": a.candidates_matched,
                "candidates_created": a.candidates_created,
                "areas": a.areas,
                "new": a.created,
                "new_versions": a.new_versions,
                "unchanged": a.unchanged,
            }
        )
        if a.tps_rows_skipped:
            header["tps_rows_skipped"] = a.tps_rows_skipped
    header["row_errors"] = len(errors)
    header["seconds"] = round(time.perf_counter() - started, 2)
    command._print_counts(summary.counts, options, header)


def run_template(command: Any, options: dict[str, Any]) -> None:
    from waspada.elections.integrity.xlsx_template import MAX_PASLON, build_tps_template

    if not 1 <= options["paslon"] <= MAX_PASLON:
        raise CommandError(f"--paslon: 1–{MAX_PASLON}", returncode=2)
    output: Path = options["output"]
    try:
        output.write_bytes(build_tps_template(options["paslon"]))
    except OSError as exc:
        raise CommandError(f"{output}: tidak dapat ditulis ({exc.strerror})", returncode=2) from None
    command.stdout.write(
        f"template written to {output} (lembar TPS, {options['paslon']} kolom paslon; Petunjuk)"
    )


def run_check_stored(command: Any, options: dict[str, Any]) -> None:
    from waspada.elections.models import Election
    from waspada.elections.stored_checks import check_stored, recheck_forms

    elections = [_election(options["election"])] if options.get("election") else list(Election.objects.all())
    started = time.perf_counter()
    counts: dict[str, int] = {}
    for election in elections:
        found = recheck_forms(election) if options.get("forms") else {}
        for rule, n in [*found.items(), *check_stored(election).items()]:
            counts[rule] = counts.get(rule, 0) + n
    header = {
        "elections": ", ".join(e.code for e in elections) or "-",
        "seconds": round(time.perf_counter() - started, 2),
    }
    command._print_counts(counts, options, header)
