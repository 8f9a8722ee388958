"""Settings from the environment (waspada.conf) and what the settings module makes of them: SQLite in WAL
mode, times stored in UTC and shown in the zone of the user's region."""

from __future__ import annotations

import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.test import Client
from django.urls import path
from django.utils import timezone

from waspada import conf
from waspada.accounts.models import AuditLog
from waspada.regions.models import Region

# --- typed readers ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("true", True), (" YES ", True), ("on", True), ("ya", True), ("0", False), ("off", False)]
    + [("tidak", False), ("False", False), ("", False)],
)
def test_env_bool_reads_common_words(monkeypatch: pytest.MonkeyPatch, raw: str, expected: bool) -> None:
    monkeypatch.setenv("WASPADA_X", raw)
    assert conf.env_bool("WASPADA_X", not expected) is expected


def test_env_bool_uses_the_default_when_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WASPADA_X", raising=False)
    assert conf.env_bool("WASPADA_X", True) is True


def test_env_bool_rejects_other_words_naming_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WASPADA_DEBUG", "mungkin")
    with pytest.raises(conf.ConfigError, match=r"WASPADA_DEBUG='mungkin' is not a boolean"):
        conf.env_bool("WASPADA_DEBUG", False)


def test_env_int_reads_an_integer_within_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WASPADA_PORT", " 8080 ")
    assert conf.env_int("WASPADA_PORT", 8000, minimum=1, maximum=65535) == 8080
    monkeypatch.setenv("WASPADA_PORT", "")
    assert conf.env_int("WASPADA_PORT", 8000) == 8000


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("delapan", "WASPADA_PORT='delapan' is not an integer"),
        ("80.5", "WASPADA_PORT='80.5' is not an integer"),
        ("0", "WASPADA_PORT=0 is below the minimum 1"),
        ("70000", "WASPADA_PORT=70000 is above the maximum 65535"),
    ],
)
def test_env_int_rejects_bad_values_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, raw: str, message: str
) -> None:
    monkeypatch.setenv("WASPADA_PORT", raw)
    with pytest.raises(conf.ConfigError) as caught:
        conf.env_int("WASPADA_PORT", 8000, minimum=1, maximum=65535)
    assert str(caught.value) == message


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WASPADA_ALLOWED_HOSTS", " waspada.go.id, ,localhost ,")
    assert conf.env_list("WASPADA_ALLOWED_HOSTS", ["x"]) == ["waspada.go.id", "localhost"]
    monkeypatch.delenv("WASPADA_ALLOWED_HOSTS")
    default = ["127.0.0.1"]
    assert conf.env_list("WASPADA_ALLOWED_HOSTS", default) == default
    assert conf.env_list("WASPADA_ALLOWED_HOSTS", default) is not default


def test_a_bad_setting_stops_django_with_the_variable_named(tmp_path: Path) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import waspada.settings"],
        env={"WASPADA_DATA_DIR": str(tmp_path), "WASPADA_LOGIN_MAX_FAILURES": "lima", "PATH": "/usr/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: WASPADA_LOGIN_MAX_FAILURES='lima' is not an integer" in result.stderr


# --- database URLs ----------------------------------------------------------------------------------------


def test_a_postgres_url_becomes_a_postgresql_database() -> None:
    db = conf.database_from_url(
        "postgres://waspada:r%40hasia@db.example:5432/waspada", sqlite_default=Path("x")
    )
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "waspada",
        "waspada",
        "r@hasia",
        "db.example",
        "5432",
    )


def test_a_postgresql_url_without_port_or_password_is_fine() -> None:
    db = conf.database_from_url("postgresql://postgres@127.0.0.1/postgres", sqlite_default=Path("x"))
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "postgres",
        "postgres",
        "",
        "127.0.0.1",
        "",
    )


