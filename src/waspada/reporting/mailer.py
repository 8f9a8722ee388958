"""Sending a situation report by email, with the PDF attached, to the people an email alert channel reaches.

It uses what the alert transports use: the channel's validated configuration (``alerts.schemas.EmailConfig``),
the same SMTP settings (``WASPADA_SMTP_HOST``, ``WASPADA_SMTP_PORT``, ``WASPADA_SMTP_FROM``,
``WASPADA_SMTP_USER``, ``WASPADA_SMTP_PASSWORD``) and the same sender
(``alerts.transports.email.send_message``), so a failure is permanent or temporary in the same sense; and
the same routing of people by role and region (``alerts.routing.people_for``) for a channel that reaches
accounts by role (``profiles = true``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from waspada.alerts import routing, services
from waspada.alerts.schemas import EmailConfig, validation_message
from waspada.alerts.transports import PermanentFailure
from waspada.alerts.transports.email import new_message, send_message

SEND_TIMEOUT = 30.0  # seconds per SMTP step: a PDF takes longer to upload than an alert text


@dataclass(frozen=True)
class Recipients:
    """``to``: the channel's fixed addresses, shown in the To header; ``people``: the accounts it reaches by
    role, in the envelope only (like a blind copy), so nobody sees another person's address."""

    to: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)

    @property
    def envelope(self) -> list[str]:
        return [*self.to, *self.people]


def _config(channel_config: Any) -> EmailConfig:
    try:
        return EmailConfig.model_validate(channel_config)
    except (ValidationError, ValueError) as exc:
        message = validation_message(exc) if isinstance(exc, ValidationError) else str(exc)
        raise PermanentFailure(f"konfigurasi email tidak sah: {message}") from exc


def recipients(channel: Any, region_code: str) -> Recipients:
    """Who gets the report of ``region_code`` through an email channel: its fixed addresses and, when it
    reaches accounts by role, the active users of its roles whose scope covers the whole region at its level
    (as an alert in that region is routed before any escalation; a user scoped below or beside the region
    never gets it). Each address once, whatever its case."""
    config = _config(channel.config)
    seen: set[str] = set()

    def first_time(address: str) -> bool:
        key = address.strip().lower()
        if key in seen:
            return False
        seen.add(key)
        return True

    to = [a for a in config.to if first_time(a)]
    people: list[str] = []
    if config.profiles:
        # The alert services' own choice of roles and of reachable accounts, so both stay one policy.
        roles = services.profile_roles(channel, frozenset())
        candidates = [person for person, _user in services.people_with_roles(roles)]
        chosen = set(routing.people_for(region_code, 0, candidates, roles))
        people = [p.address for p in candidates if p.user_id in chosen and first_time(p.address)]
    return Recipients(to, people)


def send(to: Recipients, subject: str, body: str, attachment: bytes, filename: str) -> None:
    msg = new_message(subject, body, to.to)
    msg.add_attachment(attachment, maintype="application", subtype="pdf", filename=filename)
    send_message(msg, to.envelope, timeout=SEND_TIMEOUT)
