"""Email over SMTP (smtplib). Server from ``WASPADA_SMTP_HOST``/``WASPADA_SMTP_PORT``/``WASPADA_SMTP_FROM``,
optional ``WASPADA_SMTP_USER``/``WASPADA_SMTP_PASSWORD`` (then STARTTLS when the server offers it).

A delivery to one person goes to their address; a channel's fixed list gets one message to all of it.
:func:`send_message` is the one SMTP sender: the situation report mailer uses it too (with its PDF attached).
"""

from __future__ import annotations

import os
import smtplib
from collections.abc import Iterable, Sequence
from email.message import EmailMessage
from email.utils import make_msgid

from waspada.alerts import messages
from waspada.alerts.schemas import EmailConfig
from waspada.alerts.transports.base import Outbound, PermanentFailure, TemporaryFailure, config_of

TIMEOUT = 15.0  # seconds for each step of the SMTP conversation


class RecipientsRefused(PermanentFailure):
    """The server refused some addresses for good (it took the message for the others, if any)."""

    def __init__(self, refused: Iterable[str]) -> None:
        self.refused = sorted(refused)
        super().__init__(f"alamat penerima ditolak: {', '.join(self.refused)}")


def new_message(subject: str, body: str, to: Sequence[str]) -> EmailMessage:
    """A plain-text message from ``WASPADA_SMTP_FROM``; ``to`` is the visible To header (may be empty)."""
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = os.environ.get("WASPADA_SMTP_FROM", "waspada@localhost")
    msg["To"] = ", ".join(to) if to else "undisclosed-recipients:;"
    msg["Message-ID"] = make_msgid("waspada")
    msg.set_content(body)
    return msg


def send_message(message: EmailMessage, to: Sequence[str], timeout: float = TIMEOUT) -> None:
    """Send ``message`` to the envelope addresses ``to`` through the configured SMTP server.

    Raises :class:`TemporaryFailure` (no server configured or reachable, a 4xx answer),
    :class:`PermanentFailure` (login refused, a 5xx answer) or :class:`RecipientsRefused` (some or all
    addresses refused for good: the others, if any, have the message)."""
    host = os.environ.get("WASPADA_SMTP_HOST", "").strip()
    if not host:
        raise TemporaryFailure("WASPADA_SMTP_HOST belum diatur")
    try:
        port = int(os.environ.get("WASPADA_SMTP_PORT", "25"))
    except ValueError:
        raise TemporaryFailure("WASPADA_SMTP_PORT bukan angka") from None
    user = os.environ.get("WASPADA_SMTP_USER", "")
    password = os.environ.get("WASPADA_SMTP_PASSWORD", "")
    try:
        with smtplib.SMTP(host, port, timeout=timeout) as smtp:
            if user:
                smtp.ehlo()
                if smtp.has_extn("starttls"):
                    smtp.starttls()
                smtp.login(user, password)
            refused = smtp.send_message(message, to_addrs=list(to))
    except smtplib.SMTPRecipientsRefused as exc:
        raise RecipientsRefused(exc.recipients) from exc
    except smtplib.SMTPAuthenticationError as exc:
        raise PermanentFailure(f"login SMTP ditolak ({exc.smtp_code})") from exc
    except smtplib.SMTPResponseException as exc:
        text = f"SMTP {exc.smtp_code}: {exc.smtp_error!r}"
        if 500 <= exc.smtp_code < 600:
            raise PermanentFailure(text) from exc
        raise TemporaryFailure(text) from exc
    except (TimeoutError, smtplib.SMTPException, OSError) as exc:
        raise TemporaryFailure(f"server SMTP tidak dapat dihubungi: {exc}") from exc
    if refused:  # some addresses taken, some refused for good: the refused ones will not improve
        raise RecipientsRefused(refused)


class EmailTransport:
    def notify(self, out: Outbound) -> None:
        config = config_of(EmailConfig, out, "email")
        recipients = [out.address] if out.address else [a for a in config.to if a not in out.already_sent]
        if not recipients:
            return
        msg = new_message(messages.subject(out.alert), messages.body(out.alert), recipients)
        try:
            send_message(msg, recipients)
        except RecipientsRefused as exc:
            out.sent.extend(a for a in recipients if a not in exc.refused)
            raise
        out.sent.extend(recipients)
