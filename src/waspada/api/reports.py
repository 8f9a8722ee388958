"""/api/reports, /api/incidents and /api/taxonomy.

Every decision on who sees what goes through ``waspada.reports.access``; every change goes through
``waspada.reports.services`` (audited). A role that may not do an action at all gets 403; an object outside
the caller's scope (or another reporter's report) gets 404, as if it did not exist.

``POST /api/reports`` honours an ``Idempotency-Key`` header (at most 200 characters): the same key with the
same body answers 201 with the report created the first time, and the header ``Idempotent-Replayed: true``;
the same key with another body answers 409. See ``waspada.reports.idempotency``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Literal

from django.db.models import Count, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from ninja import Header, Path, Query, Router, Status

from waspada import taxonomy
from waspada.accounts.access import Action, may, scope_q_for
from waspada.api.auth import AUTH
from waspada.api.errors import ApiError
from waspada.api.filters import Limit, Offset, RegionFilter, known_region
from waspada.api.report_schemas import (
    AcledInterOut,
    ActorOut,
    ActorTypeOut,
    ChannelOut,
    CodeOut,
    ErrorOut,
    EventTypeOut,
    GeoPrecisionOut,
    ImpactFieldOut,
    IncidentIn,
    IncidentList,
    IncidentOut,
    IncidentRef,
    IncidentStatusIn,
    MergeIn,
    PrecisionOut,
    RegionBrief,
    ReporterIdentity,
    ReporterPublic,
    ReportList,
    ReportOut,
    ReportStatusIn,
    SourceReliabilityOut,
    TaxonomyOut,
    UrgencyOut,
)
from waspada.regions.models import Region
from waspada.reports import access
from waspada.reports.idempotency import MAX_KEY_LENGTH, KeyReused, Remember, create_once, user_scope
from waspada.reports.models import Incident, IncidentStatus, Report, Reporter, ReportStatus
from waspada.reports.schemas import ReportIn
from waspada.reports.services import (
    ActionRefused,
    ReportRejected,
    Submission,
    change_incident_status,
    change_status,
    create_incident,
    create_report,
    merge_into_incident,
    reporter_for_user,
)

router = Router(tags=["reports"])

MAX_ID = 2**63 - 1
GEOMETRY = ("region__geometry", "region__display_geometry")

# Error answers documented in the schema (all in the one error shape of waspada.api.errors).
READ_ERRORS = frozenset({400, 401, 403, 404, 422})
WRITE_ERRORS = frozenset({400, 401, 403, 404, 409, 413, 422, 423})

EventTypeCode = StrEnum(  # type: ignore[misc]
    "EventTypeCode", [(e.code, e.code) for e in taxonomy.EVENT_TYPES]
)

SinceFilter = Query(None, description="only created at or after this time (ISO 8601)")


# --- helpers -------------------------------------------------------------------------------------------


def _require(user: Any, action: Action, message: str) -> None:
    """403 when the caller's role may not do ``action`` anywhere (scope is checked per object: 404)."""
    if not may(user, action):
        raise ApiError(403, message)


def _refused(exc: ActionRefused) -> ApiError:
    return ApiError(exc.status, exc.message, code="locked" if exc.status == 423 else None)


def _rejected(exc: ReportRejected) -> ApiError:
    return ApiError(exc.status, exc.message, details=[{"field": exc.field, "message": exc.message}])


def _region_q(raw: str) -> Any:
    return scope_q_for(known_region(raw).code, "region")


def _since(value: datetime) -> datetime:
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    try:
        return value.astimezone(UTC)
    except (OverflowError, ValueError):
        message = "Waktu di luar rentang yang dapat diproses."
        raise ApiError(422, message, details=[{"field": "since", "message": message}]) from None


def _region_brief(region: Region) -> RegionBrief:
    return RegionBrief(code=region.code, name=region.name, level=region.level)


