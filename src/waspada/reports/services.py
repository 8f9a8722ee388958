"""Creating and changing reports and incidents. Every way in ends in ``create_report``; every change to a
report or incident goes through a function here, inside one transaction with its audit row."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from waspada import taxonomy
from waspada.accounts import audit
from waspada.accounts.access import Action, actor_for, may
from waspada.accounts.models import Role
from waspada.regions.codes import InvalidCode, is_within, normalize_code
from waspada.regions.lookup import locate
from waspada.regions.models import Region
from waspada.regions.timezones import zone_for
from waspada.reports import access
from waspada.reports.models import (
    InboundMessage,
    Incident,
    IncidentStatus,
    Report,
    Reporter,
    ReportStatus,
)
from waspada.reports.schemas import ReportIn

FUTURE_TOLERANCE = timedelta(hours=1)
OLDEST = timedelta(days=5 * 366)
LOCK_MINUTES = 10


class ReportRejected(Exception):
    """A report that cannot be accepted; ``field`` names the input field, the message is in Indonesian.
    ``status`` is the HTTP status an API answers with (422 invalid, 403 outside the sender's scope)."""

    def __init__(self, field: str, message: str, *, status: int = 422) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.status = status


class ActionRefused(Exception):
    """A workflow action that is not allowed now (wrong status, locked by someone else, no permission)."""

    def __init__(self, message: str, *, status: int = 409) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def snapshot(obj: Report | Incident) -> dict[str, Any]:
    """The audited fields of a report or incident (never the reporter's identity)."""
    fields = [
        "event_type",
        "region_id",
        "occurred_at",
        "description",
        "status",
        "urgency",
        "killed",
        "injured",
        "buildings_damaged",
        "displaced",
        "threat_domain",
        "actors",
    ]
    fields += ["status_reason", "incident_id", "assigned_to_id"] if isinstance(obj, Report) else ["title"]
    out: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, name)
        out[name] = value.isoformat() if isinstance(value, datetime) else value
    return out


def resolve_region(raw: str) -> Region:
    try:
        code = normalize_code(raw)
    except InvalidCode as exc:
        raise ReportRejected("region", str(exc)) from None
    rows = Region.objects.filter(code=code).only("code", "level", "name")[:1]  # the code is the primary key
    region = rows[0] if rows else None
    if region is None:
        raise ReportRejected("region", f"Kode wilayah {code} tidak ada di gazetir Kemendagri.")
    return region


def _aware(value: datetime, region_code: str) -> datetime:
    if timezone.is_naive(value):
        return value.replace(tzinfo=ZoneInfo(zone_for(region_code)))
    return value


def reporter_for_user(user: Any) -> Reporter:
    """The Reporter linked to a logged-in user (API token or browser), created on first use. Officials
    (every role but Pelapor) are registered and trusted; a Pelapor is trusted only once a coordinator marks
    their Reporter as trusted. Safe when two first requests of one user race."""
    try:
        return user.reporter  # type: ignore[no-any-return]  # no query when the token look-up joined it
    except Reporter.DoesNotExist:
        pass
    actor = actor_for(user)
    trusted = actor is not None and actor.role != Role.PELAPOR
    try:
        with transaction.atomic():
            return Reporter.objects.create(user=user, name=user.get_full_name()[:120], trusted=trusted)
    except IntegrityError:
        return Reporter.objects.get(user=user)


@dataclass(frozen=True)
class Submission:
    """Who is submitting and how: the logged-in user (or None for a gateway), the channel, the reporter."""

    channel: str
    user: Any = None
    reporter: Reporter | None = None
    inbound: InboundMessage | None = None
    check_scope: bool = True
    simulated: bool = False  # demo and training data (Report.is_simulated), never a real event
    # Called with the new report inside its transaction: whatever it stores commits or rolls back with the
    # report (the API's idempotency record). Keeps the write transaction short: validation runs before it.
    on_created: Callable[[Report], None] | None = None


