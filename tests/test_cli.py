"""The ``waspada`` command: accounts, gazetteer statistics, boundary import, and the data directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shapely
from django.contrib.auth import authenticate, get_user_model
from django.db import connections
from django.test import Client

from waspada import conf
from waspada.accounts.models import AuditLog, Profile, Role
from waspada.cli import main, split_data_dir
from waspada.regions.lookup import reset_caches
from waspada.regions.models import GeometryVersion, Region

WASPADA = Path(sys.executable).with_name("waspada")
KALTARA_STATS = {"1": 1, "2": 5, "3": 55, "4": 482, "with_geometry": 542}


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def cli(db: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Any:
    """Run ``waspada ARGS`` in this process, inside the test's transaction; returns (status, out, err)."""
    # A management command closes every connection when it ends; that would end the test's transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    monkeypatch.setenv("WASPADA_DATA_DIR", os.environ.get("WASPADA_DATA_DIR", ""))

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        status = 0
        try:
            main(list(args))
        except SystemExit as exc:
            if isinstance(exc.code, str):
                sys.stderr.write(exc.code)
                status = 1
            else:
                status = exc.code or 0
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        return status, out, err

    return run


def subprocess_env(**extra: str) -> dict[str, str]:
    """The environment for a real ``waspada`` process: its own SQLite database, never the test server's."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "WASPADA_DATA_DIR"}}
    env.update(extra)
    return env


# --- users ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "scope", "stored_scope"),
    [
        ("pelapor", "65.03.01", "65.03.01"),
        ("analis", "6503", "65.03"),
        ("koordinator", "65", "65"),
        ("pimpinan", "65.71", "65.71"),
        ("admin", "nasional", None),
    ],
)
def test_users_create_makes_an_account_with_role_and_scope(
    cli: Any, role: str, scope: str, stored_scope: str | None
) -> None:
    status, out, _ = cli(
        "users", "create", "budi", "--role", role, "--scope", scope, "--password", "sandi-budi-2024"
    )
    assert status == 0
    assert out.strip() == f"created budi role={role} scope={stored_scope or 'nasional'}"
    profile = Profile.objects.select_related("user").get(user__username="budi")
    assert (profile.role, profile.scope_id) == (role, stored_scope)
    assert authenticate(username="budi", password="sandi-budi-2024") == profile.user


def test_users_create_again_updates_the_account(cli: Any) -> None:
    cli("users", "create", "budi", "--role", "analis", "--scope", "65", "--password", "sandi-budi-2024")
    status, out, _ = cli("users", "create", "budi", "--role", "pimpinan", "--scope", "65.71")
    assert status == 0
    assert out.startswith("updated budi role=pimpinan scope=65.71")
    assert get_user_model().objects.filter(username="budi").count() == 1
    assert Profile.objects.get(user__username="budi").role == Role.PIMPINAN


def test_users_create_again_with_the_same_details_changes_nothing(cli: Any) -> None:
    args = ("users", "create", "budi", "--role", "analis", "--scope", "65", "--password", "sandi-budi-2024")
    cli(*args)
    stored = get_user_model().objects.get(username="budi").password
    audit_rows = AuditLog.objects.count()
    status, out, _ = cli(*args)
    assert status == 0 and out.startswith("updated budi")
    # The same password keeps its hash (a new salt would end the user's open sessions), and no audit row.
    assert get_user_model().objects.get(username="budi").password == stored
    assert AuditLog.objects.count() == audit_rows


def test_users_create_with_a_new_password_changes_it_and_is_audited(cli: Any) -> None:
    cli("users", "create", "budi", "--role", "analis", "--scope", "65", "--password", "sandi-budi-2024")
    audit_rows = AuditLog.objects.count()
    cli("users", "create", "budi", "--role", "analis", "--scope", "65", "--password", "sandi-baru-2025")
    assert authenticate(username="budi", password="sandi-baru-2025") is not None
    assert authenticate(username="budi", password="sandi-budi-2024") is None
    assert AuditLog.objects.count() == audit_rows + 1


def test_users_create_without_password_prints_a_generated_one(cli: Any) -> None:
    status, out, _ = cli("users", "create", "sari", "--role", "pelapor", "--scope", "65.03.01")
    assert status == 0
    password = next(line.split(": ", 1)[1] for line in out.splitlines() if line.startswith("password: "))
    assert len(password) >= 12
    assert authenticate(username="sari", password=password) is not None


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        ("99", "99 is not in the gazetteer"),
        ("6599", "65.99 is not in the gazetteer"),
        ("65.x", "tidak valid"),
        ("abc", "tidak valid"),
        ("6503122001004", "kode TPS"),
    ],
)
def test_users_create_rejects_a_bad_scope_with_a_clear_message(cli: Any, scope: str, expected: str) -> None:
    status, out, err = cli("users", "create", "budi", "--role", "analis", "--scope", scope)
    assert status == 1
    assert "--scope" in err and expected in err
    assert not get_user_model().objects.filter(username="budi").exists()


def test_users_create_rejects_an_unknown_role(cli: Any) -> None:
    status, _, err = cli("users", "create", "budi", "--role", "bupati", "--scope", "65")
    assert status == 2
    assert "bupati" in err and "pelapor" in err  # names the bad value and the choices
    assert not get_user_model().objects.filter(username="budi").exists()


def test_users_create_rejects_a_weak_password(cli: Any) -> None:
    status, _, err = cli(
        "users", "create", "budi", "--role", "analis", "--scope", "65", "--password", "12345"
    )
    assert status == 1
    assert "--password" in err
    assert not get_user_model().objects.filter(username="budi").exists()


@pytest.mark.parametrize("username", ["budi santoso", "budi/../x", "x" * 151])
def test_users_create_rejects_a_username_django_would_not_accept(cli: Any, username: str) -> None:
    status, _, err = cli("users", "create", username, "--role", "analis", "--scope", "65")
    assert status == 1
    assert "username" in err.lower()
    assert not get_user_model().objects.filter(username=username).exists()


def test_only_a_national_admin_becomes_a_django_superuser(cli: Any) -> None:
    # The Django admin shows every region's data to a superuser, past the region scope.
    cli(
        "users",
        "create",
        "nasional",
        "--role",
        "admin",
        "--scope",
        "nasional",
        "--password",
        "sandi-admin-2024",
    )
    cli("users", "create", "kaltara", "--role", "admin", "--scope", "65", "--password", "sandi-admin-2024")
    national = get_user_model().objects.get(username="nasional")
    provincial = get_user_model().objects.get(username="kaltara")
    assert national.is_superuser and national.is_staff
    assert not provincial.is_superuser
    cli("users", "create", "nasional", "--role", "analis", "--scope", "nasional")
    assert not get_user_model().objects.get(username="nasional").is_superuser


def test_users_token_prints_a_token_that_works_on_the_api(cli: Any, client: Client) -> None:
    cli("users", "create", "budi", "--role", "analis", "--scope", "65.03", "--password", "sandi-budi-2024")
    status, out, _ = cli("users", "token", "budi")
    assert status == 0
    token = out.strip()
    assert token.startswith("wsp_") and "\n" not in token
    response = client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert response.json() == {"username": "budi", "role": "analis", "scope": "65.03"}


def test_users_token_for_an_unknown_user_is_an_error(cli: Any) -> None:
    status, out, err = cli("users", "token", "tidak-ada")
    assert status == 1
    assert "tidak-ada" in err and out == ""


def test_users_token_refuses_a_user_who_could_not_use_it(cli: Any) -> None:
    get_user_model().objects.create_user("tanpa-peran", password="sandi-budi-2024")
    status, out, err = cli("users", "token", "tanpa-peran")
    assert status == 1
    assert "tanpa-peran" in err and "users create" in err
    assert out == ""


def test_users_list_shows_role_and_scope(cli: Any) -> None:
    cli("users", "create", "budi", "--role", "analis", "--scope", "65.03", "--password", "sandi-budi-2024")
    cli("users", "create", "wati", "--role", "admin", "--scope", "nasional", "--password", "sandi-wati-2024")
    _, out, _ = cli("users", "list")
    assert "budi\tanalis\t65.03" in out.splitlines()
    assert "wati\tadmin\tnasional" in out.splitlines()


# --- regions stats ----------------------------------------------------------------------------------------


def test_regions_stats_json_prints_counts_per_level_and_with_geometry(cli: Any) -> None:
    status, out, _ = cli("regions", "stats", "--json")
    assert status == 0
    stats = json.loads(out)
    assert list(stats) == ["1", "2", "3", "4", "with_geometry"]
    assert stats == KALTARA_STATS


def test_regions_stats_counts_a_boundary_only_once_it_exists(cli: Any) -> None:
    Region.objects.filter(code="65.71").update(geometry=None)
    assert json.loads(cli("regions", "stats", "--json")[1])["with_geometry"] == 541


# --- regions import-boundaries ----------------------------------------------------------------------------


def _feature(code: str, geometry: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "properties": {"kode": code}, "geometry": geometry}


def _collection(*features: dict[str, Any]) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


def _tarakan_geometry() -> dict[str, Any]:
    text = Region.objects.get(code="65.71").geometry
    assert text
    return json.loads(text)  # type: ignore[no-any-return]


def _swap(geometry: dict[str, Any]) -> dict[str, Any]:
    swapped = shapely.transform(shapely.from_geojson(json.dumps(geometry)), lambda xy: xy[:, ::-1])
    return json.loads(shapely.to_geojson(swapped))  # type: ignore[no-any-return]


@pytest.fixture
def snapshot(db: Any) -> Iterator[Any]:
    """What the boundaries look like now, to prove a failed import changed nothing."""

    def take() -> tuple[int, int, dict[str, str | None]]:
        version = GeometryVersion.objects.filter(id=1).values_list("version", flat=True).first() or 0
        with_geometry = Region.objects.filter(geometry__isnull=False).count()
        some = dict(Region.objects.filter(code__in=["65.71", "65.01"]).values_list("code", "geometry"))
        return version, with_geometry, some

    yield take
    reset_caches()  # an import inside the test's transaction may have cached boundaries rolled back since


def test_import_rejects_a_file_with_broken_json(cli: Any, tmp_path: Path, snapshot: Any) -> None:
    before = snapshot()
    path = tmp_path / "rusak.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [{"type": "Feat', encoding="utf-8")
    status, _, err = cli("regions", "import-boundaries", str(path))
    assert status == 1
    assert "rusak.geojson" in err and "bukan JSON" in err and "baris 1" in err
    assert snapshot() == before


def test_import_rejects_an_empty_file(cli: Any, tmp_path: Path, snapshot: Any) -> None:
    before = snapshot()
    path = tmp_path / "kosong.geojson"
    path.write_bytes(b"")
    status, _, err = cli("regions", "import-boundaries", str(path))
    assert status == 1
    assert "kosong.geojson" in err and "kosong" in err
    assert snapshot() == before


def test_import_rejects_a_collection_without_features(cli: Any, tmp_path: Path, snapshot: Any) -> None:
    before = snapshot()
    path = tmp_path / "tanpa-fitur.geojson"
    path.write_text(_collection(), encoding="utf-8")
    status, _, err = cli("regions", "import-boundaries", str(path))
    assert status == 1
    assert "tanpa-fitur.geojson" in err
    assert snapshot() == before


def test_import_reports_unknown_codes_by_feature_and_imports_none_of_them(
    cli: Any, tmp_path: Path, snapshot: Any
) -> None:
    before = snapshot()
    path = tmp_path / "asing.geojson"
    geometry = _tarakan_geometry()
    path.write_text(_collection(_feature("65.99", geometry), _feature("6472", geometry)), encoding="utf-8")
    status, out, err = cli("regions", "import-boundaries", str(path))
    assert status == 1
    assert "asing.geojson" in out + err
    assert "2 features, 0 matched, 2 unknown, 0 changed" in out
    assert "Fitur ke-1" in err and "65.99" in err
    assert "Fitur ke-2" in err and "64.72" in err
    assert not Region.objects.filter(code__in=["65.99", "64.72"]).exists()
    assert snapshot() == before


def test_import_rejects_a_file_with_swapped_coordinates(cli: Any, tmp_path: Path, snapshot: Any) -> None:
    before = snapshot()
    path = tmp_path / "tertukar.geojson"
    path.write_text(_collection(_feature("65.71", _swap(_tarakan_geometry()))), encoding="utf-8")
    status, _, err = cli("regions", "import-boundaries", str(path))
    assert status == 1
    assert "tertukar.geojson" in err and "tertukar" in err and "[bujur, lintang]" in err
    assert snapshot() == before


def test_import_rejects_a_feature_outside_indonesia_and_names_it(
    cli: Any, tmp_path: Path, snapshot: Any
) -> None:
    before = snapshot()
    path = tmp_path / "luar.geojson"
    square = {"type": "Polygon", "coordinates": [[[120, 40], [121, 40], [121, 41], [120, 41], [120, 40]]]}
    path.write_text(_collection(_feature("65.71", _tarakan_geometry()), _feature("65.01", square)))
    status, _, err = cli("regions", "import-boundaries", str(path))
    assert status == 1
    assert "Fitur ke-2 (kode 65.01)" in err and "luar wilayah Indonesia" in err
    assert snapshot() == before  # the good feature was identical: nothing changed


def test_import_of_a_missing_path_names_it(cli: Any, tmp_path: Path) -> None:
    status, _, err = cli("regions", "import-boundaries", str(tmp_path / "tidak-ada.geojson"))
    assert status == 1
    assert "tidak-ada.geojson" in err


def test_import_of_a_folder_without_boundary_files_is_an_error(cli: Any, tmp_path: Path) -> None:
    (tmp_path / "catatan.txt").write_text("bukan batas wilayah", encoding="utf-8")
    status, out, err = cli("regions", "import-boundaries", str(tmp_path))
    assert status == 1
    assert str(tmp_path) in err and ".geojson" in err


def test_import_of_a_folder_names_each_bad_file_and_keeps_the_good_ones(
    cli: Any, tmp_path: Path, snapshot: Any, kaltara_dir: Path
) -> None:
    before = snapshot()
    (tmp_path / "kabkota.geojson").write_bytes((kaltara_dir / "kabkota.geojson").read_bytes())
    (tmp_path / "kecamatan.geojson").write_text("[1, 2", encoding="utf-8")
    (tmp_path / "desa.geojson").mkdir()  # not even a file
    status, out, err = cli("regions", "import-boundaries", str(tmp_path))
    assert status == 1
    assert "kabkota.geojson: 5 features, 5 matched, 0 unknown, 0 changed" in out
    assert "kecamatan.geojson" in err and "bukan JSON" in err
    assert "desa.geojson" in err
    assert snapshot() == before


def test_import_of_the_real_kaltara_files_again_changes_nothing(
    cli: Any, kaltara_dir: Path, snapshot: Any
) -> None:
    before = snapshot()
    status, out, err = cli("regions", "import-boundaries", str(kaltara_dir))
    assert status == 0, err
    lines = out.splitlines()
    assert any("kabkota.geojson: 5 features, 5 matched, 0 unknown, 0 changed" in line for line in lines)
    assert any("kecamatan.geojson: 55 features, 55 matched, 0 unknown, 0 changed" in line for line in lines)
    assert any("desa.geojson: 482 features, 482 matched, 0 unknown, 0 changed" in line for line in lines)
    assert snapshot() == before


def test_import_of_a_changed_boundary_changes_it_once(cli: Any, tmp_path: Path, snapshot: Any) -> None:
    version_before = snapshot()[0]
    moved = shapely.affinity.translate(shapely.from_geojson(json.dumps(_tarakan_geometry())), xoff=0.001)
    path = tmp_path / "tarakan.geojson"
    path.write_text(_collection(_feature("6571", json.loads(shapely.to_geojson(moved)))), encoding="utf-8")
    status, out, _ = cli("regions", "import-boundaries", str(path), "--level", "2")
    assert status == 0
    assert "1 matched, 0 unknown, 1 changed" in out
    tarakan = Region.objects.get(code="65.71")
    assert shapely.from_geojson(tarakan.geometry).equals(moved)
    assert tarakan.boundary_source == "tarakan.geojson"
    assert snapshot()[0] == version_before + 1
    status, out, _ = cli("regions", "import-boundaries", str(path))
    assert "1 matched, 0 unknown, 0 changed" in out
    assert snapshot()[0] == version_before + 1


def test_import_with_a_level_refuses_features_of_another_level(
    cli: Any, tmp_path: Path, snapshot: Any
) -> None:
    before = snapshot()
    path = tmp_path / "tarakan.geojson"
    path.write_text(_collection(_feature("65.71", _tarakan_geometry())), encoding="utf-8")
    status, _, err = cli("regions", "import-boundaries", str(path), "--level", "3")
    assert status == 1
    assert "Fitur ke-1" in err and "65.71" in err and "tingkat 3" in err
    assert snapshot() == before


# --- the data directory -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--data-dir", "D", "regions", "stats"], ("D", ["regions", "stats"])),
        (["--data-dir=D", "regions", "stats"], ("D", ["regions", "stats"])),
        (["regions", "stats", "--data-dir", "D", "--json"], ("D", ["regions", "stats", "--json"])),
        (["regions", "stats"], (None, ["regions", "stats"])),
        (["--data-dir", "A", "--data-dir", "B", "users"], ("B", ["users"])),
    ],
)
def test_split_data_dir_takes_the_option_from_anywhere(
    argv: list[str], expected: tuple[str | None, list[str]]
) -> None:
    assert split_data_dir(argv) == expected


def test_split_data_dir_without_a_directory_is_an_error() -> None:
    with pytest.raises(SystemExit, match="--data-dir"):
        split_data_dir(["regions", "--data-dir"])


def test_data_dir_comes_from_the_environment_else_var(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WASPADA_DATA_DIR", raising=False)
    assert conf.data_dir() == tmp_path.resolve() / "var"
    monkeypatch.setenv("WASPADA_DATA_DIR", str(tmp_path / "env"))
    assert conf.data_dir() == tmp_path.resolve() / "env"


def test_the_data_dir_option_beats_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WASPADA_DATA_DIR", str(tmp_path / "env"))
    monkeypatch.chdir(tmp_path)
    main(["--data-dir", "opsi", "--help"])
    assert conf.data_dir() == tmp_path.resolve() / "opsi"


def test_a_real_process_uses_the_data_dir_option_over_the_environment(tmp_path: Path) -> None:
    option, env_dir = tmp_path / "opsi", tmp_path / "env"
    result = subprocess.run(
        [str(WASPADA), "--data-dir", str(option), "regions", "stats", "--json"],
        env=subprocess_env(WASPADA_DATA_DIR=str(env_dir)),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"1": 0, "2": 0, "3": 0, "4": 0, "with_geometry": 0}
    assert (option / "waspada.sqlite3").is_file()
    assert (option / "secret_key").is_file()
    assert not env_dir.exists()
    assert not (tmp_path / "var").exists()

    # The same database is found again through the environment alone, then a bad scope fails cleanly.
    bad = subprocess.run(
        [str(WASPADA), "users", "create", "budi", "--role", "analis", "--scope", "65.x"],
        env=subprocess_env(WASPADA_DATA_DIR=str(option)),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 1
    assert "--scope" in bad.stderr and "tidak valid" in bad.stderr
    assert "Traceback" not in bad.stderr
    assert not env_dir.exists() and not (tmp_path / "var").exists()


def test_a_real_process_without_option_or_environment_uses_var(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(WASPADA), "regions", "stats", "--json"],
        env=subprocess_env(),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "var" / "waspada.sqlite3").is_file()


def test_a_bad_setting_stops_the_command_with_a_message_naming_it(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(WASPADA), "--data-dir", str(tmp_path), "regions", "stats"],
        env=subprocess_env(WASPADA_DEBUG="mungkin"),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "WASPADA_DEBUG" in result.stderr and "mungkin" in result.stderr
    assert "Traceback" not in result.stderr