def _actors(raw: Any) -> list[ActorOut]:
    if not isinstance(raw, list):
        return []
    out = []
    for item in raw:
        if isinstance(item, dict) and item.get("type"):
            paslon = item.get("paslon")
            out.append(
                ActorOut(
                    type=str(item["type"]),
                    paslon=paslon if isinstance(paslon, int) else None,
                    text=str(item.get("text") or ""),
                )
            )
    return out


def report_out(report: Report, user: Any) -> ReportOut:
    reporter: ReporterIdentity | ReporterPublic | None = None
    if report.reporter_id is not None:
        who = report.reporter
        assert who is not None
        if access.can_see_identity(user, report.region_id):
            reporter = ReporterIdentity(
                pseudonym=who.pseudonym, name=who.name, phone=who.phone, chat_id=who.chat_id
            )
        else:
            reporter = ReporterPublic(pseudonym=who.pseudonym)
    return ReportOut(
        id=report.pk,
        number=report.number,
        uid=str(report.uid),
        status=report.status,
        status_reason=report.status_reason,
        **_coded(report),
        channel=report.channel,
        source_reliability=report.source_reliability,
        language=report.language,
        client_id=report.client_id,
        is_simulated=report.is_simulated,
        incident=IncidentRef(id=report.incident_id, number=f"K-{report.incident_id}")
        if report.incident_id
        else None,
        reporter=reporter,
        created_at=report.created_at,
        updated_at=report.updated_at,
        reviewed_at=report.reviewed_at,
    )


def _reports(user: Any) -> QuerySet[Report]:
    return access.visible_reports(user).select_related("region", "reporter").defer(*GEOMETRY)


def _report_for(user: Any, report_id: int) -> Report:
    report = _reports(user).filter(pk=report_id).first()
    if report is None:
        raise ApiError(404, f"Laporan L-{report_id} tidak ditemukan.")
    return report


def _may_see_reports(user: Any) -> None:
    if not (may(user, Action.VIEW_REPORTS) or may(user, Action.VIEW_OWN_REPORTS)):
        raise ApiError(403, "Peran Anda tidak dapat melihat laporan.")


def _on_behalf(data: ReportIn) -> Reporter | None:
    """A reporter named in the body (an official entering a report for someone who phoned it in). A new,
    untrusted identity each time: typing a known number must not borrow that sender's trust."""
    if data.anonymous or data.reporter is None or not (data.reporter.name or data.reporter.phone):
        return None
    return Reporter.objects.create(name=data.reporter.name, phone=data.reporter.phone)


# --- reports -------------------------------------------------------------------------------------------


@router.post(
    "/reports",
    response={201: ReportOut, WRITE_ERRORS: ErrorOut},
    auth=AUTH,
    summary="Submit a report",
    description="The body is the one report shape shared by every way in. Send an `Idempotency-Key` header "
    "to retry safely: the same key and body answer 201 with the first report and `Idempotent-Replayed: true`; "
    "the same key with another body answers 409. A body over the upload limit answers 413.",
)
def submit_report(
    request: HttpRequest,
    payload: ReportIn,
    response: HttpResponse,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        min_length=1,
        max_length=MAX_KEY_LENGTH,
        description="a client-chosen unique key per report (e.g. a UUID)",
    ),
) -> Status[ReportOut]:
    user = request.user
    _require(user, Action.SUBMIT_REPORT, "Peran Anda tidak dapat mengirim laporan.")

    # The user's own Reporter is made (and committed) before the report's transaction, so that two first
    # requests of one user never hold each other's row locks while they create their reports.
    own = None if payload.anonymous else reporter_for_user(user)

    # The application's own form posts with the browser session: that is the web channel.
    channel = "web" if getattr(request, "waspada_auth", "") == "session" else "api"

    def create(remember: Remember | None) -> Report:
        reporter = None if payload.anonymous else _on_behalf(payload) or own
        return create_report(
            payload, Submission(channel=channel, user=user, reporter=reporter, on_created=remember)
        )

    try:
        outcome = create_once(user_scope(user), idempotency_key, payload.model_dump(mode="json"), create)
    except ReportRejected as exc:
        raise _rejected(exc) from None
    except KeyReused as exc:
        raise ApiError(409, exc.message, code="idempotency_key_reused") from None
    if outcome.replayed:
        response["Idempotent-Replayed"] = "true"
    report = outcome.report
    if not Report.region.is_cached(report):
        report.region = Region.objects.only("code", "name", "level").get(code=report.region_id)
    return Status(201, report_out(report, user))


