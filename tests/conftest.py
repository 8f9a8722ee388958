"""Shared fixtures: the Kaltara part of the gazetteer with real boundaries (loaded once per test database),
the usual personas (one user per role, in and out of scope), and API tokens."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

SHARED_DATA = Path(
    os.environ.get("WASPADA_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data")
)
KALTARA = SHARED_DATA / "kaltara"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def kaltara_units() -> list[Any]:
    from waspada.regions.gazetteer import iter_units

    return [u for u in iter_units() if u.code == "65" or u.code.startswith("65.")]


@pytest.fixture(autouse=True)
def _locmem_cache(settings: Any) -> Iterator[None]:
    """Each test gets a fresh in-memory cache (login throttling counters live there), and a fast password
    hasher (the personas' passwords are hashed for every test)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Pages render without a collected manifest (the production storage is tested through `waspada serve`).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Once per test database: Kaltara's 543 units, and its real boundaries when the shared data is here."""
    from waspada.regions.importer import import_boundaries
    from waspada.regions.loader import load_gazetteer
    from waspada.regions.lookup import reset_caches

    with django_db_blocker.unblock():
        load_gazetteer(kaltara_units())
        if KALTARA.is_dir():
            for name in ("kabkota", "kecamatan", "desa"):
                import_boundaries(KALTARA / f"{name}.geojson")
        reset_caches()


@pytest.fixture
def kaltara_dir() -> Path:
    if not KALTARA.is_dir():
        if IN_CI:
            pytest.fail(f"shared data folder {KALTARA} is missing (required under CI)")
        pytest.skip(f"shared data folder {KALTARA} is not on this machine")
    return KALTARA


@pytest.fixture
def make_user(db: Any) -> Any:
    from waspada.accounts.management.commands.users import upsert_user
    from waspada.regions.models import Region

    def make(username: str, role: str, scope: str | None, password: str = "kata-sandi-uji-123") -> Any:
        region = Region.objects.get(code=scope) if scope else None
        user, _ = upsert_user(username, role, region, password)
        return user

    return make


@pytest.fixture
def personas(make_user: Any) -> dict[str, Any]:
    """The usual cast: an analyst in scope (Kaltara), one scoped to Nunukan only, a coordinator, a reporter,
    read-only leadership, and an administrator."""
    return {
        "admin": make_user("admin", "admin", None),
        "koordinator": make_user("koordinator", "koordinator", "65"),
        "analis": make_user("analis", "analis", "65"),
        "analis_nunukan": make_user("analis.nunukan", "analis", "65.03"),
        "pimpinan": make_user("pimpinan", "pimpinan", "65"),
        "pelapor": make_user("pelapor", "pelapor", "65.03.01"),
    }


@pytest.fixture
def token_for(db: Any) -> Any:
    from waspada.accounts.models import ApiToken

    def issue(user: Any) -> str:
        return ApiToken.issue(user, "test")[1]

    return issue


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Start a real SMTP server on 127.0.0.1 with an aiosmtpd handler: ``smtp_server(handler)``.

    Waspada's SMTP settings point at it for the test; it stops when the test ends.
    """
    from aiosmtpd.controller import Controller

    controllers: list[Any] = []

    def start(handler: Any) -> None:
        port = _free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        controllers.append(controller)
        monkeypatch.setenv("WASPADA_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("WASPADA_SMTP_PORT", str(port))
        monkeypatch.setenv("WASPADA_SMTP_FROM", "waspada@kesbangpol.example")

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def smtp_sink(smtp_server: Any) -> list[Any]:
    """A real SMTP server on 127.0.0.1 that keeps every envelope it receives."""
    received: list[Any] = []

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
            received.append(envelope)
            return "250 OK"

    smtp_server(Handler())
    return received
