"""One protocol for every notification channel. ``notify`` returns on success and raises
:class:`TemporaryFailure` (retry later) or :class:`PermanentFailure` (the channel is broken: disable it)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from waspada.alerts import http

if TYPE_CHECKING:
    from waspada.alerts.models import Alert, Channel


class TransportError(Exception):
    permanent = False


class TemporaryFailure(TransportError):
    permanent = False


class PermanentFailure(TransportError):
    permanent = True


class Transport(Protocol):
    def notify(self, alert: Alert, channel: Channel) -> None: ...


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
