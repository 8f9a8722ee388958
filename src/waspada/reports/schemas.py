"""The one validated shape of a new report, shared by every way in (API, web form, message gateway, file
import). Field limits live here; errors are turned into Bahasa Indonesia messages by each channel."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from waspada import taxonomy

MAX_DESCRIPTION = 10_000


def _known(lookup: Callable[[str], object], value: str) -> None:
    """Turn the taxonomy's UnknownCode (a KeyError) into the ValueError pydantic reports as invalid."""
    try:
        lookup(value)
    except KeyError as exc:
        raise ValueError(str(exc)) from None


NonNegative = Annotated[int, Field(ge=0, le=1_000_000)]


class ActorIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: str = Field(..., max_length=30, description="actor type code, see GET /api/taxonomy")
    paslon: int | None = Field(None, ge=1, le=20, description="candidate pair number (for supporters)")
    text: str = Field("", max_length=200, description="free text, e.g. the group's name")

    @field_validator("type")
    @classmethod
    def _known_actor(cls, value: str) -> str:
        _known(taxonomy.get_actor_type, value)
        return value


class ReporterIn(BaseModel):
    """Identity of a reporter submitting on someone's behalf (kept apart from the report)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field("", max_length=120)
    phone: str = Field("", max_length=32, pattern=r"^[0-9+() \-]*$")


class ReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    region: str = Field(..., min_length=2, max_length=20, description="Kemendagri code, dotted or undotted")
    event_type: str = Field(..., max_length=40, description="taxonomy code, see GET /api/taxonomy")
    occurred_at: datetime = Field(
        ..., description="ISO 8601; without an offset it is read in the region's zone"
    )
    description: str = Field(..., min_length=1, max_length=MAX_DESCRIPTION)
    time_precision: Literal[1, 2, 3] = Field(1, description="1 day, 2 week, 3 month")
    geo_precision: Literal[1, 2, 3, 4] | None = Field(
        None, description="1 desa … 4 provinsi; default from the region"
    )
    lon: float | None = Field(None, ge=94.0, le=142.0)
    lat: float | None = Field(None, ge=-12.0, le=7.0)
    threat_domain: str | None = Field(None, max_length=12)
    actors: list[ActorIn] = Field(default_factory=list, max_length=20)
    killed: NonNegative = 0
    injured: NonNegative = 0
    buildings_damaged: NonNegative = 0
    displaced: NonNegative = 0
    urgency: str | None = Field(None, max_length=10)
    source_reliability: str | None = Field(None, max_length=20)
    language: str = Field("id", max_length=8, pattern=r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")
    client_id: str = Field("", max_length=64, pattern=r"^[A-Za-z0-9._:\-]*$")
    anonymous: bool = Field(False, description="store no identity with this report")
    reporter: ReporterIn | None = None

    @field_validator("event_type")
    @classmethod
    def _known_event_type(cls, value: str) -> str:
        _known(taxonomy.get_event_type, value)
        return value

    @field_validator("threat_domain")
    @classmethod
    def _known_domain(cls, value: str | None) -> str | None:
        if value:
            _known(taxonomy.get_threat_domain, value)
        return value or None

    @field_validator("urgency")
    @classmethod
    def _known_urgency(cls, value: str | None) -> str | None:
        if value:
            _known(taxonomy.get_urgency, value)
        return value or None

    @field_validator("source_reliability")
    @classmethod
    def _known_reliability(cls, value: str | None) -> str | None:
        if value:
            _known(taxonomy.get_source_reliability, value)
        return value or None

    @field_validator("description")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("keterangan tidak boleh kosong")
        return value
