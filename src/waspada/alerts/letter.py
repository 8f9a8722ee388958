"""The laporan informasi dan rekomendasi to the kepala daerah (Permendagri 2/2018 as amended by 46/2019:
the Tim Kewaspadaan Dini reports and recommends to the head of region), built from an incident and its
response actions. The regulation's annex format was not found in our sources; this follows the usual
structure of such a report — basis, information, assessment, steps taken, recommendations — and leaves
the number, place and signature to be filled in by hand."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from waspada import taxonomy
from waspada.alerts.models import ActionKind, ActionStatus, Alert, ResponseAction
from waspada.regions.models import Region
from waspada.regions.timezones import zone_for
from waspada.reports.models import Incident

MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
BASIS = (
    "Undang-Undang Nomor 7 Tahun 2012 tentang Penanganan Konflik Sosial;",
    "Peraturan Menteri Dalam Negeri Nomor 2 Tahun 2018 tentang Kewaspadaan Dini di Daerah sebagaimana "
    "telah diubah dengan Peraturan Menteri Dalam Negeri Nomor 46 Tahun 2019;",
)
TIME_ZONES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def tanggal(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def waktu(moment: datetime, region_code: str) -> str:
    zone = zone_for(region_code)
    local = moment.astimezone(ZoneInfo(zone))
    return f"{tanggal(local.date())} pukul {local:%H.%M} {TIME_ZONES.get(zone, zone)}"


def head_of(region: Region) -> tuple[str, str]:
    """The kepala daerah of a province or kabupaten/kota, and the name of its early-warning team."""
    if region.level == 1:
        return f"Gubernur {region.name}", f"Tim Kewaspadaan Dini Provinsi {region.name}"
    name = region.name.removeprefix("Kabupaten ").removeprefix("Kota ")
    title = "Wali Kota" if region.kind == "kota" else "Bupati"
    return f"{title} {name}", f"Tim Kewaspadaan Dini {region.name}"


@dataclass
class Letter:
    addressee: str
    team: str
    made_on: str
    subject: str
    basis: tuple[str, ...]
    facts: list[tuple[str, str]]
    description: str
    assessment: list[str]
    steps: list[dict[str, Any]]
    recommendations: list[str]
    alerts: list[Alert] = field(default_factory=list)


def _chain(region: Region) -> list[Region]:
    chain = [region]
    while chain[-1].parent_id is not None:
        chain.append(
            Region.objects.only("code", "name", "level", "kind", "parent").get(pk=chain[-1].parent_id)
        )
    return chain


def _action_row(a: ResponseAction) -> dict[str, Any]:
    return {
        "kind": a.get_kind_display(),
        "agency": a.agency,
        "description": a.description,
        "status": a.get_status_display(),
        "due": tanggal(a.due_date) if a.due_date else "—",
        "outcome": a.outcome,
    }


def build(
    incident: Incident, actions: list[ResponseAction], alerts: list[Alert], *, to_province: bool, today: date
) -> Letter:
    chain = _chain(incident.region)
    addressed = next(r for r in chain if r.level == (1 if to_province else min(2, incident.region.level)))
    addressee, team = head_of(addressed)
    event = taxonomy.get_event_type(incident.event_type)
    place = ", ".join(r.name for r in chain if r.level >= 2) + f", {chain[-1].name}"
    impact = (
        f"{incident.killed} orang meninggal, {incident.injured} orang luka-luka, "
        f"{incident.buildings_damaged} bangunan rusak, {incident.displaced} orang mengungsi"
    )
    facts = [
        ("Peristiwa", incident.title),
        ("Jenis kejadian", event.label_id),
        ("Waktu", waktu(incident.occurred_at, incident.region_id)),
        ("Tempat", place),
        ("Dampak", impact),
        ("Tingkat urgensi", taxonomy.get_urgency(incident.urgency).label_id),
        ("Jumlah laporan sumber", str(incident.reports.count())),
        ("Nomor kejadian", incident.number),
    ]
    assessment = [
        f"Kejadian ini tergolong {event.label_id.lower()} dengan tingkat urgensi "
        f"{taxonomy.get_urgency(incident.urgency).label_id.lower()}."
    ]
    if incident.killed or incident.injured:
        assessment.append(
            "Kejadian menimbulkan korban sehingga memerlukan penanganan segera dan terkoordinasi."
        )
    for alert in alerts:
        assessment.append(
            f"Peringatan dini P-{alert.pk} ({alert.rule.name}): {alert.summary or alert.region.name}."
        )
    if incident.is_simulated:
        assessment.insert(
            0, "CATATAN: kejadian ini adalah SIMULASI untuk latihan atau demonstrasi, bukan peristiwa nyata."
        )
    steps = [
        _action_row(a) for a in actions if a.kind != ActionKind.REKOMENDASI and a.status != ActionStatus.BATAL
    ]
    recommendations = [
        (a.description or a.get_kind_display()) + (f" (penanggung jawab: {a.agency})" if a.agency else "")
        for a in actions
        if a.kind == ActionKind.REKOMENDASI and a.status != ActionStatus.BATAL
    ]
    recommendations += [
        f"Memastikan {r['kind'].lower()} oleh {r['agency']} selesai paling lambat {r['due']}."
        for a, r in ((a, _action_row(a)) for a in actions)
        if a.kind != ActionKind.REKOMENDASI and a.status in (ActionStatus.DIRENCANAKAN, ActionStatus.BERJALAN)
    ]
    return Letter(
        addressee=addressee,
        team=team,
        made_on=tanggal(today),
        subject="Laporan Informasi dan Rekomendasi",
        basis=BASIS,
        facts=facts,
        description=incident.description,
        assessment=assessment,
        steps=steps,
        recommendations=recommendations,
        alerts=alerts,
    )
