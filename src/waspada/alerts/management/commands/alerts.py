"""``waspada alerts list [--json] | ack ID --as USER | status ID STATUS --as USER | import-rules FILE | rules``:
the alerts CLI (the JSON shape of ``list --json`` is a stable contract)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from waspada.accounts.access import Action, may
from waspada.alerts import configure, rulefile
from waspada.alerts.models import Alert, AlertRule, AlertStatus
from waspada.alerts.services import AlertError, delivery_summary, set_status


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
    help = "Alerts: list [--json] | ack ID --as USER | status ID STATUS --as USER | import-rules FILE | rules"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="every alert with its deliveries")
        listing.add_argument("--json", action="store_true", help="print a JSON array")
        ack = sub.add_parser("ack", help="acknowledge an alert (terbuka → diterima)")
        ack.add_argument("id", type=int)
        ack.add_argument("--as", dest="username", required=True, help="the acknowledging user")
        status = sub.add_parser("status", help="move an alert on: diterima, ditangani or selesai")
        status.add_argument("id", type=int)
        status.add_argument("status", choices=[s for s in AlertStatus.values if s != AlertStatus.TERBUKA])
        status.add_argument("--as", dest="username", required=True, help="the user making the change")
        status.add_argument("--note", default="", help="why (kept in the audit log)")
        load = sub.add_parser("import-rules", help="create or update rules and channels from a TOML file")
        load.add_argument("file", type=Path)
        load.add_argument("--dry-run", action="store_true", help="check the file, store nothing")
        load.add_argument("--as", dest="username", default=None, help="the user recorded in the audit log")
        sub.add_parser("rules", help="the alert rules")

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
        if opts["action"] == "rules":
            self._rules()
            return
        if opts["action"] == "import-rules":
            self._import(opts)
            return
        user = self._user(opts["username"])
        alert = Alert.objects.filter(pk=opts["id"]).first()
        if alert is None:
            raise CommandError(f"peringatan {opts['id']} tidak ditemukan")
        if not may(user, Action.ACKNOWLEDGE_ALERTS, alert.region_id):
            raise CommandError(
                f"{user.get_username()} tidak berwenang mengonfirmasi peringatan di {alert.region_id}"
            )
        target = AlertStatus.DITERIMA if opts["action"] == "ack" else opts["status"]
        try:
            alert = set_status(alert, target, user, note=opts.get("note", ""))
        except AlertError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Peringatan P-{alert.pk} {alert.status} oleh {user.get_username()}.")

    def _user(self, username: str) -> Any:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"pengguna {username!r} tidak ditemukan")
        return user

    def _rules(self) -> None:
        rows = AlertRule.objects.order_by("name")
        if not rows:
            self.stdout.write("Belum ada aturan. Muat dengan `waspada alerts import-rules BERKAS.toml`.")
        for r in rows:
            state = "aktif" if r.enabled else "nonaktif"
            scope = r.scope_code or "nasional"
            self.stdout.write(
                f"{r.name:<40} {r.kind:<15} {scope:<9} L{r.level or '-'} {state:<8} "
                f"jeda {r.cooldown_minutes} mnt, eskalasi {r.ack_timeout_minutes} mnt  {json.dumps(r.params, ensure_ascii=False)}"
            )

    def _import(self, opts: dict[str, Any]) -> None:
        user = self._user(opts["username"]) if opts["username"] else None
        try:
            parsed = rulefile.read(opts["file"])
            changes = configure.apply(parsed, user, dry_run=opts["dry_run"])
        except rulefile.RuleFileError as exc:
            raise CommandError(str(exc)) from None
        for c in changes:
            table = "aturan" if c.table == "rule" else "kanal"
            self.stdout.write(f"{table} {c.name}: {c.outcome}" + (f" ({c.note})" if c.note else ""))
        counts = {o: sum(1 for c in changes if c.outcome == o) for o in ("baru", "diubah", "sama")}
        prefix = "Uji saja, tidak disimpan: " if opts["dry_run"] else ""
        self.stdout.write(
            f"{prefix}{counts['baru']} baru, {counts['diubah']} diubah, {counts['sama']} tidak berubah."
        )
