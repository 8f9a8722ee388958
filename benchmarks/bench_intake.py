"""Report intake over HTTP against the real server, on SQLite and on PostgreSQL, then a crash test.

    .venv/bin/python benchmarks/bench_intake.py [--clients 16] [--seconds 10] [--backends sqlite,postgres]

For each database it starts ``waspada serve --port P`` (gunicorn, as in production) with its own data
directory, loads Kaltara's part of the gazetteer, creates an analyst and takes a token from
``waspada users token``. Then N client threads, each with one keep-alive ``http.client`` connection, post
reports (``POST /api/reports``, a unique ``Idempotency-Key`` each) for a fixed time, and the same clients ask
the trivial ``GET /kesehatan`` for the same time: the baseline of the ratio.

Crash test: while the clients post, the whole server process group is killed with SIGKILL, the server is
started again, and every client retries the request that got no answer with the same key and body. At the
end each report answered 201 must be in the database (lost = 0) and no key may have more than one report
(duplicates = 0); the key travels in the report's ``client_id`` so that duplicates are counted independently
of the idempotency records.

PostgreSQL: the database ``wsp_bench`` on ``--pg`` (default postgres@127.0.0.1:5432) is dropped and
created. Targets (issue 3, 2-core machine): >= 200 accepted reports/s and p99 < 300 ms.
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

BIN = Path(sys.executable).parent
WASPADA = str(BIN / "waspada")
PG_DB = "wsp_bench"

REGIONS = [
    "65.71.01.1001",
    "65.71.02",
    "65.71.03.1001",
    "65.03.01.2001",
    "65.03.08.2001",
    "65.01.05",
    "65.02.01",
    "65.04.01",
]
EVENT_TYPES = [
    "peaceful_protest",
    "intimidation",
    "money_politics",
    "supporter_clash",
    "riot",
    "hate_speech_hoax_sara",
]
LOAD_KALTARA = (
    "import django; django.setup()\n"
    "from waspada.regions.gazetteer import iter_units\n"
    "from waspada.regions.loader import load_gazetteer\n"
    "load_gazetteer([u for u in iter_units() if u.code == '65' or u.code.startswith('65.')])\n"
)


# --- the server ----------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``waspada serve`` in its own process group (so that kill -9 reaches the gunicorn workers too)."""

    def __init__(self, env: dict[str, str], port: int, log: Path) -> None:
        self.env, self.port, self.log = env, port, log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 120) -> float:
        t0 = time.perf_counter()
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [WASPADA, "serve", "--port", str(self.port)],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        while time.perf_counter() - t0 < timeout:
            if self.proc.poll() is not None:
                raise SystemExit(f"the server exited with {self.proc.returncode}; see {self.log}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/kesehatan")
                if conn.getresponse().status == 200:
                    conn.close()
                    return time.perf_counter() - t0
            except OSError:
                pass
            time.sleep(0.05)
        raise SystemExit(f"the server did not answer within {timeout} s; see {self.log}")

    def cpu_seconds(self) -> float:
        """User + system CPU time of every process in the server's process group (Linux /proc)."""
        assert self.proc is not None
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == self.proc.pid:  # field 5 of stat: the process group
                total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
        return total

    def kill9(self) -> None:
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


# --- set-up --------------------------------------------------------------------------------------------


@dataclass
class Backend:
    name: str
    database_url: str
    data_dir: Path
    env: dict[str, str] = field(default_factory=dict)
    token: str = ""


def run(cmd: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:3])} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def recreate_pg(server_url: str) -> None:
    import psycopg

    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {PG_DB}")


def prepare(backend: Backend) -> None:
    env = dict(os.environ)
    env.update(
        {
            "WASPADA_DATA_DIR": str(backend.data_dir),
            "DATABASE_URL": backend.database_url,
            "DJANGO_SETTINGS_MODULE": "waspada.settings",
            "WASPADA_LOG_LEVEL": "WARNING",
        }
    )
    backend.env = env
    run([WASPADA, "migrate"], env)
    run([sys.executable, "-c", LOAD_KALTARA], env)
    run(
        [
            WASPADA,
            "users",
            "create",
            "bench",
            "--role",
            "analis",
            "--scope",
            "65",
            "--password",
            "bangku-panjang-7",
        ],
        env,
    )
    backend.token = run([WASPADA, "users", "token", "bench"], env).strip().splitlines()[-1]


# --- load ----------------------------------------------------------------------------------------------


def report_body(key: str, rng: random.Random) -> bytes:
    occurred = datetime.now(UTC) - timedelta(minutes=rng.randint(5, 600))
    return json.dumps(
        {
            "region": rng.choice(REGIONS),
            "event_type": rng.choice(EVENT_TYPES),
            "occurred_at": occurred.isoformat(),
            "description": "Massa pendukung paslon berkumpul di depan kantor PPK dan meneriakkan tuntutan "
            f"penghitungan ulang. Situasi dipantau aparat. ({key[:8]})",
            "actors": [{"type": "paslon_supporters", "paslon": rng.randint(1, 3)}, {"type": "police"}],
            "urgency": rng.choice(["rendah", "sedang", "tinggi"]),
            "client_id": key,
        }
    ).encode()