def test_postgres_url_parameters_reach_the_driver() -> None:
    db = conf.database_from_url(
        "postgres://waspada@db.example/waspada?sslmode=require&connect_timeout=5", sqlite_default=Path("x")
    )
    assert db["OPTIONS"] == {"sslmode": "require", "connect_timeout": "5"}
    assert db["NAME"] == "waspada"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgres://u@h:5432/", "no database name"),
        ("postgres://u@h:port/db", "invalid port"),
        ("sqlite:///", "needs a file path"),
        ("mysql://u:p@h/db", "scheme 'mysql' is not supported"),
        ("db.sqlite3", "scheme '' is not supported"),
    ],
)
def test_a_bad_database_url_is_refused_with_a_reason(url: str, message: str) -> None:
    with pytest.raises(conf.ConfigError, match=message):
        conf.database_from_url(url, sqlite_default=Path("x"))


def test_a_relative_sqlite_url_keeps_the_path_relative() -> None:
    db = conf.database_from_url("sqlite:///var/waspada.sqlite3", sqlite_default=Path("x"))
    assert db["ENGINE"] == "waspada.core.sqlite"  # Django's SQLite backend, see waspada/core/sqlite
    assert db["NAME"] == "var/waspada.sqlite3"


def test_an_absolute_sqlite_url_keeps_the_path_absolute() -> None:
    db = conf.database_from_url("sqlite:////srv/waspada/db.sqlite3", sqlite_default=Path("x"))
    assert db["NAME"] == "/srv/waspada/db.sqlite3"


def test_no_url_means_sqlite_in_wal_mode_at_the_default_path(tmp_path: Path) -> None:
    db = conf.database_from_url("  ", sqlite_default=tmp_path / "waspada.sqlite3")
    assert db["NAME"] == str(tmp_path / "waspada.sqlite3")
    options = db["OPTIONS"]
    assert isinstance(options, dict)
    assert "journal_mode=WAL" in options["init_command"]
    assert options["timeout"] >= 5


# --- the secret key ---------------------------------------------------------------------------------------


def test_the_secret_key_is_generated_once_into_the_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WASPADA_SECRET_KEY", raising=False)
    first = conf.secret_key(tmp_path / "data")
    key_file = tmp_path / "data" / "secret_key"
    assert len(first) >= 32
    assert key_file.read_text(encoding="ascii") == first
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert conf.secret_key(tmp_path / "data") == first
    assert [p.name for p in (tmp_path / "data").iterdir()] == ["secret_key"]  # no temporary file left


def test_a_damaged_secret_key_file_is_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WASPADA_SECRET_KEY", raising=False)
    (tmp_path / "secret_key").write_text("pendek", encoding="ascii")
    key = conf.secret_key(tmp_path)
    assert len(key) >= 32
    assert (tmp_path / "secret_key").read_text(encoding="ascii") == key
    assert conf.secret_key(tmp_path) == key


def test_the_secret_key_from_the_environment_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WASPADA_SECRET_KEY", "k" * 40)
    assert conf.secret_key(tmp_path) == "k" * 40
    assert not (tmp_path / "secret_key").exists()


def test_a_too_short_secret_key_from_the_environment_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WASPADA_SECRET_KEY", "rahasia")
    with pytest.raises(conf.ConfigError, match="WASPADA_SECRET_KEY must be at least 32 characters"):
        conf.secret_key(tmp_path)


# --- the database the settings module configures ----------------------------------------------------------


def test_sqlite_connections_use_wal_and_wait_when_busy(tmp_path: Path, django_db_blocker: Any) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite journal mode; this run uses " + connection.vendor)
    from django.db.backends.sqlite3.base import DatabaseWrapper

    # The test database lives in memory, which has no WAL; open the configured settings on a real file.
    config = {**django_settings.DATABASES["default"], "NAME": str(tmp_path / "waspada.sqlite3")}
    config.setdefault("TIME_ZONE", None)
    config.setdefault("CONN_HEALTH_CHECKS", False)
    config.setdefault("CONN_MAX_AGE", 0)
    config.setdefault("AUTOCOMMIT", True)
    config.setdefault("ATOMIC_REQUESTS", False)
    wrapper = DatabaseWrapper(config, alias="wal-check")
    try:
        with django_db_blocker.unblock(), wrapper.cursor() as cursor:
            assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
            assert cursor.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    finally:
        wrapper.close()


