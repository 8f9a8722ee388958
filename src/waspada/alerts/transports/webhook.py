"""A generic webhook: JSON POST signed with HMAC-SHA256 of the body under the channel's secret, sent as
``X-Waspada-Signature: sha256=<hex>``."""

from __future__ import annotations

import hashlib
import hmac
import json

from waspada.alerts import http, messages
from waspada.alerts.schemas import WebhookConfig
from waspada.alerts.transports.base import Outbound, PermanentFailure, TemporaryFailure, classify, config_of

SIGNATURE_HEADER = "X-Waspada-Signature"


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class WebhookTransport:
    def notify(self, out: Outbound) -> None:
        config = config_of(WebhookConfig, out, "webhook")
        body = json.dumps(messages.payload(out.alert), ensure_ascii=False).encode()
        headers = {SIGNATURE_HEADER: sign(config.secret, body)}
        try:
            resp = http.post(str(config.url), body, "application/json", headers)
        except http.RefusedAddress as exc:
            raise PermanentFailure(str(exc)) from exc
        except http.HttpError as exc:
            raise TemporaryFailure(str(exc)) from exc
        classify(resp)
