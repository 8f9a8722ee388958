"""Notification texts, in Bahasa Indonesia (they go to field users)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from waspada.alerts.models import Alert

LEVEL_NAMES = {0: "awal", 1: "eskalasi ke kabupaten/kota", 2: "eskalasi ke provinsi"}


def subject(alert: Alert) -> str:
    prefix = "[WASPADA]" if alert.escalation_level == 0 else f"[WASPADA · ESKALASI {alert.escalation_level}]"
    return f"{prefix} {alert.rule.name} — {alert.region.name}"


def body(alert: Alert) -> str:
    incidents = alert.evidence.get("incidents", []) if isinstance(alert.evidence, dict) else []
    lines = [
        f"Peringatan P-{alert.pk}: {alert.rule.name}",
        f"Wilayah: {alert.region.name} ({alert.region_id})",
        f"Waktu: {alert.created_at:%d-%m-%Y %H:%M} UTC",
        f"Tahap: {LEVEL_NAMES.get(alert.escalation_level, str(alert.escalation_level))}",
    ]
    if alert.summary:
        lines.append(f"Keterangan: {alert.summary}")
    if incidents:
        lines.append("Kejadian: " + ", ".join(f"K-{i}" for i in incidents))
    lines.append("")
    lines.append(f"Mohon segera dikonfirmasi: waspada alerts ack {alert.pk} --as NAMA_PENGGUNA")
    return "\n".join(lines)


def payload(alert: Alert) -> dict[str, Any]:
    """The JSON a webhook receives."""
    return {
        "id": alert.pk,
        "rule": alert.rule.name,
        "kind": alert.rule.kind,
        "region": alert.region_id,
        "region_name": alert.region.name,
        "status": alert.status,
        "escalation_level": alert.escalation_level,
        "created_at": alert.created_at.isoformat(),
        "summary": alert.summary,
        "evidence": alert.evidence,
        "text": body(alert),
    }
