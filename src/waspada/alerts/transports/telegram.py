"""Telegram: the Bot API's ``sendMessage``, at a configurable ``api_base`` (tests point it at a local server)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import ValidationError

from waspada.alerts import messages
from waspada.alerts.schemas import TelegramConfig, validation_message
from waspada.alerts.transports.base import PermanentFailure, post_checked

if TYPE_CHECKING:
    from waspada.alerts.models import Alert, Channel


class TelegramTransport:
    def notify(self, alert: Alert, channel: Channel) -> None:
        try:
            config = TelegramConfig.model_validate(channel.config)
        except ValidationError as exc:
            raise PermanentFailure(f"konfigurasi Telegram tidak sah: {validation_message(exc)}") from exc
        url = f"{str(config.api_base).rstrip('/')}/bot{config.bot_token}/sendMessage"
        text = f"{messages.subject(alert)}\n\n{messages.body(alert)}"
        post_checked(url, {"chat_id": config.chat_id, "text": text[:4096], "disable_web_page_preview": True})
