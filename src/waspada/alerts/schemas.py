"""Validation of the JSON stored on rules (params) and channels (config), one pydantic model per kind."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError, field_validator

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


class UrgentReportParams(_Strict):
    urgencies: list[Literal["tinggi", "darurat"]] = Field(default_factory=lambda: ["darurat"])
    hours: int = Field(24, ge=1, le=24 * 30)


class CategoryRiseParams(_Strict):
    to: Literal["sedang", "tinggi"] = "tinggi"


class CloseContestParams(_Strict):
    include_mk_filings: bool = True


class RecapFindingParams(_Strict):
    min_severity: Literal["tinggi"] = "tinggi"


RULE_PARAMS: dict[str, type[_Strict]] = {
    "incident_count": IncidentCountParams,
    "casualties": CasualtiesParams,
    "urgent_report": UrgentReportParams,
    "category_rise": CategoryRiseParams,
    "close_contest": CloseContestParams,
    "recap_finding": RecapFindingParams,
}


class EmailConfig(_Strict):
    to: list[str] = Field(min_length=1, max_length=50)

    @field_validator("to")
    @classmethod
    def _addresses(cls, value: list[str]) -> list[str]:
        for address in value:
            if "@" not in address or len(address) > 254 or any(c in address for c in "\r\n,; "):
                raise ValueError(f"alamat email tidak sah: {address!r}")
        return value


class WebhookConfig(_Strict):
    url: HttpUrl
    secret: str = Field(min_length=16, max_length=200)


class TelegramConfig(_Strict):
    bot_token: str = Field(min_length=5, max_length=200)
    chat_id: str = Field(min_length=1, max_length=64)
    api_base: HttpUrl = HttpUrl("https://api.telegram.org")


class ProviderConfig(_Strict):
    """WhatsApp and SMS go through a provider's HTTP API (no transport module yet)."""

    url: HttpUrl
    token: str = Field(min_length=1, max_length=500)
    to: list[str] = Field(min_length=1, max_length=50)


CHANNEL_CONFIG: dict[str, type[_Strict]] = {
    "email": EmailConfig,
    "webhook": WebhookConfig,
    "telegram": TelegramConfig,
    "whatsapp": ProviderConfig,
    "sms": ProviderConfig,
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