@router.get(
    "/reports",
    response={200: ReportList, READ_ERRORS: ErrorOut},
    auth=AUTH,
    summary="Reports the caller may see, newest first",
)
def list_reports(
    request: HttpRequest,
    region: str | None = RegionFilter,
    event_type: EventTypeCode | None = None,
    status: ReportStatus | None = None,
    since: datetime | None = SinceFilter,
    limit: int = Limit,
    offset: int = Offset,
) -> ReportList:
    user = request.user
    _may_see_reports(user)
    qs = _reports(user)
    if region:
        qs = qs.filter(_region_q(region))
    if event_type:
        qs = qs.filter(event_type=event_type.value)
    if status:
        qs = qs.filter(status=status.value)
    if since:
        qs = qs.filter(created_at__gte=_since(since))
    count = qs.count()
    page = qs.order_by("-created_at", "-id")[offset : offset + limit]
    return ReportList(count=count, results=[report_out(r, user) for r in page])


@router.get(
    "/reports/{report_id}",
    response={200: ReportOut, READ_ERRORS: ErrorOut},
    auth=AUTH,
    summary="One report",
)
def get_report(request: HttpRequest, report_id: int = Path(..., ge=1, le=MAX_ID)) -> ReportOut:
    _may_see_reports(request.user)
    return report_out(_report_for(request.user, report_id), request.user)


@router.post(
    "/reports/{report_id}/status",
    response={200: ReportOut, WRITE_ERRORS: ErrorOut},
    auth=AUTH,
    summary="Change the status of a report (with a reason)",
)
def set_report_status(
    request: HttpRequest, payload: ReportStatusIn, report_id: int = Path(..., ge=1, le=MAX_ID)
) -> ReportOut:
    user = request.user
    _require(user, Action.REVIEW_REPORTS, "Peran Anda tidak dapat meninjau laporan.")
    report = _report_for(user, report_id)
    try:
        change_status(report, payload.status, payload.reason, user)
    except ActionRefused as exc:
        raise _refused(exc) from None
    return report_out(report, user)


# --- incidents -----------------------------------------------------------------------------------------


def _incidents(user: Any) -> QuerySet[Incident]:
    return (
        access.visible_incidents(user)
        .select_related("region")
        .defer(*GEOMETRY)
        .annotate(report_count=Count("reports"))
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=access.visible_reports(user).only("id", "incident_id").order_by("id"),
                to_attr="visible_sources",
            )
        )
    )


def _incident_for(user: Any, incident_id: int) -> Incident:
    incident = _incidents(user).filter(pk=incident_id).first()
    if incident is None:
        raise ApiError(404, f"Kejadian K-{incident_id} tidak ditemukan.")
    return incident


def _coded(event: Report | Incident) -> dict[str, Any]:
    """The event coding a report and an incident share (the fields of ``CodedEvent``)."""
    return {
        "event_type": event.event_type,
        "threat_domain": event.threat_domain,
        "region": _region_brief(event.region),
        "geo_precision": event.geo_precision,
        "lon": event.lon,
        "lat": event.lat,
        "occurred_at": event.occurred_at,
        "time_precision": event.time_precision,
        "description": event.description,
        "actors": _actors(event.actors),
        "killed": event.killed,
        "injured": event.injured,
        "buildings_damaged": event.buildings_damaged,
        "displaced": event.displaced,
        "urgency": event.urgency,
    }


