"""Email over SMTP (smtplib). Server from ``WASPADA_SMTP_HOST``/``WASPADA_SMTP_PORT``/``WASPADA_SMTP_FROM``,
optional ``WASPADA_SMTP_USER``/``WASPADA_SMTP_PASSWORD`` (then STARTTLS when the server offers it)."""

from __future__ import annotations

import os
import smtplib
from email.message import EmailMessage
from typing import TYPE_CHECKING

from pydantic import ValidationError

from waspada.alerts import messages
from waspada.alerts.schemas import EmailConfig, validation_message
from waspada.alerts.transports.base import PermanentFailure, TemporaryFailure

if TYPE_CHECKING:
    from waspada.alerts.models import Alert, Channel


class EmailTransport:
    def notify(self, alert: Alert, channel: Channel) -> None:
        try:
            config = EmailConfig.model_validate(channel.config)
        except ValidationError as exc:
            raise PermanentFailure(f"konfigurasi email tidak sah: {validation_message(exc)}") from exc
        host = os.environ.get("WASPADA_SMTP_HOST", "").strip()
        if not host:
            raise TemporaryFailure("WASPADA_SMTP_HOST belum diatur")
        try:
            port = int(os.environ.get("WASPADA_SMTP_PORT", "25"))
        except ValueError:
            raise TemporaryFailure("WASPADA_SMTP_PORT bukan angka") from None
        sender = os.environ.get("WASPADA_SMTP_FROM", "waspada@localhost")
        user = os.environ.get("WASPADA_SMTP_USER", "")
        password = os.environ.get("WASPADA_SMTP_PASSWORD", "")

        msg = EmailMessage()
        msg["Subject"] = messages.subject(alert)
        msg["From"] = sender
        msg["To"] = ", ".join(config.to)
        msg.set_content(messages.body(alert))
        try:
            with smtplib.SMTP(host, port, timeout=15) as smtp:
                if user:
                    smtp.ehlo()
                    if smtp.has_extn("starttls"):
                        smtp.starttls()
                    smtp.login(user, password)
                smtp.send_message(msg)
        except smtplib.SMTPRecipientsRefused as exc:
            raise PermanentFailure(f"alamat penerima ditolak: {', '.join(exc.recipients)}") from exc
        except smtplib.SMTPAuthenticationError as exc:
            raise PermanentFailure(f"login SMTP ditolak ({exc.smtp_code})") from exc
        except smtplib.SMTPResponseException as exc:
            text = f"SMTP {exc.smtp_code}: {exc.smtp_error!r}"
            if 500 <= exc.smtp_code < 600:
                raise PermanentFailure(text) from exc
            raise TemporaryFailure(text) from exc
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            raise TemporaryFailure(f"server SMTP tidak dapat dihubungi: {exc}") from exc
