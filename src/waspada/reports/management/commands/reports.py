"""``waspada reports import|template``: import reports from a CSV or XLSX file, and write the template.

Exit status of ``import``: 0 when every row was imported or already there, 1 when any row failed (with
``--all-or-nothing`` nothing was imported then), 2 when the file could not be read or the command was
used wrongly. Row errors go to stderr, one line each: ``FILE, baris N, kolom KOLOM: alasan``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from waspada.accounts.models import Role
from waspada.reports.import_reading import EXTENSIONS, MAX_FILE_BYTES
from waspada.reports.importing import ImportFileError, ImportRefused, can_import, import_file
from waspada.reports.template_files import template_for

USAGE_ERROR = 2


def sole_admin() -> Any:
    """The one active administrator, used when ``--as`` is not given; CommandError when there are none or
    several (then ``--as`` is required, so that an import is never attributed to a guess)."""
    User = get_user_model()
    admins = list(
        User.objects.filter(is_active=True)
        .filter(Q(profile__role=Role.ADMIN) | Q(profile__isnull=True, is_superuser=True))
        .order_by("pk")[:2]
    )
    if len(admins) == 1:
        return admins[0]
    if not admins:
        raise CommandError(
            "tidak ada akun admin; sebutkan pengguna yang mengimpor dengan --as USERNAME "
            "(Analis, Koordinator atau Admin).",
            returncode=USAGE_ERROR,
        )
    raise CommandError(
        "ada lebih dari satu akun admin; sebutkan pengguna yang mengimpor dengan --as USERNAME.",
        returncode=USAGE_ERROR,
    )


def user_named(username: str) -> Any:
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"--as {username}: pengguna tidak ada atau tidak aktif.", returncode=USAGE_ERROR)
    return user


class Command(BaseCommand):
    help = "Import reports from CSV/XLSX files, and write the import template."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import reports from a .csv or .xlsx file")
        imp.add_argument("file", type=Path)
        imp.add_argument(
            "--as",
            dest="username",
            help="the importing user (Analis, Koordinator or Admin; rows must lie in their scope); "
            "may be left out when exactly one admin account exists",
        )
        imp.add_argument(
            "--all-or-nothing", action="store_true", help="import nothing when any row has an error"
        )
        imp.add_argument("--dry-run", action="store_true", help="check every row, store nothing")
        imp.add_argument("--rows", action="store_true", help="print the result of every row")
        tpl = sub.add_parser("template", help="write the import template")
        tpl.add_argument("--format", choices=["csv", "xlsx"], help="default: from the --output extension")
        tpl.add_argument("--output", required=True, help="file to write ('-' for standard output)")
        tpl.add_argument("--as", dest="username", help="fit the example row and region list to this user")
        tpl.add_argument(
            "--with-example", action="store_true", help="put the example row in the data rows as well"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import":
            self._import(options)
        else:
            self._template(options)

    def _import(self, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        user = user_named(options["username"]) if options["username"] else sole_admin()
        if not can_import(user):
            raise CommandError(
                f"--as {user.get_username()}: hanya Analis, Koordinator dan Admin yang dapat mengimpor laporan.",
                returncode=USAGE_ERROR,
            )
        if path.suffix.lower() not in EXTENSIONS:
            raise CommandError(
                f"{path.name}: jenis berkas {path.suffix or '(tanpa ekstensi)'} tidak didukung; "
                "gunakan .csv atau .xlsx.",
                returncode=USAGE_ERROR,
            )
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise CommandError(
                    f"{path.name}: berkas terlalu besar (paling besar {MAX_FILE_BYTES // 1024 // 1024} MB).",
                    returncode=USAGE_ERROR,
                )
            data = path.read_bytes()
        except OSError as exc:
            reason = "berkas tidak ditemukan" if isinstance(exc, FileNotFoundError) else exc.strerror
            raise CommandError(f"{path}: tidak dapat dibaca ({reason}).", returncode=USAGE_ERROR) from None
        console = Console(stderr=True)
        with Progress(
            TextColumn(f"Mengimpor {path.name}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=console,
            transient=True,
            disable=not console.is_terminal,
        ) as progress:
            task = progress.add_task("import", total=None)
            try:
                result = import_file(
                    path.name,
                    data,
                    user,
                    all_or_nothing=options["all_or_nothing"],
                    dry_run=options["dry_run"],
                    progress=lambda done, total: progress.update(task, completed=done, total=total),
                )
            except ImportFileError as exc:
                raise CommandError(exc.message, returncode=USAGE_ERROR) from None
            except ImportRefused as exc:
                raise CommandError(str(exc), returncode=USAGE_ERROR) from None
        if options["rows"] or options["verbosity"] >= 2:
            for outcome in result.outcomes:
                number = f" {outcome.number}" if outcome.number else ""
                self.stdout.write(f"{result.filename}, baris {outcome.row}: {outcome.status}{number}")
        for line in result.error_lines():
            self.stderr.write(line)
        self.stdout.write(result.summary())
        if not result.ok:
            raise CommandError(f"{result.failed} baris gagal (lihat pesan di atas).", returncode=1)

    def _template(self, options: dict[str, Any]) -> None:
        output: str = options["output"]
        fmt = options["format"] or Path(output).suffix.lower().lstrip(".")
        if fmt not in {"csv", "xlsx"}:
            raise CommandError(
                "sebutkan --format csv atau --format xlsx (atau beri --output berakhiran .csv/.xlsx).",
                returncode=USAGE_ERROR,
            )
        user = user_named(options["username"]) if options["username"] else None
        content, _, _ = template_for(user, fmt, with_example=options["with_example"])
        if output == "-":
            sys.stdout.buffer.write(content)
            sys.stdout.buffer.flush()
            return
        try:
            Path(output).write_bytes(content)
        except OSError as exc:
            raise CommandError(
                f"{output}: tidak dapat ditulis ({exc.strerror}).", returncode=USAGE_ERROR
            ) from None
        self.stdout.write(f"templat {fmt.upper()} ditulis ke {output}")
