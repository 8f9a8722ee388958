"""The one SMTP sender shared by the alert email transport and the situation report mailer, against a real
SMTP server on 127.0.0.1 that refuses some addresses and answers some messages with an error."""

from __future__ import annotations

import email
import email.policy
from typing import Any

import pytest
from django.utils import timezone

from waspada.alerts import delivery
from waspada.alerts.models import Channel, Delivery
from waspada.alerts.transports import PermanentFailure, TemporaryFailure
from waspada.alerts.transports.email import RecipientsRefused, new_message, send_message

from .conftest import free_port, make_alert


@pytest.fixture
def picky_smtp(smtp_server: Any) -> list[Any]:
    """Refuses for good every address starting with ``ditolak``; answers DATA with the code in a subject
    that reads ``balas 451`` or ``balas 554``."""
    received: list[Any] = []

    class Handler:
        async def handle_RCPT(  # noqa: N802
            self, server: Any, session: Any, envelope: Any, address: str, options: Any
        ) -> str:
            if address.startswith("ditolak"):
                return "550 5.1.1 no such user"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
            subject = email.message_from_bytes(envelope.content, policy=email.policy.default)["Subject"]
            if subject.startswith("balas "):
                return f"{subject.split()[1]} menolak pesan"
            received.append(envelope)
            return "250 OK"

    smtp_server(Handler())
    return received


def test_it_sends_with_the_configured_sender_and_envelope(picky_smtp: list[Any]) -> None:
    msg = new_message("Uji", "Isi pesan", ["a@uji.id"])
    send_message(msg, ["a@uji.id", "b@uji.id"])  # b only in the envelope, as with a blind copy
    [envelope] = picky_smtp
    assert envelope.rcpt_tos == ["a@uji.id", "b@uji.id"]
    sent = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert (sent["From"], sent["To"], sent["Subject"]) == ("waspada@kesbangpol.example", "a@uji.id", "Uji")


def test_a_message_without_visible_addresses_says_so() -> None:
    assert new_message("Uji", "Isi", [])["To"] == "undisclosed-recipients:;"


def test_a_refused_address_is_permanent_and_the_others_still_get_the_message(picky_smtp: list[Any]) -> None:
    with pytest.raises(RecipientsRefused) as caught:
        send_message(new_message("Uji", "Isi", ["a@uji.id"]), ["a@uji.id", "ditolak@uji.id"])
    assert caught.value.refused == ["ditolak@uji.id"] and caught.value.permanent
    assert "ditolak@uji.id" in str(caught.value)
    assert [e.rcpt_tos for e in picky_smtp] == [["a@uji.id"]]


def test_every_address_refused_is_permanent(picky_smtp: list[Any]) -> None:
    with pytest.raises(RecipientsRefused):
        send_message(new_message("Uji", "Isi", []), ["ditolak@uji.id"])
    assert not picky_smtp


@pytest.mark.parametrize(("code", "failure"), [(451, TemporaryFailure), (554, PermanentFailure)])
def test_a_4xx_answer_is_temporary_and_a_5xx_answer_permanent(
    picky_smtp: list[Any], code: int, failure: type[Exception]
) -> None:
    with pytest.raises(failure, match=f"SMTP {code}"):
        send_message(new_message(f"balas {code}", "Isi", ["a@uji.id"]), ["a@uji.id"])


def test_no_server_is_temporary(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WASPADA_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("WASPADA_SMTP_PORT", str(free_port()))  # nobody listens there
    with pytest.raises(TemporaryFailure, match="tidak dapat dihubungi"):
        send_message(new_message("Uji", "Isi", ["a@uji.id"]), ["a@uji.id"])
    monkeypatch.delenv("WASPADA_SMTP_HOST")
    with pytest.raises(TemporaryFailure, match="WASPADA_SMTP_HOST"):
        send_message(new_message("Uji", "Isi", ["a@uji.id"]), ["a@uji.id"])


@pytest.mark.django_db
def test_the_alert_transport_keeps_the_taken_addresses_when_one_is_refused(picky_smtp: list[Any]) -> None:
    Channel.objects.create(name="Dua surel", kind="email", config={"to": ["a@uji.id", "ditolak@uji.id"]})
    make_alert()
    delivery.deliver_due(timezone.now())
    d = Delivery.objects.get()
    assert (d.status, d.sent_to) == ("failed", ["a@uji.id"])
    assert "alamat penerima ditolak: ditolak@uji.id" in d.last_error
    assert [e.rcpt_tos for e in picky_smtp] == [["a@uji.id"]]
