"""Email over SMTP (smtplib). Server from ``WASPADA_SMTP_HOST``/``WASPADA_SMTP_PORT``/``WASPADA_SMTP_FROM``,
optional ``WASPADA_SMTP_USER``/``WASPADA_SMTP_PASSWORD`` (then STARTTLS when the server offers it).

A delivery to one person goes to their address; a channel's fixed list gets one message to all of it."""

from __future__ import annotations

import os
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

from waspada.alerts import messages
from waspada.alerts.schemas import EmailConfig
from waspada.alerts.transports.base import Outbound, PermanentFailure, TemporaryFailure, config_of


class EmailTransport:
    def notify(self, out: Outbound) -> None:
        config = config_of(EmailConfig, out, "email")
        recipients = [out.address] if out.address else [a for a in config.to if a not in out.already_sent]
        if not recipients:
            return
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
        msg["Subject"] = messages.subject(out.alert)
        msg["From"] = sender
        msg["To"] = ", ".join(recipients)
        msg["Message-ID"] = make_msgid("waspada")
        msg.set_content(messages.body(out.alert))
        try:
            with smtplib.SMTP(host, port, timeout=15) as smtp:
                if user:
                    smtp.ehlo()
                    if smtp.has_extn("starttls"):
                        smtp.starttls()
                    smtp.login(user, password)
                refused = smtp.send_message(msg, to_addrs=recipients)
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
        out.sent.extend(a for a in recipients if a not in refused)
        if refused:  # some addresses taken, some refused for good: the refused ones will not improve
            raise PermanentFailure(f"alamat penerima ditolak: {', '.join(sorted(refused))}")