def incident_out(incident: Incident) -> IncidentOut:
    return IncidentOut(
        id=incident.pk,
        number=incident.number,
        title=incident.title,
        status=incident.status,
        **_coded(incident),
        is_simulated=incident.is_simulated,
        report_count=getattr(incident, "report_count", 0),
        reports=[r.pk for r in getattr(incident, "visible_sources", [])],
        created_at=incident.created_at,
        updated_at=incident.updated_at,
    )


def _may_see_incidents(user: Any) -> None:
    _require(user, Action.VIEW_INCIDENTS, "Peran Anda tidak dapat melihat kejadian.")


def _may_edit_incidents(user: Any) -> None:
    _require(user, Action.EDIT_INCIDENTS, "Peran Anda tidak dapat mengubah kejadian.")


@router.get(
    "/incidents",
    response={200: IncidentList, READ_ERRORS: ErrorOut},
    auth=AUTH,
    summary="Incidents in the caller's scope, newest first",
)
def list_incidents(
    request: HttpRequest,
    region: str | None = RegionFilter,
    event_type: EventTypeCode | None = None,
    status: IncidentStatus | None = None,
    since: datetime | None = SinceFilter,
    limit: int = Limit,
    offset: int = Offset,
) -> IncidentList:
    user = request.user
    _may_see_incidents(user)
    qs = access.visible_incidents(user)
    if region:
        qs = qs.filter(_region_q(region))
    if event_type:
        qs = qs.filter(event_type=event_type.value)
    if status:
        qs = qs.filter(status=status.value)
    if since:
        qs = qs.filter(created_at__gte=_since(since))
    count = qs.count()
    ids = list(qs.order_by("-created_at", "-id").values_list("pk", flat=True)[offset : offset + limit])
    page = _incidents(user).filter(pk__in=ids).order_by("-created_at", "-id")
    return IncidentList(count=count, results=[incident_out(i) for i in page])


@router.get(
    "/incidents/{incident_id}",
    response={200: IncidentOut, READ_ERRORS: ErrorOut},
    auth=AUTH,
    summary="One incident",
)
def get_incident(request: HttpRequest, incident_id: int = Path(..., ge=1, le=MAX_ID)) -> IncidentOut:
    _may_see_incidents(request.user)
    return incident_out(_incident_for(request.user, incident_id))


@router.post(
    "/incidents",
    response={201: IncidentOut, WRITE_ERRORS: ErrorOut},
    auth=AUTH,
    summary="Form an incident from reports (the first is the primary)",
)
def new_incident(request: HttpRequest, payload: IncidentIn) -> Status[IncidentOut]:
    user = request.user
    _may_edit_incidents(user)
    if len(set(payload.reports)) != len(payload.reports):
        message = "Setiap laporan hanya boleh disebut sekali."
        raise ApiError(422, message, details=[{"field": "reports", "message": message}])
    reports = [_report_for(user, rid) for rid in payload.reports]
    try:
        incident = create_incident(reports, user, title=payload.title)
    except ActionRefused as exc:
        raise _refused(exc) from None
    return Status(201, incident_out(_incident_for(user, incident.pk)))


@router.post(
    "/incidents/{incident_id}/reports",
    response={200: IncidentOut, WRITE_ERRORS: ErrorOut},
    auth=AUTH,
    summary="Merge a (duplicate) report into an incident",
)
def merge_report(
    request: HttpRequest, payload: MergeIn, incident_id: int = Path(..., ge=1, le=MAX_ID)
) -> IncidentOut:
    user = request.user
    _may_edit_incidents(user)
    incident = _incident_for(user, incident_id)
    report = _report_for(user, payload.report)
    try:
        merge_into_incident(report, incident, user)
    except ActionRefused as exc:
        raise _refused(exc) from None
    return incident_out(_incident_for(user, incident_id))