def create_report(data: ReportIn, sub: Submission) -> Report:
    """Validate and store one report with its audit row. Raises ``ReportRejected`` for bad input."""
    region = resolve_region(data.region)
    if sub.check_scope and sub.user is not None and not access.can_submit_in(sub.user, region.code):
        raise ReportRejected("region", f"Wilayah {region.code} di luar cakupan wilayah Anda.", status=403)
    occurred = _aware(data.occurred_at, region.code)
    now = timezone.now()
    if occurred > now + FUTURE_TOLERANCE:
        raise ReportRejected("occurred_at", "Waktu kejadian ada di masa depan. Periksa tanggal dan jam.")
    if occurred < now - OLDEST:
        raise ReportRejected("occurred_at", "Waktu kejadian lebih dari lima tahun yang lalu.")
    region_code = region.code
    if data.lon is not None and data.lat is not None:
        # A point inside the named region makes the location more precise (down to the desa).
        found = locate(data.lon, data.lat)
        if found is not None and is_within(found, region_code):
            region_code = found
    elif (data.lon is None) != (data.lat is None):
        raise ReportRejected("lon", "Koordinat harus lengkap: bujur (lon) dan lintang (lat).")
    event = taxonomy.get_event_type(data.event_type)
    level = region_code.count(".") + 1
    reporter = None if data.anonymous else sub.reporter
    trusted = bool(reporter is not None and reporter.trusted)
    user = None if data.anonymous else sub.user
    with transaction.atomic():
        report = Report.objects.create(
            region_id=region_code,
            event_type=event.code,
            threat_domain=data.threat_domain or event.default_domain,
            occurred_at=occurred,
            time_precision=data.time_precision,
            geo_precision=data.geo_precision or taxonomy.geo_precision_for_region_level(level),
            lon=data.lon,
            lat=data.lat,
            description=data.description,
            actors=[a.model_dump(exclude_defaults=True) | {"type": a.type} for a in data.actors],
            killed=data.killed,
            injured=data.injured,
            buildings_damaged=data.buildings_damaged,
            displaced=data.displaced,
            urgency=data.urgency or taxonomy.urgency_for_severity(event.severity).code,
            channel=sub.channel,
            source_reliability=data.source_reliability
            or ("terpercaya" if trusted else taxonomy.DEFAULT_SOURCE_RELIABILITY),
            language=data.language,
            client_id=data.client_id,
            reporter=reporter,
            submitted_by=user if getattr(user, "is_authenticated", False) else None,
            inbound_message=sub.inbound,
            is_simulated=sub.simulated,
        )
        if region_code == region.code:
            report.region = region  # already loaded: callers showing the region need no second query
        # An anonymous report names nobody, not even in the audit log (logged as the system).
        audit.record(user, "report.created", report, after=snapshot(report), note=f"channel={sub.channel}")
        if sub.on_created is not None:
            sub.on_created(report)
    return report


# --- Review workflow --------------------------------------------------------------------------------------

NEEDS_REASON = {ReportStatus.DITOLAK, ReportStatus.PERLU_KLARIFIKASI, ReportStatus.DIGABUNG}
ALLOWED = {
    ReportStatus.BARU: {
        ReportStatus.PERLU_KLARIFIKASI,
        ReportStatus.TERVERIFIKASI,
        ReportStatus.DITOLAK,
        ReportStatus.DIGABUNG,
    },
    ReportStatus.PERLU_KLARIFIKASI: {
        ReportStatus.TERVERIFIKASI,
        ReportStatus.DITOLAK,
        ReportStatus.DIGABUNG,
        ReportStatus.BARU,
    },
    ReportStatus.TERVERIFIKASI: {ReportStatus.PERLU_KLARIFIKASI, ReportStatus.DITOLAK, ReportStatus.DIGABUNG},
    ReportStatus.DITOLAK: {ReportStatus.BARU, ReportStatus.PERLU_KLARIFIKASI},
    ReportStatus.DIGABUNG: {ReportStatus.TERVERIFIKASI, ReportStatus.BARU},
}


def _require_review(user: Any, report: Report) -> None:
    if not access.can_review(user, report):
        raise ActionRefused("Anda tidak berwenang meninjau laporan ini.", status=403)
    holder = lock_holder(report)
    if holder is not None and holder != user.pk:
        raise ActionRefused("Laporan ini sedang ditinjau oleh analis lain. Coba lagi nanti.", status=423)


def change_status(report: Report, status: str, reason: str, user: Any) -> Report:
    """Move a report to another status, with a reason where the status needs one; audited."""
    _require_review(user, report)
    new = ReportStatus(status)
    reason = reason.strip()
    if new == report.status:
        return report
    if new not in ALLOWED[ReportStatus(report.status)]:
        raise ActionRefused(f"Status tidak dapat diubah dari {report.get_status_display()} ke {new.label}.")
    if new in NEEDS_REASON and not reason:
        raise ActionRefused("Status ini memerlukan alasan.", status=422)
    with transaction.atomic():
        before = snapshot(report)
        report.status = new
        report.status_reason = reason
        report.reviewed_at = timezone.now()
        report.save(update_fields=["status", "status_reason", "reviewed_at", "updated_at"])
        audit.record(user, "report.status", report, before=before, after=snapshot(report), note=reason)
    return report


def bulk_change_status(
    reports: Iterable[Report], status: str, reason: str, user: Any
) -> tuple[int, list[str]]:
    """Apply one status to many reports; returns (changed, problems as 'L-12: message')."""
    changed, problems = 0, []
    for report in reports:
        try:
            before = report.status
            change_status(report, status, reason, user)
            changed += report.status != before
        except ActionRefused as exc:
            problems.append(f"{report.number}: {exc.message}")
    return changed, problems


