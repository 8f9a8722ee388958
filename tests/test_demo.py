"""``waspada demo`` end to end in real processes, then ``waspada serve`` serving what the demo loaded."""

from __future__ import annotations

import fcntl
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, Request, build_opener

import pytest

WASPADA = Path(sys.executable).with_name("waspada")
SHARED_DATA = Path(
    os.environ.get("WASPADA_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data")
)
KALTARA = SHARED_DATA / "kaltara"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

COUNTED_TABLES = (
    "regions_region",
    "reports_report",
    "reports_incident",
    "elections_contest",
    "elections_candidate",
    "auth_user",
    "accounts_profile",
    "accounts_auditlog",
)


def process_env(**extra: str) -> dict[str, str]:
    """A real process on its own SQLite data directory, never on the test run's database."""
    drop = {
        "DATABASE_URL",
        "WASPADA_DATA_DIR",
        "WASPADA_DEBUG",
        "WASPADA_SECRET_KEY",
        "DJANGO_SETTINGS_MODULE",
    }
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(extra)
    return env


def waspada(*args: str, timeout: float = 300, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(WASPADA), *args], env=process_env(**env), capture_output=True, text=True, timeout=timeout
    )


def counts(data_dir: Path) -> dict[str, int]:
    """Rows per table, and a fingerprint of the stored passwords, straight from the SQLite file."""
    with sqlite3.connect(data_dir / "waspada.sqlite3") as db:
        found = {table: db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in COUNTED_TABLES}
        found["with_geometry"] = db.execute(
            "SELECT COUNT(*) FROM regions_region WHERE geometry IS NOT NULL"
        ).fetchone()[0]
        simulated = db.execute("SELECT COUNT(*) FROM reports_report WHERE is_simulated").fetchone()
        found["simulated"] = simulated[0]
        # A new password hash (a new salt) would log every demo user out of their open sessions.
        passwords = db.execute("SELECT username, password FROM auth_user ORDER BY id").fetchall()
        found["password fingerprint"] = hash(tuple(passwords))
    return found


@dataclass
class Demo:
    data_dir: Path
    first: subprocess.CompletedProcess[str]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[Demo]:
    """One demo data directory for the whole module, built once even when xdist spreads the tests."""
    if not KALTARA.is_dir():
        if IN_CI:
            pytest.fail(f"shared data folder {KALTARA} is missing (required under CI)")
        pytest.skip(f"shared data folder {KALTARA} is not on this machine")
    base = tmp_path_factory.getbasetemp()
    root = base if worker_id == "master" else base.parent  # shared by the workers of this run only
    data_dir = root / "waspada-demo"
    with (root / "waspada-demo.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        log = root / "waspada-demo.first.json"
        if not log.exists():
            result = waspada(
                "demo", "--no-serve", "--data-dir", str(data_dir), "--boundaries", str(KALTARA), timeout=600
            )
            log.write_text(json.dumps([result.returncode, result.stdout, result.stderr]), encoding="utf-8")
        returncode, stdout, stderr = json.loads(log.read_text(encoding="utf-8"))
        fcntl.flock(lock, fcntl.LOCK_UN)
    yield Demo(data_dir, subprocess.CompletedProcess([], returncode, stdout, stderr))


def test_the_demo_builds_and_exits_without_serving(demo: Demo) -> None:
    assert demo.first.returncode == 0, demo.first.stderr
    assert "Traceback" not in demo.first.stderr
    assert f"Data directory: {demo.data_dir}" in demo.first.stdout
    assert "gazetteer loaded: 91599 units" in demo.first.stdout
    assert "kabkota.geojson: 5 matched, 0 unknown" in demo.first.stdout
    assert "kecamatan.geojson: 55 matched, 0 unknown" in demo.first.stdout
    assert "desa.geojson: 482 matched, 0 unknown" in demo.first.stdout
    assert (demo.data_dir / "waspada.sqlite3").is_file()


def test_the_demo_prints_one_login_per_role(demo: Demo) -> None:
    logins = {}
    for line in demo.first.stdout.splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[2] in {"pelapor", "analis", "koordinator", "pimpinan", "admin"}:
            logins[parts[0]] = (parts[1], parts[2], parts[3])
    assert logins["analis"] == ("demo-analis-waspada", "analis", "65")
    assert logins["admin"][1:] == ("admin", "nasional")
    assert {role for _, role, _ in logins.values()} == {
        "pelapor",
        "analis",
        "koordinator",
        "pimpinan",
        "admin",
    }


def test_the_demo_database_has_the_gazetteer_and_the_kaltara_boundaries(demo: Demo) -> None:
    result = waspada("--data-dir", str(demo.data_dir), "regions", "stats", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"1": 38, "2": 514, "3": 7285, "4": 83762, "with_geometry": 542}


def test_the_demo_database_is_sqlite_in_wal_mode(demo: Demo) -> None:
    with sqlite3.connect(demo.data_dir / "waspada.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_the_demo_scenario_is_labelled_as_simulation(demo: Demo) -> None:
    found = counts(demo.data_dir)
    assert found["reports_report"] > 0 and found["reports_incident"] > 0
    assert found["simulated"] == found["reports_report"]
    assert found["elections_contest"] > 0 and found["elections_candidate"] > 0


def test_the_demo_computes_the_index_so_the_map_is_coloured(demo: Demo) -> None:
    with sqlite3.connect(demo.data_dir / "waspada.sqlite3") as db:
        rows = db.execute(
            "SELECT region_id, category FROM risk_indexsnapshot WHERE region_id IN "
            "('65.01', '65.02', '65.03', '65.04', '65.71')"
        ).fetchall()
    assert len(rows) == 5
    assert {category for _, category in rows} <= {"rendah", "sedang", "tinggi"}


def test_a_second_demo_run_is_idempotent(demo: Demo) -> None:
    before = counts(demo.data_dir)
    again = waspada("demo", "--no-serve", "--data-dir", str(demo.data_dir), "--boundaries", str(KALTARA))
    assert again.returncode == 0, again.stderr
    assert "gazetteer present: 91599 units" in again.stdout
    assert "simulated 0 new incidents, 0 new reports" in again.stdout
    assert "desa.geojson: 482 matched, 0 unknown, 0 changed" in again.stdout
    assert counts(demo.data_dir) == before


def test_the_demo_refuses_a_missing_boundaries_folder(tmp_path: Path) -> None:
    result = waspada(
        "demo", "--no-serve", "--data-dir", str(tmp_path), "--boundaries", str(tmp_path / "tidak-ada")
    )
    assert result.returncode == 1
    assert "tidak-ada" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "waspada.sqlite3").exists()  # refused before the long steps


# --- serving what the demo loaded ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Browser:
    """Just enough of a browser: cookies, redirects, and the CSRF token of the last form."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = build_opener(HTTPCookieProcessor(CookieJar()))

    def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        return self._open(Request(self.base + path))

    def post_form(self, path: str, fields: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        data = urlencode(fields).encode()
        return self._open(Request(self.base + path, data=data, headers={"Referer": self.base + path}))

    def _open(self, request: Request) -> tuple[int, dict[str, str], bytes]:
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except HTTPError as error:
            return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def server(demo: Demo, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``WASPADA_DATA_DIR=D waspada serve --port P``: the production server on the demo's data."""
    assert demo.first.returncode == 0, demo.first.stderr
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(WASPADA), "serve", "--port", str(port), "--workers", "2"],
            env=process_env(WASPADA_DATA_DIR=str(demo.data_dir)),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                pytest.fail(f"waspada serve exited with {process.returncode}:\n{log.read_text()}")
            try:
                if Browser(base).get("/kesehatan")[0] == 200:
                    break
            except (URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"waspada serve did not answer /kesehatan within 90 s:\n{log.read_text()}")
            time.sleep(0.3)
        yield base
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)  # gunicorn's master stops its workers and exits
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
                pytest.fail("waspada serve did not stop within 30 s of SIGTERM")
    assert process.returncode == 0, log.read_text()


