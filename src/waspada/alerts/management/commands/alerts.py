"""``waspada alerts list [--json] | ack ID --as USER``: the alerts CLI (its JSON shape is a stable contract)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from waspada.accounts.access import Action, may
from waspada.alerts.models import Alert
from waspada.alerts.services import AlertError, acknowledge, delivery_summary


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def alert_rows() -> list[dict[str, Any]]:
    alerts = Alert.objects.select_related("rule").prefetch_related("deliveries__channel").order_by("id")
    return [
        {
            "id": a.pk,
            "rule": a.rule.name,
            "region": a.region_id,
            "status": a.status,
            "created_at": _iso(a.created_at),
            "acknowledged_at": _iso(a.acknowledged_at),
            "escalation_level": a.escalation_level,
            "deliveries": delivery_summary(a),
        }
        for a in alerts
    ]


class Command(BaseCommand):
    help = "Alerts: list [--json] | ack ID --as USER"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="every alert with its deliveries")
        listing.add_argument("--json", action="store_true", help="print a JSON array")
        ack = sub.add_parser("ack", help="acknowledge an alert (terbuka → diterima)")
        ack.add_argument("id", type=int)
        ack.add_argument("--as", dest="username", required=True, help="the acknowledging user")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "list":
            rows = alert_rows()
            if opts["json"]:
                self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
                return
            if not rows:
                self.stdout.write("Belum ada peringatan.")
            for r in rows:
                sent = ", ".join(f"{d['channel']}:{d['status']}" for d in r["deliveries"]) or "-"
                self.stdout.write(
                    f"P-{r['id']}  {r['status']:<9} L{r['escalation_level']}  {r['region']:<13} {r['rule']}  [{sent}]"
                )
            return
        user = get_user_model().objects.filter(username=opts["username"]).first()
        if user is None:
            raise CommandError(f"pengguna {opts['username']!r} tidak ditemukan")
        alert = Alert.objects.filter(pk=opts["id"]).first()
        if alert is None:
            raise CommandError(f"peringatan {opts['id']} tidak ditemukan")
        if not may(user, Action.ACKNOWLEDGE_ALERTS, alert.region_id):
            raise CommandError(
                f"{user.get_username()} tidak berwenang mengonfirmasi peringatan di {alert.region_id}"
            )
        try:
            alert = acknowledge(alert, user)
        except AlertError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Peringatan P-{alert.pk} diterima oleh {user.get_username()}.")