def lock_holder(report: Report) -> int | None:
    if report.locked_by_id and report.locked_until and report.locked_until > timezone.now():
        return int(report.locked_by_id)
    return None


def acquire_lock(report: Report, user: Any) -> bool:
    """Take (or renew) the edit lock; False when another analyst holds it. Atomic across processes."""
    now = timezone.now()
    until = now + timedelta(minutes=LOCK_MINUTES)
    taken = (
        Report.objects.filter(pk=report.pk)
        .filter(Q(locked_by__isnull=True) | Q(locked_until__lt=now) | Q(locked_by=user))
        .update(locked_by=user, locked_until=until)
    )
    if taken:
        report.locked_by_id, report.locked_until = user.pk, until
    return bool(taken)


def release_lock(report: Report, user: Any) -> None:
    Report.objects.filter(pk=report.pk, locked_by=user).update(locked_by=None, locked_until=None)
    report.locked_by_id = None
    report.locked_until = None


def assign(report: Report, assignee: Any, user: Any) -> Report:
    _require_review(user, report)
    if assignee is not None and not access.can_review(assignee, report):
        raise ActionRefused("Pengguna itu tidak dapat meninjau laporan di wilayah ini.", status=422)
    with transaction.atomic():
        before = snapshot(report)
        report.assigned_to = assignee
        report.save(update_fields=["assigned_to", "updated_at"])
        audit.record(user, "report.assigned", report, before=before, after=snapshot(report))
    return report


REPORT_EDITABLE = {
    "event_type",
    "threat_domain",
    "region",
    "occurred_at",
    "time_precision",
    "killed",
    "injured",
    "buildings_damaged",
    "displaced",
    "urgency",
}


def update_report(report: Report, changes: dict[str, Any], user: Any) -> Report:
    """Correct a report's coding (event type, region, time, impact, urgency); audited with before/after.
    ``region`` is a Kemendagri code the reviewer's scope must cover. Moving the report to a region that
    does not contain the old one drops its point (the point belonged to the old place)."""
    _require_review(user, report)
    unknown = set(changes) - REPORT_EDITABLE
    if unknown:
        raise ActionRefused(f"Kolom tidak dapat diubah: {', '.join(sorted(unknown))}", status=422)
    values = dict(changes)
    try:
        if "event_type" in values:
            taxonomy.get_event_type(values["event_type"])
        if values.get("threat_domain"):
            taxonomy.get_threat_domain(values["threat_domain"])
        if "urgency" in values:
            taxonomy.get_urgency(values["urgency"])
    except taxonomy.UnknownCode as exc:
        raise ActionRefused(exc.message, status=422) from None
    update: dict[str, Any] = {k: v for k, v in values.items() if k != "region"}
    if "region" in values:
        try:
            region = resolve_region(str(values["region"]))
        except ReportRejected as exc:
            raise ActionRefused(exc.message, status=422) from None
        if not may(user, Action.REVIEW_REPORTS, region.code):
            raise ActionRefused(f"Wilayah {region.code} di luar cakupan wilayah Anda.", status=422)
        if region.code != report.region_id:
            update["region_id"] = region.code
            update["geo_precision"] = taxonomy.geo_precision_for_region_level(region.code.count(".") + 1)
            if not is_within(str(report.region_id), region.code):
                update["lon"] = update["lat"] = None
    if "occurred_at" in update:
        occurred = _aware(update["occurred_at"], update.get("region_id") or str(report.region_id))
        if occurred > timezone.now() + FUTURE_TOLERANCE:
            raise ActionRefused("Waktu kejadian ada di masa depan. Periksa tanggal dan jam.", status=422)
        update["occurred_at"] = occurred
    if "time_precision" in update and update["time_precision"] not in (1, 2, 3):
        raise ActionRefused("Ketepatan waktu tidak dikenal.", status=422)
    for name in ("killed", "injured", "buildings_damaged", "displaced"):
        if name in update and (not isinstance(update[name], int) or update[name] < 0):
            raise ActionRefused("Jumlah dampak harus bilangan bulat nol atau lebih.", status=422)
    changed = {k: v for k, v in update.items() if getattr(report, k) != v}
    if not changed:
        return report

    def coded(r: Report) -> dict[str, Any]:
        return snapshot(r) | {"time_precision": r.time_precision, "geo_precision": r.geo_precision}

    with transaction.atomic():
        before = coded(report)
        for name, value in changed.items():
            setattr(report, name, value)
        report.save(update_fields=[*changed, "updated_at"])
        audit.record(user, "report.updated", report, before=before, after=coded(report))
    return report


# --- Incidents --------------------------------------------------------------------------------------------


