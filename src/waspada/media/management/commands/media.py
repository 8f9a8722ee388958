"""``waspada media``: news monitoring from the command line.

* ``analyze --input IN.jsonl --output OUT.jsonl``: the news analysis contract (``docs/media-analyze.md``).
* ``sources add URL | list | disable ID | enable ID``: the feeds and article pages that are polled.
* ``poll [--source ID] [--all]``: poll due sources now (``--all``: every enabled source).
* ``import FILE.jsonl|FILE.csv``: bulk import of articles (id/url, title, text, published, source).

Exit status of ``import``: 0 when every row was stored or already there, 1 when any row failed (the
others are stored), 2 when the file could not be read. Row errors go to stderr, one line each:
``FILE, baris N, kolom KOLOM: alasan``.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from waspada.media import train_cli
from waspada.media.analyze import BadLine, analyse_lines
from waspada.media.model_store import active_model
from waspada.regions.codes import normalize_code

USAGE_ERROR = 2


class Command(BaseCommand):
    help = "News monitoring: analyze articles, manage sources, poll them, import articles."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        analyze = sub.add_parser(
            "analyze", help="analyse a JSONL file of articles into a JSONL file of findings"
        )
        analyze.add_argument("--input", required=True, help="JSONL: id, title, text, optional published, url")
        analyze.add_argument("--output", required=True, help="JSONL with one finding per good input line")
        analyze.add_argument("--province-focus", default=None, help="Kemendagri province code, e.g. 65")
        analyze.add_argument("--rules-only", action="store_true", help="the transparent rules, no model")

        train = sub.add_parser(
            "train", help="retrain the news model; print held-out metrics; store a version"
        )
        train.add_argument("--force", action="store_true", help="use the new model even if it scores lower")
        train.add_argument("--corpus-only", action="store_true", help="ignore analysts' decisions")
        train.add_argument("--json", action="store_true", help="print the metrics as JSON")
        models = sub.add_parser("models", help="trained model versions: list | use VERSION")
        msub = models.add_subparsers(dest="models_action")
        msub.add_parser("list", help="stored versions with their held-out metrics")
        use = msub.add_parser("use", help="make a stored version the one in use")
        use.add_argument("version")

        sources = sub.add_parser("sources", help="news sources: add | list | disable | enable")
        ssub = sources.add_subparsers(dest="sources_action", required=True)
        add = ssub.add_parser("add", help="add an RSS/Atom feed or an article page")
        add.add_argument("url")
        add.add_argument("--name", default="")
        add.add_argument("--kind", choices=["feed", "page"], default="feed")
        add.add_argument(
            "--every", type=int, default=30, metavar="MINUTES", help="poll interval (default 30)"
        )
        add.add_argument("--province-focus", default=None, help="province code, e.g. 65")
        add.add_argument(
            "--reliability",
            default="cukup",
            choices=["terpercaya", "cukup", "diragukan", "belum_diketahui"],
            help="source reliability given to its candidate reports (default cukup)",
        )
        listing = ssub.add_parser("list", help="every source with its health")
        listing.add_argument("--json", action="store_true")
        for name in ("disable", "enable"):
            one = ssub.add_parser(name, help=f"{name} a source (by number or address)")
            one.add_argument("source")
            one.add_argument("--reason", default="")

        poll = sub.add_parser("poll", help="poll due sources now")
        poll.add_argument("--source", help="only this source (number or address), due or not")
        poll.add_argument("--all", action="store_true", help="every enabled source, due or not")

        imp = sub.add_parser("import", help="import articles from a .jsonl or .csv file")
        imp.add_argument("file", type=Path)
        imp.add_argument("--source-name", default="", help="outlet name for rows without a source")
        imp.add_argument("--province-focus", default=None, help="province code, e.g. 65")
        imp.add_argument("--simulated", action="store_true", help="demo or training articles")
        imp.add_argument("--no-analyse", action="store_true", help="store and deduplicate only")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "analyze":
            self.analyze(
                Path(options["input"]),
                Path(options["output"]),
                options["province_focus"],
                options["rules_only"],
            )
        elif action == "train":
            train_cli.train(
                self.stdout,
                force=options["force"],
                corpus_only=options["corpus_only"],
                as_json=options["json"],
            )
        elif action == "models":
            train_cli.models(self.stdout, options)
        elif action == "sources":
            self.sources(options)
        elif action == "poll":
            self.poll(options)
        elif action == "import":
            self.import_file(options)

    # --- analyze ---------------------------------------------------------------------------------------

    def analyze(self, source: Path, target: Path, focus: str | None, rules_only: bool = False) -> None:
        focus = _province_code(focus)
        if not source.is_file():
            raise CommandError(f"{source}: berkas masukan tidak ditemukan")
        from waspada.nlp.places import national_gazetteer

        started = time.perf_counter()
        gazetteer = national_gazetteer()
        built = time.perf_counter() - started

        def report(bad: BadLine) -> None:
            self.stderr.write(bad.message(str(source)))

        tmp = target.with_name(target.name + ".tmp")
        try:
            with (
                source.open(encoding="utf-8", errors="strict") as lines,
                tmp.open("w", encoding="utf-8") as out,
            ):
                written, skipped = analyse_lines(
                    lines,
                    out,
                    gazetteer=gazetteer,
                    province_focus=focus,
                    model=None if rules_only else active_model(),
                    rules_only=rules_only,
                    on_bad=report,
                )
            os.replace(tmp, target)
        except UnicodeDecodeError as exc:
            tmp.unlink(missing_ok=True)
            raise CommandError(f"{source}: bukan teks UTF-8 (byte ke-{exc.start})") from None
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise CommandError(f"{exc.filename or target}: {exc.strerror}") from None
        elapsed = time.perf_counter() - started
        self.stderr.write(
            f"{written} artikel dianalisis, {skipped} baris dilewati → {target} "
            f"(gazetir {built:.1f} dtk, total {elapsed:.1f} dtk)"
        )
        if written == 0 and skipped:
            raise CommandError(f"{source}: tidak ada baris artikel yang sah", returncode=1)

    # --- sources ---------------------------------------------------------------------------------------

    def sources(self, options: dict[str, Any]) -> None:
        from waspada.media import sources

        what = options["sources_action"]
        try:
            if what == "add":
                source = sources.add_source(
                    options["url"],
                    name=options["name"],
                    kind=options["kind"],
                    poll_minutes=options["every"],
                    province_focus=options["province_focus"],
                    reliability=options["reliability"],
                )
                self.stdout.write(
                    f"sumber {source.pk} ditambahkan: {source.name} ({source.kind}) {source.url}"
                )
            elif what == "list":
                self.list_sources(options["json"])
            else:
                source = sources.find_source(options["source"])
                sources.set_enabled(source, what == "enable", note=options["reason"])
                state = "diaktifkan" if source.enabled else "dinonaktifkan"
                self.stdout.write(f"sumber {source.pk} {state}: {source.name}")
        except sources.SourceError as exc:
            raise CommandError(str(exc), returncode=USAGE_ERROR) from None

    def list_sources(self, as_json: bool) -> None:
        from waspada.media.sources import health

        rows = health()
        if as_json:
            for h in rows:
                s = h.source
                self.stdout.write(
                    json.dumps(
                        {
                            "id": s.pk,
                            "name": s.name,
                            "kind": s.kind,
                            "url": s.url,
                            "enabled": s.enabled,
                            "poll_minutes": s.poll_minutes,
                            "province_focus": s.province_focus_id,
                            "last_success": _iso(s.last_success_at),
                            "last_error_at": _iso(s.last_error_at),
                            "last_error": s.last_error,
                            "consecutive_failures": s.consecutive_failures,
                            "items_per_day": h.items_per_day,
                            "articles": h.articles,
                            "next_poll": _iso(s.next_poll_at),
                        },
                        ensure_ascii=False,
                    )
                )
            return
        if not rows:
            self.stdout.write("belum ada sumber berita; tambahkan dengan `waspada media sources add URL`")
            return
        for h in rows:
            s = h.source
            last_ok = _when(s.last_success_at)
            self.stdout.write(
                f"{s.pk:>4}  {s.kind:<4}  {h.state:<15} {h.items_per_day:>5.1f}/hari  "
                f"terakhir berhasil {last_ok:<16}  {s.name} — {s.url}"
            )
            if s.consecutive_failures and s.last_error:
                self.stdout.write(f"      galat terakhir ({_when(s.last_error_at)}): {s.last_error}")

    # --- poll ------------------------------------------------------------------------------------------

    def poll(self, options: dict[str, Any]) -> None:
        from waspada.media import polling, sources
        from waspada.media.models import PollOutcome, Source

        if options["source"]:
            try:
                chosen = [sources.find_source(options["source"])]
            except sources.SourceError as exc:
                raise CommandError(str(exc), returncode=USAGE_ERROR) from None
        elif options["all"]:
            chosen = list(Source.objects.filter(enabled=True))
        else:
            chosen = polling.due_sources()
        if not chosen:
            self.stdout.write("tidak ada sumber yang perlu diperiksa sekarang")
            return
        failed = 0
        for source in chosen:
            poll = polling.poll_source(source)
            failed += poll.outcome == PollOutcome.FAILED
            line = (
                f"{source.pk:>4} {source.name}: {poll.get_outcome_display()} — {poll.items_new} baru, "
                f"{poll.items_duplicate} salinan, {poll.items_skipped} dilewati"
            )
            if poll.reason:
                line += f" ({poll.reason})"
            self.stdout.write(line)
            for skip in poll.skipped:
                self.stdout.write(f"      dilewati {skip['url']}: {skip['reason']}")
        if failed == len(chosen):
            raise CommandError(f"{failed} sumber gagal diperiksa", returncode=1)

    # --- import ----------------------------------------------------------------------------------------

    def import_file(self, options: dict[str, Any]) -> None:
        from waspada.media import ingest
        from waspada.media.extract import Skip, check_candidate
        from waspada.media.importing import ImportFileError, RowError, read_rows

        path: Path = options["file"]
        focus = _province_code(options["province_focus"])
        try:
            rows = list(read_rows(path))
        except ImportFileError as exc:
            raise CommandError(str(exc), returncode=USAGE_ERROR) from None
        counts = {"new": 0, "duplicate": 0, "exists": 0, "skipped": 0, "errors": 0}
        console = Console(stderr=True, force_terminal=False)
        progress = Progress(
            TextColumn("impor artikel"), BarColumn(), MofNCompleteColumn(), console=console, transient=True
        )
        with progress:
            task = progress.add_task("impor", total=len(rows))
            for row in rows:
                progress.advance(task)
                if isinstance(row, RowError):
                    counts["errors"] += 1
                    self.stderr.write(row.message())
                    continue
                item = check_candidate(
                    row.url, row.title, row.text, row.published, min_chars=1, allow_undetermined=True
                )
                if isinstance(item, Skip):
                    counts["skipped"] += 1
                    self.stderr.write(f"{path}, baris {row.number}: dilewati — {item.reason}")
                    continue
                stored = ingest.store_article(
                    item,
                    source=None,
                    source_name=row.source or options["source_name"],
                    external_id=row.external_id,
                    simulated=options["simulated"],
                    analyse=not options["no_analyse"],
                    province_focus=focus,
                )
                counts[stored.outcome] += 1
        self.stdout.write(
            f"{path}: {counts['new']} artikel baru, {counts['duplicate']} salinan (ditautkan), "
            f"{counts['exists']} sudah ada, {counts['skipped']} dilewati, {counts['errors']} baris salah"
        )
        if counts["errors"]:
            raise CommandError(f"{counts['errors']} baris tidak dapat diimpor", returncode=1)


def _province_code(focus: str | None) -> str | None:
    if focus is None:
        return None
    try:
        code = normalize_code(focus)
    except ValueError as exc:
        raise CommandError(f"--province-focus: {exc}") from None
    if "." in code:
        raise CommandError(f"--province-focus: {code} bukan kode provinsi (dua angka, mis. 65)")
    return code


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else "—"
