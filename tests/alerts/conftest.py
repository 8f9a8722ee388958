"""Real local peers for the alert transports: an SMTP server (aiosmtpd) and an HTTP server on 127.0.0.1,
plus helpers that create rules, channels and incidents."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@pytest.fixture
def allow_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WASPADA_ALLOW_PRIVATE_HTTP", "true")


class HttpSink:
    """Records every request; answers ``status`` (per path prefix in ``statuses``, else 200)."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.statuses: dict[str, int] = {}
        # Answer 503 to the first request whose body holds one of these strings (then 200).
        self.fail_once: set[str] = set()
        self.lock = threading.Lock()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with sink.lock:
                    sink.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                status = next((s for p, s in sink.statuses.items() if self.path.startswith(p)), 200)
                with sink.lock:
                    hit = next((t for t in sink.fail_once if t.encode() in body), None)
                    if hit is not None:
                        sink.fail_once.discard(hit)
                        status = 503
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(json.dumps({"ok": status < 400}).encode())

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def http_sink(allow_loopback: None) -> Iterator[HttpSink]:
    sink = HttpSink()
    yield sink
    sink.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_incident(region: str, at: datetime, event_type: str = "supporter_clash", **kw: Any) -> Any:
    from waspada.reports.models import Incident

    return Incident.objects.create(
        title=kw.pop("title", "Bentrok pendukung"),
        description="Uji",
        event_type=event_type,
        region_id=region,
        occurred_at=at,
        created_at=at,
        **kw,
    )


def make_alert(rule_name: str = "Bentrok berulang", region: str = "65.03.01", **kw: Any) -> Any:
    from waspada.alerts.models import Alert, AlertRule
    from waspada.alerts.services import queue_deliveries

    rule, _ = AlertRule.objects.get_or_create(
        name=rule_name, defaults={"kind": "incident_count", "params": {"count": 2, "hours": 24}}
    )
    alert = Alert.objects.create(
        rule=rule, region_id=region, group_key=f"test:{region}", evidence={"incidents": [7]}, **kw
    )
    queue_deliveries(alert)
    return alert