def create_incident(reports: Sequence[Report], user: Any, *, title: str = "") -> Incident:
    """An incident from one or more reports; the first is the primary and gives the coding. The primary
    becomes verified, the others merged; every source report stays linked."""
    if not reports:
        raise ActionRefused("Pilih setidaknya satu laporan.", status=422)
    for report in reports:
        _require_review(user, report)
        if report.incident_id:
            raise ActionRefused(f"{report.number} sudah menjadi bagian dari {report.incident}.")
    primary = reports[0]
    with transaction.atomic():
        incident = Incident.objects.create(
            title=(title.strip() or primary.description.strip().splitlines()[0])[:200],
            region_id=primary.region_id,
            event_type=primary.event_type,
            threat_domain=primary.threat_domain,
            geo_precision=primary.geo_precision,
            lon=primary.lon,
            lat=primary.lat,
            occurred_at=primary.occurred_at,
            time_precision=primary.time_precision,
            description=primary.description,
            actors=primary.actors,
            killed=max(r.killed for r in reports),
            injured=max(r.injured for r in reports),
            buildings_damaged=max(r.buildings_damaged for r in reports),
            displaced=max(r.displaced for r in reports),
            urgency=primary.urgency,
            is_simulated=all(r.is_simulated for r in reports),
            created_by=user,
        )
        audit.record(
            user,
            "incident.created",
            incident,
            after=snapshot(incident),
            note="from " + ", ".join(r.number for r in reports),
        )
        for i, report in enumerate(reports):
            _attach(report, incident, user, primary=i == 0)
    return incident


def merge_into_incident(report: Report, incident: Incident, user: Any) -> Report:
    """Add a (duplicate) report to an existing incident; the report is kept, with status 'digabung'."""
    _require_review(user, report)
    if not access.can_edit_incident(user, incident):
        raise ActionRefused("Anda tidak berwenang mengubah kejadian ini.", status=403)
    if report.incident_id == incident.pk:
        return report
    with transaction.atomic():
        _attach(report, incident, user, primary=False)
    return report


def _attach(report: Report, incident: Incident, user: Any, *, primary: bool) -> None:
    before = snapshot(report)
    report.incident = incident
    if primary or report.status == ReportStatus.TERVERIFIKASI:
        report.status = ReportStatus.TERVERIFIKASI
    else:
        report.status = ReportStatus.DIGABUNG
        report.status_reason = f"digabung ke {incident.number}"
    report.reviewed_at = timezone.now()
    report.save(update_fields=["incident", "status", "status_reason", "reviewed_at", "updated_at"])
    audit.record(
        user,
        "report.merged" if not primary else "report.verified",
        report,
        before=before,
        after=snapshot(report),
        note=incident.number,
    )


INCIDENT_FLOW = {
    IncidentStatus.AKTIF: {IncidentStatus.DITANGANI, IncidentStatus.SELESAI},
    IncidentStatus.DITANGANI: {IncidentStatus.AKTIF, IncidentStatus.SELESAI},
    IncidentStatus.SELESAI: {IncidentStatus.AKTIF},
}


def change_incident_status(incident: Incident, status: str, reason: str, user: Any) -> Incident:
    if not access.can_edit_incident(user, incident):
        raise ActionRefused("Anda tidak berwenang mengubah kejadian ini.", status=403)
    new = IncidentStatus(status)
    if new == incident.status:
        return incident
    if new not in INCIDENT_FLOW[IncidentStatus(incident.status)]:
        raise ActionRefused(f"Status kejadian tidak dapat diubah ke {new.label}.")
    with transaction.atomic():
        before = snapshot(incident)
        incident.status = new
        incident.save(update_fields=["status", "updated_at"])
        audit.record(
            user, "incident.status", incident, before=before, after=snapshot(incident), note=reason.strip()
        )
    return incident


def update_incident(incident: Incident, changes: dict[str, Any], user: Any) -> Incident:
    """Edit the coding of an incident (event type, impact, description, …); audited field by field."""
    if not access.can_edit_incident(user, incident):
        raise ActionRefused("Anda tidak berwenang mengubah kejadian ini.", status=403)
    editable = {
        "title",
        "event_type",
        "threat_domain",
        "description",
        "killed",
        "injured",
        "buildings_damaged",
        "displaced",
        "urgency",
        "actors",
        "occurred_at",
        "time_precision",
    }
    unknown = set(changes) - editable
    if unknown:
        raise ActionRefused(f"Kolom tidak dapat diubah: {', '.join(sorted(unknown))}", status=422)
    with transaction.atomic():
        before = snapshot(incident)
        for name, value in changes.items():
            setattr(incident, name, value)
        incident.save()
        audit.record(user, "incident.updated", incident, before=before, after=snapshot(incident))
    return incident
