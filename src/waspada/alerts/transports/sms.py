"""SMS through a generic HTTP gateway: one ``POST`` per number to the channel's ``url`` with
``Authorization: Bearer <token>`` and ``{"to", "message", "sender"}``. The text is the short form (at most
three SMS segments)."""

from __future__ import annotations

from waspada.alerts import messages
from waspada.alerts.schemas import SmsConfig
from waspada.alerts.transports.base import Outbound, config_of, post_checked, send_each


class SmsTransport:
    def notify(self, out: Outbound) -> None:
        config = config_of(SmsConfig, out, "SMS")
        text = messages.short(out.alert)
        headers = {"Authorization": f"Bearer {config.token}"}

        def send(number: str) -> None:
            payload = {"to": number, "message": text}
            if config.sender:
                payload["sender"] = config.sender
            post_checked(str(config.url), payload, headers)

        send_each(out, [out.address] if out.address else config.to, send)