def test_times_are_stored_in_utc(db: Any) -> None:
    assert django_settings.USE_TZ
    wita = timezone.get_fixed_timezone(8 * 60)
    row = AuditLog.objects.create(
        action="uji", object_type="uji", at=datetime(2024, 11, 27, 20, 0, tzinfo=wita)
    )
    stored = AuditLog.objects.get(pk=row.pk).at
    assert stored == datetime(2024, 11, 27, 12, 0, tzinfo=UTC)
    assert stored.utcoffset() is not None and stored.utcoffset().total_seconds() == 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT at FROM {AuditLog._meta.db_table} WHERE id = %s", [row.pk])
        raw = cursor.fetchone()[0]
    if isinstance(raw, str):  # SQLite keeps text
        assert raw.startswith("2024-11-27 12:00:00")
    elif raw.tzinfo is None:  # SQLite through Django's converters: naive, in UTC
        assert raw == datetime(2024, 11, 27, 12, 0)
    else:  # PostgreSQL: timestamptz
        assert raw.astimezone(UTC) == datetime(2024, 11, 27, 12, 0, tzinfo=UTC)


# --- times shown in the zone of the user's region ---------------------------------------------------------

MOMENT = datetime(2024, 11, 27, 12, 0, tzinfo=UTC)  # voting day, 12:00 UTC


def _show_time(request: HttpRequest) -> HttpResponse:
    template = engines["django"].from_string("{{ zone }}|{{ moment|date:'H:i' }}|{{ moment|time:'e' }}")
    return HttpResponse(template.render({"zone": timezone.get_current_timezone_name(), "moment": MOMENT}))


urlpatterns = [path("waktu/", _show_time)]


@pytest.fixture
def time_page(settings: Any) -> None:
    settings.ROOT_URLCONF = __name__
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _shown(client: Client, user: Any) -> list[str]:
    if user is not None:
        client.force_login(user)
    return client.get("/waktu/").content.decode().split("|")


def test_a_kaltara_analyst_sees_times_in_wita(
    client: Client, personas: dict[str, Any], time_page: None
) -> None:
    zone, clock, _ = _shown(client, personas["analis"])
    assert zone == "Asia/Makassar"
    assert clock == "20:00"


def test_a_jakarta_analyst_sees_times_in_wib(client: Client, make_user: Any, time_page: None) -> None:
    Region.objects.create(code="31", name="Daerah Khusus Ibukota Jakarta", level=1, kind="provinsi")
    zone, clock, _ = _shown(client, make_user("analis.dki", "analis", "31"))
    assert zone == "Asia/Jakarta"
    assert clock == "19:00"


def test_a_papua_user_sees_times_in_wit(client: Client, make_user: Any, time_page: None) -> None:
    Region.objects.create(code="91", name="Papua", level=1, kind="provinsi")
    zone, clock, _ = _shown(client, make_user("analis.papua", "analis", "91"))
    assert (zone, clock) == ("Asia/Jayapura", "21:00")


def test_national_and_anonymous_users_see_the_default_region_zone(
    client: Client, personas: dict[str, Any], time_page: None, settings: Any
) -> None:
    assert settings.DEFAULT_REGION == "65"
    assert _shown(client, None)[:2] == ["Asia/Makassar", "20:00"]
    assert _shown(client, personas["admin"])[:2] == ["Asia/Makassar", "20:00"]


def test_the_zone_is_not_left_active_after_the_request(
    client: Client, personas: dict[str, Any], time_page: None
) -> None:
    before = timezone.get_current_timezone_name()
    _shown(client, personas["analis"])
    assert timezone.get_current_timezone_name() == before
