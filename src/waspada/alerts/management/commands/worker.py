"""``waspada worker [--once] [--interval S] [--threads N] [--only NAME]``: runs every job of ``waspada.core.jobs.JOBS`` on
its schedule (alert rules, escalation timers, the delivery sweep, and the other apps' jobs) and the
deliveries, as tasks of Django's tasks framework queued in the database. Stops cleanly on SIGTERM/SIGINT:
the task in progress finishes, nothing new starts."""

from __future__ import annotations

import json
import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from waspada.alerts import worker


class Command(BaseCommand):
    help = "Run the background jobs (alert rules, escalation, deliveries, …) from the database task queue"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="run every job once, drain the queue, exit")
        parser.add_argument("--interval", type=float, default=2.0, help="seconds between polls of the queue")
        parser.add_argument("--threads", type=int, default=4, help="tasks run at once (default 4)")
        parser.add_argument(
            "--only",
            action="append",
            default=[],
            metavar="NAME",
            help="schedule only this job, or the jobs under this prefix (e.g. alerts); repeatable",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        only = opts["only"]
        if only and not worker.selected(only):
            names = ", ".join(j.name for j in worker.selected())
            raise CommandError(f"--only {', '.join(only)}: tidak ada pekerjaan seperti itu (ada: {names})")
        if not 0 < opts["interval"] <= 3600:
            raise CommandError("--interval harus antara 0 dan 3600 detik")
        if not 1 <= opts["threads"] <= 32:
            raise CommandError("--threads harus antara 1 dan 32")
        if opts["once"]:
            self._report(worker.run_once(only), everything=True)
            return
        stop = threading.Event()

        def _stop(signum: int, _frame: Any) -> None:
            self.stdout.write("Menghentikan worker setelah tugas yang sedang berjalan…")
            stop.set()

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        names = ", ".join(j.name for j in worker.selected(only))
        self.stdout.write(f"Worker berjalan: {names} (Ctrl+C untuk berhenti).")
        self.stdout.flush()
        worker.run_forever(
            stop, interval=opts["interval"], threads=opts["threads"], only=only, report=self._report
        )
        self.stdout.write("Worker berhenti.")

    def _report(self, ran: list[worker.Ran], everything: bool = False) -> None:
        """One line per job run (while running for good, only the runs that did something or failed)."""
        sends = [r for r in ran if r.task == "send_delivery"]
        for r in ran:
            if r.task == "run_job":
                name = r.args[0] if r.args else "?"
                idle = r.status == "SUCCESSFUL" and isinstance(r.result, dict) and not any(r.result.values())
                if idle and not everything:
                    continue
                outcome = (
                    json.dumps(r.result, ensure_ascii=False)
                    if r.status == "SUCCESSFUL"
                    else f"GAGAL {r.result}"
                )
                self.stdout.write(f"{name}: {outcome}")
        if sends:
            sent = sum(1 for r in sends if isinstance(r.result, dict) and r.result.get("sent"))
            self.stdout.write(f"pengiriman: {sent} percobaan kirim")
        self.stdout.flush()