@dataclass
class Sample:
    status: int  # 0 = no answer (connection error)
    seconds: float


def hammer(
    port: int,
    clients: int,
    seconds: float,
    make: Callable[[random.Random], tuple[str, str, bytes | None, dict[str, str]]],
) -> list[Sample]:
    """``clients`` threads, each with one keep-alive connection, sending ``make()`` for ``seconds``."""
    samples: list[list[Sample]] = [[] for _ in range(clients)]
    deadline = time.perf_counter() + seconds

    def client(i: int) -> None:
        rng = random.Random(i)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        out = samples[i]
        while time.perf_counter() < deadline:
            method, path, body, headers = make(rng)
            t0 = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                out.append(Sample(response.status, time.perf_counter() - t0))
            except (OSError, http.client.HTTPException):
                out.append(Sample(0, time.perf_counter() - t0))
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [s for per in samples for s in per]


def post_report(token: str) -> Callable[[random.Random], tuple[str, str, bytes | None, dict[str, str]]]:
    def make(rng: random.Random) -> tuple[str, str, bytes | None, dict[str, str]]:
        key = str(uuid.uuid4())
        headers = {
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Idempotency-Key": key,
        }
        return "POST", "/api/reports", report_body(key, rng), headers

    return make


def health(rng: random.Random) -> tuple[str, str, bytes | None, dict[str, str]]:
    return "GET", "/kesehatan", None, {}


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


@dataclass
class Figures:
    rate: float
    p50_ms: float
    p99_ms: float
    ok: int
    other: Counter[int]
    cpu_ms: float = 0.0  # server CPU time per answer


def figures(samples: list[Sample], seconds: float, ok_status: int) -> Figures:
    ok = [s.seconds for s in samples if s.status == ok_status]
    other = Counter(s.status for s in samples if s.status != ok_status)
    return Figures(len(ok) / seconds, percentile(ok, 50) * 1000, percentile(ok, 99) * 1000, len(ok), other)


# --- crash test ----------------------------------------------------------------------------------------


@dataclass
class Attempted:
    key: str
    attempts: int = 0
    status: int = 0
    report_id: int | None = None
    replayed: bool = False
    failures: int = 0  # attempts that got no answer (connection refused/reset during the crash)


def crash_test(server: Server, backend: Backend, clients: int, seconds: float) -> dict[str, Any]:
    ledger: list[list[Attempted]] = [[] for _ in range(clients)]
    stop = threading.Event()
    give_up = time.perf_counter() + seconds + 90

    def client(i: int) -> None:
        rng = random.Random(1000 + i)
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        while not stop.is_set():
            key = str(uuid.uuid4())
            body = report_body(key, rng)
            headers = {
                "Authorization": f"Bearer {backend.token}",
                "Content-Type": "application/json",
                "Idempotency-Key": key,
            }
            entry = Attempted(key)
            ledger[i].append(entry)
            while time.perf_counter() < give_up:
                entry.attempts += 1
                try:
                    conn.request("POST", "/api/reports", body=body, headers=headers)
                    response = conn.getresponse()
                    payload = response.read()
                except (OSError, http.client.HTTPException):
                    entry.failures += 1
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
                    time.sleep(0.05)
                    continue
                if response.status >= 500:
                    entry.failures += 1
                    time.sleep(0.05)
                    continue
                entry.status = response.status
                if response.status == 201:
                    entry.report_id = json.loads(payload)["id"]
                    entry.replayed = response.getheader("Idempotent-Replayed") == "true"
                break
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    time.sleep(seconds * 0.4)
    t_kill = time.perf_counter()
    server.kill9()
    restart = server.start()
    downtime = time.perf_counter() - t_kill
    time.sleep(seconds * 0.6)
    stop.set()
    for t in threads:
        t.join()

    entries = [e for per in ledger for e in per]
    answered = {e.key: e.report_id for e in entries if e.status == 201}
    ours = {e.key for e in entries}
    stored = {rid: key for rid, key in stored_reports(backend).items() if key in ours}
    lost = [k for k, rid in answered.items() if stored.get(rid) != k]
    per_key = Counter(stored.values())
    duplicates = {k: n for k, n in per_key.items() if n > 1}
    retried = [e for e in entries if e.failures]
    return {
        "requests": len(entries),
        "answered_201": len(answered),
        "other_answers": Counter(e.status for e in entries if e.status != 201),
        "retried_after_no_answer": len(retried),
        "retries_replayed": sum(1 for e in retried if e.replayed),
        "retries_created": sum(1 for e in retried if e.status == 201 and not e.replayed),
        "never_answered": sum(1 for e in entries if e.status == 0),
        "stored_reports": sum(per_key.values()),
        "lost": len(lost),
        "duplicate_keys": len(duplicates),
        "stored_without_an_answer": len(set(per_key) - set(answered)),
        "downtime_s": downtime,
        "restart_s": restart,
    }


