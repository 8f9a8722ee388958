"""Local sinks for the demo's notifications, so that ``waspada demo`` shows alerts being raised, delivered,
acknowledged and escalated without any outside service: a tiny SMTP server that stores each email as a file
in ``DATA_DIR/demo-kotak-surat/`` and an HTTP server that stores each webhook call (with its HMAC signature
checked) in ``DATA_DIR/demo-webhook/`` and shows both at ``http://127.0.0.1:<port>/``. Standard library only;
both listen on 127.0.0.1.

``stage_alerts`` sets up the demo's alert rules and channels and runs the worker once (first run only);
``start_background`` starts the sinks and a ``waspada worker`` as child processes while the demo serves.
Run alone: ``python -m waspada.demo.sinks --data-dir D --smtp-port 8025 --http-port 8026``.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import hashlib
import hmac
import html
import json
import os
import signal
import socket
import socketserver
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

MAILBOX = "demo-kotak-surat"
HOOKS = "demo-webhook"
WEBHOOK_SECRET = "rahasia-demo-webhook-waspada"  # the demo's only; a real deployment sets its own
SMTP_OFFSET, HTTP_OFFSET = 25, 26  # the sinks listen next to the demo's web port (8000 → 8025, 8026)
WEBHOOK_CHANNEL = "Posko Bakesbangpol Kaltara (webhook demo)"


# --- the sinks ---------------------------------------------------------------------------------------------


class _Numbered:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.lock = threading.Lock()

    def write(self, suffix: str, data: bytes) -> Path:
        with self.lock:
            n = len(list(self.folder.glob(f"*{suffix}"))) + 1
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
            path = self.folder / f"{n:04d}-{stamp}{suffix}"
            path.write_bytes(data)
            return path


class _SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: HELO/EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT."""

    server: _SmtpServer

    def _say(self, *lines: str) -> None:
        self.wfile.write("".join(f"{line}\r\n" for line in lines).encode())

    def handle(self) -> None:
        self._say("220 waspada-demo ESMTP")
        sender, recipients = "", []
        while line := self.rfile.readline(4096):
            command = line.decode("utf-8", "replace").strip()
            verb = command[:4].upper()
            if verb == "EHLO":
                self._say("250-waspada-demo", "250-8BITMIME", "250 SMTPUTF8")
            elif verb == "HELO":
                self._say("250 waspada-demo")
            elif command.upper().startswith("MAIL FROM:"):
                sender, recipients = command[10:].strip(), []
                self._say("250 OK")
            elif command.upper().startswith("RCPT TO:"):
                recipients.append(command[8:].split()[0].strip("<>") if command[8:].strip() else "")
                self._say("250 OK")
            elif verb == "DATA":
                self._say("354 End data with <CR><LF>.<CR><LF>")
                body = bytearray()
                while (chunk := self.rfile.readline(65536)) not in (b".\r\n", b".\n", b""):
                    body += chunk[1:] if chunk.startswith(b"..") else chunk
                envelope = (
                    f"X-Demo-Envelope-From: {sender}\r\nX-Demo-Envelope-To: {', '.join(recipients)}\r\n"
                )
                self.server.mailbox.write(".eml", envelope.encode() + bytes(body))
                self._say("250 OK: disimpan di kotak surat demo")
            elif verb == "RSET":
                sender, recipients = "", []
                self._say("250 OK")
            elif verb == "NOOP":
                self._say("250 OK")
            elif verb == "QUIT":
                self._say("221 Bye")
                return
            else:
                self._say("502 Command not implemented")


class _SmtpServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, port: int, mailbox: _Numbered) -> None:
        self.mailbox = mailbox
        super().__init__(("127.0.0.1", port), _SmtpHandler)


