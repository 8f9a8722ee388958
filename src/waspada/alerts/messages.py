"""Notification texts, in Bahasa Indonesia (they go to field users).

When ``WASPADA_BASE_URL`` is set (e.g. ``https://waspada.example.go.id``) every message links to the alert's
page, where it can be acknowledged; otherwise it names the CLI command that does it."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from waspada.regions.timezones import zone_for

if TYPE_CHECKING:
    from waspada.alerts.models import Alert

LEVEL_NAMES = {0: "awal", 1: "eskalasi ke kabupaten/kota", 2: "eskalasi ke provinsi"}
EVIDENCE_PREFIX = {"incidents": "K-", "reports": "L-", "actions": "T-"}
EVIDENCE_LABEL = {
    "incidents": "Kejadian",
    "reports": "Laporan",
    "contests": "Kontestasi",
    "findings": "Temuan rekapitulasi",
    "actions": "Tindak lanjut",
}
ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}
SMS_LIMIT = 459  # three concatenated SMS segments


def local_time(alert: Alert) -> str:
    """When the alert was raised, in its region's own zone (WIB, WITA or WIT)."""
    zone = zone_for(alert.region_id)
    return f"{alert.created_at.astimezone(ZoneInfo(zone)):%d-%m-%Y %H:%M} {ZONE_NAMES.get(zone, zone)}"


def alert_url(alert: Alert) -> str:
    base = os.environ.get("WASPADA_BASE_URL", "").strip().rstrip("/")
    return f"{base}/peringatan/{alert.pk}/" if base else ""


def subject(alert: Alert) -> str:
    prefix = "[WASPADA]" if alert.escalation_level == 0 else f"[WASPADA · ESKALASI {alert.escalation_level}]"
    return f"{prefix} {alert.rule.name} — {alert.region.name}"


def evidence_lines(alert: Alert, limit: int = 20) -> list[str]:
    lines = []
    evidence = alert.evidence if isinstance(alert.evidence, dict) else {}
    for kind, label in EVIDENCE_LABEL.items():
        ids = evidence.get(kind) or []
        if not ids:
            continue
        prefix = EVIDENCE_PREFIX.get(kind, "#")
        shown = ", ".join(f"{prefix}{i}" for i in ids[:limit])
        more = f" dan {len(ids) - limit} lainnya" if len(ids) > limit else ""
        lines.append(f"{label}: {shown}{more}")
    return lines


def _confirm(alert: Alert) -> str:
    url = alert_url(alert)
    if url:
        return f"Mohon segera dikonfirmasi: {url}"
    return f"Mohon segera dikonfirmasi: waspada alerts ack {alert.pk} --as NAMA_PENGGUNA"


def body(alert: Alert) -> str:
    lines = [
        f"Peringatan P-{alert.pk}: {alert.rule.name}",
        f"Wilayah: {alert.region.name} ({alert.region_id})",
        f"Waktu: {local_time(alert)}",
        f"Tahap: {LEVEL_NAMES.get(alert.escalation_level, str(alert.escalation_level))}",
    ]
    if alert.summary:
        lines.append(f"Keterangan: {alert.summary}")
    lines.extend(evidence_lines(alert))
    lines.append("")
    lines.append(_confirm(alert))
    return "\n".join(lines)


def short(alert: Alert) -> str:
    """The SMS form: one paragraph, at most three segments."""
    level = f" ESKALASI {alert.escalation_level}" if alert.escalation_level else ""
    text = f"[WASPADA{level}] P-{alert.pk} {alert.rule.name}, {alert.region.name}"
    if alert.summary:
        text += f": {alert.summary}"
    url = alert_url(alert)
    tail = f" Konfirmasi: {url}" if url else f" Konfirmasi: waspada alerts ack {alert.pk}"
    return text[: SMS_LIMIT - len(tail)] + tail


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
        "url": alert_url(alert),
        "text": body(alert),
    }
