"""``waspada worker [--once]``: rule evaluation, escalation timers and deliveries in a loop; stops cleanly
on SIGTERM/SIGINT after the round in progress."""

from __future__ import annotations

import logging
import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from waspada.alerts.delivery import deliver_due
from waspada.alerts.services import escalate_due, evaluate_rules

log = logging.getLogger("waspada.alerts")


def run_pass() -> dict[str, int]:
    raised = evaluate_rules()
    escalated = escalate_due()
    sent = 0
    while batch := deliver_due():
        sent += batch
    return {"raised": len(raised), "escalated": len(escalated), "attempts": sent}


class Command(BaseCommand):
    help = "Run alert rules, escalation timers and notification deliveries"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument("--interval", type=float, default=10.0, help="seconds between passes")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["once"]:
            self._report(run_pass())
            return
        stop = threading.Event()

        def _stop(signum: int, _frame: Any) -> None:
            self.stdout.write("Menghentikan worker setelah putaran ini…")
            stop.set()

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        self.stdout.write("Worker berjalan (Ctrl+C untuk berhenti).")
        while not stop.is_set():
            close_old_connections()
            try:
                result = run_pass()
                if any(result.values()):
                    self._report(result)
            except Exception:  # keep the loop alive; the error is logged
                log.exception("worker pass failed")
            stop.wait(opts["interval"])
        self.stdout.write("Worker berhenti.")

    def _report(self, result: dict[str, int]) -> None:
        self.stdout.write(
            f"peringatan baru: {result['raised']}, eskalasi: {result['escalated']}, "
            f"percobaan kirim: {result['attempts']}"
        )
