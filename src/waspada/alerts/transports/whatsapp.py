"""WhatsApp through a provider's HTTP API shaped like the WhatsApp Cloud API: one ``POST`` per number to the
channel's ``url`` (``…/<phone-number-id>/messages``) with ``Authorization: Bearer <token>``."""

from __future__ import annotations

from waspada.alerts import messages
from waspada.alerts.schemas import WhatsAppConfig
from waspada.alerts.transports.base import Outbound, config_of, post_checked, send_each

MAX_TEXT = 4096


class WhatsAppTransport:
    def notify(self, out: Outbound) -> None:
        config = config_of(WhatsAppConfig, out, "WhatsApp")
        text = f"{messages.subject(out.alert)}\n\n{messages.body(out.alert)}"[:MAX_TEXT]
        headers = {"Authorization": f"Bearer {config.token}"}

        def send(number: str) -> None:
            post_checked(
                str(config.url),
                {
                    "messaging_product": "whatsapp",
                    "recipient_type": "individual",
                    "to": number.lstrip("+"),
                    "type": "text",
                    "text": {"preview_url": False, "body": text},
                },
                headers,
            )

        send_each(out, [out.address] if out.address else config.to, send)
