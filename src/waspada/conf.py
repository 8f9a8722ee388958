"""Typed readers for settings that come from environment variables.

Every reader fails loudly (``ImproperlyConfigured``) on a value it cannot parse, naming the variable,
so that a typo in a deployment stops the process at start instead of running with a surprising default.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

TRUE_WORDS = frozenset({"1", "true", "yes", "on", "ya"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", "tidak", ""})


class ConfigError(Exception):
    """A setting from the environment has a value we cannot use."""


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigError(f"{name}={raw!r} is not a boolean; use one of 1/0, true/false, yes/no, on/off")


def env_int(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not an integer") from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name}={value} is below the minimum {minimum}")
    if maximum is not None and value > maximum:
        raise ConfigError(f"{name}={value} is above the maximum {maximum}")
    return value


def env_float(
    name: str, default: float, *, minimum: float | None = None, maximum: float | None = None
) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw.strip())
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number") from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name}={value} is below the minimum {minimum}")
    if maximum is not None and value > maximum:
        raise ConfigError(f"{name}={value} is above the maximum {maximum}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [part.strip() for part in raw.split(",") if part.strip()]


def data_dir() -> Path:
    """The data directory: ``WASPADA_DATA_DIR`` (set by ``--data-dir`` in the CLI), else ``./var``."""
    raw = os.environ.get("WASPADA_DATA_DIR", "").strip()
    return Path(raw or "var").expanduser().resolve()


def secret_key(directory: Path) -> str:
    """``WASPADA_SECRET_KEY`` when set; otherwise a key generated once and kept in the data directory."""
    from_env = os.environ.get("WASPADA_SECRET_KEY", "").strip()
    if from_env:
        if len(from_env) < 32:
            raise ConfigError("WASPADA_SECRET_KEY must be at least 32 characters long")
        return from_env
    path = directory / "secret_key"
    existing = _stored_key(path)
    if existing:
        return existing
    directory.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    # Write-then-rename so two processes starting together never read a half-written key.
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(key, encoding="ascii")
    tmp.chmod(0o600)
    other = _stored_key(path)
    if other:  # another process won the race; use its key
        tmp.unlink()
        return other
    tmp.replace(path)  # also replaces a damaged (too short) key file
    return key


def _stored_key(path: Path) -> str | None:
    """The key kept in ``path``, or None when there is none or it is too short to be one of ours."""
    try:
        key = path.read_text(encoding="ascii").strip()
    except (FileNotFoundError, UnicodeDecodeError):
        return None
    return key if len(key) >= 32 else None


def database_from_url(url: str, *, sqlite_default: Path) -> dict[str, object]:
    """Django ``DATABASES['default']`` from a URL: ``postgres://user:pass@host:port/name`` or ``sqlite:///path``.

    An empty URL means SQLite at ``sqlite_default`` with WAL journalling and a busy timeout.
    """
    if not url.strip():
        return sqlite_config(sqlite_default)
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme in {"postgres", "postgresql", "pgsql"}:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ConfigError("DATABASE_URL has no database name (postgres://user@host:5432/NAME)")
        try:
            port = parts.port
        except ValueError:
            raise ConfigError(f"DATABASE_URL has an invalid port: {url!r}") from None
        config: dict[str, object] = {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
        # ?sslmode=require&connect_timeout=5 and the like go to the driver instead of being dropped.
        options = dict(parse_qsl(parts.query, keep_blank_values=True))
        if options:
            config["OPTIONS"] = options
        return config
    if scheme == "sqlite":
        # sqlite:///relative/path or sqlite:////absolute/path
        path = unquote(parts.path)
        if path.startswith("/") and not path.startswith("//") or path.startswith("//"):
            path = path[1:]
        if not path:
            raise ConfigError("DATABASE_URL sqlite:/// needs a file path")
        return sqlite_config(Path(path))
    raise ConfigError(f"DATABASE_URL scheme {scheme!r} is not supported; use postgres:// or sqlite:///")


def sqlite_config(path: Path) -> dict[str, object]:
    return {
        # Django's SQLite backend with a quick, bounded wait for the write lock (see waspada/core/sqlite).
        "ENGINE": "waspada.core.sqlite",
        "NAME": str(path),
        # Keep each server thread's connection open between requests: opening one (PRAGMAs, Django's SQL
        # functions) costs more than a whole simple request.
        "CONN_MAX_AGE": 600,
        "CONN_HEALTH_CHECKS": True,
        # Tests run in memory, as with Django's own SQLite backend (pytest-django recognises only that name).
        "TEST": {"NAME": ":memory:"},
        "OPTIONS": {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        },
    }