@router.post(
    "/incidents/{incident_id}/status",
    response={200: IncidentOut, WRITE_ERRORS: ErrorOut},
    auth=AUTH,
    summary="Change the status of an incident",
)
def set_incident_status(
    request: HttpRequest, payload: IncidentStatusIn, incident_id: int = Path(..., ge=1, le=MAX_ID)
) -> IncidentOut:
    user = request.user
    _may_edit_incidents(user)
    incident = _incident_for(user, incident_id)
    try:
        change_incident_status(incident, payload.status, payload.reason, user)
    except ActionRefused as exc:
        raise _refused(exc) from None
    return incident_out(_incident_for(user, incident_id))


# --- taxonomy ------------------------------------------------------------------------------------------


def _code(entry: taxonomy.CodeEntry, lang: str) -> dict[str, Any]:
    return {
        "code": entry.code,
        "label": entry.label(lang),
        "label_id": entry.label_id,
        "label_en": entry.label_en,
    }


def _choice_labels(choices: Any, lang: str) -> list[CodeOut]:
    out = []
    for value, label in choices:
        with translation.override("id"):
            label_id = str(label)
        with translation.override("en"):
            label_en = str(label)
        out.append(
            CodeOut(
                code=value, label=label_id if lang == "id" else label_en, label_id=label_id, label_en=label_en
            )
        )
    return out


@router.get("/taxonomy", response=TaxonomyOut, auth=None, summary="The code lists: event types and the rest")
def get_taxonomy(request: HttpRequest, lang: Literal["id", "en"] | None = None) -> TaxonomyOut:
    if lang is None:  # the language chosen in the application (cookie), Indonesian by default
        lang = "en" if (translation.get_language() or "id").lower().startswith("en") else "id"
    return TaxonomyOut(
        event_types=[
            EventTypeOut(
                **_code(e, lang),
                definition_id=e.definition_id,
                definition_en=e.definition_en,
                acled_event_type=e.acled_event_type,
                acled_sub_event_type=e.acled_sub_event_type,
                acled_disorder_type=e.acled_disorder_type,
                snpk_category=e.snpk_category,
                is_violent=e.is_violent,
                default_domain=e.default_domain,
                default_urgency=taxonomy.urgency_for_severity(e.severity).code,
                severity=e.severity,
            )
            for e in taxonomy.EVENT_TYPES
        ],
        threat_domains=[CodeOut(**_code(d, lang)) for d in taxonomy.THREAT_DOMAINS],
        actor_types=[
            ActorTypeOut(
                **_code(a, lang), acled_inter=a.acled_inter, takes_paslon_number=a.takes_paslon_number
            )
            for a in taxonomy.ACTOR_TYPES
        ],
        urgency=[UrgencyOut(**_code(u, lang), rank=u.rank) for u in taxonomy.URGENCY],
        channels=[ChannelOut(**_code(c, lang), is_message=c.is_message) for c in taxonomy.CHANNELS],
        source_reliability=[
            SourceReliabilityOut(
                **_code(s, lang),
                admiralty=s.admiralty,
                description_id=s.description_id,
                description_en=s.description_en,
            )
            for s in taxonomy.SOURCE_RELIABILITY
        ],
        geo_precision=[
            GeoPrecisionOut(**_code(g, lang), value=g.value, acled=g.acled) for g in taxonomy.GEO_PRECISION
        ],
        time_precision=[PrecisionOut(**_code(t, lang), value=t.value) for t in taxonomy.TIME_PRECISION],
        impact_fields=[
            ImpactFieldOut(**_code(i, lang), acled_column=i.acled_column) for i in taxonomy.IMPACT_FIELDS
        ],
        report_statuses=_choice_labels(ReportStatus.choices, lang),
        incident_statuses=_choice_labels(IncidentStatus.choices, lang),
        snpk_categories=[CodeOut(**_code(s, lang)) for s in taxonomy.SNPK_CATEGORIES],
        acled_event_types={k: list(v) for k, v in taxonomy.ACLED_SUB_EVENT_TYPES.items()},
        acled_inter_types=[
            AcledInterOut(inter=t.inter, label_id=t.label_id, label_en=t.label_en)
            for t in taxonomy.ACLED_INTER_TYPES
        ],
    )
