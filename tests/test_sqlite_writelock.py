"""The SQLite backend's write lock: writers queue on a file lock next to the database, are let in as soon as
it is free, give up with "database is locked" after the timeout, and never leave the lock behind."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import OperationalError

from waspada.core.sqlite.base import DatabaseWrapper


def wrapper(path: Path | str, alias: str, timeout: float = 5) -> DatabaseWrapper:
    config = {
        **django_settings.DATABASES["default"],
        "ENGINE": "waspada.core.sqlite",
        "NAME": str(path),
        "OPTIONS": {"timeout": timeout, "transaction_mode": "IMMEDIATE"},
        "TIME_ZONE": None,
        "CONN_HEALTH_CHECKS": False,
        "CONN_MAX_AGE": 0,
        "AUTOCOMMIT": True,
        "ATOMIC_REQUESTS": False,
    }
    return DatabaseWrapper(config, alias=alias)


def begin(db: DatabaseWrapper) -> None:
    """What transaction.atomic() does on entry."""
    db.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


def commit(db: DatabaseWrapper) -> None:
    db.commit()
    db.set_autocommit(True)


def in_thread(fn: Callable[[], Any]) -> tuple[threading.Thread, list[Any]]:
    out: list[Any] = []

    def run() -> None:
        try:
            out.append(fn())
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            out.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, out


@pytest.fixture
def database(tmp_path: Path, django_db_blocker: Any) -> Any:
    path = tmp_path / "uji.sqlite3"
    with django_db_blocker.unblock():
        setup = wrapper(path, "setup")
        with setup.cursor() as cursor:
            cursor.execute("CREATE TABLE t (n INTEGER)")
        setup.close()
        yield path


def _write(path: Path, value: int, timeout: float = 5) -> float:
    """Another writer (own thread, own connection): the seconds it waited to begin."""
    db = wrapper(path, "other", timeout)
    try:
        t0 = time.perf_counter()
        begin(db)
        waited = time.perf_counter() - t0
        db.cursor().execute("INSERT INTO t VALUES (%s)", [value])
        commit(db)
        return waited
    finally:
        db.close()


def test_a_writer_waits_for_the_lock_and_goes_in_as_soon_as_it_is_free(database: Path) -> None:
    first = wrapper(database, "first")
    try:
        begin(first)
        assert first._write_locked
        thread, out = in_thread(lambda: _write(database, 2))
        time.sleep(0.3)
        assert not out  # still waiting while the first holds the lock
        first.cursor().execute("INSERT INTO t VALUES (1)")
        commit(first)
        assert not first._write_locked
        thread.join(5)
        assert len(out) == 1 and 0.25 < out[0] < 1.5, out
        assert first.cursor().execute("SELECT n FROM t ORDER BY n").fetchall() == [(1,), (2,)]
    finally:
        first.close()


def test_a_writer_gives_up_after_the_timeout(database: Path) -> None:
    first = wrapper(database, "first")
    try:
        begin(first)
        thread, out = in_thread(lambda: _write(database, 2, timeout=0.3))
        thread.join(5)
        assert len(out) == 1 and isinstance(out[0], OperationalError) and "locked" in str(out[0])
        commit(first)
    finally:
        first.close()


def test_the_lock_is_released_by_a_rollback(database: Path) -> None:
    first = wrapper(database, "first")
    try:
        begin(first)
        first.cursor().execute("INSERT INTO t VALUES (1)")
        first.rollback()
        first.set_autocommit(True)
        assert not first._write_locked
        thread, out = in_thread(lambda: _write(database, 2, timeout=0.5))
        thread.join(5)
        assert isinstance(out[0], float)
        assert first.cursor().execute("SELECT n FROM t").fetchall() == [(2,)]
    finally:
        first.close()


def test_the_lock_is_released_when_the_connection_closes_mid_transaction(database: Path) -> None:
    first = wrapper(database, "first")
    begin(first)
    first.close()
    thread, out = in_thread(lambda: _write(database, 2, timeout=0.5))
    thread.join(5)
    assert isinstance(out[0], float)


def test_an_in_memory_database_takes_no_file_lock(django_db_blocker: Any) -> None:
    memory = wrapper(":memory:", "memory")
    with django_db_blocker.unblock():
        try:
            begin(memory)
            assert not memory._write_locked and memory._write_lock_fd is None
            commit(memory)
        finally:
            memory.close()
