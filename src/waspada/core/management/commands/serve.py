"""``waspada serve``: migrate, collect static files, and run the production server."""

from __future__ import annotations

import os
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from waspada.conf import ConfigError, env_int
from waspada.core.server import serve


class Command(BaseCommand):
    help = "Run Waspada with the production server (gunicorn): DEBUG off, static files served by the app."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("WASPADA_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int)
        parser.add_argument("--workers", type=int, help="worker processes (default: cores + 1, 2 to 4)")
        parser.add_argument("--no-migrate", action="store_true", help="do not apply pending migrations")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            port = options["port"] or env_int("WASPADA_PORT", 8000, minimum=1, maximum=65535)
            workers = options["workers"] or env_int("WASPADA_WORKERS", 0, minimum=0) or None
        except ConfigError as exc:
            self.stderr.write(str(exc))
            raise SystemExit(2) from None
        prepare(migrate=not options["no_migrate"])
        self.stdout.write(f"Waspada: http://{options['host']}:{port}/")
        self.stdout.flush()
        serve(options["host"], port, workers=workers)


def prepare(*, migrate: bool = True) -> None:
    """What every start needs: the schema up to date and the static files collected."""
    if migrate:
        call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
