"""Validation of the JSON stored on rules (params) and channels (config), one pydantic model per kind."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError, field_validator, model_validator

from waspada import taxonomy


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class IncidentCountParams(_Strict):
    count: int = Field(3, ge=1, le=10_000)
    hours: int = Field(24, ge=1, le=24 * 90)
    event_types: list[str] = Field(default_factory=list, max_length=100)

    @field_validator("event_types")
    @classmethod
    def _known_types(cls, value: list[str]) -> list[str]:
        unknown = [code for code in value if not taxonomy.is_event_type(code)]
        if unknown:
            raise ValueError(f"jenis kejadian tidak dikenal: {', '.join(unknown)}")
        return value


class CasualtiesParams(_Strict):
    min_casualties: int = Field(1, ge=1, le=10_000)
    hours: int = Field(72, ge=1, le=24 * 90)


Urgent = Literal["tinggi", "darurat"]


class UrgentReportParams(_Strict):
    urgencies: list[Urgent] = Field(default_factory=lambda: list[Urgent](["darurat"]))
    hours: int = Field(24, ge=1, le=24 * 30)


class CategoryRiseParams(_Strict):
    to: Literal["sedang", "tinggi"] = "tinggi"
    max_age_days: int = Field(7, ge=1, le=365)


class CloseContestParams(_Strict):
    include_mk_filings: bool = True
    max_ratio: float = Field(1.0, gt=0, le=10)


class RecapFindingParams(_Strict):
    min_severity: Literal["error", "warning"] = "error"
    min_count: int = Field(1, ge=1, le=100_000)
    hours: int = Field(72, ge=1, le=24 * 365)
    rules: list[str] = Field(default_factory=list, max_length=50)

    @field_validator("min_severity", mode="before")
    @classmethod
    def _tinggi_is_error(cls, value: object) -> object:
        return "error" if value == "tinggi" else value  # "high severity" in the words of the issue


class NewsSpikeParams(_Strict):
    hours: int = Field(24, ge=1, le=24 * 7)
    baseline_days: int = Field(28, ge=1, le=365)
    factor: float = Field(3.0, ge=1, le=100)
    min_count: int = Field(5, ge=1, le=10_000)


class OverdueActionParams(_Strict):
    grace_days: int = Field(0, ge=0, le=365)


RULE_PARAMS: dict[str, type[_Strict]] = {
    "incident_count": IncidentCountParams,
    "casualties": CasualtiesParams,
    "urgent_report": UrgentReportParams,
    "category_rise": CategoryRiseParams,
    "close_contest": CloseContestParams,
    "recap_finding": RecapFindingParams,
    "news_spike": NewsSpikeParams,
    "overdue_action": OverdueActionParams,
}

PHONE = r"^\+?[0-9]{8,15}$"


class EmailConfig(_Strict):
    """``to``: fixed addresses; ``profiles``: also every user of the channel's roles whose region scope fits
    the level the alert is addressed to (their account's email address)."""

    to: list[str] = Field(default_factory=list, max_length=50)
    profiles: bool = False

    @field_validator("to")
    @classmethod
    def _addresses(cls, value: list[str]) -> list[str]:
        for address in value:
            if "@" not in address or len(address) > 254 or any(c in address for c in "\r\n,; "):
                raise ValueError(f"alamat email tidak sah: {address!r}")
        return value

    @model_validator(mode="after")
    def _someone(self) -> EmailConfig:
        if not self.to and not self.profiles:
            raise ValueError("isi 'to' (alamat tetap) atau 'profiles = true' (pengguna sesuai peran)")
        return self


class WebhookConfig(_Strict):
    url: HttpUrl
    secret: str = Field(min_length=16, max_length=200)


class TelegramConfig(_Strict):
    bot_token: str = Field(min_length=5, max_length=200)
    chat_id: str = Field(min_length=1, max_length=64)
    api_base: HttpUrl = HttpUrl("https://api.telegram.org")


class WhatsAppConfig(_Strict):
    """A WhatsApp provider's HTTP API shaped like the Cloud API: ``POST url`` with ``Authorization: Bearer
    token`` and ``{"messaging_product": "whatsapp", "to": …, "type": "text", "text": {"body": …}}``."""

    url: HttpUrl
    token: str = Field(min_length=1, max_length=500)
    to: list[Annotated[str, Field(pattern=PHONE)]] = Field(min_length=1, max_length=50)


class SmsConfig(_Strict):
    """A generic SMS gateway: ``POST url`` with ``Authorization: Bearer token`` and
    ``{"to": …, "message": …, "sender": …}``."""

    url: HttpUrl
    token: str = Field(min_length=1, max_length=500)
    to: list[Annotated[str, Field(pattern=PHONE)]] = Field(min_length=1, max_length=50)
    sender: str = Field("", max_length=11, pattern=r"^[A-Za-z0-9 ]*$")


CHANNEL_CONFIG: dict[str, type[_Strict]] = {
    "email": EmailConfig,
    "webhook": WebhookConfig,
    "telegram": TelegramConfig,
    "whatsapp": WhatsAppConfig,
    "sms": SmsConfig,
}


def validation_message(exc: ValidationError | ValueError) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'nilai'}: {e['msg']}" for e in exc.errors()[:5]
        )
    return str(exc)


def validate_params(kind: str, params: dict[str, Any]) -> BaseModel:
    return RULE_PARAMS[kind].model_validate(params)


def validate_config(kind: str, config: dict[str, Any]) -> BaseModel:
    return CHANNEL_CONFIG[kind].model_validate(config)
