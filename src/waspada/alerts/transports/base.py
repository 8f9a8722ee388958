"""One protocol for every notification channel. ``notify`` returns on success and raises
:class:`TemporaryFailure` (retry later) or :class:`PermanentFailure` (the channel is broken: disable it).

A transport that sends to several addresses one by one adds each address it reached to ``Outbound.sent``
and skips the ones in ``Outbound.already_sent``: a retry after a partial failure never sends twice."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from waspada.alerts import http
from waspada.alerts.schemas import validation_message

if TYPE_CHECKING:
    from waspada.alerts.models import Alert, Channel


M = TypeVar("M", bound=BaseModel)


class TransportError(Exception):
    permanent = False


class TemporaryFailure(TransportError):
    permanent = False


class PermanentFailure(TransportError):
    permanent = True


@dataclass
class Outbound:
    """One notification to send: the alert, the channel, and for a delivery to one person their address."""

    alert: Alert
    channel: Channel
    address: str = ""
    already_sent: frozenset[str] = frozenset()
    sent: list[str] = field(default_factory=list)


class Transport(Protocol):
    def notify(self, out: Outbound) -> None: ...


def config_of(model: type[M], out: Outbound, label: str) -> M:
    try:
        return model.model_validate(out.channel.config)
    except ValidationError as exc:
        raise PermanentFailure(f"konfigurasi {label} tidak sah: {validation_message(exc)}") from exc


def send_each(out: Outbound, addresses: Iterable[str], send: Callable[[str], None]) -> None:
    """Send to each address not yet reached, in order; the first failure stops the round (and is raised)."""
    for address in addresses:
        if address in out.already_sent or address in out.sent:
            continue
        send(address)
        out.sent.append(address)


def post_checked(url: str, payload: object, headers: dict[str, str] | None = None) -> http.Response:
    """POST JSON through the one HTTP helper and sort the outcome: 2xx ok; 408, 429 and 5xx temporary;
    other statuses, refused addresses permanent; no answer temporary."""
    try:
        resp = http.post_json(url, payload, headers)
    except http.RefusedAddress as exc:
        raise PermanentFailure(str(exc)) from exc
    except http.HttpError as exc:
        raise TemporaryFailure(str(exc)) from exc
    classify(resp)
    return resp


def classify(resp: http.Response) -> None:
    if 200 <= resp.status < 300:
        return
    message = f"HTTP {resp.status}: {resp.body[:200].decode('utf-8', 'replace')}".strip()
    if resp.status in {408, 425, 429} or resp.status >= 500:
        raise TemporaryFailure(message)
    raise PermanentFailure(message)
