"""Logging in and out: throttled failures, pages behind the login, and the language of the interface."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

PASSWORD = "kata-sandi-uji-123"


@pytest.fixture(autouse=True)
def _plain_settings(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Pages are rendered without `collectstatic` having run.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _login(client: Client, username: str, password: str, **headers: str) -> Any:
    return client.post("/masuk/", {"username": username, "password": password}, **headers)


def _html_lang(response: Any) -> str:
    match = re.search(r'<html lang="([^"]*)"', response.content.decode())
    assert match, "page has no <html lang>"
    return match.group(1)


def test_a_user_logs_in_and_lands_on_the_map(client: Client, personas: dict[str, Any]) -> None:
    response = _login(client, "analis", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_login_follows_a_safe_next_address(client: Client, personas: dict[str, Any]) -> None:
    response = client.post("/masuk/", {"username": "analis", "password": PASSWORD, "next": "/wilayah/65.71/"})
    assert response["Location"] == "/wilayah/65.71/"


def test_login_ignores_a_next_address_on_another_site(client: Client, personas: dict[str, Any]) -> None:
    response = client.post(
        "/masuk/", {"username": "analis", "password": PASSWORD, "next": "https://jahat.example/"}
    )
    assert response.status_code == 302
    assert "jahat.example" not in response["Location"]


def test_a_wrong_password_shows_the_form_again(client: Client, personas: dict[str, Any]) -> None:
    response = _login(client, "analis", "salah-sekali-123")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_login_is_refused_with_429_after_too_many_failures(
    client: Client, personas: dict[str, Any], settings: Any
) -> None:
    for _ in range(settings.LOGIN_MAX_FAILURES):
        assert _login(client, "analis", "salah-sekali-123").status_code == 200
    response = _login(client, "analis", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    text = response.content.decode()
    assert "Terlalu banyak percobaan masuk yang gagal. Tunggu 15 menit" in text  # in Bahasa Indonesia
    assert "Too many" not in text


def test_the_lockout_message_says_how_long_the_lockout_lasts(
    client: Client, personas: dict[str, Any], settings: Any
) -> None:
    settings.LOGIN_LOCKOUT_SECONDS = 90
    for _ in range(settings.LOGIN_MAX_FAILURES):
        _login(client, "analis", "salah-sekali-123")
    response = _login(client, "analis", PASSWORD)
    assert response.status_code == 429
    assert "Tunggu 2 menit" in response.content.decode()


def test_one_failure_fewer_than_the_limit_still_lets_the_right_password_in(
    client: Client, personas: dict[str, Any], settings: Any
) -> None:
    for _ in range(settings.LOGIN_MAX_FAILURES - 1):
        _login(client, "analis", "salah-sekali-123")
    assert _login(client, "analis", PASSWORD).status_code == 302


def test_a_locked_username_does_not_lock_other_users(
    client: Client, personas: dict[str, Any], settings: Any
) -> None:
    for _ in range(settings.LOGIN_MAX_FAILURES):
        _login(client, "analis", "salah-sekali-123")
    assert _login(client, "analis", PASSWORD).status_code == 429
    assert _login(client, "pimpinan", PASSWORD).status_code == 302


def test_the_username_is_locked_whatever_its_case(
    client: Client, personas: dict[str, Any], settings: Any
) -> None:
    for _ in range(settings.LOGIN_MAX_FAILURES):
        _login(client, "ANALIS", "salah-sekali-123")
    assert _login(client, "analis", PASSWORD).status_code == 429


def test_a_successful_login_clears_earlier_failures(
    client: Client, personas: dict[str, Any], settings: Any
) -> None:
    for _ in range(settings.LOGIN_MAX_FAILURES - 1):
        _login(client, "analis", "salah-sekali-123")
    assert _login(client, "analis", PASSWORD).status_code == 302
    client.post("/keluar/")
    for _ in range(settings.LOGIN_MAX_FAILURES - 1):
        _login(client, "analis", "salah-sekali-123")
    assert _login(client, "analis", PASSWORD).status_code == 302


def test_one_address_guessing_across_many_accounts_is_locked_out(
    client: Client, personas: dict[str, Any], settings: Any
) -> None:
    for i in range(4 * settings.LOGIN_MAX_FAILURES):
        _login(client, f"tebakan-{i}", "salah-sekali-123")
    assert _login(client, "analis", PASSWORD).status_code == 429
    other_address = Client(REMOTE_ADDR="10.0.0.7")
    assert _login(other_address, "analis", PASSWORD).status_code == 302


def test_behind_a_proxy_each_client_is_throttled_on_its_own(
    client: Client, personas: dict[str, Any], settings: Any
) -> None:
    settings.FORWARDED_ALLOW_IPS = ["127.0.0.1"]  # the test client's REMOTE_ADDR is the proxy
    attacker = {"HTTP_X_FORWARDED_FOR": "10.9.9.9, 203.0.113.9"}  # the proxy appended the real address
    for i in range(4 * settings.LOGIN_MAX_FAILURES):
        _login(client, f"tebakan-{i}", "salah-sekali-123", **attacker)
    assert _login(client, "analis", PASSWORD, **attacker).status_code == 429
    colleague = {"HTTP_X_FORWARDED_FOR": "198.51.100.4"}
    assert _login(Client(), "analis", PASSWORD, **colleague).status_code == 302


def test_forwarded_addresses_from_an_untrusted_peer_are_ignored(
    personas: dict[str, Any], settings: Any
) -> None:
    settings.FORWARDED_ALLOW_IPS = ["127.0.0.1"]
    client = Client(REMOTE_ADDR="10.0.0.9")
    for i in range(4 * settings.LOGIN_MAX_FAILURES):
        _login(client, f"tebakan-{i}", "salah-sekali-123", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
    assert _login(client, "analis", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.200").status_code == 429


@pytest.mark.parametrize("path", ["/", "/wilayah/65/", "/wilayah/65.71.01/", "/peta/data/65.json", "/admin/"])
def test_pages_require_login(client: Client, db: Any, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/") or response["Location"].startswith("/admin/login/")


def test_the_map_redirects_to_the_login_page_with_next(client: Client, db: Any) -> None:
    response = client.get("/wilayah/65.71/")
    assert response["Location"] == "/masuk/?next=/wilayah/65.71/"


def test_the_health_check_needs_no_login(client: Client, db: Any) -> None:
    response = client.get("/kesehatan")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True}


def test_logout_needs_a_post(client: Client, personas: dict[str, Any]) -> None:
    client.force_login(personas["analis"])
    assert client.get("/keluar/").status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post("/keluar/")
    assert response.status_code == 302
    assert response["Location"] == "/masuk/"
    assert "_auth_user_id" not in client.session


def test_logout_needs_the_csrf_token(personas: dict[str, Any]) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["analis"])
    assert client.post("/keluar/").status_code == 403
    assert "_auth_user_id" in client.session


def test_login_needs_the_csrf_token(personas: dict[str, Any]) -> None:
    client = Client(enforce_csrf_checks=True)
    assert _login(client, "analis", PASSWORD).status_code == 403
    page = client.get("/masuk/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token
    response = client.post(
        "/masuk/", {"username": "analis", "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)}
    )
    assert response.status_code == 302


def test_the_interface_is_in_indonesian_by_default(client: Client, db: Any) -> None:
    response = client.get("/masuk/")
    assert response.status_code == 200
    assert _html_lang(response) == "id"
    text = response.content.decode()
    assert "Masuk ke Waspada" in text
    assert "Nama pengguna" in text
    assert "Log in to Waspada" not in text


def test_the_language_switch_changes_the_interface_to_english(client: Client, db: Any) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/masuk/"})
    assert response.status_code == 302
    assert response["Location"] == "/masuk/"
    page = client.get("/masuk/")
    assert _html_lang(page) == "en"
    assert "Log in to Waspada" in page.content.decode()
    client.post("/i18n/setlang/", {"language": "id", "next": "/masuk/"})
    assert _html_lang(client.get("/masuk/")) == "id"


def test_the_lockout_message_follows_the_chosen_language(
    client: Client, personas: dict[str, Any], settings: Any
) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/masuk/"})
    for _ in range(settings.LOGIN_MAX_FAILURES):
        _login(client, "analis", "salah-sekali-123")
    response = _login(client, "analis", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed login attempts" in response.content.decode()
