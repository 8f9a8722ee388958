"""Response and action schemas of /api/reports, /api/incidents and /api/taxonomy.

The input of a new report is ``waspada.reports.schemas.ReportIn`` (shared by every way in); these are the
shapes the API answers with, plus the small bodies of the review actions."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from ninja import Schema
from pydantic import ConfigDict, Field

from waspada.reports.models import IncidentStatus, ReportStatus

DbId = Annotated[int, Field(ge=1, le=2**63 - 1)]


# --- errors --------------------------------------------------------------------------------------------


class ErrorDetail(Schema):
    field: str
    message: str
    type: str | None = None


class ErrorBody(Schema):
    status: int
    code: str
    message: str
    details: list[ErrorDetail] | None = None


class ErrorOut(Schema):
    """The one error shape of the whole API."""

    error: ErrorBody


# --- reports -------------------------------------------------------------------------------------------


class RegionBrief(Schema):
    code: str
    name: str
    level: int


class ReporterPublic(Schema):
    """What everyone who may see a report sees of its reporter: a pseudonym."""

    model_config = ConfigDict(extra="forbid")

    pseudonym: str


class ReporterIdentity(Schema):
    """The reporter's identity: only for Koordinator and Admin, in their scope."""

    model_config = ConfigDict(extra="forbid")

    pseudonym: str
    name: str
    phone: str
    chat_id: str


class ActorOut(Schema):
    type: str
    paslon: int | None = None
    text: str = ""


class IncidentRef(Schema):
    id: int
    number: str


class ReportOut(Schema):
    id: int
    number: str = Field(..., description="the report number shown to people, e.g. L-12")
    uid: str
    status: str
    status_reason: str
    event_type: str
    threat_domain: str
    region: RegionBrief
    geo_precision: int
    lon: float | None
    lat: float | None
    occurred_at: datetime
    time_precision: int
    description: str
    actors: list[ActorOut]
    killed: int
    injured: int
    buildings_damaged: int
    displaced: int
    urgency: str
    channel: str
    source_reliability: str
    language: str
    client_id: str
    is_simulated: bool
    incident: IncidentRef | None
    reporter: ReporterIdentity | ReporterPublic | None = Field(
        ..., description="name, phone and chat id only for Koordinator and Admin; otherwise the pseudonym"
    )
    created_at: datetime
    updated_at: datetime
    reviewed_at: datetime | None


class ReportList(Schema):
    count: int = Field(..., description="all matching reports, not only this page")
    results: list[ReportOut]


class ReportStatusIn(Schema):
    model_config = ConfigDict(extra="forbid")

    status: ReportStatus
    reason: str = Field("", max_length=2000, description="required for perlu_klarifikasi, ditolak, digabung")


# --- incidents -----------------------------------------------------------------------------------------


class IncidentOut(Schema):
    id: int
    number: str = Field(..., description="the incident number shown to people, e.g. K-3")
    title: str
    status: str
    event_type: str
    threat_domain: str
    region: RegionBrief
    geo_precision: int
    lon: float | None
    lat: float | None
    occurred_at: datetime
    time_precision: int
    description: str
    actors: list[ActorOut]
    killed: int
    injured: int
    buildings_damaged: int
    displaced: int
    urgency: str
    is_simulated: bool
    report_count: int = Field(..., description="source reports, including those the caller cannot see")
    reports: list[int] = Field(..., description="ids of the source reports the caller may see")
    created_at: datetime
    updated_at: datetime


class IncidentList(Schema):
    count: int
    results: list[IncidentOut]


class IncidentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reports: list[DbId] = Field(
        ..., min_length=1, max_length=100, description="report ids; the first is the primary report"
    )
    title: str = Field("", max_length=200)


class MergeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    report: DbId


class IncidentStatusIn(Schema):
    model_config = ConfigDict(extra="forbid")

    status: IncidentStatus
    reason: str = Field("", max_length=2000)


# --- taxonomy ------------------------------------------------------------------------------------------


class CodeOut(Schema):
    code: str
    label: str = Field(
        ..., description="in the language asked for (?lang=id|en), else the one chosen in the application"
    )
    label_id: str
    label_en: str


class EventTypeOut(CodeOut):
    definition_id: str
    definition_en: str
    acled_event_type: str
    acled_sub_event_type: str
    acled_disorder_type: str
    snpk_category: str
    is_violent: bool
    default_domain: str
    default_urgency: str
    severity: int


class ActorTypeOut(CodeOut):
    acled_inter: int
    takes_paslon_number: bool


class UrgencyOut(CodeOut):
    rank: int


class ChannelOut(CodeOut):
    is_message: bool


class SourceReliabilityOut(CodeOut):
    admiralty: str
    description_id: str
    description_en: str


class PrecisionOut(CodeOut):
    value: int = Field(..., description="the stored value (geo_precision / time_precision of a report)")


class GeoPrecisionOut(PrecisionOut):
    acled: int


class ImpactFieldOut(CodeOut):
    acled_column: str | None


class AcledInterOut(Schema):
    inter: int
    label_id: str
    label_en: str


class TaxonomyOut(Schema):
    event_types: list[EventTypeOut]
    threat_domains: list[CodeOut]
    actor_types: list[ActorTypeOut]
    urgency: list[UrgencyOut]
    channels: list[ChannelOut]
    source_reliability: list[SourceReliabilityOut]
    geo_precision: list[GeoPrecisionOut]
    time_precision: list[PrecisionOut]
    impact_fields: list[ImpactFieldOut]
    report_statuses: list[CodeOut]
    incident_statuses: list[CodeOut]
    snpk_categories: list[CodeOut]
    acled_event_types: dict[str, list[str]] = Field(..., description="ACLED event type → its sub-event types")
    acled_inter_types: list[AcledInterOut]
