"""Storing the rules and channels of a rule file (see :mod:`waspada.alerts.rulefile`): matched by name,
created or updated, each change audited (a channel's configuration is not written to the audit log: it
holds tokens and secrets). All or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from waspada.accounts.audit import record
from waspada.alerts.models import AlertRule, Channel
from waspada.alerts.rulefile import RuleFile, RuleFileError
from waspada.regions.models import Region


@dataclass(frozen=True, slots=True)
class Change:
    table: str  # "rule" or "channel"
    name: str
    outcome: str  # "baru", "diubah", "sama"
    note: str = ""


def _check_scopes(parsed: RuleFile) -> None:
    scopes = {e.scope for e in [*parsed.rules, *parsed.channels] if e.scope}
    known = set(Region.objects.filter(code__in=scopes).values_list("code", flat=True))
    for table, entries in (("rule", parsed.rules), ("channel", parsed.channels)):
        for n, entry in enumerate(entries, start=1):
            if entry.scope and entry.scope not in known:
                raise RuleFileError(
                    f"{parsed.source}: [[{table}]] ke-{n} ({entry.name}): scope: wilayah {entry.scope} "
                    "tidak ada di gazetir"
                )


def _upsert(model: Any, name: str, values: dict[str, Any]) -> tuple[Any, str, dict[str, Any]]:
    current = model.objects.filter(name=name).first()
    if current is None:
        return model.objects.create(name=name, **values), "baru", {}
    before = {k: getattr(current, k) for k, value in values.items() if getattr(current, k) != value}
    if not before:
        return current, "sama", {}
    for key, value in values.items():
        setattr(current, key, value)
    current.save()
    return current, "diubah", before


def apply(parsed: RuleFile, user: Any = None, *, dry_run: bool = False) -> list[Change]:
    _check_scopes(parsed)
    changes: list[Change] = []
    with transaction.atomic():
        for r in parsed.rules:
            rule, outcome, before = _upsert(
                AlertRule,
                r.name,
                {
                    "kind": r.kind,
                    "params": r.params,
                    "scope_code": r.scope,
                    "level": r.level,
                    "cooldown_minutes": r.cooldown_minutes,
                    "ack_timeout_minutes": r.ack_timeout_minutes,
                    "recipient_roles": list(r.recipient_roles),
                    "enabled": r.enabled,
                },
            )
            if outcome != "sama":
                record(
                    user,
                    f"rule.{'create' if outcome == 'baru' else 'update'}",
                    rule,
                    before=before or None,
                    after={"kind": r.kind, "params": r.params, "scope": r.scope, "enabled": r.enabled},
                    note="waspada alerts import-rules",
                )
            changes.append(Change("rule", r.name, outcome))
        for c in parsed.channels:
            existing = Channel.objects.filter(name=c.name).first()
            values: dict[str, Any] = {
                "kind": c.kind,
                "config": c.config,
                "scope_code": c.scope,
                "roles": list(c.roles),
            }
            note = ""
            repaired = existing is None or existing.config != c.config or existing.kind != c.kind
            if c.enabled and existing is not None and not existing.enabled and not repaired:
                note = f"tetap nonaktif: {existing.disabled_reason or 'dinonaktifkan admin'}"
            else:
                values.update(
                    enabled=c.enabled, disabled_reason="" if c.enabled else "dinonaktifkan di berkas aturan"
                )
            channel, outcome, before = _upsert(Channel, c.name, values)
            if outcome != "sama":
                record(
                    user,
                    f"channel.{'create' if outcome == 'baru' else 'update'}",
                    channel,
                    before={k: v for k, v in before.items() if k != "config"} or None,
                    after={
                        "kind": c.kind,
                        "scope": c.scope,
                        "roles": list(c.roles),
                        "enabled": channel.enabled,
                        "config_keys": sorted(c.config),
                    },
                    note="waspada alerts import-rules",
                )
            changes.append(Change("channel", c.name, outcome, note))
        if dry_run:
            transaction.set_rollback(True)
    return changes
