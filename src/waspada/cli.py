"""The ``waspada`` command. Thin: it finds the data directory, then hands over to a management command.

The data directory comes from ``--data-dir`` (anywhere on the line), else ``WASPADA_DATA_DIR``, else ``./var``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

COMMANDS = {
    "demo": "create the demo database (gazetteer, boundaries, Kaltara scenario, accounts) and serve it",
    "serve": "run the web application with the production server",
    "regions": "gazetteer: load | stats | import-boundaries | import-population | locate | search",
    "users": "accounts: create | token | list",
    "reports": "field reports: import FILE | template",
    "elections": "results: check | compare | tiers | forensics | mk-eligibility | import-tps",
    "media": "news: analyze --input IN.jsonl --output OUT.jsonl | sources add|list|disable | poll | import FILE | train | models",
    "risk": "vulnerability index: compute | snapshot | import-static | forecast | backtest",
    "alerts": "alerts: list [--json] | ack | status | import-rules FILE.toml | rules",
    "worker": "run the background jobs (alert rules, escalation, deliveries, news, index) [--once]",
    "report": "situation report: sitrep --date D [--period daily|weekly] --region CODE --output FILE.pdf|.html",
    "export": "open data: incidents|reports --format csv|xlsx|geojson|acled|hxl [--region CODE] --output FILE",
    "migrate": "apply database migrations",
}

USAGE = (
    "usage: waspada [--data-dir DIR] COMMAND [options]\n\ncommands:\n"
    + "\n".join(f"  {name:<10} {text}" for name, text in COMMANDS.items())
    + "\n\nEvery Django management command also works (e.g. `waspada createsuperuser`).\n"
    "`waspada COMMAND --help` shows the options of one command.\n"
)


# Commands that need the schema: a fresh data directory is migrated before they run.
MIGRATE_FIRST = {"regions", "users", "reports", "risk", "elections", "alerts", "worker", "report", "export"}
# Subcommands that need it where the command's other actions do not (`media analyze` is pure).
MIGRATE_FIRST_ACTIONS = {("media", "sources"), ("media", "poll"), ("media", "import"), ("media", "train")}


def _migrate_quietly() -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


def split_data_dir(argv: list[str]) -> tuple[str | None, list[str]]:
    """Take ``--data-dir DIR`` / ``--data-dir=DIR`` out of the arguments."""
    rest: list[str] = []
    data_dir: str | None = None
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--data-dir":
            if i + 1 >= len(argv):
                raise SystemExit("waspada: --data-dir needs a directory")
            data_dir = argv[i + 1]
            i += 2
            continue
        if arg.startswith("--data-dir="):
            data_dir = arg.split("=", 1)[1]
        else:
            rest.append(arg)
        i += 1
    return data_dir, rest


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    data_dir, args = split_data_dir(args)
    if data_dir is not None:
        os.environ["WASPADA_DATA_DIR"] = str(Path(data_dir).expanduser().resolve())
    if not args or args[0] in {"-h", "--help", "help"}:
        sys.stdout.write(USAGE)
        return
    if args[0] in {"--version", "version"}:
        from importlib.metadata import version

        sys.stdout.write(f"waspada {version('waspada')}\n")
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waspada.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.db import DatabaseError

    try:
        needs_schema = args[0] in MIGRATE_FIRST or tuple(args[:2]) in MIGRATE_FIRST_ACTIONS
        if needs_schema and not {"-h", "--help"} & set(args):
            _migrate_quietly()
        execute_from_command_line(["waspada", *args])
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"waspada: configuration error: {exc}\n")
        raise SystemExit(2) from None
    except DatabaseError as exc:
        sys.stderr.write(f"waspada: database error: {exc}\n")
        raise SystemExit(1) from None
    except KeyboardInterrupt:
        raise SystemExit(130) from None


if __name__ == "__main__":
    main()
