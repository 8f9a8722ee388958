"""Sending a situation report by email, with the PDF attached, to an email alert channel's addresses.

It uses what the alert transports use: the channel's validated configuration (``alerts.schemas.EmailConfig``),
the same SMTP settings (``WASPADA_SMTP_HOST``, ``WASPADA_SMTP_PORT``, ``WASPADA_SMTP_FROM``,
``WASPADA_SMTP_USER``, ``WASPADA_SMTP_PASSWORD``) and the same failure classes, so a failure is
permanent or temporary in the same sense. The email transport itself sends alert texts only (no
attachment), hence this small sender beside it.
"""

from __future__ import annotations

import os
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

from pydantic import ValidationError

from waspada.alerts.schemas import EmailConfig, validation_message
from waspada.alerts.transports import PermanentFailure, TemporaryFailure


def recipients(channel_config: Any) -> list[str]:
    """The fixed addresses of an email channel (a channel that only reaches accounts by role has none)."""
    try:
        config = EmailConfig.model_validate(channel_config)
    except (ValidationError, ValueError) as exc:
        message = validation_message(exc) if isinstance(exc, ValidationError) else str(exc)
        raise PermanentFailure(f"konfigurasi email tidak sah: {message}") from exc
    return list(config.to)


def send(to: list[str], subject: str, body: str, attachment: bytes, filename: str) -> None:
    host = os.environ.get("WASPADA_SMTP_HOST", "").strip()
    if not host:
        raise TemporaryFailure("WASPADA_SMTP_HOST belum diatur")
    try:
        port = int(os.environ.get("WASPADA_SMTP_PORT", "25"))
    except ValueError:
        raise TemporaryFailure("WASPADA_SMTP_PORT bukan angka") from None
    user = os.environ.get("WASPADA_SMTP_USER", "")
    password = os.environ.get("WASPADA_SMTP_PASSWORD", "")
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = os.environ.get("WASPADA_SMTP_FROM", "waspada@localhost")
    msg["To"] = ", ".join(to)
    msg["Message-ID"] = make_msgid("waspada")
    msg.set_content(body)
    msg.add_attachment(attachment, maintype="application", subtype="pdf", filename=filename)
    try:
        with smtplib.SMTP(host, port, timeout=30) as smtp:
            if user:
                smtp.ehlo()
                if smtp.has_extn("starttls"):
                    smtp.starttls()
                smtp.login(user, password)
            refused = smtp.send_message(msg, to_addrs=to)
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
    if refused:
        raise PermanentFailure(f"alamat penerima ditolak: {', '.join(sorted(refused))}")
