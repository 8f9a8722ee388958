"""The registry of channel kinds: one module per channel behind :class:`base.Transport`."""

from __future__ import annotations

from waspada.alerts.transports.base import Outbound, PermanentFailure, TemporaryFailure, Transport
from waspada.alerts.transports.email import EmailTransport
from waspada.alerts.transports.sms import SmsTransport
from waspada.alerts.transports.telegram import TelegramTransport
from waspada.alerts.transports.webhook import WebhookTransport
from waspada.alerts.transports.whatsapp import WhatsAppTransport

TRANSPORTS: dict[str, Transport] = {
    "email": EmailTransport(),
    "webhook": WebhookTransport(),
    "telegram": TelegramTransport(),
    "whatsapp": WhatsAppTransport(),
    "sms": SmsTransport(),
}


def transport_for(kind: str) -> Transport:
    try:
        return TRANSPORTS[kind]
    except KeyError:
        raise PermanentFailure(f"kanal {kind} belum didukung") from None


__all__ = ["TRANSPORTS", "Outbound", "PermanentFailure", "TemporaryFailure", "Transport", "transport_for"]
