"""``waspada media analyze --input IN.jsonl --output OUT.jsonl``: the news analysis contract.

See ``docs/media-analyze.md`` for the input and output fields and ``docs/taxonomy.md`` for the codes.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from waspada.media.analyze import BadLine, analyse_lines
from waspada.regions.codes import normalize_code


class Command(BaseCommand):
    help = (
        "News monitoring: analyze articles from a JSONL file (relevance, event type, places, actors, impact)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        analyze = sub.add_parser(
            "analyze", help="analyse a JSONL file of articles into a JSONL file of findings"
        )
        analyze.add_argument("--input", required=True, help="JSONL: id, title, text, optional published, url")
        analyze.add_argument("--output", required=True, help="JSONL with one finding per good input line")
        analyze.add_argument("--province-focus", default=None, help="Kemendagri province code, e.g. 65")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "analyze":
            self.analyze(Path(options["input"]), Path(options["output"]), options["province_focus"])

    def analyze(self, source: Path, target: Path, focus: str | None) -> None:
        if focus is not None:
            try:
                focus = normalize_code(focus)
            except ValueError as exc:
                raise CommandError(f"--province-focus: {exc}") from None
            if "." in focus:
                raise CommandError(f"--province-focus: {focus} bukan kode provinsi (dua angka, mis. 65)")
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
                    lines, out, gazetteer=gazetteer, province_focus=focus, on_bad=report
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