class _HookHandler(BaseHTTPRequestHandler):
    server: _HookServer

    def do_POST(self) -> None:
        length = min(int(self.headers.get("Content-Length", "0") or 0), 1_000_000)
        body = self.rfile.read(length)
        expected = "sha256=" + hmac.new(WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()
        try:
            payload: Any = json.loads(body)
        except ValueError:
            payload = body.decode("utf-8", "replace")
        record = {
            "received_at": datetime.now(UTC).isoformat(),
            "path": self.path,
            "signature_valid": hmac.compare_digest(expected, self.headers.get("X-Waspada-Signature", "")),
            "payload": payload,
        }
        self.server.hooks.write(".json", json.dumps(record, ensure_ascii=False, indent=2).encode())
        self._answer(200, "application/json", b'{"ok": true}')

    def do_GET(self) -> None:
        if self.path not in ("/", "/index.html"):
            self._answer(404, "text/plain; charset=utf-8", b"tidak ada")
            return
        self._answer(200, "text/html; charset=utf-8", inbox_page(self.server.data_dir).encode())

    def _answer(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


class _HookServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.hooks = _Numbered(data_dir / HOOKS)
        super().__init__(("127.0.0.1", port), _HookHandler)


def inbox_page(data_dir: Path) -> str:
    """What the sinks received, newest first: every email and every webhook call."""
    rows = []
    for path in sorted((data_dir / MAILBOX).glob("*.eml"), reverse=True)[:200]:
        msg = message_from_bytes(path.read_bytes(), policy=policy.default)
        part = msg.get_body(("plain",)) if hasattr(msg, "get_body") else None
        text = part.get_content() if part is not None else ""
        rows.append(
            f"<article><h3>✉ {html.escape(str(msg['Subject']))}</h3><p class=m>{html.escape(path.name)} · "
            f"kepada {html.escape(str(msg['X-Demo-Envelope-To']))}</p><pre>{html.escape(text)}</pre></article>"
        )
    for path in sorted((data_dir / HOOKS).glob("*.json"), reverse=True)[:200]:
        record = json.loads(path.read_text(encoding="utf-8"))
        payload = record.get("payload") or {}
        title = payload.get("rule", "") if isinstance(payload, dict) else ""
        valid = "tanda tangan HMAC sah" if record.get("signature_valid") else "TANDA TANGAN TIDAK SAH"
        rows.append(
            f"<article><h3>⇄ webhook {html.escape(str(title))}</h3><p class=m>{html.escape(path.name)} · {valid}</p>"
            f"<pre>{html.escape(json.dumps(payload, ensure_ascii=False, indent=2))}</pre></article>"
        )
    body = "\n".join(rows) or "<p>Belum ada pesan.</p>"
    return (
        "<!doctype html><html lang=id><meta charset=utf-8><title>Kotak surat demo Waspada</title>"
        "<style>body{font:15px system-ui,sans-serif;max-width:900px;margin:20px auto;padding:0 12px}"
        "article{border:1px solid #ccd;border-radius:8px;padding:8px 12px;margin:10px 0}"
        "pre{white-space:pre-wrap;background:#f5f7fa;padding:8px}.m{color:#567;margin:0}</style>"
        "<h1>Kotak surat dan webhook demo</h1><p>Semua pemberitahuan yang dikirim Waspada dalam demo ini "
        "(email ke server SMTP lokal, webhook ke server HTTP lokal). Muat ulang untuk yang terbaru.</p>"
        + body
    )


@dataclass
class Sinks:
    smtp_port: int
    http_port: int
    servers: list[socketserver.BaseServer]

    def stop(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()


def _free_port(preferred: int) -> int:
    for port in (preferred, 0):
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(s.getsockname()[1])
    raise OSError("no free port")


def start(data_dir: Path, smtp_port: int, http_port: int) -> Sinks:
    """Both sinks in threads of this process (the demo's first pass, and the child process)."""
    smtp = _SmtpServer(smtp_port, _Numbered(data_dir / MAILBOX))
    hooks = _HookServer(http_port, data_dir)
    for server in (smtp, hooks):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    return Sinks(smtp.server_address[1], hooks.server_address[1], [smtp, hooks])


def _transport_settings(smtp_port: int) -> dict[str, str]:
    """What points the email and webhook transports at the sinks (webhooks go to 127.0.0.1)."""
    return {
        "WASPADA_SMTP_HOST": "127.0.0.1",
        "WASPADA_SMTP_PORT": str(smtp_port),
        "WASPADA_SMTP_FROM": "waspada-demo@localhost",
        "WASPADA_ALLOW_PRIVATE_HTTP": "true",
    }


@contextlib.contextmanager
def sink_environment(sinks: Sinks) -> Iterator[None]:
    """The settings the alert transports read, pointed at the sinks for the duration of a pass."""
    wanted = _transport_settings(sinks.smtp_port)
    before = {k: os.environ.get(k) for k in wanted}
    os.environ.update(wanted)
    try:
        yield
    finally:
        for key, value in before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


# --- the demo's alert setup --------------------------------------------------------------------------------

DEMO_RULES = """
[[rule]]
name = "Kejadian dengan korban (demo: eskalasi tiap 2 menit)"
kind = "casualties"
scope = "65"
cooldown_minutes = 60
ack_timeout_minutes = 2
params = { min_casualties = 1, hours = 720 }

[[rule]]
name = "Kekerasan berulang dalam 24 jam"
kind = "incident_count"
scope = "65"
level = 3
ack_timeout_minutes = 30
params = { count = 2, hours = 24 }

[[rule]]
name = "Laporan mendesak dari pelapor terpercaya"
kind = "urgent_report"
scope = "65"
level = 3
ack_timeout_minutes = 10
params = { urgencies = ["tinggi", "darurat"], hours = 720 }

[[rule]]
name = "Selisih dalam ambang Pasal 158 atau gugatan MK"
kind = "close_contest"
scope = "65"
ack_timeout_minutes = 60
params = { include_mk_filings = true }

[[rule]]
name = "Temuan rekapitulasi berat"
kind = "recap_finding"
scope = "65"
level = 2
ack_timeout_minutes = 60
params = { min_severity = "error", min_count = 3, hours = 720 }

[[rule]]
name = "Tindak lanjut melewati tenggat"
kind = "overdue_action"
scope = "65"
level = 2
ack_timeout_minutes = 60

[[rule]]
name = "Kategori kerawanan naik ke tinggi"
kind = "category_rise"
scope = "65"
level = 2

[[rule]]
name = "Lonjakan pemberitaan"
kind = "news_spike"
scope = "65"
level = 2

[[channel]]
name = "FKDM Kecamatan Sesayap (email demo)"
kind = "email"
scope = "65.04.01"
config = { to = ["fkdm.sesayap@demo.waspada.invalid"] }

[[channel]]
name = "Tim Kewaspadaan Dini Kabupaten Tana Tidung (email demo)"
kind = "email"
scope = "65.04"
config = { to = ["tkd.tanatidung@demo.waspada.invalid"] }

[[channel]]
name = "Tim Kewaspadaan Dini Kabupaten Nunukan (email demo)"
kind = "email"
scope = "65.03"
config = { to = ["tkd.nunukan@demo.waspada.invalid"] }

[[channel]]
name = "Bakesbangpol Provinsi Kalimantan Utara (email demo)"
kind = "email"
scope = "65"
config = { to = ["kesbangpol@demo.waspada.invalid"] }

[[channel]]
name = "Petugas sesuai peran (email demo)"
kind = "email"
roles = ["koordinator", "analis"]
config = { profiles = true }
"""


def _webhook_channel(http_port: int) -> str:
    return f"""
[[channel]]
name = "{WEBHOOK_CHANNEL}"
kind = "webhook"
config = {{ url = "http://127.0.0.1:{http_port}/posko", secret = "{WEBHOOK_SECRET}" }}
"""


def staged() -> bool:
    from waspada.alerts.models import Channel

    return Channel.objects.filter(name=WEBHOOK_CHANNEL).exists()


def _simulated_actions(now: datetime) -> None:
    """Response actions on the simulated clash in Tana Tidung: one done, one overdue, one recommendation."""
    from django.contrib.auth import get_user_model

    from waspada.alerts import responses
    from waspada.reports.models import Incident

    incident = (
        Incident.objects.filter(is_simulated=True, region__code__startswith="65.04.").order_by("pk").first()
    )
    user = get_user_model().objects.filter(username="koordinator").first()
    if incident is None or user is None or incident.response_actions.exists():
        return
    today = now.date()
    done = responses.create_action(
        user,
        incident=incident,
        kind="dialog_tokoh",
        agency="Kesbangpol Kabupaten Tana Tidung",
        due_date=today - timedelta(days=5),
        description="SIMULASI: dialog dengan tokoh adat dan tim pemenangan kedua paslon",
    )
    responses.update_action(
        done, user, status="selesai", outcome="SIMULASI: kedua pihak sepakat menahan diri"
    )
    late = responses.create_action(
        user,
        incident=incident,
        kind="mediasi",
        agency="Kesbangpol Kabupaten Tana Tidung",
        due_date=today - timedelta(days=2),
        description="SIMULASI: mediasi ganti rugi kendaraan yang rusak",
    )
    responses.update_action(late, user, status="berjalan")
    responses.create_action(
        user,
        incident=incident,
        kind="rekomendasi",
        agency="Pemerintah Kabupaten Tana Tidung",
        due_date=today + timedelta(days=3),
        description="SIMULASI: menggelar rapat Forkopimda dan patroli bersama sebelum penetapan hasil",
    )


def stage_alerts(port: int, data_dir: Path) -> list[str]:
    """First run only: rules and channels, simulated response actions, one worker pass delivering to the
    sinks, one alert acknowledged. Returns lines for the demo's log."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from waspada.alerts import configure, rulefile, services, worker
    from waspada.alerts.models import Alert, AlertStatus, Delivery

    if staged():
        return [f"alerts: already set up ({Alert.objects.count()} alerts so far)"]
    users = get_user_model().objects.filter(
        username__in=["koordinator", "analis", "analis.nunukan"], email=""
    )
    for user in users:
        user.email = f"{user.get_username()}@demo.waspada.invalid"
        user.save(update_fields=["email"])
    sinks = start(data_dir, _free_port(port + SMTP_OFFSET), _free_port(port + HTTP_OFFSET))
    try:
        parsed = rulefile.parse(DEMO_RULES + _webhook_channel(sinks.http_port), "aturan demo")
        with transaction.atomic():
            configure.apply(parsed)
            _simulated_actions(timezone.now())
        with sink_environment(sinks):
            worker.run_once(["alerts"])
    finally:
        sinks.stop()
    coordinator = get_user_model().objects.get(username="koordinator")
    mk = Alert.objects.filter(group_key__contains=":mk:").order_by("pk").first()
    lines = []
    if mk is not None:
        services.set_status(
            mk, AlertStatus.DITERIMA, coordinator, note="demo: sudah diteruskan ke Forkopimda"
        )
        lines.append(f"alert P-{mk.pk} acknowledged by koordinator")
    sent = Delivery.objects.filter(status="delivered").count()
    lines.insert(
        0,
        f"alerts: {Alert.objects.count()} raised, {sent} notifications delivered to the local sinks "
        f"({data_dir / MAILBOX}, {data_dir / HOOKS})",
    )
    return lines


def start_background(port: int, data_dir: Path) -> list[str]:
    """While the demo serves: the sinks and a worker as child processes (stopped when the demo stops)."""
    from waspada.alerts.models import Channel

    smtp_port, http_port = _free_port(port + SMTP_OFFSET), _free_port(port + HTTP_OFFSET)
    url = f"http://127.0.0.1:{http_port}/posko"
    channel = Channel.objects.filter(name=WEBHOOK_CHANNEL).first()
    if channel is not None and channel.config.get("url") != url:
        Channel.objects.filter(pk=channel.pk).update(config={**channel.config, "url": url})
    env = {
        **os.environ,
        "WASPADA_DATA_DIR": str(data_dir),
        **_transport_settings(smtp_port),
        "WASPADA_BASE_URL": f"http://127.0.0.1:{port}",
    }
    args = ["--data-dir", str(data_dir), "--smtp-port", str(smtp_port), "--http-port", str(http_port)]
    children = [
        subprocess.Popen([sys.executable, "-m", "waspada.demo.sinks", *args], env=env),
        subprocess.Popen([sys.executable, "-m", "waspada.cli", "worker", "--interval", "2"], env=env),
    ]

    def stop() -> None:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(20)

    atexit.register(stop)
    return [
        f"notifications: mailbox and webhook sink at http://127.0.0.1:{http_port}/ (SMTP on port {smtp_port})",
        "worker running: unacknowledged alerts escalate (kecamatan → kabupaten/kota → provinsi), "
        "the casualties rule every 2 minutes",
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Waspada demo: local SMTP and webhook sinks")
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--smtp-port", type=int, default=8025)
    parser.add_argument("--http-port", type=int, default=8026)
    opts = parser.parse_args(argv)
    sinks = start(opts.data_dir, opts.smtp_port, opts.http_port)
    stopping = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopping.set())
    while not stopping.is_set():
        stopping.wait(0.5)
    sinks.stop()


if __name__ == "__main__":
    main()
