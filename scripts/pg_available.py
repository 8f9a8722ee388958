"""Exit 0 when the PostgreSQL server of a DATABASE_URL answers, 1 otherwise (used by `make test`)."""

from __future__ import annotations

import sys

import psycopg

from waspada.conf import database_from_url


def main() -> int:
    url = sys.argv[1]
    db = database_from_url(url, sqlite_default=None)  # type: ignore[arg-type]
    try:
        with psycopg.connect(
            dbname=str(db["NAME"]),
            user=str(db["USER"]) or None,
            password=str(db["PASSWORD"]) or None,
            host=str(db["HOST"]) or None,
            port=str(db["PORT"]) or None,
            connect_timeout=3,
        ) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        print(f"PostgreSQL check failed: {exc}".strip(), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
