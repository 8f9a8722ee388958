"""Telegram: the Bot API's ``sendMessage``, at a configurable ``api_base`` (tests point it at a local server)."""

from __future__ import annotations

from waspada.alerts import messages
from waspada.alerts.schemas import TelegramConfig
from waspada.alerts.transports.base import Outbound, config_of, post_checked


class TelegramTransport:
    def notify(self, out: Outbound) -> None:
        config = config_of(TelegramConfig, out, "Telegram")
        url = f"{str(config.api_base).rstrip('/')}/bot{config.bot_token}/sendMessage"
        text = f"{messages.subject(out.alert)}\n\n{messages.body(out.alert)}"
        post_checked(url, {"chat_id": config.chat_id, "text": text[:4096], "disable_web_page_preview": True})