def test_the_server_answers_the_health_check(server: str) -> None:
    status, headers, body = Browser(server).get("/kesehatan")
    assert status == 200
    assert json.loads(body) == {"status": "ok", "database": True}


def test_the_server_runs_with_debug_off(server: str) -> None:
    status, _, body = Browser(server).get("/tidak-ada-halaman-ini/")
    assert status in {302, 404}
    assert b"Traceback" not in body and b"DEBUG = True" not in body and b"URLconf" not in body


def test_the_analyst_logs_in_through_the_form_and_sees_the_map(server: str) -> None:
    browser = Browser(server)
    status, _, page = browser.get("/")  # redirected to the login page
    assert status == 200
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, page[:500]
    status, _, page = browser.post_form(
        "/masuk/",
        {
            "username": "analis",
            "password": "demo-analis-waspada",
            "csrfmiddlewaretoken": token.group(1).decode(),
        },
    )
    assert status == 200
    text = page.decode()
    assert 'id="map"' in text
    assert "Kalimantan Utara" in text
    assert '<html lang="id">' in text

    css = re.search(r'href="(/static/waspada/base\.[0-9a-f]{12}\.css)"', text)
    assert css, "the stylesheet is not linked under a hashed name"
    status, headers, body = browser.get(css.group(1))
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert "max-age=315360000" in headers.get("Cache-Control", "")  # hashed files are cached for good
    assert len(body) > 100

    status, _, body = browser.get("/api/me")
    assert status == 200
    assert json.loads(body) == {"username": "analis", "role": "analis", "scope": "65"}


def test_a_wrong_password_on_the_served_login_form_is_refused(server: str) -> None:
    browser = Browser(server)
    _, _, page = browser.get("/masuk/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token
    status, _, page = browser.post_form(
        "/masuk/", {"username": "analis", "password": "salah", "csrfmiddlewaretoken": token.group(1).decode()}
    )
    assert status == 200
    assert b'id="map"' not in page


def test_the_served_api_answers_for_the_province(server: str) -> None:
    status, headers, body = Browser(server).get("/api/regions/65")
    assert status == 200
    assert headers["Content-Type"].startswith("application/json")
    region = json.loads(body)
    assert (region["name"], region["children_count"], region["population"]) == ("Kalimantan Utara", 5, 770627)


def test_the_served_api_answers_bad_input_in_the_error_shape(server: str) -> None:
    status, _, body = Browser(server).get("/api/regions/65.x")
    assert status == 400
    assert json.loads(body)["error"]["status"] == 400