def stored_reports(backend: Backend) -> dict[int, str]:
    """report id → client_id (the idempotency key) for every stored report, read straight from the database."""
    query = "SELECT id, client_id FROM reports_report"
    if backend.name == "sqlite":
        conn = sqlite3.connect(backend.data_dir / "waspada.sqlite3")
        try:
            return {int(i): str(c) for i, c in conn.execute(query)}
        finally:
            conn.close()
    import psycopg

    with psycopg.connect(backend.database_url) as pg:
        return {int(i): str(c) for i, c in pg.execute(query)}


# --- main ----------------------------------------------------------------------------------------------


def bench(backend: Backend, clients: int, seconds: float, warmup: float) -> dict[str, Any]:
    t0 = time.perf_counter()
    prepare(backend)
    port = free_port()
    server = Server(backend.env, port, backend.data_dir / "server.log")
    print(f"\n== {backend.name}: set-up {time.perf_counter() - t0:.1f} s; server on port {port}", flush=True)
    try:
        started = server.start()
        print(f"   server answered after {started:.1f} s", flush=True)
        hammer(port, clients, warmup, post_report(backend.token))
        hammer(port, clients, warmup, health)
        cpu0 = server.cpu_seconds()
        reports = figures(hammer(port, clients, seconds, post_report(backend.token)), seconds, 201)
        cpu1 = server.cpu_seconds()
        trivial = figures(hammer(port, clients, seconds, health), seconds, 200)
        cpu2 = server.cpu_seconds()
        reports.cpu_ms = (cpu1 - cpu0) * 1000 / max(reports.ok, 1)
        trivial.cpu_ms = (cpu2 - cpu1) * 1000 / max(trivial.ok, 1)
        ratio = reports.rate / trivial.rate if trivial.rate else float("nan")
        met = reports.rate >= 200 and reports.p99_ms < 300
        print(
            f"   POST /api/reports : {reports.rate:7.0f} accepted/s  p50 {reports.p50_ms:6.1f} ms  "
            f"p99 {reports.p99_ms:6.1f} ms  server CPU {reports.cpu_ms:5.2f} ms/report  "
            f"({reports.ok} accepted{_others(reports.other)})"
        )
        print(
            f"   GET /kesehatan    : {trivial.rate:7.0f} answers/s   p50 {trivial.p50_ms:6.1f} ms  "
            f"p99 {trivial.p99_ms:6.1f} ms  server CPU {trivial.cpu_ms:5.2f} ms/answer{_others(trivial.other)}"
        )
        print(
            f"   ratio reports/s ÷ trivial/s = {ratio:.2f}; targets (>= 200/s, p99 < 300 ms): "
            f"{'MET' if met else 'NOT MET'}",
            flush=True,
        )
        crash = crash_test(server, backend, clients, seconds * 2)
        print(
            f"   crash test: kill -9 of the server's process group mid-load, restart "
            f"{crash['restart_s']:.1f} s (down {crash['downtime_s']:.1f} s)\n"
            f"     requests {crash['requests']}, answered 201: {crash['answered_201']}, "
            f"stored reports: {crash['stored_reports']}\n"
            f"     retried after no answer: {crash['retried_after_no_answer']} "
            f"(replayed the stored report: {crash['retries_replayed']}, created on retry: {crash['retries_created']})\n"
            f"     LOST (answered 201, not stored): {crash['lost']}   DUPLICATES (keys with > 1 report): "
            f"{crash['duplicate_keys']}   never answered: {crash['never_answered']}"
            f"{_others(crash['other_answers'])}",
            flush=True,
        )
        return {"reports": reports, "trivial": trivial, "ratio": ratio, "crash": crash}
    finally:
        server.stop()


def _others(counter: Counter[int]) -> str:
    if not counter:
        return ""
    return "; other answers: " + ", ".join(
        f"{'no answer' if s == 0 else s}×{n}" for s, n in sorted(counter.items())
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10, help="length of each measurement")
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--keep", action="store_true", help="keep the data directories (server logs)")
    parser.add_argument(
        "--pg", default=os.environ.get("WASPADA_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    )
    args = parser.parse_args()
    print(
        f"{args.clients} clients, {args.seconds:.0f} s per measurement, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f} (other work on the machine slows every figure but CPU/report)"
    )
    failed = False
    for name in args.backends.split(","):
        data_dir = Path(tempfile.mkdtemp(prefix=f"waspada-bench-{name}-"))
        if name == "postgres":
            recreate_pg(args.pg)
            backend = Backend(name, f"{args.pg}/{PG_DB}", data_dir)
        elif name == "sqlite":
            backend = Backend(name, "", data_dir)
        else:
            raise SystemExit(f"unknown backend {name!r}; use sqlite and/or postgres")
        try:
            result = bench(backend, args.clients, args.seconds, args.warmup)
        finally:
            if not args.keep:
                shutil.rmtree(data_dir, ignore_errors=True)
        failed |= bool(result["crash"]["lost"] or result["crash"]["duplicate_keys"])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
