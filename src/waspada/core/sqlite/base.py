"""Django's SQLite backend with a quick wait for the write lock.

Every transaction begins with ``BEGIN IMMEDIATE`` (see ``waspada.conf.sqlite_config``), so writers never
deadlock. But while one holds the lock, SQLite's busy handler makes the others sleep in growing steps of up
to 100 ms, and a waiter often sleeps on long after the lock is free: in ``benchmarks/bench_intake.py`` the
wait for ``BEGIN IMMEDIATE`` reached p99 ≈ 0.4 s (max > 1 s) for transactions that hold the lock 2-3 ms.

Here each connection first takes an advisory lock on a file next to the database (``<name>-writelock``,
``flock``), trying every 0.2-2 ms, and only then begins; SQLite's lock is then free at once. The wait is
bounded by the same ``timeout`` option as SQLite's own ("database is locked" after it, as before). Writes
outside a transaction, other programs and in-memory databases keep SQLite's usual locking.
"""

from __future__ import annotations

import os
import time
from typing import Any

from django.db.backends.sqlite3 import base

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX: SQLite's own busy handler only
    fcntl = None  # type: ignore[assignment]

FIRST_DELAY = 0.0002
MAX_DELAY = 0.002


class DatabaseWrapper(base.DatabaseWrapper):  # type: ignore[misc]
    _write_lock_fd: int | None = None
    _write_locked = False

    def _write_lock_path(self) -> str | None:
        if fcntl is None or self.is_in_memory_db():
            return None
        return f"{self.settings_dict['NAME']}-writelock"

    def _acquire_write_lock(self) -> None:
        path = self._write_lock_path()
        if path is None:
            return
        if self._write_lock_fd is None:
            self._write_lock_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        deadline = time.monotonic() + timeout
        delay = FIRST_DELAY
        while True:
            try:
                fcntl.flock(self._write_lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    with self.wrap_database_errors:  # as django.db.OperationalError, like SQLite's own
                        raise base.Database.OperationalError("database is locked") from None
                time.sleep(delay)
                delay = min(delay * 1.5, MAX_DELAY)
        self._write_locked = True

    def _release_write_lock(self) -> None:
        if self._write_locked and self._write_lock_fd is not None:
            self._write_locked = False
            fcntl.flock(self._write_lock_fd, fcntl.LOCK_UN)

    def _start_transaction_under_autocommit(self) -> None:
        self._acquire_write_lock()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_write_lock()
            raise

    def _commit(self) -> Any:
        try:
            return super()._commit()
        finally:
            self._release_write_lock()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()
        finally:
            self._release_write_lock()

    def _close(self) -> Any:
        try:
            return super()._close()
        finally:
            self._release_write_lock()
            if self._write_lock_fd is not None:
                os.close(self._write_lock_fd)
                self._write_lock_fd = None
