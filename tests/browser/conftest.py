"""Browser fixtures: Debian's Chromium driven headless through Playwright, one browser per test session,
a fresh context per test logged in with a real Django session on pytest-django's ``live_server``, and a
screenshot plus the page HTML kept in ``test-artifacts/`` when a test fails.

Fixtures: ``browser`` (session), ``viewport`` (override it for another screen size), ``context``,
``page``, ``js_errors`` (uncaught script errors of ``page``), ``login(user)``, ``artifact(name)``,
``kaltara_boundaries`` and ``without_boundaries``.

Tests using ``live_server`` run outside a wrapping transaction (mark the module
``django_db(transaction=True)``) and Django empties the tables after each one; ``KeepGazetteer`` keeps
the gazetteer (loaded once per session by tests/conftest.py) out of that, so no ``available_apps`` is
needed, and a test that changes regions restores them itself (``without_boundaries``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SHARED_DATA = Path(
    os.environ.get("WASPADA_SHARED_DATA", Path(__file__).resolve().parents[3] / "shared" / "data")
)
KALTARA = SHARED_DATA / "kaltara"  # as in tests/conftest.py
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
DESKTOP = {"width": 1280, "height": 800}


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Keep each phase's report on the test item, so fixtures can tell at teardown whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def artifact_path(name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / re.sub(r"[^A-Za-z0-9_.-]+", "_", name)


@pytest.fixture
def artifact() -> Callable[[str], Path]:
    """Where to keep a file produced by a test (screenshots, measured figures): test-artifacts/NAME."""
    return artifact_path


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole session (skipped when it is not installed, failed under CI)."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install -y chromium)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make around it
    # (users, sessions, fixtures) are plain synchronous code all the same.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class KeepGazetteer:
    """A database router that leaves the gazetteer's tables out of the flush after each live-server test.

    Django builds that flush from the models it may migrate; saying no for the regions app keeps Kaltara's
    units and boundaries (loaded once per session) for every browser test and for the tests after them.
    """

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if app_label == "regions" else None


@pytest.fixture(scope="package", autouse=True)
def _keep_gazetteer(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """Protect the gazetteer while the browser tests run; load it again should an earlier transactional
    test elsewhere have emptied the tables."""
    from django.test.utils import override_settings

    from waspada.regions.gazetteer import iter_units
    from waspada.regions.importer import import_boundaries
    from waspada.regions.loader import load_gazetteer
    from waspada.regions.lookup import reset_caches
    from waspada.regions.models import Region

    with django_db_blocker.unblock():
        if not Region.objects.filter(code="65").exists():
            load_gazetteer([u for u in iter_units() if u.code == "65" or u.code.startswith("65.")])
            if KALTARA.is_dir():
                for name in ("kabkota", "kecamatan", "desa"):
                    import_boundaries(KALTARA / f"{name}.geojson")
            reset_caches()
    with override_settings(DATABASE_ROUTERS=[KeepGazetteer()]):
        yield


@pytest.fixture(autouse=True)
def _fast_test_settings(settings: Any) -> None:
    """Static files straight from the apps (no collected manifest needed), and a fast password hash for the
    personas the tests create (real hashing is the slow, deliberate kind)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def viewport() -> dict[str, int]:
    return DESKTOP


@pytest.fixture
def context(browser: Any, live_server: Any, viewport: dict[str, int]) -> Iterator[Any]:
    ctx = browser.new_context(viewport=viewport, locale="id-ID", base_url=live_server.url)
    ctx.set_default_timeout(10_000)
    yield ctx
    ctx.close()


@pytest.fixture
def js_errors() -> list[str]:
    """Uncaught script errors of the test's page."""
    return []


@pytest.fixture
def page(context: Any, js_errors: list[str], request: pytest.FixtureRequest) -> Iterator[Any]:
    """A page in a fresh context; on failure its screenshot and HTML go to test-artifacts/."""
    pg = context.new_page()
    pg.on("pageerror", lambda exc: js_errors.append(str(exc)))
    yield pg
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        try:
            pg.screenshot(path=str(artifact_path(f"{request.node.name}.png")), full_page=True)
            artifact_path(f"{request.node.name}.html").write_text(pg.content(), encoding="utf-8")
        except Exception as exc:  # noqa: BLE001 - a broken page must not hide the test's own failure
            artifact_path(f"{request.node.name}.txt").write_text(f"no screenshot: {exc}\n", encoding="utf-8")


@pytest.fixture
def login(context: Any, live_server: Any) -> Callable[[Any], None]:
    """Log a user into the browser context through a real session (no form round trip)."""
    from django.test import Client

    def login_as(user: Any) -> None:
        client = Client()
        client.force_login(user)
        name = django_settings.SESSION_COOKIE_NAME
        context.add_cookies([{"name": name, "value": client.cookies[name].value, "url": live_server.url}])

    return login_as


@pytest.fixture
def kaltara_boundaries(kaltara_dir: Path, db: Any) -> None:
    """Kaltara's boundaries are in the test database (skipped without the shared data, failed under CI)."""
    from waspada.regions.models import Region

    drawn = Region.objects.filter(code__startswith="65.", display_geometry__isnull=False).count()
    assert drawn == 542, f"expected Kaltara's 542 boundaries in the test database, found {drawn}"


@pytest.fixture
def without_boundaries(db: Any) -> Iterator[None]:
    """Blank every boundary for the test and put them back afterwards (the test database is shared)."""
    from waspada.regions.models import Region

    fields = ["geometry", "display_geometry"]
    saved = list(Region.objects.filter(geometry__isnull=False).only("code", *fields))
    Region.objects.filter(code__in=[r.code for r in saved]).update(geometry=None, display_geometry=None)
    try:
        yield
    finally:
        Region.objects.bulk_update(saved, fields, batch_size=200)
